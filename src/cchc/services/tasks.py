"""Task tracking: list, show, update with evidence and history, and add tasks outside the plan."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import re
import uuid
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cchc.domain.dates import format_vn_date, from_iso, parse_vn_date
from cchc.domain.deadline import DeadlineKind
from cchc.domain.errors import InvalidInput, NotFound
from cchc.domain.fields import Field
from cchc.domain.roles import Action
from cchc.domain.status import State, Status, days_left, derive_state
from cchc.domain.text import fold, matches, nfc
from cchc.domain.timeframe import parse_timeframe
from cchc.domain.value_domains import flagged_columns
from cchc.services.attachments import StoredFile, save_blob, store_file
from cchc.services.permissions import laptop_authority, require, scope_names
from cchc.services.plan import default_year
from cchc.services.workspace import Workspace
from cchc.store import reports_repo
from cchc.store import tasks_repo as repo
from cchc.store.uow import transaction

OFFICER_KEY = "officer"
UNIT_KEY = "unit_code"
_DOC_NUMBER = re.compile(r"^\d+[a-zA-Z]?(/\d{4})?/[0-9A-Za-zĐđ.\-]+$")


class TaskView(BaseModel):
    """A task as lists, the dashboard and `--json` show it."""

    id: str
    stt: int | None
    area: str | None
    area_title: str | None
    content: str
    subitems: list[str]
    lead: str
    lead_unit: str
    lead_unit_name: str
    partners: list[str]
    timeframe: str
    deadline_kind: str
    timeframe_flagged: bool
    window_start: str | None
    due: str | None
    days_left: int | None
    cadence: str | None
    product: str
    status: str
    state: str
    progress: int
    done_on: str | None
    origin: str
    source_number: str | None
    source_date: str | None
    source_issuer: str | None
    updated_at: str
    #: The year of the plan the task belongs to; for a task carried over from last year's plan,
    #: the task it continues, with its row and year there.
    year: int | None = None
    carried_from: str | None = None
    carried_from_stt: int | None = None
    carried_from_year: int | None = None
    #: Columns whose stored value lay outside their domain (let in by an older copy): shown
    #: flagged, read as empty (domain.value_domains.readable_row).
    flagged: list[str] = []


class UpdateView(BaseModel):
    id: str
    date: str
    unit: str | None
    officer: str
    status: str | None
    progress: int | None
    note: str
    created_at: str


class DocumentView(BaseModel):
    id: str
    doc_type: str
    number: str
    date: str
    title: str
    sha256: str
    file_name: str
    size: int
    added_by: str
    created_at: str


class HistoryView(BaseModel):
    at: str
    actor: str
    action: str
    field: str | None
    old_value: str | None
    new_value: str | None


class TaskDetail(TaskView):
    updates: list[UpdateView]
    documents: list[DocumentView]
    history: list[HistoryView]


class DueOverview(BaseModel):
    """What one unit has overdue and due within the next days."""

    unit: str
    unit_name: str
    overdue: list[TaskView]
    due_soon: list[TaskView]


def _view(row: dict[str, Any], today: dt.date) -> TaskView:
    due = from_iso(row["due"])
    state = derive_state(Status(row["status"]), due, from_iso(row["done_on"]), today)
    return TaskView(
        id=row["id"],
        stt=row["stt"],
        area=row["area"],
        area_title=row["area_title"],
        content=row["content"],
        subitems=json.loads(row["subitems"]),
        lead=row["lead_text"],
        lead_unit=row["lead_code"],
        lead_unit_name=row["lead_name"],
        partners=json.loads(row["partners"]),
        timeframe=row["timeframe"],
        deadline_kind=row["deadline_kind"],
        timeframe_flagged=bool(row["timeframe_flagged"]),
        window_start=row["window_start"],
        due=row["due"],
        days_left=None if state.value.startswith("done") else days_left(due, today),
        cadence=row["cadence"],
        product=row["product"],
        status=row["status"],
        state=state.value,
        progress=row["progress"],
        done_on=row["done_on"],
        origin=row["origin"],
        source_number=row["source_number"],
        source_date=row["source_date"],
        source_issuer=row["source_issuer"],
        updated_at=row["updated_at"],
        year=row.get("plan_year"),
        carried_from=row.get("carried_from"),
        carried_from_stt=row.get("carried_from_stt"),
        carried_from_year=row.get("carried_from_year"),
        flagged=flagged_columns(row),
    )


def resolve_unit(ws: Workspace, text: str) -> dict[str, Any]:
    """A unit named by its code, name or any alias, diacritics and case ignored."""
    wanted = fold(text)
    units = repo.all_units(ws.db.conn)
    for unit in units:
        names = [unit["code"], unit["name"], *json.loads(unit["aliases"])]
        if wanted in (fold(n) for n in names):
            return unit
    candidates = [u for u in units if wanted and wanted in fold(u["name"])]
    if len(candidates) == 1:
        return candidates[0]
    raise NotFound("unit_unknown", value=text)


def list_tasks(
    ws: Workspace,
    *,
    unit: str | None = None,
    status: str | None = None,
    state: str | None = None,
    area: str | None = None,
    overdue: bool = False,
    due_within: int | None = None,
    search: str | None = None,
    include_dropped: bool = False,
    year: int | None = None,
) -> list[TaskView]:
    """Tasks of the plan of `year` (the default year: `services.plan.default_year`) filtered as
    asked; every filter narrows. Derived states use today on the island.

    Tasks a decided amendment dropped from the plan are left out unless `include_dropped`.
    """
    year = year if year is not None else default_year(ws)
    today = ws.today()
    dropped = set() if include_dropped else reports_repo.dropped_task_ids(ws.db.conn)
    if status is not None:
        _status(status)
    if state is not None and state not in State.__members__.values():
        raise InvalidInput("state_unknown", value=state)
    if due_within is not None and due_within < 0:
        raise InvalidInput("days_negative", value=due_within)
    unit_id = resolve_unit(ws, unit)["id"] if unit else None
    out = []
    for row in repo.all_tasks(ws.db.conn, year):
        if row["id"] in dropped:
            continue
        view = _view(row, today)
        if unit_id and row["lead_unit_id"] != unit_id:
            continue
        if status and view.status != status:
            continue
        if state and view.state != state:
            continue
        if area and view.area != area:
            continue
        if overdue and view.state != State.OVERDUE:
            continue
        if due_within is not None and not falls_due_within(view, today, due_within):
            continue
        if search and not matches(
            search, view.content, " ".join(view.subitems), view.lead, view.product
        ):
            continue
        out.append(view)
    return out


def falls_due_within(view: TaskView, today: dt.date, days: int) -> bool:
    """Whether a task still open and not overdue falls due within `days` from `today`."""
    due = from_iso(view.due)
    if due is None or view.status == Status.DONE or view.state == State.OVERDUE:
        return False
    return today <= due <= today + dt.timedelta(days=days)


def due_overview(ws: Workspace, days: int = 14, unit: str | None = None) -> list[DueOverview]:
    """Per lead unit: what is overdue and what falls due within `days`."""
    overdue = list_tasks(ws, unit=unit, overdue=True)
    soon = list_tasks(ws, unit=unit, due_within=days)
    out: dict[str, DueOverview] = {}
    for view in [*overdue, *soon]:
        entry = out.setdefault(
            view.lead_unit,
            DueOverview(
                unit=view.lead_unit, unit_name=view.lead_unit_name, overdue=[], due_soon=[]
            ),
        )
        (entry.overdue if view.state == State.OVERDUE else entry.due_soon).append(view)
    return sorted(out.values(), key=lambda e: e.unit_name)


def _find_row(ws: Workspace, ref: str, year: int | None = None) -> dict[str, Any]:
    ref = ref.strip()
    conn = ws.db.conn
    if ref.isdigit() and len(ref) <= 3:
        row = repo.task_by_stt(conn, int(ref), year if year is not None else default_year(ws))
        if row is None:
            raise NotFound("task_unknown", value=ref)
        return row
    if not re.fullmatch(r"[0-9a-fA-F]{6,32}", ref):
        raise NotFound("task_unknown", value=ref)
    ids = repo.task_ids_with_prefix(conn, ref.lower())
    if len(ids) != 1:
        raise NotFound("task_unknown" if not ids else "task_ambiguous", value=ref)
    row = repo.task_by_id(conn, ids[0])
    assert row is not None
    return row


def get_task(ws: Workspace, ref: str, year: int | None = None) -> TaskDetail:
    """One task with its updates, documents and history. REF: a row of the plan of `year` (the
    default year when not given), or an id (or prefix)."""
    row = _find_row(ws, ref, year)
    conn = ws.db.conn
    view = _view(row, ws.today())
    return TaskDetail(
        **view.model_dump(),
        updates=[
            UpdateView(**{**u, "unit": u["unit_name"]}) for u in repo.updates_of(conn, row["id"])
        ],
        documents=[DocumentView(**d) for d in repo.documents_of(conn, row["id"])],
        history=[HistoryView(**h) for h in repo.history_of(conn, row["id"])],
    )


def _status(value: str) -> Status:
    try:
        return Status(value)
    except ValueError:
        raise InvalidInput("status_unknown", value=value) from None


class Evidence(BaseModel):
    """A document attached as the product of a task."""

    file: Path
    doc_type: str
    number: str
    date: str  # DD/MM/YYYY as typed
    title: str = ""


def officer_name(ws: Workspace, given: str | None) -> str:
    """Who is acting: the name given, else this laptop's officer, else the login name."""
    name = nfc((given or ws.setting(OFFICER_KEY) or _login_name()).strip())
    if not name:
        raise InvalidInput("officer_missing")
    return name


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


