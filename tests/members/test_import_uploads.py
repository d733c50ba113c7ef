"""Roster import uploads are judged by content before any parser: wrong types, zip bombs, sheets that
expand to hundreds of megabytes, too many rows, GBK CSV; every message in the page's language and
nothing written after a refusal."""

import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Member
from tests import spreadsheet_files as files
from tests.members.test_roster_import import HEADER, confirm, good_rows

IMPORT_URL = reverse("admin:members_member_import")
XLSX_FORMAT = "0"
CSV_FORMAT = "1"


@pytest.fixture(scope="module")
def expanding_xlsx():
    """About 1 MB on disk, 400 MB once inflated; built once for the module (about 1.6 s)."""
    return files.expanding_xlsx(400 * 1024 * 1024)


@pytest.fixture
def no_parser(monkeypatch):
    """Fail the test if openpyxl is ever asked to open the workbook."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl.load_workbook was called")

    monkeypatch.setattr("openpyxl.load_workbook", refuse)


def post(client, content, name, fmt=XLSX_FORMAT):
    return client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(name, content), "format": fmt, "resource": "0"},
    )


def refused(response):
    """The import form page again, with the file field's error, and no preview."""
    assert response.status_code == 200
    assert response.context.get("result") is None and "confirm_form" not in response.context
    return " ".join(response.context["form"].errors["import_file"])


def gbk_roster():
    rows = [
        ["2015001", "刘洋", "男", "1988-03-14", "数学系", "数学系工会小组", "副教授", "", "", "", "在职"],
        ["2015002", "黄丽", "女", "1991-11-02", "学院办公室", "学院办公室工会小组", "科员", "", "", "", ""],
    ]
    return files.csv_text(HEADER, rows).encode("gbk")


REFUSALS = [
    # (what, name, chosen format, Chinese, English)
    ("png", "roster.xlsx", XLSX_FORMAT, "这不是表格文件", "This is not a spreadsheet"),
    ("pdf", "roster.csv", CSV_FORMAT, "这不是表格文件", "This is not a spreadsheet"),
    ("xls", "roster.xls", XLSX_FORMAT, "旧版 Excel 文件（.xls）", "an old Excel file (.xls)"),
    (
        "bomb",
        "roster.xlsx",
        XLSX_FORMAT,
        "表格展开后有 200.0\xa0MB，超过 64.0\xa0MB 的上限",
        "expands to 200.0",
    ),
    ("docx", "roster.xlsx", XLSX_FORMAT, "这个压缩文件不是 Excel 工作簿", "is not an Excel workbook"),
    ("damaged", "roster.xlsx", XLSX_FORMAT, "这个 xlsx 文件已损坏", "This xlsx file is damaged"),
    ("latin1", "roster.csv", CSV_FORMAT, "试过 UTF-8、GBK/GB18030", "tried UTF-8, GBK/GB18030"),
    ("rows", "roster.csv", CSV_FORMAT, "表格有 25000 行数据，超过 20000 行的上限", "25000 data rows"),
    ("header_only", "roster.csv", CSV_FORMAT, "表格里没有数据", "The table has no data"),
]


def content_for(what):
    return {
        "png": lambda: files.PNG,
        "pdf": lambda: files.PDF,
        "xls": lambda: files.OLD_XLS,
        "bomb": lambda: files.zip_bomb(),
        "docx": files.not_a_workbook_zip,
        "damaged": lambda: files.DAMAGED_ZIP,
        "latin1": lambda: "Staff number,Name\n2015001,Café Müller\n2015002,Zoë\n".encode("latin-1"),
        "rows": lambda: files.csv_text(
            ["工号", "姓名"], [[2000000 + n, "张三"] for n in range(25000)]
        ).encode(),
        "header_only": lambda: files.csv_text(HEADER, []).encode(),
    }[what]()


@pytest.mark.parametrize(("what", "name", "fmt", "chinese", "english"), REFUSALS)
def test_it_refuses_by_content_in_the_pages_language_and_writes_nothing(
    officer_client, no_parser, what, name, fmt, chinese, english
):
    content = content_for(what)
    before = Member.objects.count()
    assert chinese in refused(post(officer_client, content, name, fmt))
    officer_client.cookies["django_language"] = "en"
    message = refused(post(officer_client, content, name, fmt))
    assert english in message and not any("\u4e00" <= char <= "\u9fff" for char in message)
    assert Member.objects.count() == before


def test_it_refuses_a_sheet_that_expands_to_400_mb_before_openpyxl_sees_it(
    officer_client, no_parser, expanding_xlsx
):
    assert 0.8 * 1024 * 1024 < len(expanding_xlsx) < 2 * 1024 * 1024
    before = Member.objects.count()
    started = time.process_time()
    message = refused(post(officer_client, expanding_xlsx, "roster.xlsx"))
    elapsed = time.process_time() - started
    assert re.search("表格展开后有 40[01].0\xa0MB，超过 64.0\xa0MB 的上限", message)
    assert elapsed < 2  # openpyxl would take most of a minute; reading the directory takes ms
    assert Member.objects.count() == before


