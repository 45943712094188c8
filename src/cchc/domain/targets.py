"""The plan's targets (section I.2 a–f, and the appendix's rows 12, 13 and 18) measured against
actuals.

Each target has one or more measures, each a formula over reported figures or task states with a
threshold:
- a   PAR Index improved: this year's score > last year's (figures `par_index`, `…_previous`)
- b   every task the city assigned (origin "city") done on time, judged on all of them
- c   every task of the plan (origin "plan", all 26 rows) done on time, judged on all of them
- d   inspections held: read as "at least one inspection of the zone's agencies" (the plan gives
      no number)
- e   dossiers tracked on the city's system / dossiers to handle ≥ 100%; and its second sentence,
      overdue dossiers kept to a minimum: resolved late + pending overdue, shown against the
      dossiers handled (no number in the plan: none overdue is met, any overdue is at risk)
- f   two measures, each ≥ 90%: satisfaction with the handling of administrative procedures
      (survey answers) and satisfaction with UBND đặc khu's service (the score measured with Sở
      Nội vụ, row 2)
- t12 procedures published fully and on time / procedures to publish ≥ 100% (row 12)
- t13 procedures published on the zone's portal / procedures in force ≥ 100% (row 13)
- t18 online payments / all public-service payments ≥ 80% (row 18)

Targets b and c count every task, not only those due: at the period's cut-off a task is done on
time, done late, overdue, not yet due ("chưa đến hạn") or without a date yet (set later, on
demand); a standing duty ("Thường xuyên") is judged by its recurring products: one for each of
its cadence's reporting slots that closed in the period. A task dropped by an approved amendment
is no longer part of the plan and is listed apart, not counted.

Verdicts: met (every counted task done on time; or the figure reaches its threshold), on track
(nothing has failed and nothing pending is close to its date), at risk (nothing has failed yet,
but a pending task is due within `RISK_DAYS` of the cut-off, has not started past the middle of
its window, or a standing duty's product of the current slot is missing), not met (the target
can no longer be reached: a task done late, overdue, or a standing duty's product missing; or a
figure below its threshold), no data (nothing to judge).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from cchc.domain.figures import Figures, ratio

RISK_DAYS = 30  # a pending task due within this many days of the cut-off is at risk


class TargetStatus(StrEnum):
    """Where a target (or one of its measures) stands against its threshold."""

    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    NOT_MET = "not_met"
    NO_DATA = "no_data"
    NOT_STARTED = (
        "not_started"  # a target of the whole year with nothing done yet, the year running
    )


# Worst first: a target with several measures takes the first of these any measure has.
_SEVERITY = (
    TargetStatus.NOT_MET,
    TargetStatus.AT_RISK,
    TargetStatus.NOT_STARTED,
    TargetStatus.NO_DATA,
    TargetStatus.ON_TRACK,
    TargetStatus.MET,
)


class TaskVerdict(StrEnum):
    """Where one task stands at a period's cut-off."""

    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"
    NOT_YET_DUE = "not_yet_due"  # chưa đến hạn
    NO_DUE_DATE = "no_due_date"  # set later, on demand, or words not read: no date to judge by
    STANDING_KEPT = "standing_kept"  # every closed slot has its product
    STANDING_MISSING = "standing_missing"  # a closed slot's product is missing
    DROPPED = "dropped"  # dropped from the plan by an approved amendment: not counted
    ON_EVENT = "on_event"  # a standing duty done on each event: none recorded in the period
    BY_FIGURE = "by_figure"  # a standing duty judged by its own figure (a target): not counted


ON_TIME = (TaskVerdict.DONE_ON_TIME, TaskVerdict.STANDING_KEPT)
FAILED = (TaskVerdict.DONE_LATE, TaskVerdict.OVERDUE, TaskVerdict.STANDING_MISSING)
PENDING = (TaskVerdict.NOT_YET_DUE, TaskVerdict.NO_DUE_DATE, TaskVerdict.ON_EVENT)
NOT_COUNTED = (TaskVerdict.DROPPED, TaskVerdict.BY_FIGURE)
#: How the plan's words ask a standing duty to be judged, beside the reporting cadences: on each
#: event (a product when something happens: kept if any, never missing), or by a figure.
ON_EACH_EVENT = "event"
BY_ITS_FIGURE = "figure"