NOTE_MAX = 1000  # characters of one progress note: a note, not a report


def update_task(
    ws: Workspace,
    ref: str,
    *,
    status: str | None = None,
    progress: int | None = None,
    note: str | None = None,
    by: str | None = None,
    done_on: str | None = None,
    due: str | None = None,
    evidence: Evidence | None = None,
    done_on_required: bool = False,
    year: int | None = None,
) -> TaskDetail:
    """Record progress on a task. Everything is checked before anything is written.

    Marking a task done without ``done_on`` takes the day it was already done, else today;
    with ``done_on_required`` (the screen, whose empty field must never mean today) it is
    refused instead, so no task becomes "done late" without a word."""
    row = _find_row(ws, ref, year)
    if note is not None and len(note.strip()) > NOTE_MAX:
        raise InvalidInput("note_too_long", value=len(note.strip()), limit=NOTE_MAX)
    today = ws.today()
    changes: dict[str, Any] = {}

    new_status = _status(status) if status is not None else Status(row["status"])
    if progress is not None and not 0 <= progress <= 100:
        raise InvalidInput("progress_range", value=progress)
    if status is None and progress is not None and new_status is Status.NOT_STARTED and progress:
        new_status = Status.IN_PROGRESS
    if new_status is Status.DONE:
        if progress is not None and progress < 100:
            raise InvalidInput("done_needs_full_progress", value=progress)
        progress = 100
        when = parse_vn_date(done_on, Field.DONE_ON) if done_on else from_iso(row["done_on"])
        if when is None and done_on_required:
            raise InvalidInput("done_on_required")
        if when is None:
            when = today
        if when > today:
            raise InvalidInput("done_in_future", value=done_on)
        changes["done_on"] = when.isoformat()
    else:
        if done_on:
            raise InvalidInput("done_on_needs_done", value=done_on)
        changes["done_on"] = None
        if progress == 100 and status is None:
            raise InvalidInput("full_progress_needs_done", value=progress)
    changes["status"] = new_status.value
    if progress is not None:
        changes["progress"] = progress
    if due is not None:
        if row["deadline_kind"] not in (DeadlineKind.SET_LATER, DeadlineKind.UNPARSED):
            raise InvalidInput("due_fixed_by_plan", value=due)
        changes["due"] = parse_vn_date(due, Field.DUE).isoformat()

    actor = officer_name(ws, by)
    doc_row: dict[str, Any] | None = None
    stored: StoredFile | None = None
    if evidence is not None:
        doc_row, stored = _document_row(ws, row["id"], evidence, actor)

    changed = {k: v for k, v in changes.items() if row[k] != v}
    note_text = nfc((note or "").strip())
    if not changed and not note_text and doc_row is None:
        raise InvalidInput("nothing_to_update", value=ref)
    if "due" in changed:
        require(ws, Action.TASK_PLAN)
    _check_scope(ws, row, changes_task=bool(changed))

    now = ws.now_iso()
    unit_id = _acting_unit_id(ws, row["lead_unit_id"])
    with transaction(ws.db):
        conn = ws.db.conn
        if changed:
            repo.update_task_columns(conn, row["id"], {**changed, "updated_at": now})
        repo.insert_row(
            conn,
            "task_updates",
            {
                "id": uuid.uuid4().hex,
                "task_id": row["id"],
                "date": today.isoformat(),
                "unit_id": unit_id,
                "officer": actor,
                "status": changes["status"],
                "progress": changes.get("progress", row["progress"]),
                "note": note_text,
                "created_at": now,
            },
        )
        history = [
            history_row(row["id"], now, actor, "updated", key, row[key], value)
            for key, value in changed.items()
        ]
        if note_text:
            history.append(history_row(row["id"], now, actor, "noted", "note", None, note_text))
        if doc_row is not None and stored is not None:
            repo.insert_row(conn, "documents", doc_row)
            save_blob(conn, stored)
            history.append(
                history_row(
                    row["id"],
                    now,
                    actor,
                    "document_added",
                    None,
                    None,
                    f"{doc_row['doc_type']} {doc_row['number']}",
                )
            )
        repo.insert_history(conn, history)
    return get_task(ws, row["id"])


