"""Seed the benefit caps with one province's published figures (安徽 2018); editable in admin."""

from decimal import Decimal

from django.db import migrations

SOURCE = "安徽省总工会 2018 年基层工会经费收支管理办法"
# kind, yearly cap per member, cash allowed, shopping cards allowed
ANHUI_2018 = [
    ("holiday", "1500", False, False),
    ("birthday", "300", True, True),
    ("marriage", "600", True, True),
    ("childbirth", "600", True, True),
    ("hospital", "1000", True, True),
    ("surgery", "1000", True, True),
    ("retirement", "1000", True, True),
    ("death", "2000", True, True),
    ("relative_death", "1000", True, True),
]


def seed(apps, schema_editor):
    BenefitCap = apps.get_model("welfare", "BenefitCap")
    for kind, cap, cash, card in ANHUI_2018:
        BenefitCap.objects.get_or_create(
            kind=kind,
            effective_from=2018,
            defaults={"yearly_cap": Decimal(cap), "cash_allowed": cash, "card_allowed": card, "source": SOURCE},
        )


def unseed(apps, schema_editor):
    apps.get_model("welfare", "BenefitCap").objects.filter(effective_from=2018, source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("welfare", "0002_roles")]
    operations = [migrations.RunPython(seed, unseed)]
