"""Ages and age bands of members: one definition, used by the roster's admin filter, the member
record and the participation report."""

import calendar
from datetime import date, timedelta
from typing import NamedTuple

from django.conf import settings
from django.utils.translation import gettext_lazy as _


class AgeBand(NamedTuple):
    low: int  # age in whole years, inclusive
    high: int  # exclusive
    label: str

    @property
    def key(self) -> str:
        """The band's value in a URL (?age_band=40)."""
        return str(self.low)


AGE_BANDS = (
    AgeBand(0, 30, _("30岁以下")),
    AgeBand(30, 40, _("30–39岁")),
    AgeBand(40, 50, _("40–49岁")),
    AgeBand(50, 60, _("50–59岁")),
    AgeBand(60, 200, _("60岁及以上")),
)


def age_on(born: date, day: date) -> int:
    """Whole years of age on a given day."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def band_for_age(age: int) -> AgeBand:
    for band in AGE_BANDS:
        if band.low <= age < band.high:
            return band
    return AGE_BANDS[-1] if age >= AGE_BANDS[-1].low else AGE_BANDS[0]


def band_by_key(key) -> AgeBand | None:
    """The band a URL parameter names, or None for anything else (junk is ignored, never a 500)."""
    return next((band for band in AGE_BANDS if band.key == str(key)), None)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def birth_dates_for_ages(low: int, high: int, today: date) -> tuple[date, date]:
    """The (earliest, latest) birth dates of people aged low <= age < high today."""
    return years_before(today, high) + timedelta(days=1), years_before(today, low)


def birth_dates_for_band(band: AgeBand, today: date) -> tuple[date, date]:
    return birth_dates_for_ages(band.low, band.high, today)


def young_teacher_birth_cutoff(today: date) -> date:
    """The earliest birth date of a young teacher on a given day (for queries)."""
    return birth_dates_for_ages(0, settings.UNIONHOME_YOUNG_TEACHER_MAX_AGE + 1, today)[0]


# --- retirement ages: the 2025 gradual reform ---------------------------------------------------
#
# 全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定 (2024-09-13), and the 国务院关于
# 渐进式延迟法定退休年龄的办法 it adopts, article 1 and its three tables (附件 1–3): from
# 2025-01-01 the legal retirement age of men (60) and of women whose original age is 55 rises by
# one month for every four months of birth, to 63 and 58; that of women whose original age is
# 50 by one month for every two months of birth, to 55. Counted from births in January 1965, 1970
# and 1975, the first to retire in January 2025 or later (born 1965-01: 60 years 1 month, retires
# 2025-02; born 1976-09 or later: 63; women 55 → 58 from births in 1981-09; 50 → 55 from 1984-11).


class RetirementAge(NamedTuple):
    years: int
    months: int

    @property
    def in_months(self) -> int:
        return self.years * 12 + self.months


class _Schedule(NamedTuple):
    original: int  # years
    first_born: tuple[int, int]  # (year, month): the first birth month with a delay
    birth_months_per_month: int  # one month more for every this many months of birth
    most_months: int  # the delay's cap


_SCHEDULES = {
    60: _Schedule(60, (1965, 1), 4, 36),
    55: _Schedule(55, (1970, 1), 4, 36),
    50: _Schedule(50, (1975, 1), 2, 60),
}
# The highest legal retirement age once the reform is complete (63 for men).
OLDEST_RETIREMENT_AGE = max(s.original + s.most_months // 12 for s in _SCHEDULES.values())


def original_retirement_age(gender: str, *, women_original_age: int | None = None) -> int:
    """The legal age before the reform: men 60; women 55 or 50 (the setting when not known)."""
    if gender == "M":
        return 60
    return women_original_age or settings.UNIONHOME_RETIREMENT_WOMEN_ORIGINAL_AGE


def retirement_age(born: date, gender: str, *, women_original_age: int | None = None) -> RetirementAge:
    """The legal retirement age of someone born on `born`, by the reform's tables."""
    schedule = _SCHEDULES[original_retirement_age(gender, women_original_age=women_original_age)]
    since = (born.year - schedule.first_born[0]) * 12 + born.month - schedule.first_born[1]
    delay = 0 if since < 0 else min(since // schedule.birth_months_per_month + 1, schedule.most_months)
    return RetirementAge(schedule.original + delay // 12, delay % 12)


def months_after(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retirement_date(born: date, gender: str, *, women_original_age: int | None = None) -> date:
    """The day someone reaches the legal retirement age; its month is the retirement month of the
    official tables (born 1965-01: 2025-02)."""
    age = retirement_age(born, gender, women_original_age=women_original_age)
    return months_after(born, age.in_months)
