"""Benefit rules from their sources (安徽 2018): caps per event or per year, forms of payment per
kind, the relative a death is for (a choice), never the same event twice."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from tests.welfare.test_benefit_save import DAY
from tests.welfare.test_benefit_save import benefit as birthday
from welfare import services
from welfare.models import Benefit, BenefitCap, BenefitKind, Relative
from welfare.services import WelfareError

migration = importlib.import_module("welfare.migrations.0006_benefit_rules_data")


def benefit(member, **fields):
    return birthday(
        member, **{"kind": "hospital", "amount": Decimal("800"), "payment_form": "transfer", **fields}
    )


def save(officer, item):
    return services.benefit_save(actor=officer.user, benefit=item)


def test_it_pays_a_second_hospitalisation_in_the_same_year(welfare_officer, member):
    save(welfare_officer, benefit(member))
    save(welfare_officer, benefit(member, event_date=DAY.replace(month=10)))
    assert Benefit.objects.filter(member=member, kind="hospital").count() == 2


def test_it_caps_each_event_on_its_own(welfare_officer, member):
    with pytest.raises(WelfareError, match="每次上限 1,000.00 元"):
        save(welfare_officer, benefit(member, amount=Decimal("1001")))


def test_it_still_caps_birthdays_per_year(welfare_officer, member):
    save(welfare_officer, benefit(member, kind="birthday", amount=Decimal("200")))
    with pytest.raises(WelfareError, match="每人每年上限 300.00 元"):
        save(
            welfare_officer,
            benefit(member, kind="birthday", amount=Decimal("200"), event_date=DAY.replace(day=9)),
        )


@pytest.mark.parametrize("form", ["cash", "card"])
def test_it_never_pays_holiday_gifts_in_cash_or_cards_even_without_a_cap(welfare_officer, member, form):
    BenefitCap.objects.filter(kind="holiday").delete()
    with pytest.raises(WelfareError, match="不能以"):
        save(welfare_officer, benefit(member, kind="holiday", payment_form=form, amount=Decimal(100)))


def test_it_has_no_surgery_kind_or_cap(db):
    assert "surgery" not in BenefitKind.values
    assert not BenefitCap.objects.filter(kind="surgery").exists()


def test_it_asks_which_relative_died(welfare_officer, member):
    with pytest.raises(WelfareError, match="配偶、父亲、母亲或子女") as refusal:
        save(welfare_officer, benefit(member, kind="relative_death", relative=Relative.SELF))
    assert refusal.value.field == "relative"
    with pytest.raises(WelfareError, match="本人"):
        save(welfare_officer, benefit(member, kind="hospital", relative=Relative.FATHER))


def test_it_pays_a_fathers_death_once_whatever_the_date(welfare_officer, member):
    save(welfare_officer, benefit(member, kind="relative_death", relative=Relative.FATHER))
    with pytest.raises(WelfareError, match="已经发放过"):
        save(
            welfare_officer,
            benefit(member, kind="relative_death", relative=Relative.FATHER, event_date=DAY.replace(day=9)),
        )
    save(welfare_officer, benefit(member, kind="relative_death", relative=Relative.MOTHER))
    assert Benefit.objects.filter(kind="relative_death").count() == 2


def test_it_normalises_the_free_text_the_way_the_migration_does():
    for text in ("父亲", "父 亲", "父\u200b亲", "\uff08父亲\uff09".strip("（）"), " 父亲 ", "爸爸"):
        assert migration.RELATIVE_OF[migration.normalise(text)] == "father", text
    assert migration.normalise("配\u3000偶") == "配偶"


def test_the_migration_maps_free_text_and_leaves_a_second_payment_for_the_officer(welfare_officer, member):
    first = benefit(member, kind="relative_death", subject="父亲", relative=None, amount=Decimal(500))
    second = benefit(member, kind="relative_death", subject="父 亲", relative=None, amount=Decimal(500))
    unknown = benefit(
        member, kind="relative_death", subject="岳父", relative=None, event_date=DAY.replace(day=1)
    )
    birthday = benefit(member, kind="birthday", subject="", relative=None, amount=Decimal(100))
    Benefit.objects.bulk_create([first, second, unknown, birthday])

    migration.forwards(apps, None)

    relatives = dict(Benefit.objects.values_list("subject", "relative"))
    assert relatives == {"父亲": "father", "父 亲": None, "岳父": None, "": "self"}
