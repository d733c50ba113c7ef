import csv
import io

import pytest
from django.urls import reverse

from members.resources import MemberResource
from unionhome.exports import neutralise_formula

EXPORT_URL = reverse("admin:members_member_export")
FIELDS = MemberResource.Meta.fields


def export_csv(client):
    data = {"format": "1", "resource": "0"} | {f"memberresource_{name}": "on" for name in FIELDS}
    response = client.post(EXPORT_URL, data)
    assert response.status_code == 200, response.content[:500]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_it_neutralises_formula_cells(dangerous):
    assert neutralise_formula(dangerous) == "'" + dangerous
    assert neutralise_formula("张伟") == "张伟"
    assert neutralise_formula(42) == 42


def test_it_exports_the_roster_with_chinese_headers_and_neutralised_formulas(
    officer, client_for, make_member
):
    make_member("2019001", name="=cmd|' /C calc'!A0", title="@SUM(1+1)")
    rows = export_csv(client_for(officer))
    assert rows[0][:3] == ["工号", "姓名", "性别"]
    evil = next(row for row in rows if row[0] == "2019001")
    assert evil[1] == "'=cmd|' /C calc'!A0"
    assert evil[6] == "'@SUM(1+1)"
    assert evil[2] == "女"


def test_it_exports_only_the_officers_branch(officer, other_branch_officer, client_for):
    staff_numbers = {row[0] for row in export_csv(client_for(officer))[1:]}
    assert officer.staff_number in staff_numbers
    assert other_branch_officer.staff_number not in staff_numbers


def test_it_gives_403_to_staff_without_the_export_permission(staff_without_permissions, client_for):
    client = client_for(staff_without_permissions)
    assert client.get(EXPORT_URL).status_code == 403
    assert client.post(EXPORT_URL, {"format": "1"}).status_code == 403
