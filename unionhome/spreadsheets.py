"""What an uploaded table file really is, judged by its content (never its name), before any parser.

`table_inspect(content)` returns the format to import with ("xlsx" or "csv") and the bytes to
import (a CSV always as UTF-8), or raises ValidationError with a message in the page's language:

- an xlsx (a zip) is refused by the uncompressed size its archive declares and by its row count,
  counted by streaming the worksheets' XML, so a zip bomb or a sheet that expands to hundreds of
  megabytes never reaches openpyxl. Python's zipfile never inflates an entry beyond its declared
  size (it stops there and fails the CRC), so the declaration bounds the memory of every reader;
- an old .xls or encrypted workbook (OLE2), a PDF, an image or any other binary file is refused;
- a CSV is read as UTF-8, else as GB18030 (GBK, which Chinese office software writes), and
  converted to UTF-8; one that is neither is refused, naming the encodings tried.
"""

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export.exceptions import FieldError

from unionhome.text import enumeration
from unionhome.uploads import OLE2_SIGNATURE, OTHER_SIGNATURES, UTF16_BOMS, ZIP_SIGNATURES

XLSX = "xlsx"
CSV = "csv"
UTF8 = "utf-8"
GB18030 = "gb18030"

HEAD = 8192
CHUNK = 1024 * 1024
# A worksheet's row or cell element, or a shared string, with or without a namespace prefix:
# <row r="2">, <x:c>, <c/>, <si>.
TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|si)[\s>/]")
# Cells are bounded too (openpyxl takes about 5 s per million): at most this many per row allowed.
MAX_COLUMNS = 50


@dataclass(frozen=True)
class Table:
    format: str  # XLSX or CSV
    content: bytes  # what to import: the upload itself, or a CSV converted to UTF-8
    encoding: str = ""  # a CSV's encoding as read (UTF8 or GB18030); "" for xlsx
    rows: int = 0  # data rows (after the header row)


def _limits(max_expanded_bytes, max_rows):
    if max_expanded_bytes is None:
        max_expanded_bytes = settings.UNIONHOME_IMPORT_MAX_EXPANDED_BYTES
    if max_rows is None:
        max_rows = settings.UNIONHOME_IMPORT_MAX_ROWS
    return max_expanded_bytes, max_rows


def table_inspect(content: bytes, *, max_expanded_bytes=None, max_rows=None) -> Table:
    """The table in `content`, or ValidationError saying why it cannot be imported."""
    max_expanded_bytes, max_rows = _limits(max_expanded_bytes, max_rows)
    head = content[:HEAD]
    if head.startswith(ZIP_SIGNATURES):
        return _xlsx_inspect(content, max_expanded_bytes, max_rows)
    if head.startswith(OLE2_SIGNATURE):
        raise ValidationError(
            _(
                "这是旧版 Excel 文件（.xls）或设了密码的工作簿，无法导入。"
                "请在 Excel 或 WPS 中去掉密码，“另存为”Excel 工作簿（.xlsx）后再上传。"
            ),
            code="old_excel",
        )
    if head.startswith(UTF16_BOMS):
        raise ValidationError(_encoding_message(_("UTF-16")), code="encoding")
    if head.startswith(OTHER_SIGNATURES) or b"\x00" in head:
        raise ValidationError(
            _("这不是表格文件。请上传 Excel 工作簿（.xlsx）或 CSV 文件。"), code="not_a_table"
        )
    return _csv_inspect(content, max_rows)


def _rows_message(rows, limit):
    return _("表格有 %(rows)s 行数据，超过 %(limit)s 行的上限，请分批导入。") % {
        "rows": rows,
        "limit": limit,
    }


def no_rows_message():
    return _("表格里没有数据：第一行应是列名，从第二行起每行一条记录。")


def _encoding_message(tried):
    return _(
        "无法读取这个 CSV 文件的文字编码（试过 %(tried)s）。"
        "请在 Excel 或 WPS 中“另存为”“CSV UTF-8（逗号分隔）”后再上传，或上传 .xlsx 文件。"
    ) % {"tried": tried}


def _damaged():
    return ValidationError(
        _("这个 xlsx 文件已损坏，无法读取。请在 Excel 或 WPS 中打开，重新“另存为”.xlsx 后再上传。"),
        code="damaged",
    )


