"""Delegates from a spreadsheet: matched on (届次, 工号), preview, row errors, all or nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congress.models import Delegate

IMPORT_URL = reverse("admin:congress_delegate_import")
PROCESS_URL = reverse("admin:congress_delegate_process_import")
HEADER = ["工号", "届次", "代表团", "提案工作委员会委员"]


def upload(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile("delegates.csv", buffer.getvalue().encode("utf-8"), content_type="text/csv")


def preview(client, rows):
    return client.post(IMPORT_URL, {"import_file": upload(rows), "format": "1", "resource": "0"})


def confirm(client, response):
    form = response.context["confirm_form"]
    return client.post(
        PROCESS_URL,
        {name: form.initial[name] for name in form.fields if name in form.initial}
        | {"format": form.initial["format"], "resource": form.initial.get("resource", "0")},
    )


@pytest.fixture
def secretary_client(client_for, congress_secretary, term, delegation):
    return client_for(congress_secretary)


def test_it_previews_then_imports_matching_on_staff_number(
    secretary_client, member, second_member, term, delegation
):
    Delegate.objects.create(term=term, member=member)  # already a delegate: updated in place
    response = preview(
        secretary_client,
        [[member.staff_number, "3", "数学系代表团", "是"], [second_member.staff_number, "3", "", "否"]],
    )
    assert response.status_code == 200 and "confirm_form" in response.context
    assert Delegate.objects.count() == 1  # the preview writes nothing
    confirm(secretary_client, response)
    seats = {d.member_id: d for d in Delegate.objects.all()}
    assert set(seats) == {member.pk, second_member.pk}
    assert seats[member.pk].delegation == delegation and seats[member.pk].on_committee
    assert seats[second_member.pk].delegation is None


def test_it_reports_each_bad_row_and_column_and_imports_nothing(
    secretary_client, member, second_member, other_branch_officer
):
    response = preview(
        secretary_client,
        [
            [member.staff_number, "3", "数学系代表团", "是"],
            ["NOPE", "3", "", ""],
            [second_member.staff_number, "9", "", ""],
            [other_branch_officer.staff_number, "3", "", ""],
        ],
    )
    page = response.content.decode()
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert "本分工会没有工号为“NOPE”的会员" in page
    assert "本分工会没有第 9 届" in page
    assert f"本分工会没有工号为“{other_branch_officer.staff_number}”的会员" in page
    # Spreadsheet rows (row 1 holds the headers), as in the validation errors
    assert "第 3 行：" in page and "第 4 行：" in page and "第 5 行：" in page
    assert not Delegate.objects.exists()


def test_it_reports_bad_values_by_column(secretary_client, member, second_member):
    response = preview(
        secretary_client,
        [[member.staff_number, "3", "不存在的代表团", "是"], [second_member.staff_number, "3", "", "也许"]],
    )
    page = response.content.decode()
    assert "该届没有名为“不存在的代表团”的代表团" in page and "“也许”应为“是”或“否”" in page
    assert "代表团" in page and "提案工作委员会委员" in page
    assert response.context.get("confirm_form") is None
    assert not Delegate.objects.exists()


def test_it_refuses_import_to_an_officer(client_for, officer, term):
    assert client_for(officer).get(IMPORT_URL).status_code == 403


def test_it_seats_each_imported_row_through_the_service_with_an_audit_entry(
    secretary_client, member, second_member, term
):
    from unionhome.models import AuditEntry

    response = preview(secretary_client, [[member.staff_number, "3", "", "否"]])
    assert not AuditEntry.objects.filter(action="congress.delegate.imported").exists()  # preview: nothing
    confirm(secretary_client, response)
    entry = AuditEntry.objects.get(action="congress.delegate.imported")
    assert entry.details["member"] == member.pk and entry.branch_id == term.branch_id
