"""Congress fixtures: a current term with a delegation, a session collecting proposals, units."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from congress import services
from congress.models import Delegate, Delegation, ProposalCategory, Session, Term, Unit


@pytest.fixture
def term(branch):
    return Term.objects.create(
        branch=branch, number=3, starts_on=date(2025, 1, 1), ends_on=date(2029, 12, 31)
    )


@pytest.fixture
def session(term):
    now = timezone.now()
    return Session.objects.create(
        term=term,
        number=2,
        starts_on=date(2026, 3, 20),
        ends_on=date(2026, 3, 21),
        collect_from=now - timedelta(days=5),
        collect_until=now + timedelta(days=5),
        reply_days=30,
    )


@pytest.fixture
def delegation(term):
    return Delegation.objects.create(term=term, name="数学系代表团")


@pytest.fixture
def make_delegate(make_member, term, delegation):
    def make(member=None, **kwargs):
        member = member or make_member(name=kwargs.pop("name", "代表"))
        Delegate.objects.create(
            term=term, member=member, delegation=kwargs.pop("delegation", delegation), **kwargs
        )
        return member

    return make


@pytest.fixture
def proposer(member, make_delegate):
    """The `member` persona, a delegate."""
    return make_delegate(member)


@pytest.fixture
def other_delegation(term):
    return Delegation.objects.create(term=term, name="统计系代表团")


@pytest.fixture
def cosigners(make_delegate, other_delegation):
    """Two delegates of another delegation (so their co-signatures never make a collective proposal)."""
    return [
        make_delegate(name="周代表", delegation=other_delegation),
        make_delegate(name="吴代表", delegation=other_delegation),
    ]


@pytest.fixture
def category(db):
    return ProposalCategory.objects.get_or_create(name="民生保障", defaults={"sort_order": 2})[0]


@pytest.fixture
def unit_contact(make_member):
    return make_member("unit01", name="钱联络")


@pytest.fixture
def unit(branch, unit_contact):
    unit = Unit.objects.create(branch=branch, name="后勤保障处")
    unit.contacts.add(unit_contact)
    return unit


@pytest.fixture
def support_contact(make_member):
    return make_member("unit02", name="孙协办")


@pytest.fixture
def support_unit(branch, support_contact):
    unit = Unit.objects.create(branch=branch, name="人事处")
    unit.contacts.add(support_contact)
    return unit


@pytest.fixture
def proposal_data(category, unit):
    return {
        "title": "改善教学楼饮水设施",
        "reasons": "教学楼饮水机老化，夏季供水不足。",
        "measures": "更换饮水机并定期检测水质。",
        "category": category,
        "suggested_unit": unit,
    }


@pytest.fixture
def draft(proposer, session, proposal_data):
    return services.proposal_create(user=proposer.user, session=session, data=proposal_data)


@pytest.fixture
def in_review(draft, cosigners):
    proposal = services.proposal_submit(user=draft.proposer.user, proposal=draft, invitees=cosigners)
    for cosigner in cosigners:
        services.cosign_accept(user=cosigner.user, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.state == "review"
    return proposal


@pytest.fixture
def accepted(in_review, congress_secretary):
    return services.proposal_accept(user=congress_secretary.user, proposal=in_review, reasons="")


@pytest.fixture
def handling(accepted, congress_secretary, unit, support_unit):
    return services.proposal_assign(
        user=congress_secretary.user, proposal=accepted, lead_unit=unit, supporting_units=[support_unit]
    )


@pytest.fixture
def replied(handling, unit_contact):
    services.reply_submit(
        user=unit_contact.user, proposal=handling, body="已更换饮水机。", grade="solved", completion_date=None
    )
    handling.refresh_from_db()
    return handling
