"""Replays of the probe (issue 15, hole 2): without a second factor, no path yields welfare data.

A welfare officer or a superuser without TOTP found case ids by an applicant's staff number
through the admin's autocomplete, and a superuser without TOTP read the `welfare.case.*`
entries of the audit trail (actors are applicants, details show the ground) with no trace.
"""

import json

import pytest
from django.urls import reverse

from unionhome.audit import audit_record
from unionhome.models import AuditEntry

SETUP = reverse("mfa_activate_totp")
AUTOCOMPLETE = reverse("admin:autocomplete")
TRAIL = reverse("admin:unionhome_auditentry_changelist")


def autocomplete(client, model_name, term):
    return client.get(
        AUTOCOMPLETE,
        {"app_label": "welfare", "model_name": model_name, "field_name": "case", "term": term},
    )


@pytest.mark.parametrize("model_name", ["attachment", "caseevent"])
@pytest.mark.parametrize("persona", ["welfare_officer", "superuser"])
def test_it_sends_the_autocomplete_probe_to_the_totp_set_up(
    make_case, client_for, member, persona, model_name, request
):
    make_case()
    response = autocomplete(client_for(request.getfixturevalue(persona)), model_name, member.staff_number)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


@pytest.mark.parametrize("model_name", ["attachment", "caseevent"])
def test_it_answers_the_autocomplete_after_the_second_factor(
    make_case, mfa_client, welfare_officer, member, model_name
):
    case = make_case()
    response = autocomplete(mfa_client(welfare_officer), model_name, member.staff_number)
    assert response.status_code == 200
    assert [row["id"] for row in json.loads(response.content)["results"]] == [str(case.pk)]
    # Finding cases by a staff number is a view of them, logged without the number.
    entry = AuditEntry.objects.get(action="welfare.case.viewed", details__via="admin autocomplete")
    assert entry.target_id == str(case.pk) and member.staff_number not in str(entry.details)


def test_it_guards_the_view_on_site_redirect_of_a_welfare_record(make_case, client_for, superuser):
    from django.contrib.contenttypes.models import ContentType

    case = make_case()
    content_type = ContentType.objects.get(app_label="welfare", model="aidcase")
    response = client_for(superuser).get(reverse("admin:view_on_site", args=[content_type.pk, case.pk]))
    assert response["Location"].startswith(SETUP)


def test_it_hides_welfare_entries_of_the_trail_from_a_superuser_without_totp(
    make_case, client_for, superuser, member
):
    make_case()
    audit_record(actor=superuser, action="member.changed", target=member)
    assert AuditEntry.objects.filter(action__startswith="welfare.case.").exists()
    response = client_for(superuser).get(TRAIL)
    assert response.status_code == 200
    assert [e.action for e in response.context["cl"].result_list] == ["member.changed"]
    response = client_for(superuser).get(TRAIL, {"action": "welfare.case.created"})
    assert list(response.context["cl"].result_list) == []
    entry = AuditEntry.objects.filter(action="welfare.case.created").get()
    change = reverse("admin:unionhome_auditentry_change", args=[entry.pk])
    assert client_for(superuser).get(change).status_code in (302, 404)
    assert not AuditEntry.objects.filter(action="welfare.audit.viewed").exists()


def test_it_logs_the_reading_of_welfare_entries_after_the_second_factor(make_case, mfa_client, superuser):
    case = make_case()
    welfare_entries = set(
        AuditEntry.objects.filter(action__startswith="welfare.").values_list("pk", flat=True)
    )
    client = mfa_client(superuser)
    response = client.get(TRAIL, REMOTE_ADDR="10.0.0.5")
    assert welfare_entries <= {e.pk for e in response.context["cl"].result_list}
    reading = AuditEntry.objects.get(action="welfare.audit.viewed")
    assert reading.actor == superuser and reading.branch_id == case.branch_id
    assert set(reading.details["entries"]) == welfare_entries and reading.details["ip"] == "10.0.0.5"

    entry = AuditEntry.objects.filter(action="welfare.case.created").get()
    assert client.get(reverse("admin:unionhome_auditentry_change", args=[entry.pk])).status_code == 200
    latest = AuditEntry.objects.filter(action="welfare.audit.viewed").latest("pk")
    assert latest.details["entries"] == [entry.pk]
