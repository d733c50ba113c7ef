"""Money as the disclosures show it: thousands separators, two decimals and 元."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _grouped(value) -> str:
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"


@register.filter
def amount(value):
    """12345.5 -> "12,345.50" (for table cells whose header says 元)."""
    return _grouped(value)


@register.filter
def yuan(value):
    """12345.5 -> "12,345.50 元"."""
    if value is None or value == "":
        return "—"
    return _("%(amount)s 元") % {"amount": _grouped(value)}


@register.filter
def signed_amount(value):
    """A variance: "+1,200.00" or "-300.00"."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    return ("+" if value > 0 else "") + _grouped(value)


@register.filter
def percent(value):
    return "—" if value is None else f"{value}%"
