"""Small pieces of running text that every language builds differently."""

import unicodedata

from django.utils.translation import gettext as _


def enumeration(items) -> str:
    """Items as a list in running text: 甲、乙、丙 in Chinese, "a, b, c" in English."""
    # Translators: the separator between the items of a list in running text ("、" in Chinese).
    return _("、").join(str(item) for item in items)


def comparable(text) -> str:
    """Text as a check for a word inside it must see it: NFKC (full-width letters and spaces become
    plain ones), format characters (zero-width spaces and joiners, BOM, direction marks) removed,
    every whitespace removed (so "王 强" and "王<U+200B>强" are "王强"), case folded. Apply it on
    both sides before comparing; never store or show the result."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    kept = (char for char in text if not char.isspace() and unicodedata.category(char) != "Cf")
    return "".join(kept).casefold()
