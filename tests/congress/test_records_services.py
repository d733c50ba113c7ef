"""The congress's own records (terms, sessions, delegations, delegates, units, categories):
each change through its service, checked and audited."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from congress import services
from congress.models import Delegate, Delegation, ProposalCategory, Session, Term, Unit
from congress.services import CongressError
from unionhome.models import AuditEntry


def actions():
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def test_it_saves_and_audits_a_term(branch, congress_secretary):
    term = Term(branch=branch, number=4, starts_on=date(2030, 1, 1), ends_on=date(2034, 12, 31))
    services.term_save(actor=congress_secretary.user, term=term, changed=["number"])
    term.ends_on = date(2033, 12, 31)
    services.term_save(actor=congress_secretary.user, term=term, changed=["ends_on"])
    assert actions() == ["congress.term.created", "congress.term.changed"]
    assert AuditEntry.objects.order_by("pk").last().details == {"fields": ["ends_on"]}


def test_it_refuses_a_term_to_others_and_backwards_dates(branch, officer, congress_secretary):
    term = Term(branch=branch, number=4, starts_on=date(2030, 1, 1), ends_on=date(2029, 1, 1))
    with pytest.raises(CongressError, match="教代会秘书"):
        services.term_save(actor=officer.user, term=term)
    with pytest.raises(CongressError, match="结束日期") as refused:
        services.term_save(actor=congress_secretary.user, term=term)
    assert refused.value.field == "ends_on" and not Term.objects.filter(number=4).exists()


def test_it_fixes_a_terms_form_once_a_session_opened(term, session, make_delegate, congress_secretary):
    make_delegate()
    services.session_open(user=congress_secretary.user, session=session)
    term.mode = Term.Mode.ASSEMBLY
    with pytest.raises(CongressError, match="不能再改变形式"):
        services.term_save(actor=congress_secretary.user, term=term, changed=["mode"])


def test_it_deletes_a_term_only_without_sessions(term, session, congress_secretary):
    with pytest.raises(CongressError, match="已有会议"):
        services.term_delete(actor=congress_secretary.user, term=term)
    session.delete()
    services.term_delete(actor=congress_secretary.user, term=term)
    assert not Term.objects.filter(pk=term.pk).exists() and "congress.term.deleted" in actions()


def test_it_saves_a_session_and_checks_its_window(term, congress_secretary):
    now = timezone.now()
    session = Session(
        term=term,
        number=5,
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 1),
        collect_from=now,
        collect_until=now - timedelta(days=1),
    )
    with pytest.raises(CongressError, match="征集截止") as refused:
        services.session_save(actor=congress_secretary.user, session=session)
    assert refused.value.field == "collect_until"
    session.collect_until = now + timedelta(days=10)
    services.session_save(actor=congress_secretary.user, session=session, changed=["number"])
    assert actions() == ["congress.session.created"]


def test_it_deletes_a_session_only_before_it_opens_and_without_proposals(session, draft, congress_secretary):
    with pytest.raises(CongressError, match="不能删除"):
        services.session_delete(actor=congress_secretary.user, session=session)


def test_it_keeps_delegations_with_delegates(delegation, make_delegate, congress_secretary):
    make_delegate()
    with pytest.raises(CongressError, match="还有代表"):
        services.delegation_delete(actor=congress_secretary.user, delegation=delegation)
    Delegate.objects.all().delete()
    services.delegation_delete(actor=congress_secretary.user, delegation=delegation)
    assert not Delegation.objects.exists() and actions() == ["congress.delegation.deleted"]


def test_it_seats_only_members_of_the_branch_in_a_delegation_of_the_term(
    term, delegation, make_member, other_branch, congress_secretary
):
    stranger = make_member("phys01", name="外院教师", member_branch=other_branch)
    with pytest.raises(CongressError, match="本分工会会员"):
        services.delegate_save(actor=congress_secretary.user, delegate=Delegate(term=term, member=stranger))
    other_term = Term.objects.create(
        branch=term.branch, number=9, starts_on=date(2040, 1, 1), ends_on=date(2044, 1, 1)
    )
    elsewhere = Delegation.objects.create(term=other_term, name="别届代表团")
    colleague = make_member("m900", name="同事")
    with pytest.raises(CongressError, match="代表团不属于该届"):
        services.delegate_save(
            actor=congress_secretary.user,
            delegate=Delegate(term=term, member=colleague, delegation=elsewhere),
        )
    seat = services.delegate_save(
        actor=congress_secretary.user, delegate=Delegate(term=term, member=colleague, delegation=delegation)
    )
    services.delegate_delete(actor=congress_secretary.user, delegate=seat)
    assert actions() == ["congress.delegate.created", "congress.delegate.deleted"]


def test_it_saves_a_unit_with_contacts_of_its_branch(
    branch, make_member, other_branch, congress_secretary, second_member
):
    stranger = make_member("phys02", name="外院联络", member_branch=other_branch)
    unit = Unit(branch=branch, name="教务处")
    with pytest.raises(CongressError, match="联络人") as refused:
        services.unit_save(actor=congress_secretary.user, unit=unit, contacts=[stranger])
    assert refused.value.field == "contacts" and not Unit.objects.filter(name="教务处").exists()
    services.unit_save(actor=congress_secretary.user, unit=unit, contacts=[second_member])
    assert list(unit.contacts.all()) == [second_member]
    assert AuditEntry.objects.get(action="congress.unit.created").details["contacts"] == [second_member.pk]


def test_it_keeps_a_unit_that_handled_proposals(handling, unit, congress_secretary):
    with pytest.raises(CongressError, match="已承办提案"):
        services.unit_delete(actor=congress_secretary.user, unit=unit)


def test_it_leaves_the_category_list_to_superusers(congress_secretary, superuser, draft, category):
    fresh = ProposalCategory(name="教代会建设")
    with pytest.raises(CongressError, match="系统管理员"):
        services.proposal_category_save(actor=congress_secretary.user, category=fresh)
    services.proposal_category_save(actor=superuser, category=fresh)
    with pytest.raises(CongressError, match="请改为停用"):
        services.proposal_category_delete(actor=superuser, category=category)
    services.proposal_category_delete(actor=superuser, category=fresh)
    assert [a for a in actions() if "category" in a] == [
        "congress.proposal_category.created",
        "congress.proposal_category.deleted",
    ]
