"""Budget per task: the lead unit's estimate (sent to Phòng Tài chính in Q1), the amount UBND đặc
khu approved, and what was spent; totals by area, by unit and overall. Amounts in đồng."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from pydantic import BaseModel

from cchc.domain.dates import parse_vn_date
from cchc.domain.errors import InvalidInput
from cchc.services.tasks import get_task, officer_name, resolve_unit
from cchc.services.workspace import Workspace
from cchc.store import reports_repo as repo
from cchc.store.uow import transaction

_MONEY = re.compile(r"^\d{1,3}([.,\s]\d{3})+$|^\d+$")


class BudgetLine(BaseModel):
    """One task's budget."""

    task_id: str
    stt: int | None
    area: str | None
    content: str
    unit: str
    unit_name: str
    estimate: int | None
    estimate_sent_on: str | None
    approved: int | None
    approved_on: str | None
    spent: int | None
    note: str
    estimate_late: bool  # not sent to Phòng Tài chính by the end of Q1 of the plan's year


class Totals(BaseModel):
    """Sums of estimate, approved and spent (None-valued amounts count as 0)."""

    estimate: int = 0
    approved: int = 0
    spent: int = 0

    def add(self, line: BudgetLine) -> None:
        self.estimate += line.estimate or 0
        self.approved += line.approved or 0
        self.spent += line.spent or 0


class BudgetView(BaseModel):
    """Every task with a budget, with totals by area and by unit, and overall."""

    lines: list[BudgetLine]
    by_area: dict[str, Totals]
    by_unit: dict[str, Totals]
    total: Totals


def parse_money(text: str) -> int:
    """An amount in đồng: "15000000", "15.000.000" or "15,000,000"; never negative."""
    raw = (text or "").strip().removesuffix("đ").removesuffix("đồng").strip()
    if not _MONEY.match(raw):
        raise InvalidInput("money_invalid", value=text)
    return int(re.sub(r"[.,\s]", "", raw))


def set_budget(
    ws: Workspace,
    task_ref: str,
    *,
    estimate: str | None = None,
    approved: str | None = None,
    spent: str | None = None,
    sent_on: str | None = None,
    approved_on: str | None = None,
    note: str | None = None,
    by: str | None = None,
) -> BudgetLine:
    """Record a task's estimate, approval or spending; everything is checked before writing."""
    task = get_task(ws, task_ref)
    values: dict[str, Any] = {}
    if estimate is not None:
        values["estimate"] = parse_money(estimate)
    if approved is not None:
        values["approved"] = parse_money(approved)
    if spent is not None:
        values["spent"] = parse_money(spent)
    if sent_on is not None:
        values["estimate_sent_on"] = parse_vn_date(sent_on, "sent_on").isoformat()
    if approved_on is not None:
        values["approved_on"] = parse_vn_date(approved_on, "approved_on").isoformat()
    if note is not None:
        values["note"] = note.strip()
    if not values:
        raise InvalidInput("budget_nothing")
    actor = officer_name(ws, by)
    conn = ws.db.conn
    current = repo.budget_of(conn, task.id)
    merged = {**(current or {}), **values}
    spent_now, approved_now = merged.get("spent"), merged.get("approved")
    if spent_now is not None and approved_now is not None and spent_now > approved_now:
        raise InvalidInput(
            "budget_spent_exceeds",
            spent=spent_now,
            approved=approved_now,
            task=task.stt or task.id[:8],
        )
    now = ws.now_iso()
    with transaction(ws.db):
        if current is None:
            repo.insert(
                conn,
                "budgets",
                {
                    "id": uuid.uuid4().hex,
                    "task_id": task.id,
                    **values,
                    "updated_by": actor,
                    "updated_at": now,
                },
            )
        else:
            repo.update(
                conn, "budgets", current["id"], {**values, "updated_by": actor, "updated_at": now}
            )
    return next(line for line in show_budget(ws).lines if line.task_id == task.id)


def show_budget(ws: Workspace, *, unit: str | None = None) -> BudgetView:
    """Every budget line (of one lead unit if asked) with totals by area, unit and overall."""
    unit_id = resolve_unit(ws, unit)["id"] if unit else None
    header = repo.plan_header(ws.db.conn)
    q1_end = dt.date(int(header["year"]) if header else ws.today().year, 3, 31)
    past_q1 = ws.today() > q1_end

    def late(sent_on: str | None) -> bool:
        return past_q1 if sent_on is None else dt.date.fromisoformat(sent_on) > q1_end

    lines = [
        BudgetLine(
            task_id=r["task_id"],
            stt=r["stt"],
            area=r["area"],
            content=r["content"],
            unit=r["unit_code"],
            unit_name=r["unit_name"],
            estimate=r["estimate"],
            estimate_sent_on=r["estimate_sent_on"],
            approved=r["approved"],
            approved_on=r["approved_on"],
            spent=r["spent"],
            note=r["note"],
            estimate_late=late(r["estimate_sent_on"]),
        )
        for r in repo.budgets(ws.db.conn)
        if unit_id is None or r["lead_unit_id"] == unit_id
    ]
    by_area: dict[str, Totals] = {}
    by_unit: dict[str, Totals] = {}
    total = Totals()
    for line in lines:
        by_area.setdefault(line.area or "-", Totals()).add(line)
        by_unit.setdefault(line.unit_name, Totals()).add(line)
        total.add(line)
    return BudgetView(lines=lines, by_area=by_area, by_unit=by_unit, total=total)
