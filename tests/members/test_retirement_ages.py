"""Retirement ages by the 2025 gradual reform, at the boundaries of its published tables
(国务院关于渐进式延迟法定退休年龄的办法, 附件 1–3, adopted by the 全国人大常委会 decision of
2024-09-13): men 60 → 63 and women 55 → 58 one month per four months of birth from 1965-01 and
1970-01; women 50 → 55 one month per two months of birth from 1975-01."""

from datetime import date

import pytest

from members.ages import RetirementAge, retirement_age, retirement_date

MAN, WOMAN = "M", "F"


# (original legal age, born, the age by the table): each table's first and last steps.
TABLES = [
    (60, date(1964, 12, 31), (60, 0)),  # before the reform: retires in December 2024
    (60, date(1965, 1, 1), (60, 1)),  # the men's table's first row: retires 2025-02
    (60, date(1965, 4, 30), (60, 1)),
    (60, date(1965, 5, 1), (60, 2)),
    (60, date(1966, 12, 1), (60, 6)),
    (60, date(1967, 1, 1), (60, 7)),
    (60, date(1976, 8, 31), (62, 11)),
    (60, date(1976, 9, 1), (63, 0)),  # the last step
    (60, date(1990, 1, 1), (63, 0)),  # and it stays there
    (55, date(1969, 12, 1), (55, 0)),
    (55, date(1970, 1, 1), (55, 1)),
    (55, date(1970, 5, 1), (55, 2)),
    (55, date(1981, 8, 1), (57, 11)),
    (55, date(1981, 9, 1), (58, 0)),
    (55, date(1995, 6, 1), (58, 0)),
    (50, date(1974, 12, 1), (50, 0)),
    (50, date(1975, 1, 1), (50, 1)),
    (50, date(1975, 2, 1), (50, 1)),
    (50, date(1975, 3, 1), (50, 2)),
    (50, date(1984, 10, 1), (54, 11)),
    (50, date(1984, 11, 1), (55, 0)),
    (50, date(1990, 1, 1), (55, 0)),
]


@pytest.mark.parametrize(("original", "born", "expected"), TABLES)
def test_it_follows_the_published_tables(original, born, expected):
    gender = MAN if original == 60 else WOMAN
    assert retirement_age(born, gender, women_original_age=original) == RetirementAge(*expected)


def test_it_assumes_the_configured_original_age_for_women(settings):
    born = date(1986, 1, 15)
    assert retirement_age(born, WOMAN) == RetirementAge(58, 0)  # 55 by default
    settings.UNIONHOME_RETIREMENT_WOMEN_ORIGINAL_AGE = 50
    assert retirement_age(born, WOMAN) == RetirementAge(55, 0)
    assert retirement_age(date(1980, 1, 15), WOMAN) == RetirementAge(52, 7)


@pytest.mark.parametrize(
    ("born", "gender", "day"),
    [
        (date(1964, 12, 20), MAN, date(2024, 12, 20)),
        (date(1965, 1, 15), MAN, date(2025, 2, 15)),  # the table: retires 2025-02
        (date(1965, 12, 31), MAN, date(2026, 3, 31)),  # 60 years 3 months
        (date(1966, 1, 31), MAN, date(2026, 5, 31)),
        (date(1965, 3, 31), MAN, date(2025, 4, 30)),  # April has no 31st
        (date(1976, 9, 1), MAN, date(2039, 9, 1)),
    ],
)
def test_it_dates_the_retirement(born, gender, day):
    assert retirement_date(born, gender) == day


def test_a_member_knows_her_retirement_date(make_member):
    member = make_member(gender="F", birth_date=date(1971, 3, 8))  # 55 years 4 months
    assert member.retirement_date == date(2026, 7, 8)
