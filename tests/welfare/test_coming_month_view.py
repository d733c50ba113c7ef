"""/welfare/coming-month/: next month's birthdays and retirements, benefits recorded in one go."""

import datetime

from django.urls import reverse
from django.utils import timezone

from members import ages
from welfare import selectors
from welfare.models import Benefit

URL = reverse("welfare:coming_month")


def test_it_lists_birthdays_and_records_them_at_once(mfa_client, welfare_officer, make_member):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=10)
    first = make_member(name="生日甲", birth_date=soon.replace(year=1980))
    second = make_member(name="生日乙", birth_date=soon.replace(year=1990))
    make_member(name="远乙", birth_date=(today + datetime.timedelta(days=60)).replace(year=1985))
    client = mfa_client(welfare_officer)
    html = client.get(URL).content.decode()
    assert "生日甲" in html and "生日乙" in html and "远乙" not in html
    response = client.post(
        URL,
        {
            "kind": "birthday",
            "members": [first.pk, second.pk],
            "amount": "200",
            "payment_form": "goods",
            "gift": "蛋糕券",
        },
    )
    assert response.status_code == 302
    assert Benefit.objects.filter(kind="birthday", event_date=soon).count() == 2
    assert "已记录" in client.get(URL).content.decode()


def test_it_lists_retirements_by_the_2025_reform(mfa_client, welfare_officer, make_member):
    soon = timezone.localdate() + datetime.timedelta(days=5)
    born = _born_to_retire_on(soon, gender="M")
    make_member(name="退休丙", gender="M", birth_date=born)
    assert "退休丙" in mfa_client(welfare_officer).get(URL).content.decode()


def test_it_counts_the_reform_months_not_a_fixed_sixty(welfare_officer, make_member):
    # A man born 1966-03-10 retires at 60 years and 4 months (2026-07-10); one born 1966-07-08
    # would turn 60 in the same window but retires at 60 years and 5 months (2026-12-08).
    reform = make_member(name="退休丁", gender="M", birth_date=datetime.date(1966, 3, 10))
    fixed = make_member(name="退休戊", gender="M", birth_date=datetime.date(1966, 7, 8))
    rows = selectors.coming_retirements(reform.branch, today=datetime.date(2026, 7, 5))
    listed = {row["member"].pk: row["date"] for row in rows}
    assert listed == {reform.pk: datetime.date(2026, 7, 10)}
    assert fixed.pk not in listed


def _born_to_retire_on(day, *, gender):
    """A birth date whose legal retirement day is `day` (searched back from age 63)."""
    for months in range(63 * 12, 59 * 12, -1):
        year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
        born = datetime.date(year, month + 1, min(day.day, 28))
        if ages.retirement_date(born, gender) == day:
            return born
    raise AssertionError(f"no birth date retires on {day}")


def test_it_answers_404_to_others(mfa_client, officer, member):
    assert mfa_client(officer).get(URL).status_code == 404
    assert mfa_client(member).get(URL).status_code == 404
