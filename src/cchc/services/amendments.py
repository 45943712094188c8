"""Amendments to the plan (seed line 229): a unit proposes adding, changing or dropping a task
(with its reason); Phòng Văn hóa - Xã hội forwards the proposal; UBND đặc khu decides (decision
number and date), recorded by its leadership or by the city. The plan's tasks change only when an
approved decision is recorded, and each change is written to the task's history with the
decision's number. Each step is refused, before anything is written, on a laptop whose role may
not take it (services.permissions), as every other copy would refuse it."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from pydantic import BaseModel

from cchc.domain.dates import format_vn_date, island_date, parse_vn_date
from cchc.domain.errors import Conflict, InvalidInput, NotFound
from cchc.domain.fields import Field
from cchc.domain.roles import Action, takes_step
from cchc.domain.text import nfc
from cchc.domain.timeframe import parse_timeframe
from cchc.services.permissions import require
from cchc.services.plan import default_year
from cchc.services.tasks import get_task, history_row, officer_name, resolve_unit
from cchc.services.workspace import Workspace
from cchc.store import reports_repo as repo
from cchc.store import tasks_repo
from cchc.store.uow import transaction
from cchc.texts import reports as T

ACTIONS = ("add", "change", "drop")
CHANGEABLE = ("content", "lead", "timeframe", "product")
#: The task columns an approved change writes to the task's history.
HISTORY_FIELDS = ("content", "lead_text", "timeframe", "product")
_DECISION = re.compile(r"^\d+[a-zA-Z]?/(\d{4}/)?QĐ-[0-9A-Za-zĐđ.\-]+$")
_HEX = re.compile(r"^[0-9a-f]{6,32}$")


class AmendmentView(BaseModel):
    """One proposal and where it stands."""

    id: str
    unit: str
    action: str
    task_id: str | None
    task_stt: int | None
    task_content: str | None
    proposal: dict[str, Any]
    reason: str
    status: str
    proposed_by: str
    proposed_at: str
    forwarded_by: str | None
    forwarded_at: str | None
    decision_number: str | None
    decision_date: str | None
    decided_by: str | None
    decided_at: str | None
    #: the task's values as they stand now (timeframe, lead, content, product), for the proposals
    #: recorded before a proposal kept what it would replace
    current: dict[str, str] = {}


def _view(row: dict[str, Any]) -> AmendmentView:
    return AmendmentView(
        id=row["id"],
        unit=row["unit_name"],
        action=row["action"],
        task_id=row["task_id"],
        task_stt=row["task_stt"],
        task_content=row["task_content"],
        proposal=json.loads(row["proposal"]),
        reason=row["reason"],
        status=row["status"],
        proposed_by=row["proposed_by"],
        proposed_at=row["proposed_at"],
        forwarded_by=row["forwarded_by"],
        forwarded_at=row["forwarded_at"],
        decision_number=row["decision_number"],
        decision_date=row["decision_date"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        current={
            key: row[column]
            for key, column in (
                ("timeframe", "task_timeframe"),
                ("lead", "task_lead"),
                ("content", "task_content"),
                ("product", "task_product"),
            )
            if row.get(column) is not None
        },
    )


def list_amendments(ws: Workspace) -> list[AmendmentView]:
    return [_view(r) for r in repo.amendments(ws.db.conn)]


def get_amendment(ws: Workspace, ref: str) -> AmendmentView:
    text = (ref or "").strip().lower()
    ids = repo.amendment_ids_with_prefix(ws.db.conn, text) if _HEX.match(text) else []
    if len(ids) != 1:
        raise NotFound("amendment_not_found", ref=ref)
    return next(a for a in list_amendments(ws) if a.id == ids[0])


def propose(
    ws: Workspace,
    *,
    unit: str,
    action: str,
    reason: str,
    task: str | None = None,
    content: str | None = None,
    lead: str | None = None,
    timeframe: str | None = None,
    product: str | None = None,
    area: str | None = None,
    by: str | None = None,
) -> AmendmentView:
    """A unit's proposal to add, change or drop a task of the plan."""
    unit_row = resolve_unit(ws, unit)
    require(ws, Action.AMENDMENT_PROPOSE, str(unit_row["code"]))
    if action not in ACTIONS:
        raise InvalidInput("amendment_action", value=action)
    why = nfc((reason or "").strip())
    if not why:
        raise InvalidInput("amendment_reason")
    proposal: dict[str, Any] = {}
    for key, value in (
        ("content", content),
        ("lead", lead),
        ("timeframe", timeframe),
        ("product", product),
    ):
        if value is not None and value.strip():
            proposal[key] = nfc(value.strip())
    if "lead" in proposal:
        proposal["lead"] = resolve_unit(ws, proposal["lead"])["name"]
    task_id = None
    if action == "add":
        codes = [a["code"] for a in tasks_repo.all_areas(ws.db.conn)]  # the plan's areas
        if area is None or area.strip().upper() not in codes:
            if area is not None:
                raise InvalidInput("amendment_area", value=area, areas=T.area_choices(codes))
            raise InvalidInput("amendment_add_fields", areas=T.area_range(codes))
        if "content" not in proposal or "timeframe" not in proposal:
            raise InvalidInput("amendment_add_fields")
        proposal["area"] = area.strip().upper()
        proposal.setdefault("lead", unit_row["name"])
    else:
        if not task:
            raise InvalidInput("amendment_needs_task")
        task_id = get_task(ws, task).id
        if task_id in repo.dropped_task_ids(ws.db.conn):
            raise Conflict("amendment_task_dropped", value=task)
        if action == "change" and not proposal:
            raise InvalidInput("amendment_change_fields")
        if action == "drop":
            proposal = {}
        else:
            # What the change would replace, kept with the proposal so the card still says
            # "từ Quý I/2026 sang Quý II/2026" once the decision has changed the task.
            standing = get_task(ws, task)
            was = {"timeframe": standing.timeframe, "lead": standing.lead}
            was |= {"content": standing.content, "product": standing.product or ""}
            proposal["was"] = {k: was[k] for k in CHANGEABLE if k in proposal}
    actor = officer_name(ws, by)
    amendment_id = uuid.uuid4().hex
    with transaction(ws.db):
        repo.insert(
            ws.db.conn,
            "amendments",
            {
                "id": amendment_id,
                "unit_id": unit_row["id"],
                "action": action,
                "task_id": task_id,
                "proposal": json.dumps(proposal, ensure_ascii=False),
                "reason": why,
                "status": "proposed",
                "proposed_by": actor,
                "proposed_at": ws.now_iso(),
            },
        )
    return get_amendment(ws, amendment_id)