# Metric names, and the metric of each target code of the plan seed.
METRIC_BY_CODE = {
    "a": "par_index",
    "b": "city_tasks_on_time_rate",
    "c": "plan_tasks_on_time_rate",
    "d": "inspections_held",
    "e": "dossiers_tracked_rate",
    "f": "satisfaction_rate",
    "t12": "tthc_published_on_time_rate",
    "t13": "tthc_on_portal_rate",
    "t18": "online_payment_rate",
}
METRICS = frozenset(METRIC_BY_CODE.values())
# The seed may name a metric in its own words; these spellings mean the same metric.
METRIC_ALIASES = {
    "par_index_improved": "par_index",
    "city_tasks_done": "city_tasks_on_time_rate",
    "city_tasks_done_rate": "city_tasks_on_time_rate",
    "city_tasks_done_on_time": "city_tasks_on_time_rate",
    "city_tasks_done_on_time_rate": "city_tasks_on_time_rate",
    "plan_tasks_done_on_time": "plan_tasks_on_time_rate",
    "plan_tasks_done_on_time_rate": "plan_tasks_on_time_rate",
    "plan_tasks_done_rate": "plan_tasks_on_time_rate",
    "inspections": "inspections_held",
    "dossiers_tracked": "dossiers_tracked_rate",
    "tracked_rate": "dossiers_tracked_rate",
    "satisfaction": "satisfaction_rate",
    "satisfaction_pct": "satisfaction_rate",
    "tthc_published_on_time": "tthc_published_on_time_rate",
    "tthc_on_portal": "tthc_on_portal_rate",
    "online_payment_share": "online_payment_rate",
    "online_payments_share": "online_payment_rate",
    "online_payment_pct": "online_payment_rate",
}
TASK_METRICS = {"city_tasks_on_time_rate": "city", "plan_tasks_on_time_rate": "plan"}


@dataclass(frozen=True)
class TargetSpec:
    """A target as the plan states it: code, title, how it is compared, threshold."""

    code: str
    title: str
    metric: str
    op: str  # ">=" or "improved"
    threshold: float | None


@dataclass(frozen=True)
class TaskFact:
    """What the target formulas need to know of one task."""

    origin: str  # "plan", "city", "zone"
    lead_unit_id: str | None
    due: dt.date | None
    done_on: dt.date | None
    status: str  # "not_started", "in_progress", "done", "dropped"
    kind: str = "hard_date"  # the deadline kind of its time frame (cchc.domain.deadline)
    window_start: dt.date | None = None
    cadence: str | None = None  # standing duties: monthly, quarterly, half_yearly, yearly
    products: tuple[dt.date, ...] = ()  # dates of the products (documents) attached to it
    stt: int | None = None
    task_id: str = ""


@dataclass(frozen=True)
class Slot:
    """One reporting slot of a standing duty's cadence: its days and when its product is due."""

    start: dt.date
    end: dt.date
    due: dt.date


@dataclass(frozen=True)
class TaskJudgement:
    """One task judged at a cut-off."""

    task_id: str
    stt: int | None
    verdict: TaskVerdict
    due: dt.date | None
    at_risk: bool = False
    slots: int = 0  # standing duties: slots closed in the period
    missing: tuple[Slot, ...] = ()  # standing duties: closed slots without a product


@dataclass(frozen=True)
class Measure:
    """One measure of a target: its actual value against its threshold."""

    key: str
    op: str  # ">=", "improved", "minimal"
    threshold: float | None
    actual: float | None
    status: TargetStatus
    inputs: dict[str, float | int | None]


