"""The member's side says the rules and what comes next: the cap of each ground in the round
(never what is left of the budget), why the approved amount differs, and the next step with
roughly when."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from welfare import selectors, services

APPLY = reverse("welfare:apply")


def detail(case):
    return reverse("welfare:case_detail", args=[case.pk])


def test_it_shows_the_cap_of_each_ground_in_the_form_and_never_the_budget_left(aid_round, client_for, member):
    page = client_for(member).get(APPLY).content.decode()
    # The choice itself says its cap, and the table lists every ground's.
    assert "本人大病（每次最多 2,000.00 元，每人每年最多 5,000.00 元）" in page
    assert "家庭收入低（每次最多 1,500.00 元，每人每年最多 3,000.00 元）" in page
    assert "没有单独的上限" in page  # the grounds without a cap
    assert "余额" not in page and "10,000" not in page and "预算" not in page


def test_it_marks_the_chosen_grounds_cap_when_the_form_comes_back(aid_round, client_for, member):
    page = client_for(member).post(APPLY, {"ground": "low_income", "track": "annual"}).content.decode()
    chosen = page.split('class="chosen"')[1].split("</tr>")[0]
    assert "家庭收入低" in chosen and "1,500.00" in chosen


def test_it_tells_the_applicant_why_the_approved_amount_differs(
    make_case, client_for, member, welfare_officer
):
    case = make_case("reviewed", amount="1000")
    services.case_record_decision(
        actor=welfare_officer.user,
        case=case,
        decided_on=timezone.localdate(),
        reference="校工〔2026〕3号",
        amount=Decimal("800"),
        amount_reason="医保报销后自付部分减少",
    )
    page = client_for(member).get(detail(case)).content.decode()
    assert "医保报销后自付部分减少" in page.split('id="amount-reason"')[1]


def test_it_refuses_a_decision_of_another_amount_without_a_reason(make_case, welfare_officer):
    case = make_case("reviewed", amount="1000")
    with pytest.raises(services.WelfareError) as refused:
        services.case_record_decision(
            actor=welfare_officer.user,
            case=case,
            decided_on=timezone.localdate(),
            reference="校工〔2026〕3号",
            amount=Decimal("800"),
        )
    refusal = refused.value
    assert refusal.field == "amount_reason" and "1,000.00" in str(refusal)
    case.refresh_from_db()
    assert case.state == "reviewed" and case.amount_approved is None


def test_it_says_what_happens_next_and_roughly_when(make_case, client_for, member, aid_round):
    case = make_case("submitted")
    page = client_for(member).get(detail(case)).content.decode()
    section = page.split('id="next-step"')[1].split("</section>")[0]
    assert "工会小组核实情况" in section and aid_round.closes_on.isoformat() in section


def test_it_gives_the_earliest_payment_day_during_the_notice(make_case, client_for, member):
    case = make_case("notice")
    section = client_for(member).get(detail(case)).content.decode().split('id="next-step"')[1]
    assert f"公示到 {case.notice_ends_on.isoformat()} 结束" in section.split("</section>")[0]
    after = selectors.next_for_applicant(case)["when"]
    earliest = datetime.date.fromisoformat(after.split("最早 ")[1].split(" ")[0])
    assert earliest > case.notice_ends_on


def test_it_says_nothing_next_for_an_ended_case(make_case, member):
    case = make_case("closed")
    assert selectors.next_for_applicant(case) is None
