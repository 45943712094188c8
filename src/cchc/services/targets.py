"""The plan's targets against actuals, per unit or for the zone, per period or year to date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from cchc.domain.dates import from_iso
from cchc.domain.figures import Figures, sum_parallel, sum_sequential
from cchc.domain.periods import CUMULATIVE, Period, PeriodKind
from cchc.domain.targets import TargetSpec, TaskFact, evaluate
from cchc.services import reports as report_service
from cchc.services.periods import calendar, parse_period
from cchc.services.tasks import resolve_unit
from cchc.services.workspace import Workspace
from cchc.store import reports_repo as repo
from cchc.store import tasks_repo


class TargetRow(BaseModel):
    """One target measured: what the CLI prints and the UI shows."""

    code: str
    title: str
    metric: str
    threshold: float | None
    actual: float | None
    status: str  # met, not_met, no_data
    detail: dict[str, float | int | None]


class TargetsView(BaseModel):
    """Targets of one scope over one span of days, and where the figures came from."""

    scope: str  # "zone" or a unit code
    scope_name: str | None
    period: str  # the PERIOD asked, or "2026 (lũy kế)" for year to date
    start: str
    end: str
    figures_from: list[str]  # the periods whose figures were used
    targets: list[TargetRow]


def specs(ws: Workspace) -> list[TargetSpec]:
    """The targets as the plan states them."""
    return [
        TargetSpec(
            code=t["code"],
            title=t["text"],
            metric=t["metric"],
            op=t["op"],
            threshold=t["threshold"],
        )
        for t in repo.targets(ws.db.conn)
    ]


def task_facts(ws: Workspace) -> list[TaskFact]:
    dropped = repo.dropped_task_ids(ws.db.conn)
    return [
        TaskFact(
            origin=t["origin"],
            lead_unit_id=t["lead_unit_id"],
            due=from_iso(t["due"]),
            done_on=from_iso(t["done_on"]),
            status="dropped" if t["id"] in dropped else t["status"],
        )
        for t in tasks_repo.all_tasks(ws.db.conn)
    ]


def figures_for(ws: Workspace, period: Period, unit_id: str | None) -> Figures | None:
    """A unit's figures of a period (its newest revision, draft or not), or the zone's: the sum
    of every unit's newest submitted report. None when nothing was reported."""
    conn = ws.db.conn
    if unit_id is not None:
        rows = repo.reports(conn, period=period.code, scope="unit", unit_id=unit_id)
        row = report_service.latest(rows)
        return None if row is None else report_service.figures_of(conn, row["id"])
    rows = repo.reports(conn, period=period.code, scope="unit")
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_unit.setdefault(r["unit_id"], []).append(r)
    chosen = [report_service.latest(v, submitted_only=True) for v in by_unit.values()]
    picked = [c for c in chosen if c is not None]
    if not picked:
        return None
    return sum_parallel(report_service.figures_of(conn, r["id"]) for r in picked)


def year_to_date(
    ws: Workspace, year: int, unit_id: str | None
) -> tuple[Figures, list[str], dt.date | None]:
    """The figures covering the most days of the year so far: the latest cumulative report
    (year, 9 months, 6 months, Q1) or the run of monthly reports from January, whichever ends
    later. Returns the figures, the periods used and the last day they cover."""
    cal = calendar()
    best: tuple[Figures, list[str], dt.date | None] = (Figures(), [], None)
    for kind in reversed(CUMULATIVE):
        per = cal.period(year, kind)
        fig = figures_for(ws, per, unit_id)
        if fig is not None:
            best = (fig, [per.code], per.end)
            break
    months: list[tuple[Period, Figures]] = []
    for m in range(1, 13):
        per = cal.period(year, PeriodKind.MONTH, m)
        fig = figures_for(ws, per, unit_id)
        if fig is None:
            break
        months.append((per, fig))
    if months and (best[2] is None or months[-1][0].end > best[2]):
        best = (
            sum_sequential(f for _, f in months),
            [p.code for p, _ in months],
            months[-1][0].end,
        )
    return best


def measure(ws: Workspace, *, period: str | None = None, unit: str | None = None) -> TargetsView:
    """Each target for a unit (or the zone), for a period (or the year to date)."""
    unit_row = resolve_unit(ws, unit) if unit else None
    unit_id = unit_row["id"] if unit_row else None
    if period:
        per = parse_period(period)
        fig = figures_for(ws, per, unit_id) or Figures()
        used = [per.code] if fig != Figures() else []
        start, end, label = per.start, per.end, per.code
    else:
        header = repo.plan_header(ws.db.conn)
        today = ws.today()
        year = int(header["year"]) if header else today.year
        year_period = calendar().period(year, PeriodKind.YEAR)
        fig, used, _ = year_to_date(ws, year, unit_id)
        start = year_period.start
        end = min(today, year_period.end)
        label = f"{year}-YTD"
    results = evaluate(specs(ws), fig, task_facts(ws), end, unit_id)
    return TargetsView(
        scope=unit_row["code"] if unit_row else "zone",
        scope_name=unit_row["name"] if unit_row else None,
        period=label,
        start=start.isoformat(),
        end=end.isoformat(),
        figures_from=used,
        targets=[
            TargetRow(
                code=r.code,
                title=r.title,
                metric=r.metric,
                threshold=r.threshold,
                actual=r.actual,
                status=r.status.value,
                detail=r.detail,
            )
            for r in results
        ],
    )