def forward(ws: Workspace, ref: str, *, by: str | None = None) -> AmendmentView:
    """Phòng Văn hóa - Xã hội forwards a proposal to UBND đặc khu. Refused on a laptop set up
    for another unit."""
    amendment = get_amendment(ws, ref)
    if not takes_step(Action.AMENDMENT_FORWARD, amendment.status):
        raise Conflict(
            "amendment_state",
            ref=amendment.id[:8],
            status=amendment.status,
            action=Action.AMENDMENT_FORWARD.value,
        )
    require(ws, Action.AMENDMENT_FORWARD)
    actor = officer_name(ws, by)
    with transaction(ws.db):
        repo.update(
            ws.db.conn,
            "amendments",
            amendment.id,
            {"status": "forwarded", "forwarded_by": actor, "forwarded_at": ws.now_iso()},
        )
    return get_amendment(ws, amendment.id)


def decide(
    ws: Workspace,
    ref: str,
    *,
    approve: bool,
    number: str,
    date: str,
    by: str | None = None,
) -> AmendmentView:
    """Record UBND đặc khu's decision; an approval applies the change to the plan's tasks. The
    decision is written first, so every copy reads it before the task changes it allows."""
    require(ws, Action.AMENDMENT_DECIDE)
    amendment = get_amendment(ws, ref)
    if not takes_step(Action.AMENDMENT_DECIDE, amendment.status):
        raise Conflict(
            "amendment_state",
            ref=amendment.id[:8],
            status=amendment.status,
            action=Action.AMENDMENT_DECIDE.value,
        )
    decision_number = nfc((number or "").strip())
    if not _DECISION.match(decision_number):
        raise InvalidInput("decision_number", value=number)
    decided_on = parse_vn_date(date, Field.DECISION_DATE)
    if decided_on > ws.today():
        raise InvalidInput("decision_future", value=date)
    proposed_on = island_date(amendment.proposed_at)
    if proposed_on is not None and decided_on < proposed_on:
        raise InvalidInput(
            "decision_before_proposal",
            field=Field.DECISION_DATE,
            value=format_vn_date(decided_on),
            proposed=format_vn_date(proposed_on),
        )
    actor = officer_name(ws, by)
    now = ws.now_iso()
    conn = ws.db.conn
    tag = f"{decision_number} ({decided_on.strftime('%d/%m/%Y')})"
    with transaction(ws.db):
        values: dict[str, Any] = {
            "status": "approved" if approve else "rejected",
            "decision_number": decision_number,
            "decision_date": decided_on.isoformat(),
            "decided_by": actor,
            "decided_at": now,
        }
        new_task = uuid.uuid4().hex if approve and amendment.action == "add" else None
        if new_task is not None:
            values["task_id"] = new_task
            conn.execute("PRAGMA defer_foreign_keys = ON")  # the task follows in this transaction
        repo.update(conn, "amendments", amendment.id, values)
        if approve:
            _apply(ws, amendment, actor, now, tag, new_task)
    return get_amendment(ws, amendment.id)


