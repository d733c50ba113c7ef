"""Welfare notices run for working days as China's calendar has them: not through the National Day
or Spring Festival holidays, and counting the weekend days worked in exchange (调休)."""

import datetime

from unionhome.workdays import add_working_days, is_working_day


def test_it_skips_a_weekend():
    assert add_working_days(datetime.date(2026, 11, 27), 5) == datetime.date(2026, 12, 3)
    assert add_working_days(datetime.date(2026, 11, 28), 1) == datetime.date(2026, 11, 30)


def test_it_skips_the_national_day_holiday_and_counts_the_saturday_worked_in_exchange():
    # 30 Sep (Wed), then 1–7 Oct off; 8, 9, 10 (a Saturday worked in exchange) and 12 Oct.
    assert not is_working_day(datetime.date(2026, 10, 5))  # a Monday of the holiday
    assert is_working_day(datetime.date(2026, 10, 10))  # a Saturday worked
    assert add_working_days(datetime.date(2026, 9, 30), 5) == datetime.date(2026, 10, 12)


def test_it_skips_the_spring_festival():
    # 13 Feb (Fri), 14 Feb (a Saturday worked), then off until 24 Feb.
    assert add_working_days(datetime.date(2026, 2, 13), 3) == datetime.date(2026, 2, 24)


def test_it_counts_monday_to_friday_in_a_year_the_calendar_does_not_know_yet():
    assert add_working_days(datetime.date(2031, 1, 3), 2) == datetime.date(2031, 1, 6)
