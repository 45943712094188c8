"""Reporting periods as data: monthly (15th to 14th), the four quarters (15th of the month before
the quarter to the 14th of its last month), and the cumulative 6-month, 9-month and annual periods
that start on 15/12 of the year before, each with a submission due date (Nghị định 09/2019/NĐ-CP,
Điều 12; the 9-month period follows the same rule).

The cut-offs and due dates come from a calendar (db/seeds/report-periods.toml, read by
`cchc.services.periods.load_calendar`), so a year with other dates needs no code change.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cchc.domain.errors import InvalidInput


class PeriodKind(StrEnum):
    """Which reporting period a PERIOD string names."""

    MONTH = "month"  # "2026-01"
    Q1 = "Q1"  # "2026-Q1": 15/12 of the year before → 14/03
    Q2 = "Q2"  # "2026-Q2": 15/03 → 14/06
    Q3 = "Q3"  # "2026-Q3": 15/06 → 14/09
    Q4 = "Q4"  # "2026-Q4": 15/09 → 14/12
    H1 = "H1"  # "2026-H1" (6 tháng)
    M9 = "9M"  # "2026-9M" (9 tháng)
    YEAR = "Y"  # "2026"


# Periods that start on the year's first reporting day (15/12 of the year before).
CUMULATIVE = (PeriodKind.Q1, PeriodKind.H1, PeriodKind.M9, PeriodKind.YEAR)
QUARTERS = (PeriodKind.Q1, PeriodKind.Q2, PeriodKind.Q3, PeriodKind.Q4)
# Every form a PERIOD string may take, as the refusal message lists them.
VALID_FORMS = ("YYYY-MM", "YYYY-Q1", "YYYY-Q2", "YYYY-Q3", "YYYY-Q4", "YYYY-H1", "YYYY-9M", "YYYY")

_PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<rest>0[1-9]|1[0-2]|Q[1-4]|H1|6M|9M))?$")
_MMDD_RE = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


class PeriodInvalid(InvalidInput):
    """A PERIOD string is not one of YYYY-01 … YYYY-12, YYYY-Q1 … YYYY-Q4, YYYY-H1, YYYY-9M, YYYY;
    the message lists the valid forms in the year typed ("YYYY" when none can be read)."""

    key = "period_invalid"

    def __init__(self, *, value: str) -> None:
        typed = value.strip()[:4]
        year = typed if typed.isdigit() else "YYYY"
        forms = {k: f"{year}-{k.upper()}" for k in ("01", "12", "q1", "q2", "q3", "q4", "h1", "9m")}
        super().__init__(value=value, year=year, **{f"form_{k}": v for k, v in forms.items()})


class CalendarInvalid(InvalidInput):
    """The report-periods data file does not have the required shape."""

    key = "period_calendar_invalid"


class Period(BaseModel):
    """One reporting period: what it is called, the days it covers, and when it is due."""

    model_config = ConfigDict(frozen=True)

    code: str  # "2026-01", "2026-Q1" … "2026-Q4", "2026-H1", "2026-9M", "2026"
    kind: PeriodKind
    year: int
    month: int | None = None  # for MONTH only
    start: dt.date
    end: dt.date  # inclusive
    due: dt.date

    @property
    def cumulative(self) -> bool:
        """True for Q1, 6 months, 9 months and year: they start on the year's first day."""
        return self.kind in CUMULATIVE

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _mmdd(value: str) -> str:
    if not _MMDD_RE.match(value):
        raise ValueError(f"expected MM-DD, got {value!r}")
    return value


