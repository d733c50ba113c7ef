"""unionhome.spreadsheets: what an uploaded table file is, by content, before any parser sees it."""

import io
import time
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from tests import spreadsheet_files as files
from unionhome import spreadsheets
from unionhome.spreadsheets import table_inspect

HEADER = ["工号", "姓名", "工会小组"]
ROWS = [[f"20150{n:02d}", "刘洋", "数学系工会小组"] for n in range(30)]


def refusal(content, **limits):
    with pytest.raises(ValidationError) as caught:
        table_inspect(content, **limits)
    return caught.value


def test_it_recognises_an_xlsx_by_content_and_counts_its_data_rows():
    table = table_inspect(files.xlsx(HEADER, ROWS))
    assert table.format == "xlsx" and table.rows == 30 and table.encoding == ""


@pytest.mark.parametrize("chunk", [7, 64, 100, 4096])
def test_it_counts_rows_across_chunk_boundaries(monkeypatch, chunk):
    monkeypatch.setattr(spreadsheets, "CHUNK", chunk)
    assert table_inspect(files.xlsx(HEADER, ROWS)).rows == 30
    assert refusal(files.xlsx(HEADER, ROWS), max_rows=29).code == "rows"


def test_it_reads_utf8_and_gbk_csv_and_hands_on_utf8():
    text = files.csv_text(HEADER, ROWS)
    utf8 = table_inspect(("\ufeff" + text).encode("utf-8"))
    assert (utf8.format, utf8.encoding, utf8.rows) == ("csv", "utf-8", 30)
    gbk = table_inspect(text.encode("gbk"))
    assert (gbk.format, gbk.encoding) == ("csv", "gb18030")
    assert gbk.content.decode("utf-8") == text


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (files.PNG, "not_a_table"),
        (files.PDF, "not_a_table"),
        (files.JPEG, "not_a_table"),
        (files.OLD_XLS, "old_excel"),
        (files.DAMAGED_ZIP, "damaged"),
        (files.not_a_workbook_zip(), "not_a_workbook"),
        ("工号,姓名\n1,张三\n".encode("utf-16"), "encoding"),
        ("staff,name\n2015001,Café\n".encode("latin-1"), "encoding"),
        (b"\xef\xbb\xbf\xe5\xb7\xa5\xe5\x8f\xb7\n", "empty"),
    ],
)
def test_it_refuses_what_is_not_an_importable_table(content, code):
    assert refusal(content).code == code


def test_it_refuses_a_zip_bomb_by_its_declared_size_without_inflating_it():
    bomb = files.zip_bomb(64 * 1024 * 1024 + 1024 * 1024)
    started = time.process_time()
    error = refusal(bomb, max_expanded_bytes=64 * 1024 * 1024)
    assert time.process_time() - started < 0.5  # reading the central directory only
    assert error.code == "expanded"
    assert "65.0\xa0MB" in error.messages[0] and "64.0\xa0MB" in error.messages[0]


def test_a_lying_declaration_is_caught_by_the_crc_not_believed():
    content = files.xlsx(HEADER, ROWS)
    archive = zipfile.ZipFile(io.BytesIO(content))
    sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    # Rewrite the central directory to declare the sheet 100 bytes long: zipfile stops there.
    patched = bytearray(content)
    directory = patched.rfind(b"PK\x01\x02", 0, len(patched))
    while directory != -1:
        name_length = int.from_bytes(patched[directory + 28 : directory + 30], "little")
        name = bytes(patched[directory + 46 : directory + 46 + name_length])
        if name == sheet.filename.encode():
            patched[directory + 24 : directory + 28] = (100).to_bytes(4, "little")
            break
        directory = patched.rfind(b"PK\x01\x02", 0, directory)
    assert refusal(bytes(patched)).code == "damaged"


def test_the_expanding_fixture_is_a_workbook_openpyxl_would_read():
    small = files.expanding_xlsx(1024)
    sheet = openpyxl.load_workbook(io.BytesIO(small), read_only=True).active
    assert sum(1 for _ in sheet.rows) > 30


def test_it_refuses_too_many_cells_even_within_the_row_limit():
    wide = files.xlsx([f"列{n}" for n in range(60)], [list(range(60))] * 2)
    error = refusal(wide, max_rows=2)  # at most (2 + 1) x 50 cells
    assert error.code == "cells" and "180 个单元格，超过 150 个的上限" in error.messages[0]


def test_shared_strings_count_as_cells_wherever_the_parts_are():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", files.CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", files.WORKBOOK)
        archive.writestr("xl/elsewhere/data.bin", files.SHEET_START + b"<row/><row/>" + files.SHEET_END)
        archive.writestr("xl/strings.xml", b"<sst>" + b"<si><t>x</t></si>" * 200 + b"</sst>")
    error = refusal(buffer.getvalue(), max_rows=2)
    assert error.code == "cells" and "200 个单元格" in error.messages[0]
