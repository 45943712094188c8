"""A task's detail as officers read it, written once for both the command line (`cchc task
show`) and the Nhiệm vụ screen: its facts as (label, value) pairs, and each history entry as one
line, with island times, Vietnamese labels for states and fields, and dd/mm/yyyy dates."""

from __future__ import annotations

from cchc.domain.dates import format_island_time, format_vn_date, from_iso
from cchc.services.tasks import DocumentView, HistoryView, TaskDetail
from cchc.texts.sync import flagged_text
from cchc.texts.tasks import (
    CADENCE_LABELS,
    DEADLINE_KIND_LABELS,
    FIELD_LABELS,
    HISTORY_ACTIONS,
    ORIGIN_LABELS,
    STATE_LABELS,
    STATUS_LABELS,
)
from cchc.texts.ui import TASKS, size_text

NONE = "—"


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


def history_line(entry: HistoryView) -> str:
    """One change as a line: when (island time), who, what, and the field's old and new value
    in words (a state's label, a date as dd/mm/yyyy)."""
    what = HISTORY_ACTIONS.get(entry.action, entry.action)
    field = FIELD_LABELS.get(entry.field or "", entry.field or "")
    old, new = entry.old_value, entry.new_value
    if entry.field == "status":
        old = STATUS_LABELS.get(old or "", old)
        new = STATUS_LABELS.get(new or "", new)
    if entry.field in ("done_on", "due"):
        old, new = (_date(old) if old else None), (_date(new) if new else None)
    if field and entry.action != "noted":
        change = " " + TASKS["history_change"].format(field=field, old=old or NONE, new=new or NONE)
    else:
        change = f": {new}" if new else ""
    return TASKS["history_line"].format(
        at=format_island_time(entry.at), actor=entry.actor, action=what, change=change
    )