def parse_progress(text: str) -> int | None:
    """A progress figure as typed ("60", "60%"): empty means unchanged; else a whole number."""
    value = (text or "").strip().rstrip("%").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise InvalidInput("ui_progress_not_number", value=text) from None


def update_from_form(
    ws: Workspace,
    ref: str,
    *,
    status: str,
    progress_text: str,
    done_on_text: str,
    note: str | None = None,
    by: str | None = None,
) -> TaskDetail:
    """An update as the task form holds it, every field shown filled with what is stored: the
    stored completion date of a task no longer done is dropped, not refused; the stored progress
    of a task being marked done is no contradiction (done means 100%); an empty completion date
    of a task marked done is refused (it never silently means today)."""
    row = _find_row(ws, ref)
    stored_done_on = format_vn_date(from_iso(row["done_on"])) or ""
    done_on = (done_on_text or "").strip()
    if status != Status.DONE.value and done_on == stored_done_on:
        done_on = ""
    progress = parse_progress(progress_text)
    if status == Status.DONE.value and progress == row["progress"]:
        progress = None
    return update_task(
        ws,
        row["id"],
        status=status,
        progress=progress,
        note=note,
        by=by,
        done_on=done_on or None,
        done_on_required=True,
    )


def _laptop_unit(ws: Workspace) -> dict[str, Any] | None:
    """The unit this laptop is set to (Cài đặt), or None before it is set."""
    code = ws.setting(UNIT_KEY)
    return resolve_unit(ws, code) if code else None


