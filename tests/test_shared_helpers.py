"""One of each shared helper in unionhome/: the spreadsheet download, the pagination include and
the state badge. Each is used by its callers; no app writes its own copy."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
import tablib
from django.conf import settings
from django.template import Context, Template

from activities.models import Activity
from unionhome.exports import spreadsheet_response

ROOT = Path(settings.BASE_DIR)
APPS = ["members", "activities", "welfare", "congress", "unionhome"]
SPREADSHEET_TYPES = ("spreadsheetml", "text/csv")


def test_it_sends_a_formula_safe_csv_with_a_bom():
    data = tablib.Dataset(["=HYPERLINK(1)", "王芳", 3], headers=["甲", "乙", "丙"])

    response = spreadsheet_response(data, fmt="csv", filename="list-2026")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="list-2026.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["甲", "乙", "丙"], ["'=HYPERLINK(1)", "王芳", "3"]]


def test_it_sends_every_sheet_of_a_databook_formula_safe():
    first = tablib.Dataset(["@SUM(A1)"], headers=["甲"], title="一")
    second = tablib.Dataset(["+1", "-2"], headers=["乙", "丙"], title="二")

    response = spreadsheet_response(tablib.Databook([first, second]), fmt="xlsx", filename="book")

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["一", "二"]
    assert workbook["一"]["A2"].value == "'@SUM(A1)"
    assert [cell.value for cell in workbook["二"][2]] == ["'+1", "'-2"]


@pytest.mark.parametrize("app", APPS)
def test_it_builds_spreadsheet_downloads_only_in_unionhome_exports(app):
    own = [
        f"{path.relative_to(ROOT)}: {kind}"
        for path in sorted((ROOT / app).rglob("*.py"))
        if path != ROOT / "unionhome" / "exports.py" and "migrations" not in path.parts
        for kind in SPREADSHEET_TYPES
        for line in path.read_text(encoding="utf-8").splitlines()
        if kind in line and "UploadedFile" not in line  # an upload's type is not a download
    ]
    assert not own, f"use unionhome.exports.spreadsheet_response: {own}"


def test_it_paginates_every_page_with_the_one_include():
    own = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if path != ROOT / "templates" / "includes" / "pagination.html"
        and (
            "has_other_pages" in path.read_text(encoding="utf-8") or 'class="pagination"' in path.read_text()
        )
    ]
    assert not own, f"use includes/pagination.html: {own}"


def _badge(obj):
    return Template("{% load unionhome_tags %}{% state_badge obj %}").render(Context({"obj": obj}))


def test_it_renders_a_state_in_its_models_colour():
    assert _badge(Activity(status=Activity.Status.CANCELLED)) == '<span class="badge warn">已取消</span>'
    assert _badge(Activity(status=Activity.Status.FINISHED)) == '<span class="badge muted">已结束</span>'
