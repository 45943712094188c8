"""The Kế hoạch các năm screen in Chromium: on the city's computer the officer types the path of
the 2027 plan file, checks it, ticks one of 2026's unfinished rows to carry over beside the one
the file carries, and loads; the screen then lists both years and the database holds the plan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from cchc.services import exchange, overview
from cchc.services import tasks as task_service
from cchc.services.plan import plan_years
from cchc.services.workspace import Workspace
from tests.ui.harness import (
    Browsing,
    by_id,
    click,
    fill,
    open_app,
    screenshot,
    serve,
    wait_for,
    wait_text,
)

pytestmark = [pytest.mark.ui, pytest.mark.timeout(300)]

ROOT = Path(__file__).resolve().parents[2]
PLAN_2027 = ROOT / "tests" / "plans" / "ke-hoach-bach-long-vi-2027.toml"


def _nav(page: Page, label: str) -> None:
    by_id(page, "nav").get_by_role("button", name=re.compile(f"^{label}")).click()


def test_the_city_loads_the_2027_plan_on_screen_with_a_row_carried_over(
    browsing: Browsing, tmp_path: Path
) -> None:
    db = tmp_path / "city.sqlite"
    with Workspace.open(db) as city:
        exchange.init_root(city)
        overview.set_local_profile(city, "so_noi_vu", "Nguyễn Thị Hoa")
    with serve(db, tmp_path / "city.log") as server:
        page = browsing.new_page()
        try:
            open_app(page, server.url, "dashboard-ready")
            _nav(page, "Các năm")
            wait_for(by_id(page, "plan-year-2026"))
            fill(page, "plan-file", str(PLAN_2027))
            click(page, "plan-check")
            wait_text(page, "Kế hoạch hợp lệ")
            wait_text(page, "tệp đã ghi chuyển tiếp")  # row 4, carried by the file
            click(page, "plan-carry-8")
            screenshot(page, "60-city-checks-2027-plan")
            click(page, "plan-load")
            wait_text(page, "Đã nạp Kế hoạch số 05/QĐ-UBND năm 2027")
            wait_for(by_id(page, "plan-year-2027"))
            screenshot(page, "61-city-loaded-2027-plan")
        except Exception:
            screenshot(page, "FAILED-plan-years")
            raise
    with Workspace.open(db) as ws:
        assert plan_years(ws) == [2026, 2027]
        assert task_service.get_task(ws, "6", 2027).carried_from_stt == 8
        assert task_service.get_task(ws, "3", 2027).carried_from_stt == 4
