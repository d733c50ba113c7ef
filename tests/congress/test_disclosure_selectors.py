from decimal import Decimal

from congress.disclosures import selectors
from congress.models import Disclosure
from tests.congress.conftest import add_line


def test_it_totals_by_first_level_category_with_variance_and_share(disclosure):
    sides = selectors.disclosure_summary(selectors.disclosure_lines(disclosure))
    income, spending = sides["income"], sides["expenditure"]
    assert income.total.actual == Decimal("78800.50") and income.total.budget == Decimal("80000.00")
    assert income.total.variance == Decimal("-1199.50")
    assert [group.label for group in spending.groups] == ["职工活动支出", "维权支出", "业务支出"]
    activities = spending.groups[0]
    assert activities.budget == Decimal("47000.00") and activities.actual == Decimal("46700.40")
    assert activities.variance == Decimal("-299.60")
    assert [child.label for child in activities.children] == ["文体活动支出", "职工集体福利支出"]
    assert activities.children[0].actual == Decimal("17700.40")
    assert spending.total.actual == Decimal("54700.40")
    # share of the side's actual total, one decimal
    assert activities.share == Decimal("85.4")
    assert spending.groups[2].execution_percent == Decimal("0.0")
    assert all(isinstance(group.actual, Decimal) for group in spending.groups)


def test_it_draws_bars_proportional_to_the_numbers(disclosure):
    side = selectors.disclosure_summary(selectors.disclosure_lines(disclosure))["expenditure"]
    chart = selectors.budget_actual_chart(side)
    largest = max(max(g.budget, g.actual) for g in side.groups)
    for row, group in zip(chart["rows"], side.groups, strict=True):
        values = {bar["key"]: bar for bar in row["bars"]}
        assert values["budget"]["value"] == group.budget and values["actual"]["value"] == group.actual
        assert abs(values["actual"]["width"] - group.actual / largest * selectors.BAR_MAX) < Decimal("0.1")


def test_it_compares_with_the_same_period_last_year(make_disclosure):
    last = make_disclosure(year=2024, lines=False)
    add_line(last, "文体活动支出", "运动会", "10000", "10000")
    add_line(last, "资本性支出", "活动室器材", "8000", "8000")
    this = make_disclosure(year=2025)
    assert selectors.previous_year_revision(this) == last
    sides = selectors.disclosure_summary(selectors.disclosure_lines(this))
    previous = selectors.disclosure_summary(selectors.disclosure_lines(last))
    yoy = selectors.year_over_year(sides["expenditure"], previous["expenditure"], year=2025)
    table = {row["label"]: row for row in yoy["table"]}
    assert table["职工活动支出"]["last"] == Decimal("10000.00")
    assert table["职工活动支出"]["change"] == Decimal("36700.40")
    assert table["资本性支出"]["this"] == Decimal("0.00")  # a category only last year still shows


def test_it_diffs_two_revisions_line_by_line(make_disclosure):
    old = make_disclosure(lines=False)
    add_line(old, "文体活动支出", "春季运动会", "12000", "13500")
    add_line(old, "培训费", "工会干部培训", "3000", "0")
    new = make_disclosure(lines=False, revision=2, supersedes=old, state=Disclosure.State.DRAFT)
    add_line(new, "文体活动支出", "春季运动会", "12000", "13050", note="退回多付场地费")
    add_line(new, "会议费", "会员代表大会", "2000", "1800")
    rows = selectors.revision_diff(selectors.disclosure_lines(old), selectors.disclosure_lines(new))
    assert [(row["change"], (row["new"] or row["old"]).item) for row in rows] == [
        ("changed", "春季运动会"),
        ("added", "会员代表大会"),
        ("removed", "工会干部培训"),
    ]
    assert rows[0]["fields"] == ["actual", "note"]
