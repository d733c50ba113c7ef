"""Export helpers shared by every app's import-export resources."""

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
