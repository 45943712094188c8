"""The Kế hoạch các năm screen's own code on a real database (no browser): the city checks the
2027 file, ticks one of 2026's unfinished rows beside the one the file carries, and loads; a bad
file is listed line by line and nothing is stored; a unit laptop sees the plans but no loading."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cchc.services import plan_publish
from cchc.services import tasks as task_service
from cchc.services.overview import set_local_profile
from cchc.services.plan import plan_years
from cchc.services.workspace import Workspace
from cchc.ui.screens.plan_years import PlanYearsScreen
from cchc.ui.screens.report_list import ReportList
from cchc.ui.screens.tasks import TasksScreen
from tests.integration.screen_ctx import ScreenContext, control_tagged, shown_texts

ROOT = Path(__file__).resolve().parents[2]
PLAN_2027 = ROOT / "tests" / "plans" / "ke-hoach-bach-long-vi-2027.toml"
JANUARY_2027 = dt.datetime.fromisoformat("2027-01-12T09:00:00+07:00")


def _screen(tmp_path: Path) -> tuple[Workspace, ScreenContext, PlanYearsScreen]:
    db = tmp_path / "city.sqlite"
    ws = Workspace.open(db, clock=lambda: JANUARY_2027)
    ctx = ScreenContext(ws, db)
    screen = PlanYearsScreen(ctx)  # type: ignore[arg-type]
    screen.show()
    return ws, ctx, screen


def test_the_city_checks_the_file_ticks_a_row_to_carry_and_loads_the_plan(tmp_path):
    ws, ctx, screen = _screen(tmp_path)
    try:
        texts = shown_texts(screen.view)
        assert any("Năm 2026: Kế hoạch số 07/QĐ-UBND" in t for t in texts)
        screen.path.value = str(PLAN_2027)
        screen._check()
        assert any("Kế hoạch hợp lệ" in t for t in shown_texts(screen.messages))
        carry_texts = shown_texts(screen.carry)
        # row 4 is carried by the file itself: shown, not offered; row 8 may be ticked
        assert any(t.startswith("4. ") and "tệp đã ghi chuyển tiếp" in t for t in carry_texts)
        assert control_tagged(screen.carry, "plan-carry-4") is None
        box = control_tagged(screen.carry, "plan-carry-8")
        assert box is not None and screen.load_button.disabled is False
        box.content.value = True
        screen._load()
        assert ctx.errors == []
        assert any("Đã nạp Kế hoạch số 05/QĐ-UBND năm 2027" in t for t, _ in ctx.notices)
        assert plan_years(ws) == [2026, 2027]
        assert task_service.get_task(ws, "6", 2027).carried_from_stt == 8
        assert task_service.get_task(ws, "3", 2027).carried_from_stt == 4
        assert any("Năm 2027: Kế hoạch số 05/QĐ-UBND" in t for t in shown_texts(screen.view))
    finally:
        ws.close()


def test_a_bad_file_is_listed_line_by_line_and_nothing_is_stored(tmp_path):
    ws, ctx, screen = _screen(tmp_path)
    try:
        bad = tmp_path / "sai.toml"
        bad.write_text(
            PLAN_2027.read_text(encoding="utf-8").replace("Quý III/2027", "Quý mười/2027"),
            encoding="utf-8",
        )
        screen.path.value = str(bad)
        screen._check()
        texts = shown_texts(screen.messages)
        assert any("Quý mười/2027" in t and t.startswith("Dòng ") for t in texts)
        assert screen.load_button.disabled is True
        screen._load()
        assert plan_years(ws) == [2026]
        assert plan_publish.held_plans(ws)[-1].year == 2026
    finally:
        ws.close()


def test_a_unit_laptop_sees_the_plans_held_but_cannot_load_one(tmp_path):
    db = tmp_path / "tthcc.sqlite"
    ws = Workspace.open(db, clock=lambda: JANUARY_2027)
    try:
        set_local_profile(ws, "tthcc", "Nguyễn Văn An")
        screen = PlanYearsScreen(ScreenContext(ws, db))  # type: ignore[arg-type]
        screen.show()
        assert control_tagged(screen.view, "plan-load-section") is None
        assert control_tagged(screen.view, "plan-city-only") is not None
        assert any("Năm 2026" in t for t in shown_texts(screen.view))
    finally:
        ws.close()


def test_the_task_list_offers_a_year_once_two_plans_are_held_and_each_year_lists_its_own(tmp_path):
    ws, ctx, _ = _screen(tmp_path)
    try:
        before = TasksScreen(ctx)  # type: ignore[arg-type]
        assert before.year is None  # one plan: no picker
        plan_publish.load_plan(ws, PLAN_2027, carry=[8])
        screen = TasksScreen(ctx)  # type: ignore[arg-type]
        screen.show()
        assert screen.year is not None and screen.year.value == "2027"
        assert [v.stt for v in screen._views] == [1, 2, 3, 4, 5, 6]
        assert "6" in screen.count.value and "26" not in screen.count.value
        screen.year.value = "2026"
        screen._on_year()
        assert len(screen._views) == 26
        assert screen._views[3].content.startswith("Ban hành, triển khai thực hiện Kế hoạch")
        screen.open_task(screen._views[3].id)
        assert ctx.errors == []
    finally:
        ws.close()


def test_the_report_list_offers_a_year_whose_periods_every_picker_then_holds(tmp_path):
    ws, ctx, _ = _screen(tmp_path)
    try:
        assert ReportList(ctx, lambda ref: None).year is None  # type: ignore[arg-type]
        plan_publish.load_plan(ws, PLAN_2027)
        listing = ReportList(ctx, lambda ref: None)  # type: ignore[arg-type]
        assert listing.year is not None and listing.year.value == "2027"
        assert listing.new_period.value == "2027-01"
        listing.year.value = "2026"
        listing._on_year()
        keys = {o.key for o in listing.consolidate_period.options or []}
        assert "2026-Q4" in keys and not any(k.startswith("2027") for k in keys)
        assert listing.new_period.value == "2026-12"  # January 2027: the year's last month
    finally:
        ws.close()
