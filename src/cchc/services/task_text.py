"""A task's detail as officers read it, written once for both the command line (`cchc task
show`) and the Nhiệm vụ screen: its facts as (label, value) pairs, and each history entry as one
line, with island times, Vietnamese labels for states and fields, and dd/mm/yyyy dates."""

from __future__ import annotations

from cchc.domain.dates import format_island_time, format_vn_date, from_iso
from cchc.domain.text import shorten
from cchc.services.tasks import DocumentView, HistoryView, TaskDetail
from cchc.texts.plan_publish import CARRIED_LABEL, CARRIED_MARK
from cchc.texts.sync import flagged_text
from cchc.texts.tasks import (
    CADENCE_LABELS,
    DEADLINE_KIND_LABELS,
    FIELD_LABELS,
    HISTORY_ACTIONS,
    HISTORY_AMENDED,
    ORIGIN_LABELS,
    STATE_LABELS,
    STATUS_LABELS,
)
from cchc.texts.ui import TASKS, size_text

NONE = "—"
#: how much of a task's content names a task without a row number (one the city assigned)
REF_WIDTH = 50


def task_ref(stt: int | None, content: str) -> str:
    """How people name a task in a sentence: its row of the plan ("4"), or for a task with no
    row (assigned later by the city) the start of its content in quotes, never its id."""
    if stt is not None:
        return str(stt)
    return f"“{shorten(content, REF_WIDTH)}”"


def _date(iso_value: str | None) -> str:
    return format_vn_date(from_iso(iso_value)) or NONE


def deadline_text(d: TaskDetail) -> str:
    """The deadline the app derived from the time frame as written."""
    derived = DEADLINE_KIND_LABELS[d.deadline_kind]
    if d.window_start:
        derived += " " + TASKS["from"].format(date=_date(d.window_start))
    if d.due:
        derived += " " + TASKS["until"].format(date=_date(d.due))
    if d.cadence:
        derived += f", {CADENCE_LABELS[d.cadence]}"
    return derived


def facts(d: TaskDetail) -> list[tuple[str, str]]:
    """The task's facts, label then value, in the order both front ends show them."""
    state = f"{STATE_LABELS[d.state]} · {TASKS['progress']} {d.progress}%"
    if d.done_on:
        state += f" · {TASKS['done_on']} {_date(d.done_on)}"
    rows = [
        (TASKS["area"], f"{d.area or NONE}. {d.area_title or ''}".strip(". ")),
        (TASKS["lead"], d.lead),
        (TASKS["partners"], ", ".join(d.partners) or NONE),
        (TASKS["timeframe"], d.timeframe),
        (TASKS["derived"], deadline_text(d)),
        (TASKS["product"], d.product or NONE),
        (TASKS["state"], state),
    ]
    if d.origin != "plan" and d.source_number:
        source = TASKS["source_value"].format(
            number=d.source_number, date=_date(d.source_date), issuer=d.source_issuer or ""
        )
        rows.append((TASKS["source"], f"{ORIGIN_LABELS[d.origin]}: {source}"))
    if d.carried_from_stt is not None and d.carried_from_year is not None:
        mark = CARRIED_MARK.format(stt=d.carried_from_stt, year=d.carried_from_year)
        rows.append((CARRIED_LABEL, mark))
    if d.flagged:
        rows.append((TASKS["flagged"], flagged_text(d.flagged)))
    return rows


def document_line(doc: DocumentView) -> str:
    return TASKS["document_line"].format(
        doc_type=doc.doc_type,
        number=doc.number,
        date=_date(doc.date),
        file=doc.file_name,
        size=size_text(doc.size),
    )


#: Columns an amendment derives from the time frame or the lead unit's name. Histories written
#: before amendments kept to the words people read hold them; the line of the time frame (or of
#: the lead's name) beside them already says the change, so they are not shown.
_DERIVED = frozenset(
    {"lead_unit_id", "deadline_kind", "window_start", "due", "cadence", "timeframe_flagged"}
)
_DATE_FIELDS = frozenset({"done_on", "due", "window_start", "source_date"})


def history_lines(entries: list[HistoryView]) -> list[str]:
    """A task's history as lines, oldest first, without the derived columns of an amendment."""
    return [history_line(e) for e in entries if not (e.action == "amended" and e.field in _DERIVED)]


def _in_words(field: str | None, value: str | None) -> str | None:
    """A stored value as people read it: a state's label, a date as dd/mm/yyyy."""
    if not value:
        return None
    if field == "status":
        return STATUS_LABELS.get(value, value)
    if field in _DATE_FIELDS:
        return _date(value)
    if field == "deadline_kind":
        return DEADLINE_KIND_LABELS.get(value, value)
    if field == "cadence":
        return CADENCE_LABELS.get(value, value)
    return value


def history_line(entry: HistoryView) -> str:
    """One change as a line: when (island time), who, what, and the field's old and new value
    in words (a state's label, a date as dd/mm/yyyy)."""
    what = HISTORY_ACTIONS.get(entry.action, entry.action)
    field = FIELD_LABELS.get(entry.field or "", entry.field or "")
    old = _in_words(entry.field, entry.old_value)
    new = _in_words(entry.field, entry.new_value)
    if entry.action == "amended":
        key = entry.field if entry.field in ("decision", "dropped") else "field"
        what = HISTORY_AMENDED[key].format(field=field, old=old or NONE, new=new or NONE)
        return TASKS["history_line"].format(
            at=format_island_time(entry.at), actor=entry.actor, action=what, change=""
        )
    if field and entry.action != "noted":
        change = " " + TASKS["history_change"].format(field=field, old=old or NONE, new=new or NONE)
    else:
        change = f": {new}" if new else ""
    return TASKS["history_line"].format(
        at=format_island_time(entry.at), actor=entry.actor, action=what, change=change
    )