class YearRules(BaseModel):
    """The cut-off rules of one year (the defaults with that year's overrides applied)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    month_start_day: int = Field(ge=1, le=28)
    month_end_day: int = Field(ge=1, le=28)
    cumulative_start: str
    due_days_after_end: int = Field(ge=0, le=90)
    cutoffs: dict[str, str]
    due_days: dict[str, int] = {}
    due_dates: dict[str, dt.date] = {}
    # Quarters II–IV as [first MM-DD, last MM-DD]; missing ones follow the monthly days (15th of the
    # month before the quarter to the 14th of its last month). Quarter I is cumulative_start → Q1.
    quarters: dict[str, tuple[str, str]] = {}
    source: str = ""  # the legal basis of these rules, quoted in reports and messages

    @field_validator("quarters")
    @classmethod
    def _check_quarters(cls, value: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
        for key, (first, last) in value.items():
            if key not in ("Q2", "Q3", "Q4"):
                raise ValueError(f"quarters may name Q2, Q3 and Q4 only, not {key!r}")
            _mmdd(first)
            _mmdd(last)
        return value

    @field_validator("cumulative_start")
    @classmethod
    def _check_start(cls, value: str) -> str:
        return _mmdd(value)

    @field_validator("cutoffs")
    @classmethod
    def _check_cutoffs(cls, value: dict[str, str]) -> dict[str, str]:
        wanted = {k.value for k in CUMULATIVE}
        if set(value) != wanted:
            raise ValueError(f"cutoffs must name exactly {sorted(wanted)}")
        for v in value.values():
            _mmdd(v)
        return value


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


class PeriodCalendar:
    """The reporting calendar: turns PERIOD strings into periods with dates, year by year."""

    def __init__(self, data: dict[str, Any]) -> None:
        if not isinstance(data.get("default"), dict):
            raise CalendarInvalid(where="default")
        self._default = data["default"]
        self._years: dict[str, Any] = data.get("years", {})
        for year in self._years:
            if not str(year).isdigit():
                raise CalendarInvalid(where=f"years.{year}")
        self.rules(0)  # fail early on a malformed default (year 0: no year of its own)

    def rules(self, year: int) -> YearRules:
        merged = _merge(self._default, self._years.get(str(year), {}))
        try:
            return YearRules.model_validate(merged)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise CalendarInvalid(where=where, reason=first["msg"]) from exc

    def parse(self, text: str) -> Period:
        """Read a PERIOD string such as 2026-01, 2026-Q1, 2026-H1, 2026-9M or 2026."""
        raw = text.strip() if isinstance(text, str) else ""
        match = _PERIOD_RE.match(raw.upper())
        if not match:
            raise PeriodInvalid(value=text)
        year = int(match["year"])
        if not 2000 <= year <= 2100:
            raise PeriodInvalid(value=text)
        rest = match["rest"]
        if rest is None:
            return self.period(year, PeriodKind.YEAR)
        if rest.isdigit():
            return self.period(year, PeriodKind.MONTH, int(rest))
        return self.period(year, PeriodKind("H1" if rest == "6M" else rest))

    def period(self, year: int, kind: PeriodKind, month: int | None = None) -> Period:
        rules = self.rules(year)
        if kind is PeriodKind.MONTH:
            if month is None or not 1 <= month <= 12:
                raise PeriodInvalid(value=f"{year}-{month}")
            code = f"{year}-{month:02d}"
            prev_year, prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
            start = dt.date(prev_year, prev_month, rules.month_start_day)
            end = dt.date(year, month, rules.month_end_day)
        elif kind in (PeriodKind.Q2, PeriodKind.Q3, PeriodKind.Q4):
            code = f"{year}-{kind.value}"
            last_month = 3 * int(kind.value[1])
            first, last = rules.quarters.get(
                kind.value,
                (
                    f"{last_month - 3:02d}-{rules.month_start_day:02d}",
                    f"{last_month:02d}-{rules.month_end_day:02d}",
                ),
            )
            start = dt.date(year, *(int(p) for p in first.split("-")))
            end = dt.date(year, *(int(p) for p in last.split("-")))
        else:
            code = str(year) if kind is PeriodKind.YEAR else f"{year}-{kind.value}"
            s_month, s_day = (int(p) for p in rules.cumulative_start.split("-"))
            start = dt.date(year - 1, s_month, s_day)
            e_month, e_day = (int(p) for p in rules.cutoffs[kind.value].split("-"))
            end = dt.date(year, e_month, e_day)
        due = rules.due_dates.get(code)
        if due is None:
            days = rules.due_days.get(kind.value, rules.due_days_after_end)
            due = end + dt.timedelta(days=days)
        return Period(code=code, kind=kind, year=year, month=month, start=start, end=end, due=due)

    def year_periods(self, year: int) -> list[Period]:
        """Every period of a year: the twelve months, the four quarters, 6 months, 9 months and
        the year."""
        months = [self.period(year, PeriodKind.MONTH, m) for m in range(1, 13)]
        others = (*QUARTERS, PeriodKind.H1, PeriodKind.M9, PeriodKind.YEAR)
        return months + [self.period(year, k) for k in others]

    def source(self, year: int) -> str:
        """The legal basis of a year's cut-offs, as the data file states it."""
        return self.rules(year).source

    def months_within(self, period: Period) -> list[Period]:
        """The monthly periods whose days together make up `period`."""
        if period.kind is PeriodKind.MONTH:
            return [period]
        return [
            p
            for p in self.year_periods(period.year)
            if p.kind is PeriodKind.MONTH and p.start >= period.start and p.end <= period.end
        ]
