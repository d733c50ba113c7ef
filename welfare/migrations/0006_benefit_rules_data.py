"""Data for issue 15: the benefit rules as their source (安徽 2018) writes them.

- Caps: holiday gifts and birthdays per year, every other kind per event; holiday gifts never in
  cash or shopping cards. The "surgery" cap has no source: removed, and its benefits are
  hospitalisations (住院).
- The relative a benefit is for becomes a choice. The free text typed so far is normalised
  (NFKC, zero-width characters and every space removed) and mapped; a text that names no
  direct relative, or a second payment of an event already paid (父亲 and 父 亲 on one day),
  keeps its text and gets no relative (NULL): the constraints leave it alone and the officer
  sees it in the list (慰问对象 empty) to settle. Nothing paid is deleted.
"""

import unicodedata

from django.db import migrations

PER_YEAR = ("holiday", "birthday")
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
WORDS = {
    "self": ("", "本人", "会员本人", "自己", "本人去世"),
    "spouse": ("配偶", "丈夫", "妻子", "爱人", "老公", "老婆", "夫", "妻"),
    "father": ("父亲", "父", "爸爸", "爸", "生父"),
    "mother": ("母亲", "母", "妈妈", "妈", "生母"),
    "child": ("子女", "儿子", "女儿", "子", "女", "孩子"),
}
RELATIVE_OF = {word: relative for relative, words in WORDS.items() for word in words}
ONCE = ("self", "father", "mother")
DEATHS = ("death", "relative_death")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(ZERO_WIDTH)
    return "".join(text.split())


def forwards(apps, schema_editor):
    BenefitCap = apps.get_model("welfare", "BenefitCap")
    Benefit = apps.get_model("welfare", "Benefit")
    BenefitCap.objects.filter(kind__in=PER_YEAR).update(per="year")
    BenefitCap.objects.exclude(kind__in=PER_YEAR).update(per="event")
    BenefitCap.objects.filter(kind="holiday").update(cash_allowed=False, card_allowed=False)
    BenefitCap.objects.filter(kind="surgery").delete()
    Benefit.objects.filter(kind="surgery").update(kind="hospital")

    taken = set()
    for benefit in Benefit.objects.order_by("pk"):
        relative = RELATIVE_OF.get(normalise(benefit.subject))
        if benefit.kind != "relative_death":
            relative = "self" if relative in (None, "self") or benefit.kind != "death" else None
        elif relative == "self":
            relative = None
        keys = [("event", benefit.member_id, benefit.kind, benefit.event_date, relative)]
        if benefit.kind in DEATHS and relative in ONCE:
            keys.append(("once", benefit.member_id, relative))
        if relative is not None and any(key in taken for key in keys):
            relative = None  # the same event paid twice before: left for the officer to settle
        if relative is not None:
            taken.update(keys)
        Benefit.objects.filter(pk=benefit.pk).update(relative=relative)


def backwards(apps, schema_editor):
    Benefit = apps.get_model("welfare", "Benefit")
    labels = {"self": "", "spouse": "配偶", "father": "父亲", "mother": "母亲", "child": "子女"}
    for benefit in Benefit.objects.filter(subject=""):
        Benefit.objects.filter(pk=benefit.pk).update(subject=labels.get(benefit.relative or "self", ""))


class Migration(migrations.Migration):
    dependencies = [("welfare", "0005_places_household_flag_relative_cap_basis")]
    operations = [migrations.RunPython(forwards, backwards)]
