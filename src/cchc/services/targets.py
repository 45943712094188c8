"""The plan's targets against actuals, per unit or for the zone, per period or year to date."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from pydantic import BaseModel

from cchc.domain.dates import format_vn_date, from_iso
from cchc.domain.errors import InvalidInput
from cchc.domain.figures import (
    Figures,
    StockConflict,
    combine_units,
    sum_sequential,
    with_values,
)
from cchc.domain.numbers import format_number
from cchc.domain.periods import QUARTERS, Period, PeriodCalendar, PeriodKind
from cchc.domain.targets import (
    Note,
    Slot,
    TargetResult,
    TargetSpec,
    TargetStatus,
    TaskFact,
    TaskVerdict,
    evaluate,
)
from cchc.services import reports as report_service
from cchc.services.letterhead import letterhead
from cchc.services.periods import calendar, parse_period
from cchc.services.plan import default_year, plan_in_force
from cchc.services.tasks import resolve_unit
from cchc.services.workspace import Workspace
from cchc.store import reports_repo as repo
from cchc.store import tasks_repo
from cchc.texts import reports as T

#: Targets of the whole year counted in events, and their figures: judged on the year so far.
YEAR_COUNTS = ("inspections_held",)
YEAR_COUNT_FIELDS = ("inspections_held",)


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
    short: str = ""  # its short name by what it measures; a target on scores names the year
    year: int | None = None  # the year the target's figures measure
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
    final: bool = False  # the year is over: the verdicts are final
    notes: list[str] = []  # conflicting stocks, cumulative reports that disagree with their parts
    targets: list[TargetRow]


def specs(ws: Workspace, year: int | None = None) -> list[TargetSpec]:
    """The targets as the plan in force in `year` states them (the default year's)."""
    year = plan_in_force(ws, year if year is not None else default_year(ws))
    return [
        TargetSpec(
            code=t["code"],
            title=t["text"],
            metric=t["metric"],
            op=t["op"],
            threshold=t["threshold"],
        )
        for t in repo.targets(ws.db.conn, year)
    ]


def _claimed(fact: TaskFact, state: str | None, day: dt.date) -> TaskFact:
    """A task as a report's line states it on the report's date `day`: a line may say a task was
    done that tracking has not recorded as done (the unit's own word in its report); the targets
    of that report then count it done, as its line says (late if the line says late)."""
    if state not in ("done_on_time", "done_late") or fact.status in ("done", "dropped"):
        return fact
    return replace(fact, status="done", done_on=day if state == "done_late" else None)


def task_facts(ws: Workspace, year: int | None = None) -> list[TaskFact]:
    """Every task of the plan in force in `year` (the default year's) as the target formulas
    see it, with the dates of its products."""
    conn = ws.db.conn
    year = plan_in_force(ws, year if year is not None else default_year(ws))
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
        for t in tasks_repo.all_tasks(conn, year)
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


def target_rows(
    results: list[TargetResult],
    per: Period | None,
    end: dt.date,
    year: int | None = None,
    kind: str = "",
) -> list[TargetRow]:
    """The domain's results as the rows the CLI, the UI and the report show; `year` is the year
    the figures measure (the period's, or the year asked), named beside every score; `kind` is
    the zone's kind as the plan of the year names it ("xã", "đặc khu")."""
    year = per.year if per is not None else year
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
                reading=T.target_reading(r.metric, r.threshold, kind, year),
                short=T.target_short(r.metric, r.code, r.title, kind, year),
                year=year,
                measures=[
                    MeasureRow(
                        key=m.key,
                        label=T.measure_label(m.key, kind, year),
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


def _rows_by_unit(ws: Workspace, period: Period, unit_id: str | None) -> dict[str, dict[str, Any]]:
    """The report row each unit stands by for a period: a unit's newest revision (draft or not)
    when one unit is asked for; for the zone, every unit's newest submitted one."""
    conn = ws.db.conn
    if unit_id is not None:
        row = report_service.latest(
            repo.reports(conn, period=period.code, scope="unit", unit_id=unit_id)
        )
        return {} if row is None else {unit_id: row}
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for r in repo.reports(conn, period=period.code, scope="unit"):
        by_unit.setdefault(r["unit_id"], []).append(r)
    chosen = {u: report_service.latest(v, submitted_only=True) for u, v in by_unit.items()}
    return {u: r for u, r in chosen.items() if r is not None}


def figures_for(ws: Workspace, period: Period, unit_id: str | None) -> Figures | None:
    """A unit's figures of a period, or the zone's (flows summed, stocks from the unit that owns
    them). None when nothing was reported."""
    rows = _rows_by_unit(ws, period, unit_id)
    if not rows:
        return None
    if unit_id is not None:
        return report_service.figures_of(ws.db.conn, rows[unit_id]["id"])
    fig, _ = report_service.zone_figures(ws, list(rows.values()), period.year)
    return fig


class YearToDate(BaseModel):
    """The figures of the year so far, and how they were put together."""

    figures: Figures
    periods: list[str]  # the periods whose figures were used, per unit in order
    end: dt.date | None  # the last day covered
    differences: list[str] = []  # where a cumulative report and its parts disagree (notes)
    conflicts: list[str] = []  # stocks two units gave differently (notes)


def _chains(
    pieces: list[tuple[Period, Figures]], start: dt.date
) -> list[list[tuple[Period, Figures]]]:
    """Every run of reported periods laid end to end from `start` (15/12 of the year before)."""
    out: list[list[tuple[Period, Figures]]] = []

    def walk(day: dt.date, chain: list[tuple[Period, Figures]]) -> None:
        if chain:
            out.append(chain)
        for per, fig in pieces:
            if per.start == day:
                walk(per.end + dt.timedelta(days=1), [*chain, (per, fig)])

    walk(start, [])
    return out


_FLOW_CHECKED = (
    "received_direct",
    "received_online_full",
    "resolved_on_time",
    "payments_total",
    "payments_online",
    "inspections_held",
)


def _unit_year(
    ws: Workspace, year: int, unit_id: str, until: dt.date, rows_of: Any
) -> tuple[Figures, list[str], dt.date | None, list[str]]:
    """One unit's year so far (to `until`): the run of its reports covering the most days, a
    cumulative report preferred to the sum of its parts; a part-sum that disagrees with the
    cumulative report covering the same days is named."""
    cal = calendar()
    pieces: list[tuple[Period, Figures]] = []
    for per in cal.year_periods(year):
        if per.end > until:
            continue
        row = rows_of(per).get(unit_id)
        if row is not None:
            pieces.append((per, report_service.figures_of(ws.db.conn, row["id"])))
    year_start = cal.period(year, PeriodKind.YEAR).start
    chains = _chains(pieces, year_start)
    if not chains:
        return Figures(), [], None, []
    best_end = max(c[-1][0].end for c in chains)
    reaching = sorted((c for c in chains if c[-1][0].end == best_end), key=len)
    chosen = reaching[0]
    fig = sum_sequential(f for _, f in chosen)
    differences: list[str] = []
    for other in reaching[1:]:
        alt = sum_sequential(f for _, f in other)
        for name in _FLOW_CHECKED:
            a, b = getattr(fig, name), getattr(alt, name)
            if a is not None and b is not None and a != b:
                differences.append(
                    T.TARGET_NOTES["cumulative_differs"].format(
                        field=T.FIGURE_LABELS[name],
                        one="+".join(p.code for p, _ in chosen),
                        a=a,
                        other="+".join(p.code for p, _ in other),
                        b=b,
                    )
                )
    return fig, [p.code for p, _ in chosen], best_end, list(dict.fromkeys(differences))


def year_to_date(
    ws: Workspace, year: int, unit_id: str | None, until: dt.date | None = None
) -> YearToDate:
    """The figures of the year so far (to `until`, the year's cut-off by default), per unit: the
    run of its reports (months, quarters, 6 and 9 months, the year) laid end to end from the
    year's first day that covers the most days; for the zone, the units' runs combined (flows
    summed, stocks from their owner)."""
    cal = calendar()
    until = until or cal.period(year, PeriodKind.YEAR).end
    cache: dict[str, dict[str, dict[str, Any]]] = {}

    def rows_of(per: Period) -> dict[str, dict[str, Any]]:
        if per.code not in cache:
            cache[per.code] = _rows_by_unit(ws, per, unit_id)
        return cache[per.code]

    units = (
        [unit_id]
        if unit_id is not None
        else [
            u["id"] for u in repo.units(ws.db.conn) if u["role"] in report_service.REPORTING_ROLES
        ]
    )
    per_unit: dict[str, Figures] = {}
    used: list[str] = []
    ends: list[dt.date] = []
    differences: list[str] = []
    for u in units:
        fig, codes, end, diffs = _unit_year(ws, year, u, until, rows_of)
        if end is None:
            continue
        per_unit[u] = fig
        used += [c for c in codes if c not in used]
        ends.append(end)
        differences += diffs
    if not per_unit:
        return YearToDate(figures=Figures(), periods=[], end=None)
    if unit_id is not None:
        return YearToDate(
            figures=per_unit[unit_id], periods=used, end=max(ends), differences=differences
        )
    fig, conflicts = combine_units(per_unit, report_service.stock_owners(ws, year))
    return YearToDate(
        figures=fig,
        periods=used,
        end=max(ends),
        differences=differences,
        conflicts=[conflict_note(ws, c) for c in conflicts],
    )


def conflict_note(ws: Workspace, conflict: StockConflict) -> str:
    """A stock two units entered differently, in words."""
    names = {u["id"]: u["name"] for u in repo.units(ws.db.conn)}
    values = "; ".join(
        f"{names.get(u, u)}: {format_number(v, decimals=2)}" for u, v in conflict.values
    )
    return T.TARGET_NOTES["stock_conflict"].format(
        field=T.FIGURE_LABELS[conflict.field],
        values=values,
        kept=T.NOT_ENTERED if conflict.kept is None else format_number(conflict.kept, decimals=2),
    )


def _finalize(results: list[TargetResult]) -> list[TargetResult]:
    """After the year's last day nothing is pending: what is not met is not met."""
    pending = (TargetStatus.ON_TRACK, TargetStatus.AT_RISK, TargetStatus.NOT_STARTED)

    def final(status: TargetStatus) -> TargetStatus:
        return TargetStatus.NOT_MET if status in pending else status

    return [
        replace(
            r,
            status=final(r.status),
            measures=tuple(replace(m, status=final(m.status)) for m in r.measures),
        )
        for r in results
    ]


def _not_started(results: list[TargetResult]) -> list[TargetResult]:
    """A target of the whole year counted in events (inspections held) is "chưa thực hiện"
    while the year runs and nothing has happened yet: not failed before the year is over."""
    out = []
    for r in results:
        if r.metric in YEAR_COUNTS and r.status in (TargetStatus.NOT_MET, TargetStatus.NO_DATA):
            measures = tuple(replace(m, status=TargetStatus.NOT_STARTED) for m in r.measures)
            r = replace(r, status=TargetStatus.NOT_STARTED, measures=measures)
        out.append(r)
    return out


def _signed_slots(ws: Workspace, slots: dict[str, list[Slot]], year: int) -> dict[str, list[Slot]]:
    """The reporting slots a standing duty owes a product for: those the plan in force in `year`
    was in force for at least half of. The first month (15/12/2025→14/01/2026) began before the
    plan was signed on 07/01/2026 and owes nothing; the year's slot (15/12/2025→14/12/2026),
    which row 16's yearly "Báo cáo kết quả thực hiện" answers, does."""
    header = repo.plan_header(ws.db.conn, plan_in_force(ws, year))
    signed = from_iso(header["date"]) if header else None
    if signed is None:
        return slots

    def owed(slot: Slot) -> bool:
        return (slot.end - signed).days * 2 >= (slot.end - slot.start).days

    return {k: [s for s in v if owed(s)] for k, v in slots.items()}


def _zone_kind(ws: Workspace, year: int) -> str:
    head = letterhead(ws.db.conn, year)
    return head.kind if head is not None else ""


def _plan_year(ws: Workspace) -> int:
    return default_year(ws)


def measure(
    ws: Workspace,
    *,
    period: str | None = None,
    unit: str | None = None,
    final_year: int | None = None,
    as_of: dt.date | None = None,
    lines: dict[str, str] | None = None,
) -> TargetsView:
    """Each target for a unit (or the zone), for a period (or the year to date).

    Targets of the whole year are judged on the year so far: the year's figures laid end to end
    from every kind of report (`year_to_date`), and, within a period's report, the year up to
    that period's cut-off for the targets counted in events (inspections). After the year's last
    day the year to date is the final verdict (`final_year` asks for it and refuses it before):
    the tasks judged at 31/12, nothing left "on track" or "at risk". `as_of`, for a period,
    is a report's reference date: the targets judge its tasks on the day its lines state;
    `lines` (task id → state) are that report's task lines: a task its line says was done is
    counted done."""
    unit_row = resolve_unit(ws, unit) if unit else None
    unit_id = unit_row["id"] if unit_row else None
    cal = calendar()
    today = ws.today()
    per: Period | None = None
    notes: list[str] = []
    final = False
    if period:
        per = parse_period(period)
        year = per.year
        rows = _rows_by_unit(ws, per, unit_id)
        fig = figures_for(ws, per, unit_id) or Figures()
        if unit_id is None and rows:
            _, conflicts = report_service.zone_figures(ws, list(rows.values()), per.year)
            notes += [conflict_note(ws, c) for c in conflicts]
        year = per.year
        year_so_far = year_to_date(ws, per.year, unit_id, until=per.end)
        counts = {n: getattr(year_so_far.figures, n) for n in YEAR_COUNT_FIELDS}
        fig = with_values(fig, counts)
        used = [per.code] if rows else []
        start, end, label = per.start, per.end, per.code
        as_of = as_of or (min(end, today) if today >= start else end)
    else:
        year = final_year or _plan_year(ws)
        last_day = dt.date(year, 12, 31)
        if final_year is not None and today <= last_day:
            raise InvalidInput(
                "targets_final_early", value=str(year), date=format_vn_date(last_day)
            )
        year_period = cal.period(year, PeriodKind.YEAR)
        ytd = year_to_date(ws, year, unit_id)
        fig, used = ytd.figures, ytd.periods
        notes += ytd.differences + ytd.conflicts
        start = year_period.start
        final = today > last_day
        if final:
            end, label = last_day, T.TARGETS_FINAL_LABEL.format(year=year)
        else:
            end, label = min(today, year_period.end), T.TARGETS_YTD_LABEL.format(year=year)
        as_of = end if final else (min(end, today) if today >= start else end)
    results = evaluate(
        specs(ws, year),
        fig,
        [_claimed(f, (lines or {}).get(f.task_id), as_of) for f in task_facts(ws, year)],
        as_of,
        unit_id,
        today=today,
        slots=_signed_slots(ws, cadence_slots(cal, start, as_of), year),
    )
    results = _finalize(results) if final else _not_started(results)
    return TargetsView(
        scope=unit_row["code"] if unit_row else "zone",
        scope_name=unit_row["name"] if unit_row else None,
        period=label,
        start=start.isoformat(),
        end=end.isoformat(),
        figures_from=used,
        as_of=as_of.isoformat(),
        final=final,
        notes=list(dict.fromkeys(notes)),
        targets=target_rows(results, per, as_of, year, _zone_kind(ws, end.year)),
    )
