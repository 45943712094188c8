"""The plan's targets against actuals, per unit or for the zone, per period or year to date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from cchc.domain.dates import format_vn_date, from_iso
from cchc.domain.figures import Figures, sum_parallel, sum_sequential
from cchc.domain.periods import CUMULATIVE, QUARTERS, Period, PeriodCalendar, PeriodKind
from cchc.domain.targets import (
    Note,
    Slot,
    TargetResult,
    TargetSpec,
    TaskFact,
    TaskVerdict,
    evaluate,
)
from cchc.services import reports as report_service
from cchc.services.periods import calendar, parse_period
from cchc.services.tasks import resolve_unit
from cchc.services.workspace import Workspace
from cchc.store import reports_repo as repo
from cchc.store import tasks_repo
from cchc.texts import reports as T


class MeasureRow(BaseModel):
    """One measure of a target (target f has two, target e two)."""

    key: str
    label: str
    op: str  # ">=", "improved", "minimal"
    threshold: float | None
    actual: float | None
    status: str
    inputs: dict[str, float | int | None]


class TaskStanding(BaseModel):
    """Where one task stands at the cut-off, for targets b and c."""

    task_id: str
    stt: int | None
    verdict: str  # cchc.domain.targets.TaskVerdict
    verdict_text: str
    due: str | None
    at_risk: bool
    slots: int  # standing duties: reporting slots closed in the period
    missing: list[str]  # standing duties: slots without a product, "dd/mm/yyyy–dd/mm/yyyy"


class TargetRow(BaseModel):
    """One target measured: what the CLI prints and the UI shows."""

    code: str
    title: str
    metric: str
    threshold: float | None
    actual: float | None
    status: str  # met, on_track, at_risk, not_met, no_data
    detail: dict[str, float | int | None]
    reading: str = ""  # how the target is read (its formula in words)
    measures: list[MeasureRow] = []
    tasks: list[TaskStanding] = []
    notes: list[str] = []


class TargetsView(BaseModel):
    """Targets of one scope over one span of days, and where the figures came from."""

    scope: str  # "zone" or a unit code
    scope_name: str | None
    period: str  # the PERIOD asked, or "2026 (lũy kế)" for year to date
    start: str
    end: str
    figures_from: list[str]  # the periods whose figures were used
    as_of: str = ""  # the day tasks were judged at: the cut-off, or today if it comes first
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
    """Every task as the target formulas see it, with the dates of its products."""
    conn = ws.db.conn
    dropped = repo.dropped_task_ids(conn)
    products = repo.product_dates(conn)
    return [
        TaskFact(
            origin=t["origin"],
            lead_unit_id=t["lead_unit_id"],
            due=from_iso(t["due"]),
            done_on=from_iso(t["done_on"]),
            status="dropped" if t["id"] in dropped else t["status"],
            kind=t["deadline_kind"],
            window_start=from_iso(t["window_start"]),
            cadence=t["cadence"],
            products=tuple(dt.date.fromisoformat(d) for d in products.get(t["id"], [])),
            stt=t["stt"],
            task_id=t["id"],
        )
        for t in tasks_repo.all_tasks(conn)
    ]


def cadence_slots(cal: PeriodCalendar, start: dt.date, end: dt.date) -> dict[str, list[Slot]]:
    """For each cadence of standing duties, its reporting slots lying within start..end."""
    years = range(start.year, end.year + 2)  # a year's periods start on 15/12 of the year before

    def within(periods: list[Period]) -> list[Slot]:
        return [Slot(p.start, p.end, p.due) for p in periods if p.start >= start and p.end <= end]

    months = [cal.period(y, PeriodKind.MONTH, m) for y in years for m in range(1, 13)]
    quarters = [cal.period(y, q) for y in years for q in QUARTERS]
    halves: list[Period] = []
    for y in years:
        first, whole = cal.period(y, PeriodKind.H1), cal.period(y, PeriodKind.YEAR)
        second = whole.model_copy(
            update={"code": f"{y}-H2", "start": first.end + dt.timedelta(days=1)}
        )
        halves += [first, second]
    return {
        "monthly": within(months),
        "quarterly": within(quarters),
        "half_yearly": within(halves),
        "yearly": within([cal.period(y, PeriodKind.YEAR) for y in years]),
    }


def _note_text(note: Note) -> str:
    params = {k: format_vn_date(v) if isinstance(v, dt.date) else v for k, v in note.params.items()}
    return T.TARGET_NOTES[note.key].format(**params)


def _annual_note(result: TargetResult, per: Period | None, end: dt.date) -> list[str]:
    """The annual report's cut-off falls before the tasks' 31/12 deadline: say so plainly."""
    if per is None or per.kind is not PeriodKind.YEAR:
        return []
    later = [
        j.due
        for j in result.tasks
        if j.verdict is TaskVerdict.NOT_YET_DUE and j.due is not None and j.due.year == per.year
    ]
    if not later:
        return []
    note = Note("annual_cutoff", {"end": end, "deadline": max(later), "count": len(later)})
    return [_note_text(note)]


def target_rows(results: list[TargetResult], per: Period | None, end: dt.date) -> list[TargetRow]:
    """The domain's results as the rows the CLI, the UI and the report show."""
    rows = []
    for r in results:
        rows.append(
            TargetRow(
                code=r.code,
                title=r.title,
                metric=r.metric,
                threshold=r.threshold,
                actual=r.actual,
                status=r.status.value,
                detail=r.detail,
                reading=T.TARGET_READING.get(r.code, ""),
                measures=[
                    MeasureRow(
                        key=m.key,
                        label=T.MEASURE_LABELS.get(m.key, m.key),
                        op=m.op,
                        threshold=m.threshold,
                        actual=m.actual,
                        status=m.status.value,
                        inputs=m.inputs,
                    )
                    for m in r.measures
                ],
                tasks=[
                    TaskStanding(
                        task_id=j.task_id,
                        stt=j.stt,
                        verdict=j.verdict.value,
                        verdict_text=T.TASK_VERDICTS[j.verdict.value],
                        due=j.due.isoformat() if j.due else None,
                        at_risk=j.at_risk,
                        slots=j.slots,
                        missing=[
                            f"{format_vn_date(s.start)}–{format_vn_date(s.end)}" for s in j.missing
                        ],
                    )
                    for j in r.tasks
                ],
                notes=[_note_text(n) for n in r.notes] + _annual_note(r, per, end),
            )
        )
    return rows


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
    per: Period | None = None
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
    # Tasks are judged at the cut-off, or today while the period is still running.
    today = ws.today()
    as_of = min(end, today) if today >= start else end
    results = evaluate(
        specs(ws),
        fig,
        task_facts(ws),
        as_of,
        unit_id,
        today=today,
        slots=cadence_slots(calendar(), start, as_of),
    )
    return TargetsView(
        scope=unit_row["code"] if unit_row else "zone",
        scope_name=unit_row["name"] if unit_row else None,
        period=label,
        start=start.isoformat(),
        end=end.isoformat(),
        figures_from=used,
        as_of=as_of.isoformat(),
        targets=target_rows(results, per, as_of),
    )
