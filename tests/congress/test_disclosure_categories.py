"""The fund categories follow the 2017 rules (基层工会经费收支管理办法, 总工办发〔2017〕32号) in
their names and order, each citing its article; old names' lines move onto the right category."""

import importlib
from decimal import Decimal

from django.apps import apps

from congress.disclosures.models import DisclosureLine, FinanceCategory

MIGRATION = importlib.import_module("congress.migrations.0004_finance_categories_2017")
INCOME = [name for name, _article, _children in MIGRATION.INCOME]
EXPENDITURE = {name: children for name, _article, children in MIGRATION.EXPENDITURE}


def _tops(kind):
    return list(FinanceCategory.objects.filter(kind=kind, parent=None).order_by("sort_order", "pk"))


def test_the_tree_is_the_2017_rules(db):
    """Spot checks of the migration's tree against the rules' text (第四条, 第八条)."""
    assert INCOME[4:6] == ["事业收入", "投资收益"] and INCOME[-1] == "其他收入"
    assert EXPENDITURE["职工活动支出"][3] == "职工集体福利支出"
    assert "会员活动支出" not in EXPENDITURE["职工活动支出"]
    assert EXPENDITURE["维权支出"][3:5] == ["困难职工帮扶费", "送温暖费"]


def test_it_seeds_the_income_and_expenditure_of_the_2017_rules_in_their_order(db):
    assert [top.name for top in _tops(FinanceCategory.Kind.INCOME)] == INCOME
    tops = _tops(FinanceCategory.Kind.EXPENDITURE)
    assert [top.name for top in tops] == list(EXPENDITURE)
    for top in tops:
        assert [child.name for child in top.children.order_by("sort_order", "pk")] == EXPENDITURE[top.name]
    assert not FinanceCategory.objects.filter(name="会员活动支出").exists()


def test_it_cites_the_article_of_each_category(db):
    assert FinanceCategory.objects.filter(source="").count() == 0
    assert FinanceCategory.objects.get(name="事业收入").source == "总工办发〔2017〕32号 第四条第（五）项"
    assert (
        FinanceCategory.objects.get(name="职工集体福利支出").source == "总工办发〔2017〕32号 第八条第（四）项"
    )
    assert FinanceCategory.objects.get(name="送温暖费").source == "总工办发〔2017〕32号 第九条第（五）项"
    assert FinanceCategory.objects.get(name="其他支出", parent=None).source == "总工办发〔2017〕32号 第十三条"


def test_it_moves_the_lines_of_an_old_category_onto_the_right_one(disclosure_draft):
    activities = FinanceCategory.objects.get(name="职工活动支出", parent=None)
    rights = FinanceCategory.objects.get(name="维权支出", parent=None)
    old = FinanceCategory.objects.create(kind=activities.kind, parent=activities, name="会员活动支出")
    line = DisclosureLine.objects.create(
        disclosure=disclosure_draft,
        category=old,
        item="会员生日慰问",
        budget=Decimal("900"),
        actual=Decimal("880"),
    )
    renamed = FinanceCategory.objects.get(name="送温暖费")
    renamed.name = "送温暖支出"
    renamed.save()
    MIGRATION.put_right(apps, None)

    line.refresh_from_db()
    assert (line.category.parent, line.category.name) == (activities, "职工集体福利支出")
    assert not FinanceCategory.objects.filter(pk=old.pk).exists()
    renamed.refresh_from_db()
    assert (renamed.parent, renamed.name) == (rights, "送温暖费")
