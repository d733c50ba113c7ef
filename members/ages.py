"""Ages and age bands of members: one definition, used by the roster's admin filter, the member
record and the participation report."""

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
