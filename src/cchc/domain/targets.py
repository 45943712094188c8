"""The plan's targets (section I.2 a–f and the appendix's row 18) measured against actuals.

Each target has a metric computed from a figures table or from task states, and a threshold:
- a  PAR Index improved: this year's score > last year's (figures `par_index`, `…_previous`)
- b  city-assigned tasks done on time: tasks of origin "city" due by the period's end that were
     done on or before their due date / those due (%), threshold 100
- c  plan tasks done on time: the same over the plan's own tasks (origin "plan"), threshold 100
- d  inspections held: count of inspections of the zone's agencies, threshold 1
- e  dossiers tracked on the city's system / dossiers to handle (%), threshold 100
- f  satisfaction: (very satisfied + satisfied) / all answers (%), threshold 90
- t18 online payments / all public-service payments (%), threshold 80
A target with no data (nothing entered, nothing due yet, a zero denominator) is `no_data`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from cchc.domain.figures import Figures, ratio


class TargetStatus(StrEnum):
    """Where a target stands against its threshold."""

    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"


# Metric names, and the metric of each target code of the plan seed.
METRIC_BY_CODE = {
    "a": "par_index",
    "b": "city_tasks_on_time_rate",
    "c": "plan_tasks_on_time_rate",
    "d": "inspections_held",
    "e": "dossiers_tracked_rate",
    "f": "satisfaction_rate",
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
    "online_payment_share": "online_payment_rate",
    "online_payments_share": "online_payment_rate",
    "online_payment_pct": "online_payment_rate",
}


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


def metric_of(code: str, metric: str | None) -> str:
    """The metric a target measures: its seed metric if known, else the one of its code."""
    if metric in METRICS:
        return metric
    if metric in METRIC_ALIASES:
        return METRIC_ALIASES[metric]
    return METRIC_BY_CODE.get(code, metric or code)


def tasks_on_time(
    tasks: Iterable[TaskFact], origin: str, end: dt.date, unit_id: str | None = None
) -> tuple[int, int]:
    """(done on time, due) among tasks of `origin` whose due date falls on or before `end`.

    A task counts as done on time when it is done and its completion date is on or before its due
    date (and on or before `end`); done without a recorded date counts as on time, as in
    `cchc.domain.status.derive_state`. Standing duties and tasks whose date is set later have no due
    date and are not counted; dropped tasks are not counted either."""
    due = done = 0
    for task in tasks:
        if task.origin != origin or task.due is None or task.due > end or task.status == "dropped":
            continue
        if unit_id is not None and task.lead_unit_id != unit_id:
            continue
        due += 1
        if task.status == "done" and (
            task.done_on is None or (task.done_on <= task.due and task.done_on <= end)
        ):
            done += 1  # done with no date recorded counts as on time, as the task states do
    return done, due


def metric_values(
    fig: Figures, tasks: Iterable[TaskFact], end: dt.date, unit_id: str | None = None
) -> dict[str, dict[str, float | int | None]]:
    """Every metric's actual value with the inputs it was computed from."""
    tasks = list(tasks)
    city_done, city_due = tasks_on_time(tasks, "city", end, unit_id)
    plan_done, plan_due = tasks_on_time(tasks, "plan", end, unit_id)
    good = None
    if fig.survey_very_satisfied is not None or fig.survey_satisfied is not None:
        good = (fig.survey_very_satisfied or 0) + (fig.survey_satisfied or 0)
    return {
        "par_index": {
            "actual": fig.par_index,
            "previous": fig.par_index_previous,
        },
        "city_tasks_on_time_rate": {
            "actual": ratio(city_done, city_due),
            "done_on_time": city_done,
            "due": city_due,
        },
        "plan_tasks_on_time_rate": {
            "actual": ratio(plan_done, plan_due),
            "done_on_time": plan_done,
            "due": plan_due,
        },
        "inspections_held": {"actual": fig.inspections_held},
        "dossiers_tracked_rate": {
            "actual": fig.tracked_rate(),
            "tracked": fig.dossiers_tracked,
            "to_handle": fig.to_handle,
        },
        "satisfaction_rate": {
            "actual": fig.satisfaction(),
            "satisfied": good,
            "answers": fig.survey_answers,
        },
        "online_payment_rate": {
            "actual": fig.online_payment_share(),
            "online": fig.payments_online,
            "total": fig.payments_total,
        },
    }


def judge(spec: TargetSpec, values: dict[str, float | int | None]) -> TargetStatus:
    """met / not_met / no_data for one target given its metric's values."""
    actual = values.get("actual")
    if actual is None:
        return TargetStatus.NO_DATA
    if spec.op == "improved":
        previous = values.get("previous")
        if previous is None:
            return TargetStatus.NO_DATA
        return TargetStatus.MET if actual > previous else TargetStatus.NOT_MET
    if spec.threshold is None:
        return TargetStatus.NO_DATA
    return TargetStatus.MET if actual >= spec.threshold else TargetStatus.NOT_MET


def evaluate(
    specs: Iterable[TargetSpec],
    fig: Figures,
    tasks: Iterable[TaskFact],
    end: dt.date,
    unit_id: str | None = None,
) -> list[TargetResult]:
    """Each target computed from `fig` and the task states, for the period ending on `end`."""
    values = metric_values(fig, tasks, end, unit_id)
    out = []
    for spec in specs:
        metric = metric_of(spec.code, spec.metric)
        vals = values.get(metric, {"actual": None})
        actual = vals.get("actual")
        out.append(
            TargetResult(
                code=spec.code,
                title=spec.title,
                metric=metric,
                threshold=spec.threshold,
                actual=None if actual is None else float(actual),
                status=judge(spec, vals),
                detail={k: v for k, v in vals.items() if k != "actual"},
            )
        )
    return out
