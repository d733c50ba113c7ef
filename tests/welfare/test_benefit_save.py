"""Condolence benefits: caps per kind and year, forbidden forms of payment, never the same event twice."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from welfare import services
from welfare.models import Benefit, BenefitCap
from welfare.services import WelfareError

DAY = datetime.date(2026, 3, 8)


def benefit(member, **fields):
    values = {
        "branch": member.branch,
        "member": member,
        "kind": "birthday",
        "event_date": DAY,
        "amount": Decimal("200"),
        "payment_form": "goods",
    }
    values.update(fields)
    return Benefit(**values)


def test_it_is_seeded_with_the_anhui_2018_caps(db):
    caps = {cap.kind: cap for cap in BenefitCap.objects.filter(effective_from=2018)}
    assert (
        caps["holiday"].cap == 1500 and not caps["holiday"].cash_allowed and not caps["holiday"].card_allowed
    )
    assert caps["birthday"].cap == 300 and caps["death"].cap == 2000
    assert caps["marriage"].cap == caps["childbirth"].cap == 600
    assert caps["relative_death"].cap == caps["retirement"].cap == caps["hospital"].cap == 1000
    # Per year: holiday gifts and birthdays; per event: the rest (安徽 2018). No "surgery" cap.
    assert {kind for kind, cap in caps.items() if cap.per == "year"} == {"holiday", "birthday"}
    assert "surgery" not in caps and all(cap.source for cap in caps.values())


def test_it_records_a_benefit_with_an_audit_entry(welfare_officer, member):
    from unionhome.models import AuditEntry

    saved = services.benefit_save(actor=welfare_officer.user, benefit=benefit(member))
    assert saved.pk and saved.recorded_by == welfare_officer.user
    assert AuditEntry.objects.get(action="welfare.benefit.created").details == {
        "kind": "birthday",
        "amount": "200",
    }


def test_it_refuses_above_the_yearly_cap_and_shows_it(welfare_officer, member):
    services.benefit_save(
        actor=welfare_officer.user, benefit=benefit(member, kind="holiday", amount=Decimal(1000))
    )
    with pytest.raises(WelfareError, match="每人每年上限 1,500.00 元，2026 年已发 1,000.00 元"):
        services.benefit_save(
            actor=welfare_officer.user,
            benefit=benefit(member, kind="holiday", amount=Decimal(600), event_date=DAY.replace(month=9)),
        )


def test_it_uses_the_cap_in_force_that_year(welfare_officer, member):
    BenefitCap.objects.create(
        kind="birthday", effective_from=2026, cap=Decimal("500"), per="year", source="x"
    )
    services.benefit_save(actor=welfare_officer.user, benefit=benefit(member, amount=Decimal(450)))
    with pytest.raises(WelfareError, match="300.00"):
        services.benefit_save(
            actor=welfare_officer.user,
            benefit=benefit(member, amount=Decimal(301), event_date=datetime.date(2025, 3, 8)),
        )


@pytest.mark.parametrize("form", ["cash", "card"])
def test_it_refuses_cash_or_cards_for_holiday_gifts(welfare_officer, member, form):
    with pytest.raises(WelfareError, match="不能以"):
        services.benefit_save(
            actor=welfare_officer.user, benefit=benefit(member, kind="holiday", payment_form=form)
        )


def test_it_never_pays_the_same_event_twice(welfare_officer, member):
    services.benefit_save(actor=welfare_officer.user, benefit=benefit(member, amount=Decimal(100)))
    with pytest.raises(WelfareError, match="已经发放过"):
        services.benefit_save(actor=welfare_officer.user, benefit=benefit(member, amount=Decimal(100)))
    assert Benefit.objects.count() == 1


def test_it_has_a_database_constraint_against_paying_an_event_twice(member):
    benefit(member).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        benefit(member).save()


def test_it_pays_two_relatives_deaths_on_the_same_day(welfare_officer, member):
    services.benefit_save(
        actor=welfare_officer.user,
        benefit=benefit(member, kind="relative_death", amount=Decimal(500), relative="father"),
    )
    services.benefit_save(
        actor=welfare_officer.user,
        benefit=benefit(member, kind="relative_death", amount=Decimal(500), relative="mother"),
    )
    assert Benefit.objects.count() == 2


def test_it_refuses_officers_without_the_welfare_role_and_other_branches(
    officer, other_branch_officer, member
):
    with pytest.raises(WelfareError, match="帮扶专员"):
        services.benefit_save(actor=officer.user, benefit=benefit(member))
    from tests.welfare.conftest import add_role
    from unionhome import roles

    add_role(other_branch_officer, roles.WELFARE_OFFICER)
    with pytest.raises(WelfareError):
        services.benefit_save(actor=other_branch_officer.user, benefit=benefit(member))


def test_it_records_many_at_once_or_none(welfare_officer, member, second_member):
    services.benefit_save(actor=welfare_officer.user, benefit=benefit(second_member, amount=Decimal(250)))
    with pytest.raises(WelfareError, match="王强"):
        services.benefits_record_many(
            actor=welfare_officer.user,
            branch=member.branch,
            items=[(member, DAY.replace(day=9)), (second_member, DAY.replace(day=9))],
            kind="birthday",
            amount=Decimal(100),
            payment_form="goods",
        )
    assert Benefit.objects.count() == 1
    recorded = services.benefits_record_many(
        actor=welfare_officer.user,
        branch=member.branch,
        items=[(member, DAY.replace(day=9))],
        kind="birthday",
        amount=Decimal(100),
        payment_form="goods",
    )
    assert len(recorded) == 1


def test_it_refuses_a_welfare_officer_recording_their_own_benefit(welfare_officer):
    with pytest.raises(WelfareError, match="不能为自己记录慰问"):
        services.benefit_save(actor=welfare_officer.user, benefit=benefit(welfare_officer))
