"""The year's final verdict on screen (issue 19, deliverable 3), in the real app in Chromium.

On 05/01/2027 Phòng Văn hóa - Xã hội's officer opens Báo cáo, then "Kết quả cả năm": every
target of 2026 is met or not met for good, as `cchc targets --final 2026` says. Worked by hand
from the decision: row 26 ("Cả năm 2026") was never done, so target c ("100% nhiệm vụ … đúng
tiến độ") is "Không đạt"; the year's report says no inspection was held, so target d is
"Không đạt". The harness's gate checks the page at the end (no grey box, no console error)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from cchc.services import overview
from cchc.services import reports as report_service
from cchc.services.workspace import Workspace
from cchc.texts.reports import TARGET_STATUS
from tests.conftest import run_json
from tests.ui.harness import (
    Server,
    by_id,
    click,
    open_app,
    screenshot,
    shown_text,
    wait_for,
    wait_text,
)

pytestmark = [pytest.mark.ui, pytest.mark.timeout(300)]

NOW = "2027-01-05T09:00:00+07:00"


@pytest.fixture
def ui_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The consolidator's laptop on 05/01/2027 (the app's clock too), with its 2026 report."""
    monkeypatch.setenv("CCHC_NOW", NOW)  # the server the test starts reads the same day
    db = tmp_path / "cchc.sqlite"
    when = dt.datetime.fromisoformat(NOW)
    with Workspace.open(db, clock=lambda: when) as ws:
        overview.set_local_profile(ws, "vhxh", "Lê Thị Bình")
        view = report_service.new_report(ws, unit="vhxh", period="2026", by="Lê Thị Bình")
        fields = {"received_direct": "3", "resolved_on_time": "3", "inspections_held": "0"}
        report_service.set_report(ws, view.id, fields=fields, number="2")
        report_service.submit_report(ws, view.id, by="Lê Thị Bình")
    return db


def test_after_the_year_the_screen_gives_each_targets_final_verdict(
    server: Server, page: Page
) -> None:
    open_app(page, server.url, "dashboard-ready", timeout=60)
    by_id(page, "nav").get_by_role("button", name=re.compile("^Báo cáo")).click()
    click(page, "report-year-open")
    wait_text(page, "Kết quả cuối cùng năm 2026 (tính đến hết ngày 31/12/2026).")
    final = run_json("--db", str(server.db), "targets", "--final", "2026", env={"CCHC_NOW": NOW})
    assert isinstance(final, list)
    by_code = {t["code"]: t["status"] for t in final}
    assert by_code["c"] == by_code["d"] == "not_met"
    for code, status in by_code.items():
        shown = shown_text(wait_for(by_id(page, f"year-target-{code}")))
        assert TARGET_STATUS[status] in shown, (code, shown)
    assert "Đúng tiến độ" not in shown_text(wait_for(by_id(page, "year-target-c")))
    screenshot(page, "19-year-final-verdict")
