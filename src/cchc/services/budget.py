"""Budget per task, as the plan's procedure goes (seed lines 179, 207–211): the lead unit
estimates and sends to Phòng Tài chính in Q1 (``set_budget``); Phòng Tài chính appraises every
estimate and submits it to UBND đặc khu (``appraise``); UBND đặc khu decides the allocation, which
its leadership or Phòng Tài chính records with the decision's number and date (``allocate``);
Phòng Tài chính checks the spending (``check_spending``). Each step is refused, before anything
is written, on a laptop whose role may not take it (services.permissions), as every other copy
would refuse it. Totals by area, by unit and overall. Amounts in đồng."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from pydantic import BaseModel

from cchc.domain.dates import parse_vn_date
from cchc.domain.errors import Conflict, InvalidInput
from cchc.domain.fields import Field
from cchc.domain.numbers import format_money
from cchc.domain.roles import Action, Role
from cchc.domain.text import nfc
from cchc.domain.value_domains import MAX_MONEY, flagged_columns
from cchc.services.permissions import laptop_authority, require
from cchc.services.tasks import get_task, list_tasks, officer_name, resolve_unit
from cchc.services.workspace import Workspace
from cchc.store import reports_repo as repo
from cchc.store.uow import transaction

_MONEY = re.compile(r"^\d{1,3}([.,\s]\d{3})+$|^\d+$")
_DECISION = re.compile(r"^\d+[a-zA-Z]?/(\d{4}/)?QĐ-[0-9A-Za-zĐđ.\-]+$")


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
    appraised: int | None = None
    appraised_on: str | None = None
    appraised_by: str | None = None
    appraisal_note: str | None = None
    submitted_on: str | None = None
    decision_number: str | None = None
    decision_date: str | None = None
    allocated_by: str | None = None
    spending_checked_on: str | None = None
    spending_check_note: str | None = None
    #: Columns whose stored value lay outside their domain (let in by an older copy): shown
    #: flagged, read as empty (domain.value_domains.readable_row).
    flagged: list[str] = []

    @property
    def over_estimate(self) -> bool:
        """The amount approved is above the unit's estimate: shown so someone looks again."""
        return approved_exceeds_estimate(self.estimate, self.approved)


def approved_exceeds_estimate(estimate: int | None, approved: int | None) -> bool:
    """Whether an approval stands above the estimate it answers (both entered)."""
    return estimate is not None and approved is not None and approved > estimate


class BudgetChoice(BaseModel):
    """A task the budget form offers this laptop, what it may record there, and what is stored."""

    task_id: str
    stt: int | None
    content: str
    lead_unit: str
    may_estimate: bool  # estimate, sending date, spending, note: the lead unit's part
    may_allocate: bool  # the amount UBND đặc khu decided, with its decision
    line: BudgetLine | None
    may_appraise: bool = False  # Phòng Tài chính: appraise the estimate, submit it
    may_check: bool = False  # Phòng Tài chính: check the spending


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


_PROCEDURE_COLUMNS = (
    "appraised",
    "appraised_on",
    "appraised_by",
    "appraisal_note",
    "submitted_on",
    "decision_number",
    "decision_date",
    "allocated_by",
    "spending_checked_on",
    "spending_check_note",
)


def parse_money(text: str) -> int:
    """An amount in đồng: "15000000", "15.000.000" or "15,000,000"; never negative."""
    raw = (text or "").strip().removesuffix("đ").removesuffix("đồng").strip()
    if not _MONEY.match(raw):
        raise InvalidInput("money_invalid", value=text)
    amount = int(re.sub(r"[.,\s]", "", raw))
    if amount > MAX_MONEY:  # the column's stated domain, which every copy holds to
        raise InvalidInput("money_too_large", value=text, cap=format_money(MAX_MONEY))
    return amount


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
        values["estimate_sent_on"] = parse_vn_date(sent_on, Field.SENT_ON).isoformat()
    if approved_on is not None:
        values["approved_on"] = parse_vn_date(approved_on, Field.APPROVED_ON).isoformat()
    if note is not None:
        values["note"] = note.strip()
    if not values:
        raise InvalidInput("budget_nothing")
    unit_part = {"estimate", "spent", "estimate_sent_on", "note"} & set(values)
    if unit_part:
        require(ws, Action.BUDGET_ESTIMATE, task.lead_unit)
    if {"approved", "approved_on"} & set(values):
        found = laptop_authority(ws)
        if found.source != "unset" and found.role != Role.CITY:
            raise InvalidInput("budget_use_allocate")
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
    return _line(ws, task.id)


def _line(ws: Workspace, task_id: str) -> BudgetLine:
    return next(line for line in show_budget(ws).lines if line.task_id == task_id)


