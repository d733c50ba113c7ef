"""Aggregates for the finance disclosures: counts and sums per ground/kind and year, never a name."""

import datetime
import json
from decimal import Decimal

from django.utils import timezone

from welfare import selectors, services
from welfare.models import AidCase, Benefit

PERSONAL = {"member", "name", "staff_number", "member_id", "description", "phone", "email", "applicant"}


def test_it_totals_paid_aid_per_ground(make_case, make_member, aid_round, branch):
    make_case("paid", amount="1000")
    make_case("closed", amount="500", applicant=make_member(name="甲"))
    make_case("approved", amount="800", applicant=make_member(name="乙"))  # not paid: not counted
    rows = selectors.aid_totals(branch=branch, year=aid_round.year)
    illness = next(row for row in rows if row["ground"] == "own_illness")
    assert illness == {"ground": "own_illness", "label": "本人大病", "count": 2, "amount": Decimal("1500.00")}
    assert [row["ground"] for row in rows] == [
        "own_illness",
        "relative_illness",
        "accident",
        "low_income",
        "other",
    ]
    assert all(isinstance(row["amount"], Decimal) for row in rows)


def test_it_totals_benefits_per_kind(welfare_officer, member, second_member, branch):
    day = datetime.date(2026, 5, 1)
    for who in (member, second_member):
        services.benefit_save(
            actor=welfare_officer.user,
            benefit=Benefit(
                branch=branch,
                member=who,
                kind="marriage",
                event_date=day,
                amount=Decimal(600),
                payment_form="transfer",
            ),
        )
    rows = selectors.benefit_totals(branch=branch, year=2026)
    marriage = next(row for row in rows if row["kind"] == "marriage")
    assert marriage["count"] == 2 and marriage["amount"] == Decimal("1200")
    assert marriage["recipients"] == 2 and marriage["cap"] == Decimal("600")  # 安徽 2018
    assert selectors.benefit_totals(branch=branch, year=2025)[0]["count"] == 0


def test_it_holds_no_personal_field(make_case, aid_round, branch, member, welfare_officer):
    make_case("paid")
    rows = selectors.aid_totals(branch=branch, year=aid_round.year) + selectors.benefit_totals(
        branch=branch, year=aid_round.year
    )
    assert all(
        set(row) <= {"ground", "kind", "label", "count", "recipients", "amount", "cap", "cap_per"}
        for row in rows
    )
    assert not PERSONAL & {key for row in rows for key in row}
    blob = json.dumps(rows, default=str, ensure_ascii=False)
    assert member.name not in blob and member.staff_number not in blob and "肺部" not in blob


def test_it_keeps_other_branches_out(make_case, aid_round, other_branch):
    make_case("paid")
    assert all(row["count"] == 0 for row in selectors.aid_totals(branch=other_branch, year=aid_round.year))


def test_it_counts_anonymised_cases(make_case, aid_round, branch):
    case = make_case("closed")
    AidCase.objects.filter(pk=case.pk).update(ended_at=timezone.now() - datetime.timedelta(days=4000))
    services.cases_anonymise(cases=AidCase.objects.all(), years=10)
    rows = selectors.aid_totals(branch=branch, year=aid_round.year)
    assert next(row for row in rows if row["ground"] == "own_illness")["count"] == 1
