"""Small template filters shared by every app."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

# A date (with its weekday in brackets and a time), or a time range: each kept on one line.
_DATE_OR_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:\s?[（(][^（）()<>]{1,12}[）)])?(?:\s\d{1,2}:\d{2}(?!\s?[–-]\s?\d{1,2}:\d{2}))?"
    r"|\d{2}-\d{2}\s\d{2}:\d{2}"
    r"|\d{1,2}:\d{2}(?:\s?[–-]\s?\d{1,2}:\d{2})?"
)


@register.filter(needs_autoescape=True)
def nowrap_dates(value, autoescape=True):
    """Wrap each date and time range of the text in <span class="nowrap"> so it never breaks.

    "2026-12-11（周五）15:00–17:00" may wrap between the date and the times, never inside them.
    """
    text = str(conditional_escape(value) if autoescape else value)
    return mark_safe(_DATE_OR_TIME.sub(lambda match: f'<span class="nowrap">{match.group(0)}</span>', text))