def _xlsx_inspect(content, max_expanded_bytes, max_rows):
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise _damaged() from error
    expanded = sum(entry.file_size for entry in entries)
    if expanded > max_expanded_bytes:
        raise ValidationError(
            _("表格展开后有 %(size)s，超过 %(limit)s 的上限。请删去多余的工作表、图片和格式，或分批导入。")
            % {"size": filesizeformat(expanded), "limit": filesizeformat(max_expanded_bytes)},
            code="expanded",
        )
    names = {entry.filename for entry in entries}
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise ValidationError(
            _("这个压缩文件不是 Excel 工作簿。请上传 Excel 工作簿（.xlsx）或 CSV 文件。"),
            code="not_a_workbook",
        )
    # Every part is counted, wherever the workbook's relationships put its sheets: a second sheet
    # counts too, and the whole archive is no more than the expanded limit.
    counts = {b"row": 0, b"c": 0, b"si": 0}
    try:
        for entry in entries:
            for tag, count in _tags_in(archive, entry).items():
                counts[tag] += count
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError) as error:
        raise _damaged() from error  # a bad CRC, an unknown compression, an encrypted entry
    data_rows = max(counts[b"row"] - 1, 0)
    # openpyxl reads every shared string into memory, and every cell of the sheet.
    cells = max(counts[b"c"], counts[b"si"])
    if data_rows > max_rows:
        raise ValidationError(_rows_message(data_rows, max_rows), code="rows")
    if cells > (max_rows + 1) * MAX_COLUMNS:
        raise ValidationError(
            _(
                "表格有 %(cells)s 个单元格，超过 %(limit)s 个的上限。"
                "请删去多余的列（每行最多 %(columns)s 列）或分批导入。"
            )
            % {"cells": cells, "limit": (max_rows + 1) * MAX_COLUMNS, "columns": MAX_COLUMNS},
            code="cells",
        )
    if data_rows == 0:
        raise ValidationError(no_rows_message(), code="empty")
    return Table(format=XLSX, content=content, rows=data_rows)


def _tags_in(archive, entry):
    """Row, cell and shared-string elements in one part, reading its decompressed XML a chunk at a
    time."""
    counts = {b"row": 0, b"c": 0, b"si": 0}
    carry = b""
    with archive.open(entry) as stream:
        while True:
            chunk = stream.read(CHUNK)
            buffer = carry + (chunk or b" ")
            # A tag cut by the chunk's end is counted with the next chunk.
            cut = buffer.rfind(b"<", max(len(buffer) - 64, 0)) if chunk else -1
            if cut == -1 or b">" in buffer[cut:]:
                cut = len(buffer)
            found = TAG.findall(buffer, 0, cut)
            for tag in counts:
                counts[tag] += found.count(tag)
            carry = buffer[cut:]
            if not chunk:
                return counts


def _csv_inspect(content, max_rows):
    tried = []
    for encoding, label in ((UTF8, _("UTF-8")), (GB18030, _("GBK/GB18030"))):
        tried.append(label)
        try:
            text = content.decode("utf-8-sig" if encoding == UTF8 else encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise ValidationError(_encoding_message(enumeration(tried)), code="encoding")
    lines = [line for line in text.splitlines() if line.strip(" \t,;")]
    data_rows = max(len(lines) - 1, 0)
    if data_rows > max_rows:
        raise ValidationError(_rows_message(data_rows, max_rows), code="rows")
    if data_rows == 0:
        raise ValidationError(no_rows_message(), code="empty")
    converted = content if encoding == UTF8 else text.encode("utf-8")
    return Table(format=CSV, content=converted, encoding=encoding, rows=data_rows)


class ImportHeadersMixin:
    """For import-export resources: a file without the key columns (e.g. 工号) is told so in the
    page's language; the library's own message is English only."""

    def _check_import_id_fields(self, headers):
        names = [name for name in self.get_import_id_fields() if name != "id"]
        columns = [self.fields[name].column_name for name in names if name in self.fields]
        missing = [column for column in columns if column not in (headers or [])]
        if missing:
            raise FieldError(
                _("表格缺少“%(columns)s”列。第一行应是列名，请按导入模板的列名填写。")
                % {"columns": enumeration(missing)}
            )
        super()._check_import_id_fields(headers)
