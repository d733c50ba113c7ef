"""The roster import defaults to xlsx and offers a template with the Chinese headers and two examples."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.admin import MemberAdmin
from tests.html_check import collect_response
from tests.members.test_roster_import import HEADER, XLSX_FORMAT, preview

TEMPLATE_URL = reverse("admin:members_member_import_template")


def test_the_import_page_defaults_to_xlsx_and_links_the_template(officer, client_for):
    response = client_for(officer).get(reverse("admin:members_member_import"))
    collect_response("admin roster import", response)
    form = response.context["form"]
    assert form["format"].value() == XLSX_FORMAT and "" not in dict(form.fields["format"].choices)
    assert TEMPLATE_URL in response.content.decode()


def test_the_template_has_the_headers_and_two_rows_that_import_cleanly(
    officer, client_for, group, department
):
    client = client_for(officer)
    response = client.get(TEMPLATE_URL)
    assert response["Content-Disposition"] == 'attachment; filename="roster-template.xlsx"'
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and len(rows) == 3
    assert rows[1][5] == group.name and rows[1][4] == department.name
    upload = SimpleUploadedFile("template.xlsx", response.content)
    result = preview(client, upload, XLSX_FORMAT).context["result"]
    assert not result.has_errors() and not result.has_validation_errors()


def test_members_without_import_permission_get_no_template(member, staff_without_permissions, client_for):
    assert client_for(member).get(TEMPLATE_URL).status_code == 302  # to the admin login
    assert client_for(staff_without_permissions).get(TEMPLATE_URL).status_code == 403


def test_the_member_list_has_few_columns():
    assert MemberAdmin.list_display == ["staff_number", "name", "union_group", "status"]
