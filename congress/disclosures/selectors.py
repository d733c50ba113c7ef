"""Reads of the finance disclosures: totals, variance, shares, charts, revision diffs, and the
welfare aggregates (the one place that reads welfare.selectors)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from welfare import selectors as welfare_selectors

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


GENERATION_KEY = "disclosures:generation"


def cache_generation() -> int:
    """Part of the cache key of every disclosure page and PDF (see services.disclosure_confirm)."""
    from django.core.cache import cache

    return cache.get(GENERATION_KEY, 0)


# Welfare aggregates: welfare.selectors gives totals per ground, kind or occasion and year, never a
# name. This module is the only place in congress that reads welfare, and `_clean_total` keeps
# only the aggregate keys of each row.


def is_small_count(count) -> bool:
    """A public count of people below UNIONHOME_PUBLIC_MIN_COUNT (default 3), which would let a
    small branch tell who the recipients are."""
    return count is not None and count < settings.UNIONHOME_PUBLIC_MIN_COUNT


def small_count_label() -> str:
    return f"<{settings.UNIONHOME_PUBLIC_MIN_COUNT}"


def _money(value) -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(CENT, rounding=ROUND_HALF_UP)


def _clean_total(row) -> dict:
    """Keep only the aggregate keys (a label, a count, an amount, a cap): no personal field passes."""
    count = int(row.get("count") or 0)
    amount = _money(row.get("amount"))
    cleaned = {
        "key": str(row.get("ground") or row.get("kind") or ""),
        "label": str(row.get("label") or row.get("ground") or row.get("kind") or ""),
        "count": count,
        "amount": amount,
    }
    recipients = row.get("recipients")
    cleaned["recipients"] = int(recipients) if recipients is not None else None
    cleaned["cap"] = _money(row["cap"]) if row.get("cap") is not None else None
    return cleaned


def welfare_aid_totals(*, branch, year) -> list[dict]:
    """Hardship aid per ground for the year: [{key, label, count, amount, recipients, cap}]."""
    return [_clean_total(row) for row in welfare_selectors.aid_totals(branch=branch, year=year)]


def welfare_benefit_totals(*, branch, year) -> list[dict]:
    """Member benefits (慰问) per kind for the year, each with whether its cap counts per year or
    per event (`cap_per`)."""
    return [
        {**_clean_total(row), "cap_per": "event" if row.get("cap_per") == "event" else "year"}
        for row in welfare_selectors.benefit_totals(branch=branch, year=year)
    ]


def welfare_care_visit_totals(*, branch, year) -> list[dict]:
    """Care visits (送温暖) per occasion for the year."""
    rows = welfare_selectors.care_visit_totals(branch=branch, year=year)
    return [_clean_total({**row, "ground": row.get("occasion")}) for row in rows]


def per_head_against_caps(*, branch, year) -> list[dict]:
    """Benefit spending against each kind's cap (where the welfare records give one).

    A yearly cap (holidays, birthdays) is compared with the amount per head: over the recipients
    (members who received it; the count of benefits when the records do not say). A cap per
    event (marriage, childbirth, hospitalisation, a death) is compared with the amount per
    benefit paid, since one member may have two events in a year. Rounded to the cent; a kind
    without a cap is not compared.
    """
    rows = []
    for total in welfare_benefit_totals(branch=branch, year=year):
        heads = total["recipients"] or total["count"]
        if not heads or total["cap"] is None:
            continue
        if is_small_count(heads):
            # fewer people than the public minimum: the count shows as "<3" and no per-head figure
            # (it would be one person's benefit)
            rows.append({**total, "heads": small_count_label(), "per_head": None, "masked": True})
            continue
        units = total["count"] if total["cap_per"] == "event" else heads
        per_head = (total["amount"] / units).quantize(CENT, rounding=ROUND_HALF_UP)
        rows.append(
            {
                **total,
                "heads": heads,
                "per_head": per_head,
                "within_cap": per_head <= total["cap"],
                "share_of_cap": _percent(per_head, total["cap"]),
                "masked": False,
            }
        )
    return rows


# Totals, variance and shares, derived from the lines.


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Row:
    """Budget and actual of a category (or a whole side), with its derived figures."""

    label: str
    category_id: int | None = None
    budget: Decimal = ZERO
    actual: Decimal = ZERO
    share: Decimal | None = None
    lines: list = field(default_factory=list)
    children: list = field(default_factory=list)

    @property
    def variance(self) -> Decimal:
        return self.actual - self.budget

    @property
    def variance_percent(self) -> Decimal | None:
        return _percent(self.variance, self.budget)

    @property
    def execution_percent(self) -> Decimal | None:
        """执行率: actual over budget."""
        return _percent(self.actual, self.budget)

    def add(self, line):
        self.budget += line.budget
        self.actual += line.actual


@dataclass
class Side:
    kind: str
    label: str
    groups: list
    total: Row


def disclosure_lines(disclosure) -> list:
    """Every line with its category and parent: one query, however many lines."""
    return list(
        disclosure.lines.select_related("category__parent").order_by(
            "category__kind", "category__sort_order", "sort_order", "pk"
        )
    )


def disclosure_summary(lines) -> dict:
    """{"income": Side, "expenditure": Side}: groups by first-level category, children by leaf."""
    from congress.disclosures.models import FinanceCategory

    sides = {}
    for kind, label in FinanceCategory.Kind.choices:
        groups: dict[int, Row] = {}
        total = Row(label=_("合计"))
        for line in lines:
            category = line.category
            if category.kind != kind:
                continue
            top = category.parent if category.parent_id else category
            group = groups.get(top.pk)
            if group is None:
                group = groups[top.pk] = Row(label=top.name, category_id=top.pk)
                group.sort_key = (top.sort_order, top.pk)
            group.add(line)
            total.add(line)
            group.lines.append(line)
            if category.parent_id:
                child = next((c for c in group.children if c.category_id == category.pk), None)
                if child is None:
                    child = Row(label=category.name, category_id=category.pk)
                    child.sort_key = (category.sort_order, category.pk)
                    group.children.append(child)
                child.add(line)
                child.lines.append(line)
        ordered = sorted(groups.values(), key=lambda row: row.sort_key)
        for group in ordered:
            group.share = _percent(group.actual, total.actual)
            group.children.sort(key=lambda row: row.sort_key)
            for child in group.children:
                child.share = _percent(child.actual, total.actual)
        total.share = Decimal("100.0") if total.actual else None
        sides[kind] = Side(kind=kind, label=str(label), groups=ordered, total=total)
    return sides


# Charts, drawn server-side as inline SVG: horizontal bars that fit a 360px phone.

CHART_WIDTH = 320
LABEL_HEIGHT = 20
BAR_HEIGHT = 13
BAR_GAP = 3
ROW_GAP = 12
BAR_MAX = 300  # bars start at x=0 and are at most this long, leaving room inside the view box


def bar_chart(rows, series) -> dict:
    """Geometry for a grouped horizontal bar chart.

    rows: [(label, {series_key: Decimal})]; series: [(key, label, colour)]. Every bar's length
    is value / largest value x BAR_MAX, so the picture and the table beside it agree.
    """
    largest = max(
        (values.get(key) or ZERO for _label, values in rows for key, *_rest in series), default=ZERO
    )
    drawn = []
    y = 0
    for label, values in rows:
        bars = []
        label_y = y + LABEL_HEIGHT - 5
        bar_y = y + LABEL_HEIGHT
        for key, series_label, colour in series:
            value = values.get(key)
            if value is None:
                continue
            width = (value / largest * BAR_MAX).quantize(Decimal("0.1")) if largest else Decimal("0.0")
            bars.append(
                {
                    "key": key,
                    "label": series_label,
                    "value": value,
                    "width": width,
                    "y": bar_y,
                    "colour": colour,
                }
            )
            bar_y += BAR_HEIGHT + BAR_GAP
        drawn.append({"label": label, "label_y": label_y, "bars": bars})
        y = bar_y + ROW_GAP - BAR_GAP
    return {
        "width": CHART_WIDTH,
        "height": max(y, 1),
        "bar_height": BAR_HEIGHT,
        "rows": drawn,
        "series": series,
        "largest": largest,
    }


BUDGET_COLOUR = "#9fb3c8"
ACTUAL_COLOUR = "#b3261e"
LAST_YEAR_COLOUR = "#6b7785"


def budget_actual_chart(side: Side) -> dict:
    series = [("budget", _("预算"), BUDGET_COLOUR), ("actual", _("实际"), ACTUAL_COLOUR)]
    rows = [(group.label, {"budget": group.budget, "actual": group.actual}) for group in side.groups]
    return bar_chart(rows, series)


def previous_year_revision(disclosure):
    """The same period of the year before, its current published revision, or None."""
    from congress.disclosures.models import Disclosure

    return (
        Disclosure.objects.current()
        .filter(branch_id=disclosure.branch_id, year=disclosure.year - 1, period=disclosure.period)
        .first()
    )


def year_over_year(side: Side, previous_side: Side | None, *, year: int) -> dict | None:
    """Actual per first-level category this year against the same period last year (by name)."""
    if previous_side is None or not previous_side.groups:
        return None
    last = {group.label: group.actual for group in previous_side.groups}
    labels = [group.label for group in side.groups] + [
        label for label in last if label not in {g.label for g in side.groups}
    ]
    this = {group.label: group.actual for group in side.groups}
    rows = []
    table = []
    for label in labels:
        now, before = this.get(label, ZERO), last.get(label, ZERO)
        rows.append((label, {"last": before, "this": now}))
        table.append(
            {
                "label": label,
                "last": before,
                "this": now,
                "change": now - before,
                "change_percent": _percent(now - before, before),
            }
        )
    series = [
        ("last", _("%(year)s年") % {"year": year - 1}, LAST_YEAR_COLOUR),
        ("this", _("%(year)s年") % {"year": year}, ACTUAL_COLOUR),
    ]
    return {
        "chart": bar_chart(rows, series),
        "table": table,
        "last_total": previous_side.total.actual,
        "this_total": side.total.actual,
    }


# Revisions and their difference, line by line.


def _line_key(line):
    return (line.category_id, line.item.strip())


def revision_diff(older_lines, newer_lines) -> list[dict]:
    """Lines matched by category and item: added, removed, changed (with the fields that changed)."""
    older = {_line_key(line): line for line in older_lines}
    newer = {_line_key(line): line for line in newer_lines}
    rows = []
    for key, line in newer.items():
        before = older.get(key)
        if before is None:
            rows.append({"change": "added", "label": _("新增"), "old": None, "new": line, "fields": []})
            continue
        changed = [
            name
            for name in ("budget", "actual", "headcount", "note")
            if getattr(before, name) != getattr(line, name)
        ]
        if changed:
            rows.append(
                {"change": "changed", "label": _("修改"), "old": before, "new": line, "fields": changed}
            )
    for key, line in older.items():
        if key not in newer:
            rows.append({"change": "removed", "label": _("删除"), "old": line, "new": None, "fields": []})
    order = {"changed": 0, "added": 1, "removed": 2}
    rows.sort(
        key=lambda row: (
            order[row["change"]],
            str((row["new"] or row["old"]).category),
            (row["new"] or row["old"]).item,
        )
    )
    return rows


# --- the work queue: disclosures awaiting the second person -------------------------------------


def confirm_queue(user) -> list:
    """Disclosures of the user's branch waiting for her confirmation (four eyes: never the ones
    she submitted; a treasurer of the branch or its chair with the confirm permission)."""
    from django.utils import timezone

    from congress.disclosures import access
    from congress.disclosures.models import Disclosure
    from members.access import branch_id_for

    branch_id = branch_id_for(user)
    if branch_id is None:
        return []
    pending = (
        Disclosure.objects.filter(branch_id=branch_id, state=Disclosure.State.PENDING)
        .exclude(submitted_by_id=user.pk)
        .order_by("submitted_at", "pk")
    )
    rows = []
    for disclosure in pending:
        if not access.can_confirm_disclosure(user, disclosure):
            continue
        since = timezone.localtime(disclosure.submitted_at).date() if disclosure.submitted_at else None
        rows.append({"disclosure": disclosure, "next_step": _("复核并公开，或退回修改"), "since": since})
    return rows
