"""Export helpers shared by every app: formula-safe cells and the one spreadsheet download."""

import tablib
from django.http import HttpResponse

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe.

    Follows the OWASP advice for CSV injection: a value starting with = + - @, a tab or a
    carriage return is shown as text, not evaluated.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """Mix into an import-export Resource so every exported cell is neutralised."""

    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))


def _neutralised(dataset: tablib.Dataset) -> tablib.Dataset:
    safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        safe.append([neutralise_formula(value) for value in row])
    return safe


def spreadsheet_response(data, *, fmt: str, filename: str) -> HttpResponse:
    """A download of `data` as `<filename>.<fmt>`, fmt "csv" or "xlsx", every cell formula-safe.

    `data` is a tablib Dataset (csv or xlsx), a Databook (xlsx, one sheet each) or the bytes of
    an xlsx file already made (a template). A CSV starts with a BOM, so that spreadsheet
    programs read the Chinese as UTF-8.
    """
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"no spreadsheet format {fmt!r}")
    if isinstance(data, tablib.Databook):
        data = tablib.Databook([_neutralised(sheet) for sheet in data.sheets()])
    elif isinstance(data, tablib.Dataset):
        data = _neutralised(data)
    elif fmt != "xlsx" or not isinstance(data, bytes):
        raise TypeError("spreadsheet_response takes a Dataset, a Databook or the bytes of an xlsx")
    if isinstance(data, bytes):
        content = data
    elif fmt == "csv":
        content = data.export("csv").encode("utf-8-sig")
    else:
        content = data.export("xlsx")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
