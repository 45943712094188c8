"""Targets against actuals: each formula on hand-worked figures and task states."""

from __future__ import annotations

import datetime as dt

from cchc.domain.figures import Figures
from cchc.domain.targets import TargetSpec, TargetStatus, TaskFact, evaluate, tasks_on_time

D = dt.date
SPECS = [
    TargetSpec("a", "PAR Index", "par_index", "improved", None),
    TargetSpec("b", "city tasks", "city_tasks_done", ">=", 100),
    TargetSpec("c", "plan tasks", "plan_tasks_on_time", ">=", 100),
    TargetSpec("d", "inspections", "inspections_held", ">=", 1),
    TargetSpec("e", "tracked", "dossiers_tracked", ">=", 100),
    TargetSpec("f", "satisfaction", "satisfaction", ">=", 90),
    TargetSpec("t18", "online payments", "online_payment_share", ">=", 80),
]
TASKS = [
    TaskFact("plan", "u1", D(2026, 1, 15), D(2026, 1, 10), "done"),  # on time
    TaskFact("plan", "u1", D(2026, 3, 31), D(2026, 4, 2), "done"),  # late
    TaskFact("plan", "u2", D(2026, 3, 31), None, "in_progress"),  # due, not done
    TaskFact("plan", "u2", D(2026, 12, 31), None, "not_started"),  # not due by 14/06
    TaskFact("plan", "u2", None, None, "in_progress"),  # standing duty
    TaskFact("city", "u1", D(2026, 5, 30), D(2026, 5, 1), "done"),
    TaskFact("city", "u2", D(2026, 2, 1), D(2026, 2, 1), "done"),
]


def _by_code(results):
    return {r.code: r for r in results}


def test_tasks_on_time_counts_those_due_by_the_end_and_done_by_their_due_date():
    assert tasks_on_time(TASKS, "plan", D(2026, 6, 14)) == (1, 3)
    assert tasks_on_time(TASKS, "plan", D(2026, 6, 14), unit_id="u2") == (0, 1)
    assert tasks_on_time(TASKS, "city", D(2026, 6, 14)) == (2, 2)
    assert tasks_on_time(TASKS, "plan", D(2026, 1, 14)) == (0, 0)


def test_each_target_is_met_or_not_from_hand_worked_figures():
    fig = Figures(
        par_index=88.1,
        par_index_previous=85.0,
        inspections_held=0,
        received_direct=10,
        carried_over=0,
        dossiers_tracked=10,
        survey_very_satisfied=5,
        survey_satisfied=3,
        survey_dissatisfied=2,
        payments_total=10,
        payments_online=8,
    )
    res = _by_code(evaluate(SPECS, fig, TASKS, D(2026, 6, 14)))
    assert (res["a"].actual, res["a"].status) == (88.1, TargetStatus.MET)
    assert (res["b"].actual, res["b"].status) == (100.0, TargetStatus.MET)
    assert (res["c"].actual, res["c"].status) == (33.33, TargetStatus.NOT_MET)
    assert (res["d"].actual, res["d"].status) == (0.0, TargetStatus.NOT_MET)
    assert (res["e"].actual, res["e"].status) == (100.0, TargetStatus.MET)
    assert (res["f"].actual, res["f"].status) == (80.0, TargetStatus.NOT_MET)
    assert (res["t18"].actual, res["t18"].status) == (80.0, TargetStatus.MET)


def test_targets_without_figures_or_due_tasks_have_no_data():
    res = _by_code(evaluate(SPECS, Figures(), TASKS, D(2026, 1, 14)))
    assert {code: r.status for code, r in res.items()} == {
        code: TargetStatus.NO_DATA for code in res
    }
    assert all(r.actual is None for r in res.values())


def test_par_index_not_above_last_year_is_not_met():
    fig = Figures(par_index=85.0, par_index_previous=85.0)
    assert _by_code(evaluate(SPECS, fig, [], D(2026, 12, 14)))["a"].status is TargetStatus.NOT_MET
