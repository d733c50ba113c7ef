"""Working days as China's official calendar has them: public holidays are off, and the weekend
days worked in exchange for them (调休) are on. The calendar is the `chinesecalendar` package, which
follows the State Council's yearly notice; for a year it has no data for yet, Monday to Friday.
"""

import datetime

import chinese_calendar


def is_working_day(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the installed package does not know yet
        return day.weekday() < 5


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The last day of a period of `days` working days starting on `start` (or the next working day)."""
    day = start
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    counted = 1
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
