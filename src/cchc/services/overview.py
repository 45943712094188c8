"""What the dashboard and the app's pickers show: units, areas, counts by state, progress."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from cchc.domain.errors import InvalidInput
from cchc.domain.status import State
from cchc.domain.text import nfc
from cchc.services import tasks as task_service
from cchc.services.attachments import materialize
from cchc.services.tasks import TaskView
from cchc.services.workspace import Workspace
from cchc.store import tasks_repo as repo

DUE_SOON_DAYS = 14


class UnitView(BaseModel):
    """A unit the plan names, as pickers show it."""

    id: str
    code: str
    name: str
    role: str
    aliases: list[str]


class AreaView(BaseModel):
    """One of the appendix's groups I–VII."""

    code: str
    title: str
    solutions: list[str] = []  # section II's solutions for this area, verbatim


class ProgressRow(BaseModel):
    """Progress of a group of tasks: how many, how many done, the mean percentage."""

    key: str
    label: str
    tasks: int
    done: int
    overdue: int
    mean_progress: float


class Overview(BaseModel):
    """Everything the dashboard shows, computed in one pass over the tasks."""

    total: int
    counts: dict[str, int]
    by_area: list[ProgressRow]
    by_unit: list[ProgressRow]
    overdue: list[TaskView]
    due_soon: list[TaskView]
    due_soon_days: int
    today: dt.date  # the day the states were derived for (Asia/Ho_Chi_Minh)


@dataclass(frozen=True)
class LocalProfile:
    """Who this laptop is: its unit (code and name) and its officer; None when not set yet."""

    unit_code: str | None
    unit_name: str | None
    officer: str | None

    @property
    def complete(self) -> bool:
        return bool(self.unit_code and self.officer)


def units(ws: Workspace) -> list[UnitView]:
    return [
        UnitView(
            id=u["id"],
            code=u["code"],
            name=u["name"],
            role=u["role"],
            aliases=json.loads(u["aliases"]),
        )
        for u in repo.all_units(ws.db.conn)
    ]


def areas(ws: Workspace) -> list[AreaView]:
    return [
        AreaView(code=a["code"], title=a["title"], solutions=json.loads(a["solutions"] or "[]"))
        for a in repo.all_areas(ws.db.conn)
    ]


def _row(key: str, label: str, views: list[TaskView]) -> ProgressRow:
    return ProgressRow(
        key=key,
        label=label,
        tasks=len(views),
        done=sum(1 for v in views if v.status == "done"),
        overdue=sum(1 for v in views if v.state == State.OVERDUE),
        mean_progress=round(sum(v.progress for v in views) / len(views), 1) if views else 0.0,
    )


def overview(ws: Workspace, days: int = DUE_SOON_DAYS) -> Overview:
    """Counts by derived state, progress by area and by lead unit, overdue and due-soon tasks."""
    if days < 0:
        raise InvalidInput("days_negative", value=days)
    views = task_service.list_tasks(ws)
    today = ws.today()
    counts = Counter(v.state for v in views)
    by_area = [_row(a.code, a.title, [v for v in views if v.area == a.code]) for a in areas(ws)]
    lead_units: dict[str, str] = {}
    for v in views:
        lead_units.setdefault(v.lead_unit, v.lead_unit_name)
    by_unit = sorted(
        (
            _row(code, name, [v for v in views if v.lead_unit == code])
            for code, name in lead_units.items()
        ),
        key=lambda r: (-r.tasks, r.label),
    )
    overdue = sorted(
        (v for v in views if v.state == State.OVERDUE), key=lambda v: (v.due or "", v.stt or 0)
    )
    due_soon = sorted(
        (v for v in views if task_service.falls_due_within(v, today, days)),
        key=lambda v: (v.due or "", v.stt or 0),
    )
    return Overview(
        total=len(views),
        counts={s.value: counts.get(s.value, 0) for s in State},
        by_area=by_area,
        by_unit=by_unit,
        overdue=overdue,
        due_soon=due_soon,
        due_soon_days=days,
        today=today,
    )


def local_profile(ws: Workspace) -> LocalProfile:
    code = ws.setting(task_service.UNIT_KEY)
    name = repo.unit_name(ws.db.conn, code) if code else None
    return LocalProfile(
        unit_code=code, unit_name=name, officer=ws.setting(task_service.OFFICER_KEY)
    )


def set_local_profile(ws: Workspace, unit: str | None, officer: str | None) -> LocalProfile:
    """Record this laptop's unit and officer (None keeps what is set); what is given is checked
    before anything is written. The Cài đặt screen and `cchc settings` both come here."""
    if unit is None and officer is None:
        raise InvalidInput("profile_nothing")
    code = None if unit is None else task_service.resolve_unit(ws, unit)["code"]
    name = None if officer is None else nfc(officer.strip())
    if officer is not None and not name:
        raise InvalidInput("officer_missing")
    if code is not None:
        ws.set_setting(task_service.UNIT_KEY, code)
    if name is not None:
        ws.set_setting(task_service.OFFICER_KEY, name)
    return local_profile(ws)


def may_edit(ws: Workspace, task: TaskView) -> bool:
    """Whether this laptop offers edits of `task`: the same rule the task service and the sync
    policy apply (services.permissions: this laptop's certificate, else its unit setting), so
    the screen never offers an edit that would bounce."""
    return task_service.may_change_task(ws, task.lead_unit)


def document_file(ws: Workspace, sha256: str) -> Path:
    """The evidence file to open: beside the database, written from the synced bytes if a
    document arrived by sync and has not been opened on this laptop yet."""
    return materialize(ws.db.conn, ws.attachments_dir, sha256)
