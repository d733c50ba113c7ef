"""Congress fixtures: a current term with a delegation, a session collecting proposals, units."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from congress import services
from congress.models import (
    Delegate,
    Delegation,
    Disclosure,
    DisclosureLine,
    FinanceCategory,
    ProposalCategory,
    Session,
    Term,
    Unit,
)
from unionhome import roles


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
def in_review_other(proposer, session, proposal_data):
    """A second proposal of the session, submitted (collecting co-signatures)."""
    proposal = services.proposal_create(
        user=proposer.user, session=session, data={**proposal_data, "title": "增设饮水机"}
    )
    return services.proposal_submit(user=proposer.user, proposal=proposal)


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


# --- Finance disclosures ---


def finance_category(name, parent=None):
    query = FinanceCategory.objects.filter(name=name)
    if parent:
        query = query.filter(parent__name=parent)
    return query.get()


@pytest.fixture
def second_treasurer(make_member):
    return make_member("treasurer2", name="郑海燕", roles_=(roles.MEMBER, roles.TREASURER), is_staff=True)


@pytest.fixture
def chair(make_member):
    """The branch chair: an officer who holds the confirm permission."""
    chair = make_member("chair", name="陈建华", roles_=(roles.MEMBER, roles.OFFICER), is_staff=True)
    chair.user.user_permissions.add(Permission.objects.get(codename="confirm_disclosure"))
    return chair


@pytest.fixture
def other_branch_treasurer(make_member, other_branch):
    return make_member(
        "phys-treasurer",
        name="钱立新",
        roles_=(roles.MEMBER, roles.TREASURER),
        is_staff=True,
        member_branch=other_branch,
    )


def add_line(disclosure, category_name, item, budget, actual, parent=None, **fields):
    return DisclosureLine.objects.create(
        disclosure=disclosure,
        category=finance_category(category_name, parent),
        item=item,
        budget=Decimal(budget),
        actual=Decimal(actual),
        **fields,
    )


@pytest.fixture
def make_disclosure(branch, treasurer, second_treasurer):
    """A disclosure with a few income and spending lines; published unless state says otherwise."""

    def make(
        *, year=2025, period=Disclosure.Period.Q1, state=Disclosure.State.PUBLISHED, lines=True, **fields
    ):
        values = {"branch": branch, "year": year, "period": period, "title": f"{year}年第一季度经费收支公开"}
        values.update(fields)
        disclosure = Disclosure.objects.create(created_by=treasurer.user, **values)
        if lines:
            add_line(disclosure, "会费收入", "会员会费", "60000", "58800.50")
            add_line(disclosure, "行政补助收入", "学院行政补助", "20000", "20000")
            add_line(disclosure, "文体活动支出", "春季运动会", "12000", "13500")
            add_line(disclosure, "文体活动支出", "合唱比赛", "5000", "4200.40")
            add_line(disclosure, "职工集体福利支出", "节日慰问", "30000", "29000")
            add_line(disclosure, "困难职工帮扶费", "大病补助", "10000", "8000", headcount=3)
            add_line(disclosure, "培训费", "工会干部培训", "3000", "0")
        if state != Disclosure.State.DRAFT:
            disclosure.state = state
            disclosure.submitted_by = treasurer.user
            if state == Disclosure.State.PUBLISHED:
                from django.utils import timezone

                disclosure.confirmed_by = second_treasurer.user
                disclosure.published_at = timezone.now()
            disclosure.save()
        return disclosure

    return make


@pytest.fixture
def disclosure(make_disclosure):
    return make_disclosure()


@pytest.fixture
def disclosure_draft(make_disclosure):
    return make_disclosure(
        period=Disclosure.Period.Q2, title="2025年第二季度经费收支公开", state=Disclosure.State.DRAFT
    )


@pytest.fixture
def disclosure_form():
    """The admin change form's POST data of a disclosure: its heading, no inline rows, then `fields`;
    `line=` adds its one existing line as the lines inline (with `fields` overriding its values)."""

    def data(disclosure, *, line=None, **fields):
        posted = {
            "branch": disclosure.branch_id,
            "year": disclosure.year,
            "period": disclosure.period,
            "title": disclosure.title,
            "summary": disclosure.summary,
            "lines-TOTAL_FORMS": "0",
            "lines-INITIAL_FORMS": "0",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        }
        if line is not None:
            posted.update({"lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "1", "lines-0-id": line.pk})
            for name in ("disclosure", "category", "item", "budget", "actual", "note", "sort_order"):
                value = getattr(line, f"{name}_id" if name in ("disclosure", "category") else name)
                posted[f"lines-0-{name}"] = value
        posted.update(fields)
        return posted

    return data
