"""/welfare/cases/<id>/: the applicant, the branch's welfare officers, superusers; 404 (logged) for others."""

import pytest
from django.urls import reverse

from tests.welfare.conftest import add_role
from unionhome import roles
from unionhome.models import AuditEntry
from welfare import services


def url(case):
    return reverse("welfare:case_detail", args=[case.pk])


def test_it_shows_the_applicant_state_dates_and_reasons_but_no_internal_notes(
    make_case, client_for, member, welfare_officer
):
    case = make_case("reviewed")
    services.case_add_note(actor=welfare_officer.user, case=case, text="内部：邻居反映另有住房")
    services.case_reject(actor=welfare_officer.user, case=case, reasons="家庭人均收入高于困难线")
    html = client_for(member).get(url(case)).content.decode()
    assert "未批准" in html and "家庭人均收入高于困难线" in html
    assert "邻居反映" not in html and "情况属实" not in html and "分工会委员会" not in html


def test_it_shows_welfare_officers_the_full_timeline(make_case, mfa_client, welfare_officer):
    case = make_case("reviewed")
    services.case_add_note(actor=welfare_officer.user, case=case, text="内部：邻居反映另有住房")
    response = mfa_client(welfare_officer).get(url(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert "邻居反映" in html and "情况属实" in html and case.member.name in html


def test_it_logs_every_view_with_the_ip(make_case, client_for, member):
    case = make_case()
    client_for(member).get(url(case), REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.get(action="welfare.case.viewed")
    assert (
        entry.actor == member.user and entry.details["ip"] == "10.1.2.3" and entry.details["via"] == "portal"
    )
    assert entry.branch_id == case.branch_id and entry.target_id == str(case.pk)


@pytest.mark.parametrize(
    "persona", ["second_member", "officer", "treasurer", "congress_secretary", "other_branch_officer"]
)
def test_it_answers_404_to_everybody_else_and_logs_the_attempt(make_case, client_for, persona, request):
    case = make_case()
    who = request.getfixturevalue(persona)
    response = client_for(who).get(url(case))
    assert response.status_code == 404
    assert case.member.name not in response.content.decode()
    denied = AuditEntry.objects.get(action="welfare.case.denied.viewed")
    assert denied.actor == who.user and denied.details["allowed"] is False
    assert denied.branch_id == case.branch_id
    assert not AuditEntry.objects.filter(action="welfare.case.viewed").exists()


def test_it_answers_404_to_a_welfare_officer_of_another_branch(
    make_case, mfa_client, other_branch_welfare_officer
):
    case = make_case()
    assert mfa_client(other_branch_welfare_officer).get(url(case)).status_code == 404
    assert AuditEntry.objects.filter(action="welfare.case.denied.viewed").count() == 1


def test_it_answers_404_for_an_unknown_id(client_for, member):
    assert client_for(member).get(reverse("welfare:case_detail", args=[999999])).status_code == 404


def test_it_does_not_let_an_officer_who_gains_the_welfare_role_elsewhere_in(
    make_case, mfa_client, other_branch_officer
):
    case = make_case()
    add_role(other_branch_officer, roles.WELFARE_OFFICER)
    assert mfa_client(other_branch_officer).get(url(case)).status_code == 404


def test_it_offers_the_applicant_withdrawal_and_submission(make_case, client_for, member):
    draft = make_case("draft")
    client = client_for(member)
    assert "提交申请" in client.get(url(draft)).content.decode()
    response = client.post(reverse("welfare:case_submit", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "submitted"
    client.post(reverse("welfare:case_withdraw", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == "withdrawn"


def test_it_refuses_others_the_applicants_buttons(make_case, client_for, second_member):
    case = make_case("draft")
    response = client_for(second_member).post(reverse("welfare:case_withdraw", args=[case.pk]))
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == "draft"