def test_it_refuses_an_xlsx_with_too_many_rows_by_counting_them(officer_client, no_parser, settings):
    settings.UNIONHOME_IMPORT_MAX_ROWS = 2
    content = files.xlsx(HEADER, [*good_rows(), good_rows()[0]])
    assert "表格有 3 行数据，超过 2 行的上限，请分批导入" in refused(post(officer_client, content, "a.xlsx"))


def test_it_imports_a_gbk_csv_with_chinese_names_and_says_how_it_read_it(officer_client):
    # Chosen as xlsx and named .xlsx: the content decides.
    response = post(officer_client, gbk_roster(), "名册.xlsx", XLSX_FORMAT)
    assert response.status_code == 200 and not response.context["result"].has_validation_errors()
    page = response.content.decode()
    assert "这个 CSV 文件是按 GBK（GB18030）编码读取的" in page and "刘洋" in page
    assert response.context["confirm_form"].initial["format"] == CSV_FORMAT
    assert not Member.objects.filter(staff_number__in=["2015001", "2015002"]).exists()
    assert confirm(officer_client, response).status_code == 302
    liu = Member.objects.get(staff_number="2015001")
    assert liu.name == "刘洋" and liu.gender == "M" and liu.union_group.name == "数学系工会小组"
    huang = Member.objects.get(staff_number="2015002")
    assert huang.name == "黄丽" and huang.gender == "F" and huang.union_group.name == "学院办公室工会小组"


def test_the_gbk_note_is_in_english_on_an_english_page(officer_client):
    officer_client.cookies["django_language"] = "en"
    page = post(officer_client, gbk_roster(), "roster.csv", CSV_FORMAT).content.decode()
    assert "This CSV file was read as GBK (GB18030)" in page


def test_an_xlsx_chosen_as_csv_is_read_as_xlsx(officer_client):
    content = files.xlsx(HEADER, good_rows())
    response = post(officer_client, content, "roster.csv", CSV_FORMAT)
    assert response.context["confirm_form"].initial["format"] == XLSX_FORMAT
    assert confirm(officer_client, response).status_code == 302
    assert Member.objects.get(staff_number="2015001").name == "刘洋"


def test_the_format_choice_is_hidden_and_the_file_field_says_what_is_accepted(officer_client):
    page = officer_client.get(IMPORT_URL).content.decode()
    assert (
        '<input type="hidden" name="format"' in page and "<select" not in page.split('name="format"')[0][-80:]
    )
    assert "文件类型按内容识别" in page and "guess_format" not in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "表格缺少“工号”列"), ("en", "The table has no “工号” column")],
)
def test_a_missing_key_column_is_named_in_the_pages_language(officer_client, language, expected):
    officer_client.cookies["django_language"] = language
    header = [column for column in HEADER if column != "工号"]
    content = files.csv_text(header, [row[1:] for row in good_rows()]).encode()
    response = post(officer_client, content, "roster.csv", CSV_FORMAT)
    page = response.content.decode()
    assert expected in page
    assert "import_id_fields" not in page and "Traceback" not in page
    assert not Member.objects.filter(staff_number__startswith="2015").exists()


def test_library_messages_the_officer_meets_are_in_chinese(officer_client):
    response = post(officer_client, files.csv_text(HEADER, good_rows()).encode(), "roster.csv", CSV_FORMAT)
    page = response.content.decode()
    for english in ("Import", "Submit", "Below is a preview", "Confirm import", "Line number"):
        assert f">{english}" not in page
    assert "确认导入" in page or "确认" in page
    done = confirm(officer_client, response)
    followed = officer_client.get(done.url).content.decode()
    assert "导入成功，新增2条记录" in followed and "Import finished" not in followed


def test_an_unreadable_file_gets_our_message_not_the_librarys(officer_client):
    # A workbook whose sheet is not XML passes the structural checks and fails in openpyxl.
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", files.CONTENT_TYPES)
        archive.writestr("_rels/.rels", files.ROOT_RELS)
        archive.writestr("xl/workbook.xml", files.WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", files.WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", b"<row>a</row><row>b</row><row> not xml")
    message = refused(post(officer_client, buffer.getvalue(), "roster.xlsx"))
    assert "无法读取这个表格文件" in message and "encountered" not in message


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "表格里没有数据"), ("en", "The table has no data")]
)
def test_the_librarys_no_data_message_is_replaced_in_the_pages_language(officer_client, language, expected):
    # Two lines, but one quoted header cell across them: only import-export finds no data rows.
    officer_client.cookies["django_language"] = language
    message = refused(post(officer_client, '"工号\n姓名"\n'.encode(), "roster.csv", CSV_FORMAT))
    assert expected in message and "No valid data" not in message
