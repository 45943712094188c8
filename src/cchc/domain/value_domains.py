"""The domain of every synchronised column: what a value may be, whoever wrote it.

A laptop that has been tampered with can write anything into its own SQLite file (a REAL
``+inf`` passes ``CHECK (estimate >= 0)``, a date 9999-12-31 is a valid ISO date), and its
triggers still record it for the others. ``judge`` says, for one column's value, whether it lies
in the column's domain; the sync policy asks it for every column of every incoming row and of
this laptop's own commits (one rule), and refuses the row alone with the reason in words.

The stated domains:

- money: whole đồng, ``0 ≤ x ≤ MAX_MONEY`` (10^13 đ: ten thousand billion, far above any budget
  of a commune-level plan, far below what a 64-bit integer or a float holds exactly);
- percentages: ``0 ≤ x ≤ 100`` (whole for progress, finite reals for indices and shares);
- counts: whole, ``0 ≤ x ≤ MAX_COUNT``;
- dates and timestamps: ISO, within ``DATE_MIN``–``DATE_MAX`` (the plans this app serves and the
  documents they cite, with margin; never year 9999);
- lists and records kept as JSON text: valid JSON of that shape;
- text: a string of at most its cap of characters, with no control character other than tab and
  line ends and no invisible format character (bidi overrides and isolates, zero-width marks,
  byte-order marks, tag characters: category Cf), which would reorder or hide what a PDF or a
  screen shows;
- nothing anywhere is NaN or infinite, and a column holds the kind of value it is declared for.

``neutralise`` removes the invisible format characters from text typed on this laptop, so an
officer's paste from a web page never meets a refusal; ``readable_*`` let every reader show a
value an older copy accepted (flagged) instead of failing on it. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import unicodedata
from dataclasses import dataclass
from typing import Any

MAX_MONEY = 10**13
MAX_COUNT = 10**9
MAX_STT = 10_000
MAX_REVISION = 1_000
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)
SHORT_TEXT = 500
LONG_TEXT = 100_000
JSON_TEXT = 2_000_000

_ALLOWED_CONTROLS = frozenset("\t\n\r")


@dataclass(frozen=True)
class Domain:
    kind: str  # money, percent, percent_real, count, date, timestamp, text, flag, size
    cap: int = SHORT_TEXT


MONEY = Domain("money")
PERCENT = Domain("percent")
PERCENT_REAL = Domain("percent_real")
COUNT = Domain("count")
DATE = Domain("date")
TIMESTAMP = Domain("timestamp")
FLAG = Domain("flag")
SHORT = Domain("text", SHORT_TEXT)
LONG = Domain("text", LONG_TEXT)
JSON = Domain("json_list", JSON_TEXT)
JSON_OBJECT = Domain("json_object", JSON_TEXT)
JSON_ANY = Domain("json_any", JSON_TEXT)
STT = Domain("stt")
REVISION = Domain("revision")
YEAR = Domain("year")  # a plan's year, within the dates' window
SIZE = Domain("size")
#: a file's bytes as they travel (attachment_blobs.data): bytes, at most MAX_FILE_BYTES
BLOB = Domain("blob")
#: an Ed25519 signature in hex (128 characters)
SIGNATURE_HEX = Domain("hex", 128)
MAX_FILE_BYTES = 25 * 1024 * 1024

_FIGURE_REALS = ("par_index", "par_index_previous", "service_satisfaction")
_FIGURE_COUNTS = (
    "received_direct",
    "received_online_full",
    "received_online_partial",
    "received_postal",
    "carried_over",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_within_time",
    "pending_overdue",
    "returned",
    "withdrawn",
    "dossiers_tracked",
    "payments_total",
    "payments_online",
    "survey_very_satisfied",
    "survey_satisfied",
    "survey_neutral",
    "survey_dissatisfied",
    "pakn_received",
    "pakn_answered_on_time",
    "inspections_held",
    "legal_docs_reviewed",
    "tthc_to_publish",
    "tthc_published_on_time",
    "tthc_in_force",
    "tthc_on_portal",
)

#: Every synchronised column but the key, by table. A column not named here (one a later
#: migration adds) is held to the rules for every value: the kind it holds, finite, text capped
#: at ``JSON_TEXT`` and free of invisible format characters.
DOMAINS: dict[str, dict[str, Domain]] = {
    "tasks": {
        "stt": STT,
        "area": SHORT,
        "content": LONG,
        "subitems": JSON,
        "lead_unit_id": SHORT,
        "lead_text": LONG,
        "partners": JSON,
        "partner_unit_ids": JSON,
        "timeframe": LONG,
        "deadline_kind": SHORT,
        "window_start": DATE,
        "due": DATE,
        "cadence": SHORT,
        "timeframe_flagged": FLAG,
        "product": LONG,
        "status": SHORT,
        "progress": PERCENT,
        "done_on": DATE,
        "origin": SHORT,
        "source_number": SHORT,
        "source_date": DATE,
        "source_issuer": SHORT,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        "plan_year": YEAR,
        "carried_from": SHORT,
    },
    "task_updates": {
        "task_id": SHORT,
        "date": DATE,
        "unit_id": SHORT,
        "officer": SHORT,
        "status": SHORT,
        "progress": PERCENT,
        "note": LONG,
        "created_at": TIMESTAMP,
    },
    "documents": {
        "task_id": SHORT,
        "doc_type": SHORT,
        "number": SHORT,
        "date": DATE,
        "title": LONG,
        "sha256": SHORT,
        "file_name": SHORT,
        "size": SIZE,
        "added_by": SHORT,
        "created_at": TIMESTAMP,
    },
    "history": {
        "task_id": SHORT,
        "at": TIMESTAMP,
        "actor": SHORT,
        "action": SHORT,
        "field": SHORT,
        "old_value": LONG,
        "new_value": LONG,
    },
    "reports": {
        "scope": SHORT,
        "unit_id": SHORT,
        "period": SHORT,
        "period_start": DATE,
        "period_end": DATE,
        "due": DATE,
        "status": SHORT,
        "revision": REVISION,
        "supersedes": SHORT,
        "number": SHORT,
        "report_date": DATE,
        "signer_name": SHORT,
        "sources": JSON,
        "missing_units": JSON,
        "created_by": SHORT,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        "submitted_by": SHORT,
        "submitted_at": TIMESTAMP,
        "provenance": JSON_ANY,
        "content_code": SHORT,
        "issue_snapshot": JSON_OBJECT,
        "issue_signature": SIGNATURE_HEX,
    },
    "report_sections": {
        "report_id": SHORT,
        "area": SHORT,
        "text": LONG,
        "updated_at": TIMESTAMP,
    },
    "report_tasks": {
        "report_id": SHORT,
        "task_id": SHORT,
        "state": SHORT,
        "progress": PERCENT,
        "note": LONG,
        "updated_at": TIMESTAMP,
    },
    "report_figures": {
        "report_id": SHORT,
        **{name: COUNT for name in _FIGURE_COUNTS},
        **{name: PERCENT_REAL for name in _FIGURE_REALS},
        "updated_at": TIMESTAMP,
    },
    "budgets": {
        "task_id": SHORT,
        "estimate": MONEY,
        "estimate_sent_on": DATE,
        "approved": MONEY,
        "approved_on": DATE,
        "spent": MONEY,
        "note": LONG,
        "updated_by": SHORT,
        "updated_at": TIMESTAMP,
        "appraised": MONEY,
        "appraised_on": DATE,
        "appraised_by": SHORT,
        "appraisal_note": LONG,
        "submitted_on": DATE,
        "decision_number": SHORT,
        "decision_date": DATE,
        "allocated_by": SHORT,
        "spending_checked_on": DATE,
        "spending_check_note": LONG,
    },
    "amendments": {
        "unit_id": SHORT,
        "action": SHORT,
        "task_id": SHORT,
        "proposal": JSON_OBJECT,
        "reason": LONG,
        "status": SHORT,
        "proposed_by": SHORT,
        "proposed_at": TIMESTAMP,
        "forwarded_by": SHORT,
        "forwarded_at": TIMESTAMP,
        "decision_number": SHORT,
        "decision_date": DATE,
        "decided_by": SHORT,
        "decided_at": TIMESTAMP,
    },
    "attachment_blobs": {
        "size": SIZE,
        "data": BLOB,
    },
    "plan_files": {
        "year": YEAR,
        "number": SHORT,
        "zone": SHORT,
        "source": Domain("text", JSON_TEXT),
        "source_sha256": Domain("hex", 64),
        "body": JSON_OBJECT,
        "carried": JSON,
        "loaded_at": TIMESTAMP,
        "loaded_by": SHORT,
    },
}


@dataclass(frozen=True)
class OutOfDomain:
    """Why a value lies outside its column's domain: a key of the catalog's refusals and what
    it names (the column, the limits)."""

    key: str
    params: dict[str, Any]


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _not_finite(value: Any) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


def hidden_character(text: str) -> str | None:
    """The first control or invisible format character of ``text`` (as U+XXXX), or None."""
    for ch in text:
        if ch in _ALLOWED_CONTROLS:
            continue
        if unicodedata.category(ch) in ("Cf", "Cc", "Cs"):
            return f"U+{ord(ch):04X}"
    return None


def neutralise(text: str) -> str:
    """``text`` without invisible format characters and controls other than tab and line ends
    (bidi overrides, zero-width marks, byte-order marks): what a person typed, as it looks."""
    if hidden_character(text) is None:
        return text
    return "".join(
        ch
        for ch in text
        if ch in _ALLOWED_CONTROLS or unicodedata.category(ch) not in ("Cf", "Cc", "Cs")
    )


def _date(value: str, with_time: bool) -> dt.date | None:
    try:
        if with_time:
            return dt.datetime.fromisoformat(value).date()
        if len(value) != 10:
            return None
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def judge(table: str, column: str, value: Any) -> OutOfDomain | None:
    """None when ``value`` lies in the domain of ``table.column``, else why not."""
    if value is None:
        return None
    return judge_in(DOMAINS.get(table, {}).get(column), column, value)


def judge_in(domain: Domain | None, column: str, value: Any) -> OutOfDomain | None:
    """None when ``value`` lies in ``domain`` (None: any finite value, text capped), else why."""
    if value is None:
        return None
    if _not_finite(value):
        return OutOfDomain("value_not_finite", {"column": column})
    if domain is None:
        if isinstance(value, str):
            return _text(column, value, JSON_TEXT)
        return None
    kind = domain.kind
    if kind == "blob":
        if not isinstance(value, bytes):
            return OutOfDomain("value_not_file", {"column": column})
        if len(value) > MAX_FILE_BYTES:
            return OutOfDomain("value_range", _limits(column, 0, MAX_FILE_BYTES))
        return None
    if kind == "hex":
        if not isinstance(value, str):
            return OutOfDomain("value_not_text", {"column": column})
        if len(value) > domain.cap or any(ch not in "0123456789abcdef" for ch in value):
            return OutOfDomain("value_not_hex", {"column": column})
        return None
    if kind in ("text", "json_list", "json_object", "json_any"):
        if not isinstance(value, str):
            return OutOfDomain("value_not_text", {"column": column})
        return _text(column, value, domain.cap) or _json(kind, column, value)
    if kind in ("date", "timestamp"):
        if not isinstance(value, str):
            return OutOfDomain("value_not_date", {"column": column})
        when = _date(value, kind == "timestamp")
        if when is None or not DATE_MIN <= when <= DATE_MAX:
            return OutOfDomain(
                "value_date_range",
                {"column": column, "low": DATE_MIN.year, "high": DATE_MAX.year},
            )
        return None
    if kind == "percent_real":
        if not isinstance(value, int | float) or isinstance(value, bool):
            return OutOfDomain("value_not_number", {"column": column})
        ok = 0 <= value <= 100
        return None if ok else OutOfDomain("value_range", _limits(column, 0, 100))
    if kind == "year":
        if not _whole(value):
            return OutOfDomain("value_not_whole", {"column": column})
        if not DATE_MIN.year <= value <= DATE_MAX.year:
            return OutOfDomain("value_range", _limits(column, DATE_MIN.year, DATE_MAX.year))
        return None
    high = {
        "money": MAX_MONEY,
        "percent": 100,
        "count": MAX_COUNT,
        "flag": 1,
        "stt": MAX_STT,
        "revision": MAX_REVISION,
        "size": MAX_FILE_BYTES,
    }[kind]
    low = 1 if kind in ("stt", "revision") else 0
    if not _whole(value):
        key = "value_not_money" if kind == "money" else "value_not_whole"
        return OutOfDomain(key, {"column": column})
    if not low <= value <= high:
        return OutOfDomain("value_range", _limits(column, low, high))
    return None


def _limits(column: str, low: int, high: int) -> dict[str, Any]:
    return {"column": column, "low": low, "high": high}


def _text(column: str, value: str, cap: int) -> OutOfDomain | None:
    if len(value) > cap:
        return OutOfDomain("value_too_long", {"column": column, "cap": cap})
    hidden = hidden_character(value)
    if hidden is not None:
        return OutOfDomain("value_hidden_character", {"column": column, "char": hidden})
    return None


def _json(kind: str, column: str, value: str) -> OutOfDomain | None:
    if kind == "text":
        return None
    try:
        found = json.loads(value)
    except ValueError:
        found = None
    shapes = {"json_list": (list,), "json_object": (dict,), "json_any": (list, dict)}[kind]
    if isinstance(found, shapes):
        return None
    return OutOfDomain("value_not_json", {"column": column})


def judge_row(table: str, values: dict[str, Any]) -> OutOfDomain | None:
    """The first column of ``values`` outside its domain (the engine's ``~`` marker aside)."""
    for column, value in values.items():
        if column == "~":
            continue
        found = judge(table, column, value)
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------------- readers

#: Each synchronised column's domain by its name alone (no name has two domains), for rows
#: read through joins.
_BY_NAME: dict[str, Domain] = {c: d for cols in DOMAINS.values() for c, d in cols.items()}
#: What a reader shows for a NOT NULL number an older copy let in outside its domain.
_STAND_IN: dict[str, int | str] = {
    "progress": 0,
    "revision": 1,
    "timeframe_flagged": 0,
    "size": 0,
    # NOT NULL dates: the first day of the stated window, which no honest row carries
    "date": DATE_MIN.isoformat(),
    "period_start": DATE_MIN.isoformat(),
    "period_end": DATE_MIN.isoformat(),
    "due": DATE_MIN.isoformat(),
}
#: The key of a row read back that names the columns whose stored value was outside its domain.
FLAGGED = "_flagged"


def readable_row(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row as every reader may use it: a value an older copy let in outside its
    column's domain (+inf, 1e308, 50.5 %, a date in year 9999 or not a date at all) is read as
    empty (a NOT NULL number as its neutral value, a moment as ""), text loses its invisible format characters,
    and the row names those columns under ``FLAGGED`` so the screen or command shows them
    flagged. A row with nothing to flag is returned as it was, without that key."""
    flagged: list[str] = []
    for name, value in row.items():
        domain = _BY_NAME.get(name)
        if domain is None or value is None:
            continue
        if domain.kind == "text":
            if not isinstance(value, str):
                row[name] = ""
                flagged.append(name)
            elif hidden_character(value) is not None:
                row[name] = neutralise(value)
                flagged.append(name)
            continue
        if domain.kind in ("json_list", "json_object", "json_any"):
            if judge_in(domain, name, value) is not None:
                row[name] = "{}" if domain.kind == "json_object" else "[]"
                flagged.append(name)
            continue
        if judge_in(domain, name, value) is not None:
            if domain.kind == "timestamp":
                row[name] = ""
            elif name == "due" and "deadline_kind" in row:
                row[name] = None  # a task's due date may be empty; a report's may not
            else:
                row[name] = _STAND_IN.get(name)
            flagged.append(name)
    if flagged:
        row[FLAGGED] = tuple(flagged)
    return row


def flagged_columns(row: dict[str, Any]) -> list[str]:
    """The columns ``readable_row`` flagged in ``row``."""
    return list(row.get(FLAGGED, ()))
