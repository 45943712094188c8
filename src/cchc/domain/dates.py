"""Dates as Vietnamese officers write them: DD/MM/YYYY."""

from __future__ import annotations

import datetime as dt
import re

from cchc.domain.errors import InvalidInput

_VN_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def parse_vn_date(text: str, field: str = "date") -> dt.date:
    """Read "05/01/2026" (or "5/1/2026"); refuse anything else, such as 31/02/2026."""
    match = _VN_DATE.match(text or "")
    if not match:
        raise InvalidInput("bad_date", field=field, value=text)
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InvalidInput("bad_date", field=field, value=text) from None


def format_vn_date(value: dt.date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


def iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def from_iso(value: str | None) -> dt.date | None:
    return None if not value else dt.date.fromisoformat(value)