def _history(task_id: str, at: str, actor: str, field: str | None, old: Any, new: Any) -> dict:
    return history_row(task_id, at, actor, "amended", field, old, new)


def _apply(
    ws: Workspace,
    amendment: AmendmentView,
    actor: str,
    now: str,
    tag: str,
    new_task: str | None,
) -> str:
    """Change the plan's tasks as the approved amendment says; return the task's id."""
    conn = ws.db.conn
    proposal = amendment.proposal
    if amendment.action == "add":
        lead = resolve_unit(ws, proposal["lead"])
        deadline = parse_timeframe(proposal["timeframe"])
        assert new_task is not None
        task_id = new_task
        tasks_repo.insert_row(
            conn,
            "tasks",
            {
                "id": task_id,
                "stt": repo.max_stt(conn, default_year(ws)) + 1,
                "area": proposal["area"],
                "content": proposal["content"],
                "subitems": "[]",
                "lead_unit_id": lead["id"],
                "lead_text": lead["name"],
                "partners": "[]",
                "partner_unit_ids": "[]",
                "timeframe": proposal["timeframe"],
                "deadline_kind": deadline.kind.value,
                "window_start": deadline.window_start.isoformat()
                if deadline.window_start
                else None,
                "due": deadline.due.isoformat() if deadline.due else None,
                "cadence": deadline.cadence.value if deadline.cadence else None,
                "timeframe_flagged": int(deadline.flagged),
                "product": proposal.get("product", ""),
                "origin": "plan",
                "source_number": tag.split(" ")[0],
                "source_date": None,
                "source_issuer": None,
                "created_at": now,
                "updated_at": now,
                "plan_year": default_year(ws),
            },
        )
        tasks_repo.insert_history(conn, [_history(task_id, now, actor, "decision", None, tag)])
        return task_id
    assert amendment.task_id is not None
    task_id = amendment.task_id
    row = tasks_repo.task_by_id(conn, task_id)
    assert row is not None
    if amendment.action == "drop":
        tasks_repo.insert_history(conn, [_history(task_id, now, actor, "dropped", None, tag)])
        return task_id
    changes: dict[str, Any] = {}
    if "content" in proposal:
        changes["content"] = proposal["content"]
    if "product" in proposal:
        changes["product"] = proposal["product"]
    if "lead" in proposal:
        lead = resolve_unit(ws, proposal["lead"])
        changes["lead_unit_id"] = lead["id"]
        changes["lead_text"] = lead["name"]
    if "timeframe" in proposal:
        deadline = parse_timeframe(proposal["timeframe"])
        changes.update(
            timeframe=proposal["timeframe"],
            deadline_kind=deadline.kind.value,
            window_start=deadline.window_start.isoformat() if deadline.window_start else None,
            due=deadline.due.isoformat() if deadline.due else None,
            cadence=deadline.cadence.value if deadline.cadence else None,
            timeframe_flagged=int(deadline.flagged),
        )
    changed = {k: v for k, v in changes.items() if row[k] != v}
    if changed:
        tasks_repo.update_task_columns(conn, task_id, {**changed, "updated_at": now})
    # The history says what people read (time frame as written, the lead unit's name); the dates
    # and ids derived from them change with them and are not repeated there.
    rows = [
        _history(task_id, now, actor, key, row[key], value)
        for key, value in changed.items()
        if key in HISTORY_FIELDS
    ]
    rows.append(_history(task_id, now, actor, "decision", None, tag))
    tasks_repo.insert_history(conn, rows)
    return task_id
