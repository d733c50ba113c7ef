"""Small pieces of running text that every language builds differently."""

from django.utils.translation import gettext as _


def enumeration(items) -> str:
    """Items as a list in running text: 甲、乙、丙 in Chinese, "a, b, c" in English."""
    # Translators: the separator between the items of a list in running text ("、" in Chinese).
    return _("、").join(str(item) for item in items)
