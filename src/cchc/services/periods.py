"""The reporting calendar shipped with the app (db/seeds/report-periods.toml), loaded once."""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache
from pathlib import Path

import cchc.texts.reports
from cchc.domain.periods import CalendarInvalid, Period, PeriodCalendar, PeriodInvalid
from cchc.paths import resource

CALENDAR_FILE = "db/seeds/report-periods.toml"


def load_calendar(path: Path | None = None) -> PeriodCalendar:
    """Read a calendar file; a file that is not valid TOML is refused with its reason."""
    target = path or resource(CALENDAR_FILE)
    try:
        with target.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarInvalid(where=str(target), reason=str(exc)) from exc
    return PeriodCalendar(data)


@lru_cache(maxsize=1)
def calendar() -> PeriodCalendar:
    """The app's calendar."""
    return load_calendar()


def parse_period(text: str) -> Period:
    """A PERIOD string read with the app's calendar."""
    return calendar().parse(text)


def period_name(code: str | Period) -> str:
    """A period's name in words ("2026-Q4" → "Quý IV/2026"); a string that names no period is
    given back as it is."""
    if isinstance(code, str) and code.endswith("-YTD") and code[:4].isdigit():
        return cchc.texts.reports.year_to_date_name(int(code[:4]))
    try:
        per = code if isinstance(code, Period) else parse_period(code)
    except PeriodInvalid:
        return str(code)
    return cchc.texts.reports.period_name(per.kind.value, per.year, per.month)


QUARTERS = ("Q1", "Q2", "Q3", "Q4")


def current_period(year: int, today: dt.date, kinds: tuple[str, ...] = ("month",)) -> str | None:
    """The period of one of ``kinds`` (months, or QUARTERS…) of the plan's year whose span holds
    today; before the year, its first; after it, its last (None when the calendar has none)."""
    found = [p for p in calendar().year_periods(year) if p.kind.value in kinds]
    for per in found:
        if per.start <= today <= per.end:
            return per.code
    if not found:
        return None
    return found[0].code if today < found[0].start else found[-1].code
