"""The welfare officers' admin: scoped, closed to other roles, logged, steps through the services."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from unionhome.models import AuditEntry
from welfare.models import AidCase, Benefit

CASES = reverse("admin:welfare_aidcase_changelist")


def change_url(case):
    return reverse("admin:welfare_aidcase_change", args=[case.pk])


def step_url(case):
    return reverse("admin:welfare_aidcase_step", args=[case.pk])


@pytest.mark.parametrize(
    "persona", ["officer", "treasurer", "congress_secretary", "staff_without_permissions"]
)
def test_it_closes_the_case_admin_to_staff_without_the_welfare_role(make_case, client_for, persona, request):
    case = make_case()
    client = client_for(request.getfixturevalue(persona))
    assert client.get(CASES).status_code == 403
    assert client.get(change_url(case)).status_code in (403, 404)
    assert "welfare" not in client.get(reverse("admin:index")).content.decode().lower().split("/admin/")[-1:]


def test_it_lists_the_branchs_cases_illness_first(make_case, mfa_client, welfare_officer, make_member):
    low = make_case("submitted", ground="low_income", applicant=make_member(name="甲"))
    ill = make_case("submitted", ground="own_illness", applicant=make_member(name="乙"))
    response = mfa_client(welfare_officer).get(CASES)
    assert response.status_code == 200
    assert [c.pk for c in response.context["cl"].result_list] == [ill.pk, low.pk]


def test_it_pins_the_changelist_query_count(
    make_case, mfa_client, welfare_officer, make_member, django_assert_num_queries
):
    for name in ("甲", "乙", "丙"):
        make_case("submitted", applicant=make_member(name=name))
    client = mfa_client(welfare_officer)
    client.get(CASES)
    with django_assert_num_queries(16):  # the last: one insert logging the cases shown as viewed
        client.get(CASES)


def test_it_shows_a_welfare_officer_of_another_branch_nothing_and_logs_the_attempt(
    make_case, mfa_client, other_branch_welfare_officer
):
    case = make_case()
    client = mfa_client(other_branch_welfare_officer)
    assert list(client.get(CASES).context["cl"].result_list) == []
    assert client.get(change_url(case)).status_code == 404
    assert client.get(reverse("admin:welfare_aidcase_history", args=[case.pk])).status_code == 404
    denied = AuditEntry.objects.filter(action="welfare.case.denied.viewed", details__via="admin")
    assert denied.count() == 2 and denied.first().branch_id == case.branch_id


def test_it_logs_the_change_view(make_case, mfa_client, welfare_officer):
    case = make_case()
    mfa_client(welfare_officer).get(change_url(case), REMOTE_ADDR="10.0.0.9")
    entry = AuditEntry.objects.get(action="welfare.case.viewed")
    assert entry.details == {"via": "admin", "ip": "10.0.0.9", "path": change_url(case)}


def test_it_moves_a_case_through_the_step_panel(make_case, mfa_client, welfare_officer):
    case = make_case()
    client = mfa_client(welfare_officer)
    response = client.post(step_url(case), {"step": "group_opinion", "text": "小组同意"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "group_opinion" and case.group_opinion == "小组同意"
    response = client.post(
        step_url(case),
        {
            "step": "review",
            "exclusion_checks": "无违法违纪费用",
            "day": timezone.localdate().isoformat(),
            "decided_by": "分工会委员会",
        },
        follow=True,
    )
    case.refresh_from_db()
    assert case.state == "reviewed"


def test_it_shows_a_refused_step_as_a_message(make_case, mfa_client, welfare_officer):
    case = make_case("decided")
    response = mfa_client(welfare_officer).post(step_url(case), {"step": "approve"}, follow=True)
    assert "另一位帮扶专员" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "decided"


def test_it_approves_through_the_list_action(make_case, mfa_client, second_welfare_officer):
    case = make_case("decided")
    mfa_client(second_welfare_officer).post(
        CASES, {"action": "approve_selected", "_selected_action": [case.pk]}, follow=True
    )
    case.refresh_from_db()
    assert case.state == "approved"


def test_it_enters_an_application_on_behalf_of_a_member(
    aid_round, mfa_client, welfare_officer, second_member
):
    response = mfa_client(welfare_officer).post(
        reverse("admin:welfare_aidcase_add"),
        {
            "round": aid_round.pk,
            "member": second_member.pk,
            "ground": "accident",
            "track": "emergency",
            "description": "家中失火",
            "household_size": "4",
            "income_per_head": "1800",
            "medical_costs": "",
            "amount_requested": "3000",
            "consent_to_notice": "on",
            "submit": "on",
        },
    )
    assert response.status_code == 302
    case = AidCase.objects.get()
    assert (
        case.member == second_member and case.state == "submitted" and case.created_by == welfare_officer.user
    )


def test_it_offers_no_delete_and_no_import_or_export(make_case, mfa_client, welfare_officer):
    case = make_case()
    client = mfa_client(welfare_officer)
    assert client.get(reverse("admin:welfare_aidcase_delete", args=[case.pk])).status_code == 403
    for name in ("admin:welfare_aidcase_export", "admin:welfare_aidcase_import"):
        with pytest.raises(NoReverseMatch):
            reverse(name)


def test_it_shows_the_rounds_totals_against_the_budget(make_case, mfa_client, welfare_officer, aid_round):
    make_case("paid", amount="1500")
    html = (
        mfa_client(welfare_officer)
        .get(reverse("admin:welfare_aidround_change", args=[aid_round.pk]))
        .content.decode()
    )
    assert "预算 10,000.00 元；已批准 1,500.00 元；已发放 1,500.00 元；余额 8,500.00 元" in html


def test_it_refuses_a_benefit_above_the_cap_in_the_form(mfa_client, welfare_officer, member):
    response = mfa_client(welfare_officer).post(
        reverse("admin:welfare_benefit_add"),
        {
            "member": member.pk,
            "kind": "birthday",
            "event_date": timezone.localdate().isoformat(),
            "relative": "self",
            "amount": "500",
            "gift": "",
            "payment_form": "transfer",
            "paid_on": "",
        },
    )
    assert response.status_code == 200
    assert "每人每年上限 300.00 元" in response.content.decode()
    assert not Benefit.objects.exists()


def test_it_records_a_benefit_in_the_form(mfa_client, welfare_officer, member):
    day = timezone.localdate() - datetime.timedelta(days=3)
    response = mfa_client(welfare_officer).post(
        reverse("admin:welfare_benefit_add"),
        {
            "member": member.pk,
            "kind": "birthday",
            "event_date": day.isoformat(),
            "relative": "self",
            "amount": "200",
            "gift": "蛋糕券",
            "payment_form": "goods",
            "paid_on": day.isoformat(),
            "receipt_signed": "on",
        },
    )
    assert response.status_code == 302
    benefit = Benefit.objects.get()
    assert benefit.branch_id == member.branch_id and benefit.recorded_by == welfare_officer.user


def test_it_keeps_the_benefit_caps_table_for_superusers(mfa_client, welfare_officer, superuser):
    assert mfa_client(welfare_officer).get(reverse("admin:welfare_benefitcap_changelist")).status_code == 403
    assert mfa_client(superuser).get(reverse("admin:welfare_benefitcap_changelist")).status_code == 200


def test_it_flags_files_due_for_their_yearly_review(make_case, mfa_client, welfare_officer):
    case = make_case("reviewed")
    AidCase.objects.filter(pk=case.pk).update(review_due_on=timezone.localdate() - datetime.timedelta(days=1))
    client = mfa_client(welfare_officer)
    assert "1 份档案已到年度复核日期" in client.get(CASES).content.decode()
    assert [c.pk for c in client.get(CASES + "?review=due").context["cl"].result_list] == [case.pk]


def test_it_pins_the_round_list_query_count(
    make_case, mfa_client, welfare_officer, django_assert_num_queries
):
    from decimal import Decimal

    from welfare.models import AidRound

    make_case("paid")
    for year in (2024, 2025):
        AidRound.objects.create(
            branch=welfare_officer.branch,
            year=year,
            name=f"{year} 年度困难补助",
            opens_on=datetime.date(year, 11, 1),
            closes_on=datetime.date(year, 11, 30),
            budget=Decimal(20000),
        )
    client = mfa_client(welfare_officer)
    client.get(reverse("admin:welfare_aidround_changelist"))
    with django_assert_num_queries(13):
        response = client.get(reverse("admin:welfare_aidround_changelist"))
    assert "1000.00" in response.content.decode()


def test_it_hides_a_welfare_officers_own_application_from_their_admin(aid_round, mfa_client, welfare_officer):
    from decimal import Decimal

    from welfare import services

    own = services.case_create(
        actor=welfare_officer.user,
        member=welfare_officer,
        round=aid_round,
        ground="other",
        amount_requested=Decimal(1),
    )
    client = mfa_client(welfare_officer)
    assert own.pk not in [c.pk for c in client.get(CASES).context["cl"].result_list]
    assert client.get(change_url(own)).status_code == 404


def test_it_survives_junk_in_the_filters(make_case, mfa_client, welfare_officer):
    make_case("paid")
    client = mfa_client(welfare_officer)
    pages = {
        CASES: ["state", "ground", "track", "round__id__exact", "round__year", "review", "q", "o", "p"],
        reverse("admin:welfare_aidround_changelist"): ["year", "q", "o"],
        reverse("admin:welfare_carevisit_changelist"): ["occasion__exact", "visited_on__year", "q"],
        reverse("admin:welfare_benefit_changelist"): [
            "kind__exact",
            "receipt_signed__exact",
            "event_date__month",
        ],
    }
    for url, parameters in pages.items():
        for parameter in parameters:
            for value in ("abc", "-1", "99999999999999999999", "2026-02-30"):
                assert client.get(url, {parameter: value}).status_code < 500, (url, parameter, value)


def test_it_logs_a_change_with_the_ip(make_case, mfa_client, welfare_officer):
    case = make_case()
    mfa_client(welfare_officer).post(
        step_url(case), {"step": "group_opinion", "text": "同意"}, REMOTE_ADDR="10.0.0.7"
    )
    entry = AuditEntry.objects.get(action="welfare.case.group_opinion")
    assert entry.actor == welfare_officer.user and entry.details["ip"] == "10.0.0.7"
    assert "同意" not in str(entry.details)


def test_it_logs_the_history_view(make_case, mfa_client, welfare_officer):
    case = make_case()
    response = mfa_client(welfare_officer).get(reverse("admin:welfare_aidcase_history", args=[case.pk]))
    assert response.status_code == 200
    assert AuditEntry.objects.get(action="welfare.case.viewed").details["via"] == "admin history"
