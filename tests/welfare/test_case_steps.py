"""The case page in admin carries the procedure: where the case is, only the steps this officer
may take now (each its own form), refusals next to the field with the input kept, the payment
pre-filled, the 公示's working days, and who may approve under the four-eyes rule."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from welfare import access, selectors, services
from welfare.models import AidCase


def change_url(case):
    return reverse("admin:welfare_aidcase_change", args=[case.pk])


def step_url(case):
    return reverse("admin:welfare_aidcase_step", args=[case.pk])


def names(steps, *, allowed=True):
    return [step.name for step in steps if step.allowed is allowed]


def test_it_lists_only_the_steps_of_the_cases_state(make_case, welfare_officer):
    case = make_case("submitted")
    assert names(access.case_steps(welfare_officer.user, case)) == [
        "group_opinion",
        "reject",
        "withdraw",
        "note",
    ]
    paid = make_case("paid", amount="500", ground="low_income", track="emergency")
    assert names(access.case_steps(welfare_officer.user, paid)) == ["close", "note", "review_date"]


def test_it_gives_no_step_to_the_applicant_or_other_roles(make_case, member, officer):
    case = make_case("submitted")
    assert access.case_steps(member.user, case) == []
    assert access.case_steps(officer.user, case) == []


def test_it_reserves_the_approval_for_another_officer(make_case, welfare_officer, second_welfare_officer):
    case = make_case("decided")  # reviewed by welfare_officer
    mine = access.case_steps(welfare_officer.user, case)
    assert "approve" not in names(mine)
    held = [step for step in mine if step.name == "approve"]
    assert held[0].reserved_for == ["何静"]
    assert "approve" in names(access.case_steps(second_welfare_officer.user, case))


def test_it_holds_the_payment_until_the_notice_has_ended(make_case, welfare_officer):
    case = make_case("notice")
    steps = access.case_steps(welfare_officer.user, case)
    assert "pay" not in names(steps)
    assert "pay" in names(steps, allowed=False)
    later = case.notice_ends_on + datetime.timedelta(days=1)
    assert "pay" in names(access.case_steps(welfare_officer.user, case, today=later))


def test_it_renders_only_the_allowed_steps_each_as_its_own_form(make_case, mfa_client, welfare_officer):
    case = make_case("submitted")
    page = mfa_client(welfare_officer).get(change_url(case)).content.decode()
    for step in ("group_opinion", "reject", "withdraw", "note"):
        assert f'id="step-{step}"' in page
    for step in ("review", "decision", "approve", "notice", "pay", "close", "submit"):
        assert f'id="step-{step}"' not in page
    # The group-opinion form has its text field and nothing of the review's or the payment's.
    form = page.split('id="step-group_opinion"')[1].split("</form>")[0]
    assert 'name="text"' in form and 'name="amount"' not in form and 'name="exclusion_checks"' not in form


def test_it_shows_the_progress_line(make_case, mfa_client, welfare_officer):
    case = make_case("reviewed")
    page = mfa_client(welfare_officer).get(change_url(case)).content.decode()
    assert 'class="case-progress"' in page
    assert [s["status"] for s in selectors.case_progress(case)] == [
        "done",
        "done",
        "done",
        "current",
        "todo",
        "todo",
        "todo",
        "todo",
    ]
    assert 'aria-current="step"' in page


def test_it_keeps_the_input_of_a_refused_step_and_says_why_next_to_the_field(
    make_case, mfa_client, welfare_officer
):
    case = make_case("group_opinion")
    response = mfa_client(welfare_officer).post(
        step_url(case), {"step": "review", "exclusion_checks": "无违法违纪费用", "decided_by": "分工会委员会"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    form = page.split('id="step-review"')[1].split("</form>")[0]
    assert "无违法违纪费用" in form and 'value="分工会委员会"' in form
    error = form.split('id="id_review_day_error"')[1].split("</ul>")[0]
    assert "请记录分工会集体审核的日期和参加人员。" in error
    case.refresh_from_db()
    assert case.state == "group_opinion"


def test_it_says_who_may_approve_under_the_four_eyes_rule(
    make_case, mfa_client, welfare_officer, second_welfare_officer
):
    case = make_case("decided")
    page = mfa_client(welfare_officer).get(change_url(case)).content.decode()
    assert 'id="step-approve"' not in page
    held = page.split('id="held-approve"')[1].split("</p>")[0]
    assert "何静" in held and "四眼原则" in held
    other = mfa_client(second_welfare_officer).get(change_url(case)).content.decode()
    assert 'id="step-approve"' in other and 'id="held-approve"' not in other


def test_it_prefills_the_payment_with_the_approved_amount(make_case, mfa_client, welfare_officer):
    case = make_case("approved", amount="1200", consent=False)
    services.case_skip_notice(actor=welfare_officer.user, case=case, reason="申请人不同意公示")
    page = mfa_client(welfare_officer).get(change_url(case)).content.decode()
    form = page.split('id="step-pay"')[1].split("</form>")[0]
    assert 'name="amount" value="1200.00"' in form
    assert f'value="{timezone.localdate().isoformat()}"' in form


def test_it_shows_the_notice_end_with_its_working_days(make_case, mfa_client, welfare_officer):
    case = make_case("notice")
    page = mfa_client(welfare_officer).get(change_url(case)).content.decode()
    days = selectors.working_days_between(case.notice_starts_on, case.notice_ends_on)
    assert days == 5
    assert f"至 {case.notice_ends_on.isoformat()}，共 5 个工作日" in page


def test_it_refuses_a_decision_of_another_amount_without_a_reason(make_case, mfa_client, welfare_officer):
    case = make_case("reviewed", amount="1000")
    client = mfa_client(welfare_officer)
    data = {
        "step": "decision",
        "day": timezone.localdate().isoformat(),
        "reference": "校工〔2026〕2号",
        "amount": "800",
    }
    response = client.post(step_url(case), data)
    form = response.content.decode().split('id="step-decision"')[1].split("</form>")[0]
    assert "请写明原因" in form.split('id="id_decision_amount_reason_error"')[1]
    assert 'value="800"' in form
    case.refresh_from_db()
    assert case.state == AidCase.State.REVIEWED
    client.post(step_url(case), {**data, "amount_reason": "医保报销后自付部分减少"})
    case.refresh_from_db()
    assert case.state == AidCase.State.DECIDED and case.amount_approved == Decimal("800")
    assert case.amount_reason == "医保报销后自付部分减少"
