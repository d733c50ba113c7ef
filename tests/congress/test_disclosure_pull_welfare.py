"""disclosure_pull_welfare, the one place confidential welfare data crosses into congress, run
against real welfare rows: aggregates only, never a name, small counts shown as "<3"."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from congress.disclosures import selectors, services
from congress.disclosures.models import DisclosureLine
from welfare.models import AidCase, AidRound, Benefit, BenefitKind, CareVisit, Ground, PaymentForm

YEAR = 2025


@pytest.fixture
def recipients(make_member):
    names = ["赵丽华", "孙建国", "周晓梅", "吴志强", "郑秀兰"]
    return [make_member(name=name) for name in names]


def paid_case(branch, round_, member, ground, amount):
    return AidCase.objects.create(
        branch=branch,
        round=round_,
        member=member,
        ground=ground,
        description=f"{member.name}本人住院",
        amount_requested=Decimal(amount),
        amount_approved=Decimal(amount),
        paid_amount=Decimal(amount),
        paid_on=datetime.date(YEAR, 6, 1),
        state=AidCase.State.PAID,
    )


def holiday_benefit(branch, member, amount, day=datetime.date(YEAR, 2, 1)):
    return Benefit.objects.create(
        branch=branch,
        member=member,
        kind=BenefitKind.HOLIDAY,
        event_date=day,
        amount=Decimal(amount),
        gift="春节慰问品",
        payment_form=PaymentForm.GOODS,
    )


@pytest.fixture
def welfare_records(branch, recipients, welfare_officer):
    round_ = AidRound.objects.create(
        branch=branch,
        year=YEAR,
        name=f"{YEAR} 年度困难补助",
        opens_on=datetime.date(YEAR, 3, 1),
        closes_on=datetime.date(YEAR, 3, 31),
        budget=Decimal("50000"),
    )
    for member in recipients[:3]:
        paid_case(branch, round_, member, Ground.OWN_ILLNESS, "5000")
    paid_case(branch, round_, recipients[3], Ground.LOW_INCOME, "2000")
    AidCase.objects.create(  # not paid: not counted
        branch=branch,
        round=round_,
        member=recipients[4],
        ground=Ground.ACCIDENT,
        amount_requested=Decimal("3000"),
        state=AidCase.State.SUBMITTED,
    )
    for member in recipients[:4]:
        holiday_benefit(branch, member, "1300")
    Benefit.objects.create(
        branch=branch,
        member=recipients[0],
        kind=BenefitKind.MARRIAGE,
        event_date=datetime.date(YEAR, 5, 1),
        amount=Decimal("600"),
        payment_form=PaymentForm.TRANSFER,
    )
    for member in recipients:
        CareVisit.objects.create(
            branch=branch,
            member=member,
            visited_on=datetime.date(YEAR, 1, 20),
            visitors=welfare_officer.name,
            occasion=CareVisit.Occasion.HOLIDAY,
            amount=Decimal("500"),
            notes=f"{member.name}家中",
        )
    return round_


def test_it_pulls_counts_and_amounts_per_ground_kind_and_occasion(
    welfare_records, disclosure_draft, treasurer
):
    written = services.disclosure_pull_welfare(disclosure=disclosure_draft, actor=treasurer.user)
    pulled = disclosure_draft.lines.exclude(source=DisclosureLine.Source.MANUAL).select_related(
        "category__parent"
    )
    rows = {(line.source, line.item): (line.headcount, line.actual) for line in pulled}
    assert written == len(rows) == 5
    assert rows[("aid", "本人大病")] == (3, Decimal("15000.00"))
    assert rows[("aid", "家庭收入低")] == (1, Decimal("2000.00"))
    assert rows[("benefit", "节日慰问品")] == (4, Decimal("5200.00"))
    assert rows[("benefit", "结婚")] == (1, Decimal("600.00"))
    assert rows[("care", "节日慰问")] == (5, Decimal("2500.00"))
    aid = pulled.get(item="本人大病")
    assert (aid.category.parent.name, aid.category.name) == ("维权支出", "困难职工帮扶费")
    benefit = pulled.get(item="节日慰问品")
    assert (benefit.category.parent.name, benefit.category.name) == ("职工活动支出", "职工集体福利支出")
    care = pulled.get(source=DisclosureLine.Source.CARE)
    assert (care.category.parent.name, care.category.name) == ("维权支出", "送温暖费")
    # pulling again replaces, never doubles; hand-entered lines stay
    manual = disclosure_draft.lines.filter(source=DisclosureLine.Source.MANUAL).count()
    services.disclosure_pull_welfare(disclosure=disclosure_draft, actor=treasurer.user)
    assert disclosure_draft.lines.exclude(source=DisclosureLine.Source.MANUAL).count() == 5
    assert disclosure_draft.lines.filter(source=DisclosureLine.Source.MANUAL).count() == manual


def test_it_carries_no_name_and_no_personal_field(welfare_records, recipients, disclosure_draft, treasurer):
    services.disclosure_pull_welfare(disclosure=disclosure_draft, actor=treasurer.user)
    texts = " ".join(f"{line.item} {line.note}" for line in disclosure_draft.lines.all())
    assert not [member.name for member in recipients if member.name in texts]
    for rows in (
        selectors.welfare_aid_totals(branch=disclosure_draft.branch, year=YEAR),
        selectors.welfare_benefit_totals(branch=disclosure_draft.branch, year=YEAR),
        selectors.welfare_care_visit_totals(branch=disclosure_draft.branch, year=YEAR),
    ):
        assert rows and all(
            set(row) - {"cap_per"} == {"key", "label", "count", "amount", "recipients", "cap"} for row in rows
        )
        assert not [member.name for member in recipients if member.name in str(rows)]


def test_it_shows_spending_per_head_against_the_cap(welfare_records, branch):
    rows = {row["key"]: row for row in selectors.per_head_against_caps(branch=branch, year=YEAR)}
    holiday = rows["holiday"]
    assert (holiday["heads"], holiday["per_head"], holiday["cap"]) == (
        4,
        Decimal("1300.00"),
        Decimal("1500.00"),
    )
    assert holiday["within_cap"] and not holiday["masked"]
    # one wedding: the count shows as "<3" and no per-head figure (it would be her benefit)
    assert (rows["marriage"]["heads"], rows["marriage"]["per_head"]) == ("<3", None)


def test_it_shows_a_total_over_fewer_than_three_people_as_less_than_three(
    welfare_records, disclosure_draft, treasurer, second_treasurer, client_for, member
):
    services.disclosure_pull_welfare(disclosure=disclosure_draft, actor=treasurer.user)
    services.disclosure_submit(disclosure=disclosure_draft, actor=treasurer.user)
    services.disclosure_confirm(disclosure=disclosure_draft, actor=second_treasurer.user)
    line = disclosure_draft.lines.get(item="家庭收入低")
    assert line.headcount == 1 and line.public_headcount == "<3"
    assert disclosure_draft.lines.get(item="本人大病").public_headcount == 3
    manual = disclosure_draft.lines.get(item="大病补助")  # typed by the treasurer, not pulled
    assert manual.public_headcount == manual.headcount

    client = client_for(member)
    page = client.get(disclosure_draft.get_absolute_url()).content.decode()
    assert "&lt;3" in page
    csv = client.get(reverse("disclosures:lines", args=[disclosure_draft.pk, "csv"])).content.decode(
        "utf-8-sig"
    )
    [row] = [row for row in csv.splitlines() if "家庭收入低" in row]
    assert ",<3," in row


def test_the_minimum_is_a_setting(welfare_records, disclosure_draft, treasurer, settings):
    settings.UNIONHOME_PUBLIC_MIN_COUNT = 5
    services.disclosure_pull_welfare(disclosure=disclosure_draft, actor=treasurer.user)
    assert disclosure_draft.lines.get(item="本人大病").public_headcount == "<5"
    assert disclosure_draft.lines.get(item="节日慰问", source="care").public_headcount == 5


def test_it_compares_a_cap_per_event_with_each_benefit_not_the_year(welfare_records, branch, recipients):
    # Hospitalisation is capped per event (安徽 2018: ≤ 1,000 each stay): three members, one of
    # them in hospital twice, each stay paid 900 — within the cap, though one got 1,800 that year.
    for member, day in [(recipients[0], 3), (recipients[0], 9), (recipients[1], 4), (recipients[2], 5)]:
        Benefit.objects.create(
            branch=branch,
            member=member,
            kind=BenefitKind.HOSPITAL,
            event_date=datetime.date(YEAR, day, 1),
            amount=Decimal("900"),
            payment_form=PaymentForm.TRANSFER,
        )
    row = {row["key"]: row for row in selectors.per_head_against_caps(branch=branch, year=YEAR)}["hospital"]
    assert row["cap_per"] == "event"
    assert (row["heads"], row["per_head"], row["cap"]) == (3, Decimal("900.00"), Decimal("1000.00"))
    assert row["within_cap"]
