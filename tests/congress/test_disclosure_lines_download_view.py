import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.congress.conftest import add_line


def test_it_downloads_the_lines_as_csv_with_formulas_neutralised(client_for, member, disclosure):
    add_line(disclosure, "其他活动支出", '=HYPERLINK("http://x")', "0", "1", note="@SUM(A1)")
    response = client_for(member).get(reverse("disclosures:lines", args=[disclosure.pk, "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["收支", "一级类别", "类别", "项目", "预算（元）", "实际（元）", "人次", "备注"]
    assert ["收入", "会费收入", "会费收入", "会员会费", "60000.00", "58800.50", "", ""] in rows
    hostile = next(row for row in rows if "HYPERLINK" in row[3])
    assert hostile[3].startswith("'=") and hostile[7] == "'@SUM(A1)"


def test_it_downloads_xlsx(client_for, member, disclosure):
    response = client_for(member).get(reverse("disclosures:lines", args=[disclosure.pk, "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:4] == ["收支", "一级类别", "类别", "项目"]
    assert sheet.max_row == 1 + disclosure.lines.count()


def test_others_get_404(client_for, other_branch_officer, disclosure, disclosure_draft, member):
    assert (
        client_for(other_branch_officer)
        .get(reverse("disclosures:lines", args=[disclosure.pk, "csv"]))
        .status_code
        == 404
    )
    assert (
        client_for(member).get(reverse("disclosures:lines", args=[disclosure_draft.pk, "csv"])).status_code
        == 404
    )
    assert (
        client_for(member).get(reverse("disclosures:lines", args=[disclosure.pk, "exe"])).status_code == 404
    )
