"""The Kinh phí screen stores what the officer typed for the task chosen, flags an approval above
the estimate, and offers only what the Nhiệm vụ screen lets this laptop change."""

from __future__ import annotations

from cchc.services import budget as budget_service
from cchc.services import overview as overview_service
from cchc.services import tasks as task_service
from cchc.services.workspace import Workspace
from cchc.ui.screens.plan_money import PlanMoneyScreen
from tests.integration.screen_ctx import ScreenContext


def _task_id(ws: Workspace, stt: int) -> str:
    return next(t.id for t in task_service.list_tasks(ws) if t.stt == stt)


def _choose(screen: PlanMoneyScreen, task_id: str) -> None:
    screen.budget.budget_task.value = task_id
    if screen.budget.budget_task.on_select is not None:
        screen.budget.budget_task.on_select(None)


def _line(ws: Workspace, task_id: str) -> budget_service.BudgetLine | None:
    return next((x for x in budget_service.show_budget(ws).lines if x.task_id == task_id), None)


def test_choosing_another_task_shows_its_own_figures_so_none_of_the_first_are_saved_to_it(
    ws, db_path
):
    ctx = ScreenContext(ws, db_path)
    screen = PlanMoneyScreen(ctx)
    screen.show()
    four, eleven = _task_id(ws, 4), _task_id(ws, 11)
    _choose(screen, four)
    screen.budget.estimate.value = "10.000.000"
    screen.budget.approved.value = "9.000.000"
    screen.budget.spent.value = "5.000.000"
    screen.budget.sent_on.value = "10/02/2026"
    screen.budget._save(None)
    assert ctx.errors == []

    _choose(screen, eleven)
    assert (
        screen.budget.estimate.value,
        screen.budget.approved.value,
        screen.budget.spent.value,
    ) == ("", "", "")
    assert screen.budget.sent_on.value == ""
    screen.budget.estimate.value = "3.000.000"
    screen.budget._save(None)

    line = _line(ws, eleven)
    assert line is not None
    assert (line.estimate, line.approved, line.spent, line.estimate_sent_on) == (
        3_000_000,
        None,
        None,
        None,
    )
    _choose(screen, four)  # back to task 4: its stored figures come back into the form
    assert (
        screen.budget.estimate.value,
        screen.budget.approved.value,
        screen.budget.spent.value,
    ) == (
        "10.000.000",
        "9.000.000",
        "5.000.000",
    )
    assert screen.budget.sent_on.value == "10/02/2026"


def test_an_approval_above_the_estimate_is_flagged_in_the_line_and_on_screen(ws, db_path):
    four = _task_id(ws, 4)
    line = budget_service.set_budget(ws, four, estimate="10.000.000", approved="12.000.000")
    assert line.over_estimate
    assert not budget_service.set_budget(
        ws, _task_id(ws, 5), estimate="5", approved="5"
    ).over_estimate

    ctx = ScreenContext(ws, db_path)
    screen = PlanMoneyScreen(ctx)
    screen.show()
    flagged = [
        c
        for c in screen.budget.budget_box.controls
        if getattr(c, "identifier", "") == "budget-over-4"
    ]
    assert len(flagged) == 1


def test_saving_an_approval_above_the_estimate_says_so(ws, db_path):
    ctx = ScreenContext(ws, db_path)
    screen = PlanMoneyScreen(ctx)
    screen.show()
    _choose(screen, _task_id(ws, 4))
    screen.budget.estimate.value = "10.000.000"
    screen.budget.approved.value = "12.000.000"
    screen.budget._save(None)
    assert any("vượt dự trù" in text for text, _ in ctx.notices)


def test_a_unit_laptop_is_offered_only_the_tasks_its_task_screen_lets_it_change(ws, db_path):
    overview_service.set_local_profile(ws, "vhxh", "Nguyễn Văn An")
    ctx = ScreenContext(ws, db_path)
    screen = PlanMoneyScreen(ctx)
    screen.show()
    offered = {o.key for o in screen.budget.budget_task.options}
    editable = {t.id for t in task_service.list_tasks(ws) if overview_service.may_edit(ws, t)}
    assert offered and offered == editable
    assert _task_id(ws, 11) not in offered