@dataclass(frozen=True)
class Note:
    """A remark a target's reading needs (key for the Vietnamese texts, and its values)."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class TargetResult:
    """A target computed for one scope and period."""

    code: str
    title: str
    metric: str
    threshold: float | None
    actual: float | None
    status: TargetStatus
    detail: dict[str, float | int | None]
    measures: tuple[Measure, ...] = ()
    tasks: tuple[TaskJudgement, ...] = ()
    notes: tuple[Note, ...] = ()


def metric_of(code: str, metric: str | None) -> str:
    """The metric a target measures: its seed metric if known, else the one of its code."""
    if metric in METRICS:
        return metric
    if metric in METRIC_ALIASES:
        return METRIC_ALIASES[metric]
    return METRIC_BY_CODE.get(code, metric or code)


# ---- tasks ---------------------------------------------------------------------------------------
def _standing(
    task: TaskFact, slots: Sequence[Slot], today: dt.date
) -> tuple[TaskVerdict, bool, tuple[Slot, ...]]:
    """A standing duty: each closed slot needs one product dated within its days (or by its due
    date); a product counts for one slot only."""
    if not slots:
        return TaskVerdict.NOT_YET_DUE, False, ()
    unused = sorted(task.products)
    missing: list[Slot] = []
    for slot in slots:
        found = next((d for d in unused if slot.start <= d <= slot.due), None)
        if found is None:
            missing.append(slot)
        else:
            unused.remove(found)
    if not missing:
        return TaskVerdict.STANDING_KEPT, False, ()
    if all(slot.due >= today for slot in missing):
        # Only the latest slot lacks its product and its due date has not passed yet.
        return TaskVerdict.NOT_YET_DUE, True, tuple(missing)
    return TaskVerdict.STANDING_MISSING, False, tuple(missing)


def judge_task(
    task: TaskFact,
    end: dt.date,
    today: dt.date,
    slots: Mapping[str, Sequence[Slot]],
    dropped: bool = False,
) -> TaskJudgement:
    """Where `task` stands at the cut-off `end`."""

    def out(verdict: TaskVerdict, at_risk: bool = False, **extra: object) -> TaskJudgement:
        return TaskJudgement(task.task_id, task.stt, verdict, task.due, at_risk, **extra)  # type: ignore[arg-type]

    if dropped or task.status == "dropped":
        return out(TaskVerdict.DROPPED)
    if task.kind == "standing" and task.due is None and task.cadence == BY_ITS_FIGURE:
        return out(TaskVerdict.BY_FIGURE)
    if task.kind == "standing" and task.due is None and task.cadence == ON_EACH_EVENT:
        happened = any(d <= end for d in task.products)
        return out(TaskVerdict.STANDING_KEPT if happened else TaskVerdict.ON_EVENT)
    if task.kind == "standing" and task.due is None:
        closed = slots.get(task.cadence or "monthly", ())
        verdict, risk, missing = _standing(task, closed, today)
        return out(verdict, risk, slots=len(closed), missing=missing)
    done_by_cutoff = task.status == "done" and (task.done_on is None or task.done_on <= end)
    if done_by_cutoff:
        # Done without a recorded date counts as on time, as the task states do.
        late = task.due is not None and task.done_on is not None and task.done_on > task.due
        return out(TaskVerdict.DONE_LATE if late else TaskVerdict.DONE_ON_TIME)
    if task.due is None:
        return out(TaskVerdict.NO_DUE_DATE)
    if end > task.due:
        return out(TaskVerdict.OVERDUE)
    at_risk = (task.due - end).days <= RISK_DAYS
    if task.status == "not_started" and task.window_start is not None:
        span = (task.due - task.window_start).days
        if span > 0 and (end - task.window_start).days * 2 > span:
            at_risk = True
    return out(TaskVerdict.NOT_YET_DUE, at_risk)


def judge_tasks(
    tasks: Iterable[TaskFact],
    origin: str,
    end: dt.date,
    today: dt.date,
    slots: Mapping[str, Sequence[Slot]],
    unit_id: str | None = None,
) -> list[TaskJudgement]:
    """Every task of `origin` (of one lead unit, if given) judged at the cut-off."""
    return [
        judge_task(t, end, today, slots)
        for t in tasks
        if t.origin == origin and (unit_id is None or t.lead_unit_id == unit_id)
    ]


def task_measure(key: str, judged: Sequence[TaskJudgement], threshold: float) -> Measure:
    """The share of counted tasks done on time, and the verdict it allows."""
    counts = {v.value: 0 for v in TaskVerdict}
    for j in judged:
        counts[j.verdict.value] += 1
    counted = sum(1 for j in judged if j.verdict not in NOT_COUNTED)
    on_time = sum(1 for j in judged if j.verdict in ON_TIME)
    failed = sum(1 for j in judged if j.verdict in FAILED)
    inputs: dict[str, float | int | None] = {
        "counted": counted,
        "done_on_time": on_time,
        "failed": failed,
        **counts,
    }
    actual = ratio(on_time, counted)
    if counted == 0 or actual is None:
        return Measure(key, ">=", threshold, None, TargetStatus.NO_DATA, inputs)
    if 100.0 * on_time / counted >= threshold:
        status = TargetStatus.MET
    elif 100.0 * (counted - failed) / counted < threshold:
        status = TargetStatus.NOT_MET  # even if every pending task were done on time
    elif any(j.at_risk for j in judged if j.verdict in PENDING):
        status = TargetStatus.AT_RISK
    else:
        status = TargetStatus.ON_TRACK
    return Measure(key, ">=", threshold, actual, status, inputs)


def tasks_on_time(
    tasks: Iterable[TaskFact], origin: str, end: dt.date, unit_id: str | None = None
) -> tuple[int, int]:
    """(done on time, counted) over every task of `origin`, at the cut-off `end`."""
    judged = judge_tasks(tasks, origin, end, end, {}, unit_id)
    counted = [j for j in judged if j.verdict not in NOT_COUNTED]
    return sum(1 for j in counted if j.verdict in ON_TIME), len(counted)


# ---- figures -------------------------------------------------------------------------------------
def _at_least(
    key: str, actual: float | None, threshold: float | None, inputs: dict[str, float | int | None]
) -> Measure:
    if actual is None or threshold is None:
        return Measure(key, ">=", threshold, actual, TargetStatus.NO_DATA, inputs)
    status = TargetStatus.MET if meets(actual, threshold) else TargetStatus.NOT_MET
    return Measure(key, ">=", threshold, actual, status, inputs)


def meets(actual: float, threshold: float) -> bool:
    """Whether an actual value meets an "at least" target (the plan's targets are minima)."""
    return actual >= threshold


def _improved(fig: Figures) -> Measure:
    inputs: dict[str, float | int | None] = {"previous": fig.par_index_previous}
    if fig.par_index is None or fig.par_index_previous is None:
        status = TargetStatus.NO_DATA
    else:
        status = (
            TargetStatus.MET if fig.par_index > fig.par_index_previous else TargetStatus.NOT_MET
        )
    return Measure("par_index", "improved", None, fig.par_index, status, inputs)


def _overdue_minimal(fig: Figures) -> Measure:
    """Target e's second sentence: overdue dossiers kept to a minimum (no number is given)."""
    late = fig.resolved_late
    overdue = fig.pending_overdue
    handled = None
    if fig.resolved is not None or fig.pending is not None:
        handled = (fig.resolved or 0) + (fig.pending or 0)
    inputs: dict[str, float | int | None] = {
        "resolved_late": late,
        "pending_overdue": overdue,
        "handled": handled,
    }
    if handled is None:  # no outcome entered at all; an outcome left blank counts as none
        return Measure("overdue_dossiers", "minimal", 0, None, TargetStatus.NO_DATA, inputs)
    count = (late or 0) + (overdue or 0)
    inputs["overdue"] = count
    share = ratio(count, handled) if handled else None
    status = TargetStatus.MET if count == 0 else TargetStatus.AT_RISK
    return Measure("overdue_dossiers", "minimal", 0, share, status, inputs)


def figure_measures(spec: TargetSpec, metric: str, fig: Figures) -> list[Measure]:
    """The measures of a target computed from the figures table."""
    threshold = spec.threshold
    if metric == "par_index":
        return [_improved(fig)]
    if metric == "inspections_held":
        value = None if fig.inspections_held is None else float(fig.inspections_held)
        return [_at_least(metric, value, threshold, {})]
    if metric == "dossiers_tracked_rate":
        tracked = _at_least(
            metric,
            fig.tracked_rate(),
            threshold,
            {"tracked": fig.dossiers_tracked, "to_handle": fig.to_handle},
        )
        return [tracked, _overdue_minimal(fig)]
    if metric == "satisfaction_rate":
        good = None
        if fig.survey_very_satisfied is not None or fig.survey_satisfied is not None:
            good = (fig.survey_very_satisfied or 0) + (fig.survey_satisfied or 0)
        tthc = _at_least(
            "satisfaction_tthc",
            fig.satisfaction(),
            threshold,
            {"satisfied": good, "answers": fig.survey_answers},
        )
        service = _at_least("satisfaction_service", fig.service_satisfaction, threshold, {})
        return [tthc, service]
    if metric == "tthc_published_on_time_rate":
        return [
            _at_least(
                metric,
                ratio(fig.tthc_published_on_time or 0, fig.tthc_to_publish)
                if fig.tthc_published_on_time is not None
                else None,
                threshold,
                {"published": fig.tthc_published_on_time, "to_publish": fig.tthc_to_publish},
            )
        ]
    if metric == "tthc_on_portal_rate":
        return [
            _at_least(
                metric,
                ratio(fig.tthc_on_portal or 0, fig.tthc_in_force)
                if fig.tthc_on_portal is not None
                else None,
                threshold,
                {"on_portal": fig.tthc_on_portal, "in_force": fig.tthc_in_force},
            )
        ]
    if metric == "online_payment_rate":
        return [
            _at_least(
                metric,
                fig.online_payment_share(),
                threshold,
                {"online": fig.payments_online, "total": fig.payments_total},
            )
        ]
    return [Measure(metric, spec.op, threshold, None, TargetStatus.NO_DATA, {})]


def overall(measures: Sequence[Measure]) -> TargetStatus:
    """A target's verdict: the worst of its measures'."""
    found = {m.status for m in measures}
    return next((s for s in _SEVERITY if s in found), TargetStatus.NO_DATA)


def evaluate(
    specs: Iterable[TargetSpec],
    fig: Figures,
    tasks: Iterable[TaskFact],
    end: dt.date,
    unit_id: str | None = None,
    *,
    today: dt.date | None = None,
    slots: Mapping[str, Sequence[Slot]] | None = None,
) -> list[TargetResult]:
    """Each target computed from `fig` and the task states, for the period ending on `end`.

    `today` is the day the report is made (a standing duty's product of a slot whose due date has
    not come yet is awaited, not missing); `slots` are the reporting slots of each cadence that
    closed in the period."""
    tasks = list(tasks)
    as_of = today or end
    cadence_slots = slots or {}
    out = []
    for spec in specs:
        metric = metric_of(spec.code, spec.metric)
        judged: list[TaskJudgement] = []
        notes: list[Note] = []
        if metric in TASK_METRICS:
            origin = TASK_METRICS[metric]
            judged = judge_tasks(tasks, origin, end, as_of, cadence_slots, unit_id)
            measures = [task_measure(metric, judged, spec.threshold or 100.0)]
            waiting = [j for j in judged if j.verdict is TaskVerdict.NOT_YET_DUE]
            if waiting:
                notes.append(Note("not_yet_due", {"count": len(waiting), "end": end}))
            if not judged:
                notes.append(Note(f"no_{origin}_tasks"))
        else:
            measures = figure_measures(spec, metric, fig)
        first = measures[0]
        out.append(
            TargetResult(
                code=spec.code,
                title=spec.title,
                metric=metric,
                threshold=spec.threshold,
                actual=None if first.actual is None else float(first.actual),
                status=overall(measures),
                detail=dict(first.inputs),
                measures=tuple(measures),
                tasks=tuple(judged),
                notes=tuple(notes),
            )
        )
    return out
