"""Dates as Vietnamese officers write them: DD/MM/YYYY."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from cchc.domain.errors import InvalidInput
from cchc.domain.fields import Field
from cchc.domain.status import ZONE

#: The keys of a date that cannot be read: a wrong shape, or a day or month not on the calendar.
DATE_ERROR_KEYS = frozenset({"bad_date", "date_not_on_calendar", "month_not_on_calendar"})

_VN_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def parse_vn_date(text: str, field: Field = Field.DATE) -> dt.date:
    """Read "05/01/2026" (or "5/1/2026"). Another shape is "bad_date"; the right shape naming a
    day the calendar does not have (31/02/2026, 10/13/2026) is "date_not_on_calendar"."""
    match = _VN_DATE.match(text or "")
    if not match:
        raise InvalidInput("bad_date", field=field, value=text)
    day, month, year = (int(g) for g in match.groups())
    if not 1 <= month <= 12 or year < 1:
        raise InvalidInput("month_not_on_calendar", field=field, value=text, month=month)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise InvalidInput(
            "date_not_on_calendar", field=field, value=text, month=month, year=year, days=days
        )
    return dt.date(year, month, day)


def format_vn_date(value: dt.date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


def iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def from_iso(value: str | None) -> dt.date | None:
    return None if not value else dt.date.fromisoformat(value)


def island_moment(iso_value: str | None) -> dt.datetime | None:
    """An ISO time (with its offset; without one it is UTC) as a moment on the island
    (Asia/Ho_Chi_Minh); None when missing or unreadable."""
    if not iso_value:
        return None
    try:
        moment = dt.datetime.fromisoformat(iso_value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(ZONE)


def island_date(iso_value: str | None) -> dt.date | None:
    """The island's calendar day of an ISO time (a bare date is that day); None when missing or
    unreadable. A time stored at 2026-06-30T17:30+00:00 is 01/07/2026 on the island."""
    if iso_value and len(iso_value) == 10:
        try:
            return dt.date.fromisoformat(iso_value)
        except ValueError:
            return None
    moment = island_moment(iso_value)
    return None if moment is None else moment.date()


def format_island_date(iso_value: str | None) -> str:
    """An ISO time's island day as dd/mm/yyyy; "—" when missing or unreadable."""
    return format_vn_date(island_date(iso_value)) or "—"


def format_island_time(iso_value: str | None) -> str:
    """An ISO time as the island reads it, e.g. 26/11/2026 14:05 (the one format of the CLI and
    the screens); "—" when missing, the text as given when it is not a time."""
    moment = island_moment(iso_value)
    if moment is None:
        return iso_value or "—"
    return moment.strftime("%d/%m/%Y %H:%M")