def test_a_finance_laptop_may_record_allocations_but_not_another_units_estimate(ws, db_path):
    overview_service.set_local_profile(ws, "tai_chinh", "Lê Văn Tài")
    ctx = ScreenContext(ws, db_path)
    screen = PlanMoneyScreen(ctx)
    screen.show()
    _choose(screen, _task_id(ws, 11))  # led by Trung tâm Phục vụ hành chính công
    assert (
        screen.budget.estimate.disabled
        and screen.budget.spent.disabled
        and screen.budget.sent_on.disabled
    )
    assert not screen.budget.approved.disabled
    _choose(screen, _task_id(ws, 23))  # its own task
    assert not screen.budget.estimate.disabled


def test_required_fields_are_marked(ws, db_path):
    screen = PlanMoneyScreen(ScreenContext(ws, db_path))
    assert (screen.budget.budget_task.label or "").endswith("*")
    assert (screen.amendments.reason.label or "").endswith("*")
    assert not (screen.amendments.amend_task.label or "").endswith("*")  # not when adding


def test_finance_records_appraisal_allocation_and_spending_check_as_three_steps(ws, db_path):
    eleven = _task_id(ws, 11)  # led by Trung tâm Phục vụ hành chính công
    overview_service.set_local_profile(ws, "tthcc", "Trần Văn C")
    budget_service.set_budget(ws, "11", estimate="15.000.000", sent_on="20/02/2026")
    overview_service.set_local_profile(ws, "tai_chinh", "Lê Văn Tài")
    ctx = ScreenContext(ws, db_path)
    screen = PlanMoneyScreen(ctx)
    screen.show()
    _choose(screen, eleven)
    steps = screen.budget.steps
    # one place to allocate: the unit's form hides its allocation fields, tags and all
    assert steps.tag.visible and not any(t.visible for t in screen.budget._allocation_tags)
    assert [steps.appraise_state.value, steps.allocate_state.value] == ["Chưa ghi."] * 2

    steps.appraised.value = "14.000.000"
    steps.appraised_on.value = "10/03/2026"
    steps.submitted_on.value = "12/03/2026"
    steps._appraise(None)
    line = _line(ws, eleven)
    assert line is not None and (line.appraised, line.appraised_on, line.submitted_on) == (
        14_000_000,
        "2026-03-10",
        "2026-03-12",
    )
    assert line.approved is None and line.spending_checked_on is None  # only that step

    steps.allocated.value = "12.000.000"
    steps.decision_number.value = "52/QĐ-UBND"
    steps.decision_date.value = "32/03/2026"  # a date that does not exist
    steps._allocate(None)
    assert steps.decision_date.error and _line(ws, eleven).approved is None
    steps.decision_date.value = "25/03/2026"
    steps._allocate(None)
    line = _line(ws, eleven)
    assert (line.approved, line.decision_number, line.decision_date) == (
        12_000_000,
        "52/QĐ-UBND",
        "2026-03-25",
    )

    steps.checked_on.value = "15/06/2026"
    steps._check(None)  # no finding written: refused, nothing stored
    assert steps.check_note.error and _line(ws, eleven).spending_checked_on is None
    steps.check_note.value = "Chi đúng dự toán"
    steps._check(None)
    line = _line(ws, eleven)
    assert (line.spending_checked_on, line.spending_check_note) == (
        "2026-06-15",
        "Chi đúng dự toán",
    )
    _choose(screen, eleven)
    assert steps.appraise_state.value.startswith("Đã thẩm định 14.000.000")
    assert "Quyết định số 52/QĐ-UBND ngày 25/03/2026" in steps.allocate_state.value
    assert steps.check_state.value == "Đã kiểm tra ngày 15/06/2026: Chi đúng dự toán"


def test_a_unit_laptop_is_not_offered_the_finance_steps(ws, db_path):
    overview_service.set_local_profile(ws, "tthcc", "Trần Văn C")
    screen = PlanMoneyScreen(ScreenContext(ws, db_path))
    screen.show()
    _choose(screen, _task_id(ws, 11))
    assert not screen.budget.steps.tag.visible