def may_change_task(
    ws: Workspace,
    lead_code: str | None,
    *,
    tracking: bool = True,
    partners: tuple[str, ...] = (),
) -> bool:
    """Whether this laptop may change a task led by ``lead_code``: its status and progress
    (``tracking``), else only add notes and documents (a partner may). The same statement as the
    sync policy's (``domain.roles.GRANTS``), from this laptop's certificate or unit setting."""
    found = laptop_authority(ws)
    if tracking:
        return found.may(Action.TASK_PROGRESS, lead_code)
    return found.may(Action.TASK_NOTES, lead_code, *partners)


def _check_scope(ws: Workspace, row: dict[str, Any], *, changes_task: bool) -> None:
    """Refuse, before anything is written, what the sync policy (services.sync_policy) would
    refuse from this laptop on every other copy: a unit's laptop changes the tasks its unit
    leads, and adds notes and documents to those it partners on; the city, and a laptop not yet
    set to a unit, change any."""
    found = laptop_authority(ws)
    partner_ids = json.loads(row["partner_unit_ids"] or "[]")
    partner_codes = {u["code"] for u in reports_repo.units(ws.db.conn) if u["id"] in partner_ids}
    if changes_task:
        if found.may(Action.TASK_PROGRESS, row["lead_code"]):
            return
    elif found.may(Action.TASK_NOTES, row["lead_code"], *partner_codes):
        return
    partner = any(found.covers(c) for c in partner_codes)
    raise InvalidInput(
        "task_partner_notes_only" if partner else "task_not_led",
        value=row["stt"] if row["stt"] is not None else row["id"][:8],
        unit=scope_names(ws, found),
        lead=row["lead_name"],
    )


def _acting_unit_id(ws: Workspace, lead_unit_id: str) -> str:
    """The unit a progress update is recorded for: the one this laptop speaks for."""
    own = laptop_authority(ws).own_unit
    here = resolve_unit(ws, own) if own else _laptop_unit(ws)
    return str(here["id"]) if here else lead_unit_id