def _estimated(ws: Workspace, task_ref: str) -> tuple[Any, dict[str, Any]]:
    """The task and its budget row; a task without an estimate has nothing to appraise."""
    task = get_task(ws, task_ref)
    current = repo.budget_of(ws.db.conn, task.id)
    if current is None or current.get("estimate") is None:
        raise Conflict("budget_no_estimate", task=task.stt or task.id[:8])
    return task, current


def _past_date(ws: Workspace, text: str, field: Field) -> str:
    when = parse_vn_date(text, field)
    if when > ws.today():
        raise InvalidInput("decision_future", value=text)
    return when.isoformat()


def appraise(
    ws: Workspace,
    task_ref: str,
    *,
    amount: str,
    on: str,
    note: str | None = None,
    submitted_on: str | None = None,
    by: str | None = None,
) -> BudgetLine:
    """Phòng Tài chính appraises a unit's estimate (amount, date, note) and, when given, the
    day it submitted it to UBND đặc khu."""
    require(ws, Action.BUDGET_APPRAISE)
    task, current = _estimated(ws, task_ref)
    actor = officer_name(ws, by)
    values: dict[str, Any] = {
        "appraised": parse_money(amount),
        "appraised_on": _past_date(ws, on, Field.APPRAISED_ON),
        "appraised_by": actor,
    }
    if note is not None:
        values["appraisal_note"] = nfc(note.strip())
    if submitted_on is not None:
        values["submitted_on"] = _past_date(ws, submitted_on, Field.SUBMITTED_ON)
    return _write(ws, task.id, current, values, actor)


def allocate(
    ws: Workspace,
    task_ref: str,
    *,
    amount: str,
    decision_number: str,
    decision_date: str,
    by: str | None = None,
) -> BudgetLine:
    """Record the allocation UBND đặc khu decided (its decision's number and date): by its
    leadership, or by Phòng Tài chính recording it."""
    require(ws, Action.BUDGET_ALLOCATE)
    task, current = _estimated(ws, task_ref)
    number = nfc((decision_number or "").strip())
    if not _DECISION.match(number):
        raise InvalidInput("decision_number", value=decision_number)
    decided_on = _past_date(ws, decision_date, Field.DECISION_DATE)
    approved = parse_money(amount)
    spent = current.get("spent")
    if spent is not None and spent > approved:
        raise InvalidInput(
            "budget_spent_exceeds", spent=spent, approved=approved, task=task.stt or task.id[:8]
        )
    actor = officer_name(ws, by)
    values = {
        "approved": approved,
        "approved_on": decided_on,
        "decision_number": number,
        "decision_date": decided_on,
        "allocated_by": actor,
    }
    return _write(ws, task.id, current, values, actor)


def check_spending(
    ws: Workspace, task_ref: str, *, on: str, note: str, by: str | None = None
) -> BudgetLine:
    """Phòng Tài chính records that it checked a unit's spending of a task (date and finding)."""
    require(ws, Action.BUDGET_CHECK)
    task, current = _estimated(ws, task_ref)
    finding = nfc((note or "").strip())
    if not finding:
        raise InvalidInput("budget_check_note")
    values = {
        "spending_checked_on": _past_date(ws, on, Field.CHECKED_ON),
        "spending_check_note": finding,
    }
    return _write(ws, task.id, current, values, officer_name(ws, by))


def _write(
    ws: Workspace,
    task_id: str,
    current: dict[str, Any],
    values: dict[str, Any],
    actor: str,
) -> BudgetLine:
    stamp = {"updated_by": actor, "updated_at": ws.now_iso()}
    with transaction(ws.db):
        repo.update(ws.db.conn, "budgets", current["id"], {**values, **stamp})
    return _line(ws, task_id)


def budget_choices(ws: Workspace) -> list[BudgetChoice]:
    """The tasks whose budget this laptop may record something for (the same rule as the task
    screen and every other copy's sync policy: services.permissions), each with its stored line,
    so the form always shows the chosen task's own figures."""
    found = laptop_authority(ws)
    lines = {line.task_id: line for line in show_budget(ws).lines}
    may_allocate = found.may(Action.BUDGET_ALLOCATE)
    may_appraise = found.may(Action.BUDGET_APPRAISE)
    may_check = found.may(Action.BUDGET_CHECK)
    out: list[BudgetChoice] = []
    for task in list_tasks(ws):
        may_estimate = found.may(Action.BUDGET_ESTIMATE, task.lead_unit)
        if not (may_estimate or may_allocate):
            continue
        out.append(
            BudgetChoice(
                task_id=task.id,
                stt=task.stt,
                content=task.content,
                lead_unit=task.lead_unit,
                may_estimate=may_estimate,
                may_allocate=may_allocate,
                line=lines.get(task.id),
                may_appraise=may_appraise,
                may_check=may_check,
            )
        )
    return out


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
            flagged=flagged_columns(r),
            **{k: r.get(k) for k in _PROCEDURE_COLUMNS},
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
