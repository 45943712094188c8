"""A time frame as written in a plan, and the deadline derived from it."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class DeadlineKind(StrEnum):
    """What kind of deadline a time frame expresses."""

    HARD_DATE = "hard_date"  # "Trước ngày 15/01/2026"
    WINDOW = "window"  # "Quý I/2026", "Quý III,IV/2026", "6 tháng đầu năm 2026", "Tháng 3/2026"
    YEAR = "year"  # "Cả năm 2026"
    STANDING = "standing"  # "Thường xuyên", "Hằng tháng": a duty with a reporting cadence
    SET_LATER = "set_later"  # "Theo hướng dẫn của Trung ương …": someone sets the date later
    ON_DEMAND = "on_demand"  # "Khi có yêu cầu": done each time it is asked for, no date of its own
    UNPARSED = "unparsed"  # words the parser cannot read: kept as text and flagged


class Cadence(StrEnum):
    """How often a standing duty is reported on."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"


class Deadline(BaseModel):
    """The structured reading of a time frame; `text` always keeps the words as written."""

    model_config = ConfigDict(frozen=True)

    text: str
    kind: DeadlineKind
    window_start: dt.date | None = None
    due: dt.date | None = None
    cadence: Cadence | None = None
    flagged: bool = False  # True when the words could not be read (kind UNPARSED)