def _document_row(
    ws: Workspace, task_id: str, evidence: Evidence, actor: str
) -> tuple[dict[str, Any], StoredFile]:
    doc_type = nfc(evidence.doc_type.strip())
    number = nfc(evidence.number.strip())
    if not doc_type:
        raise InvalidInput("doc_type_missing")
    if not _DOC_NUMBER.match(number):
        raise InvalidInput("doc_number_bad", value=evidence.number)
    date = parse_vn_date(evidence.date, Field.DOC_DATE)
    if date > ws.today():
        raise InvalidInput("doc_date_future", value=evidence.date)
    if not evidence.file.is_file():
        raise InvalidInput("file_missing", value=str(evidence.file))
    stored = store_file(evidence.file, ws.attachments_dir)
    return {
        "id": uuid.uuid4().hex,
        "task_id": task_id,
        "doc_type": doc_type,
        "number": number,
        "date": date.isoformat(),
        "title": nfc(evidence.title.strip()),
        "sha256": stored.sha256,
        "file_name": nfc(evidence.file.name),
        "size": stored.size,
        "added_by": actor,
        "created_at": ws.now_iso(),
    }, stored


def history_row(
    task_id: str, at: str, actor: str, action: str, field: str | None, old: Any, new: Any
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4().hex,
        "task_id": task_id,
        "at": at,
        "actor": actor,
        "action": action,
        "field": field,
        "old_value": None if old is None else str(old),
        "new_value": None if new is None else str(new),
    }


def add_task(
    ws: Workspace,
    *,
    content: str,
    lead: str,
    partners: list[str],
    due: str | None,
    timeframe: str | None,
    source_number: str,
    source_date: str,
    source_issuer: str,
    origin: str | None = None,
    product: str = "",
    by: str | None = None,
) -> TaskDetail:
    """A task assigned outside the plan, by UBND thành phố (or its Chairman) or by UBND đặc khu."""
    actor = officer_name(ws, by)
    text = nfc(content.strip())
    if not text:
        raise InvalidInput("content_missing")
    if (due is None) == (timeframe is None):
        raise InvalidInput("due_or_timeframe")
    lead_unit = resolve_unit(ws, lead)
    partner_units = [resolve_unit(ws, p) for p in partners]
    require(ws, Action.TASK_ADD)
    issuer = nfc(source_issuer.strip())
    number = nfc(source_number.strip())
    if not issuer:
        raise InvalidInput("issuer_missing")
    if not _DOC_NUMBER.match(number):
        raise InvalidInput("doc_number_bad", value=source_number)
    assigned_on = parse_vn_date(source_date, Field.SOURCE_DATE)
    start: dt.date | None = None
    end: dt.date | None
    cadence: str | None = None
    if due is not None:
        end = parse_vn_date(due, Field.DUE)
        words = due.strip()
        kind, flagged = DeadlineKind.HARD_DATE.value, False
    else:
        words = nfc((timeframe or "").strip())
        deadline = parse_timeframe(words)
        kind, start, end = deadline.kind.value, deadline.window_start, deadline.due
        cadence = deadline.cadence.value if deadline.cadence else None
        flagged = deadline.flagged
    resolved_origin = origin or ("city" if "thanh pho" in fold(issuer) else "zone")
    if resolved_origin not in ("city", "zone"):
        raise InvalidInput("origin_unknown", value=origin)
    if resolved_origin == "city":
        require(ws, Action.TASK_PLAN)
    now = ws.now_iso()
    task_id = uuid.uuid4().hex
    with transaction(ws.db):
        repo.insert_row(
            ws.db.conn,
            "tasks",
            {
                "id": task_id,
                "stt": None,
                "area": None,
                "content": text,
                "subitems": "[]",
                "lead_unit_id": lead_unit["id"],
                "lead_text": lead_unit["name"],
                "partners": json.dumps([u["name"] for u in partner_units], ensure_ascii=False),
                "partner_unit_ids": json.dumps([u["id"] for u in partner_units]),
                "timeframe": words,
                "deadline_kind": kind,
                "window_start": start.isoformat() if start else None,
                "due": end.isoformat() if end else None,
                "cadence": cadence,
                "timeframe_flagged": int(flagged),
                "product": nfc(product.strip()),
                "origin": resolved_origin,
                "source_number": number,
                "source_date": assigned_on.isoformat(),
                "source_issuer": issuer,
                "created_at": now,
                "updated_at": now,
                "plan_year": default_year(ws),
            },
        )
        repo.insert_history(
            ws.db.conn,
            [history_row(task_id, now, actor, "created", None, None, f"{number} ({issuer})")],
        )
    return get_task(ws, task_id)
