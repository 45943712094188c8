"""The role screens in Chromium: the city assigns a new task on its Nhiệm vụ screen, sends it
on a USB stick from its Đồng bộ screen, and the island laptop imports the stick (its files in a
folder of their own) and finds the task in its list; Phòng Tài chính records appraisal,
allocation and the spending check of a unit's task as three steps on the Kinh phí screen."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page

from cchc.domain.text import shorten
from cchc.services import budget, exchange, overview
from cchc.services import tasks as task_service
from cchc.services.workspace import Workspace
from tests.integration.worlds import certify_laptop
from tests.ui.harness import (
    Browsing,
    by_id,
    choose,
    click,
    fill,
    open_app,
    screenshot,
    serve,
    shown_text,
    wait_for,
    wait_text,
)

pytestmark = [pytest.mark.ui, pytest.mark.timeout(300)]

TTHCC = "Trung tâm Phục vụ hành chính công đặc khu"
CONTENT = "Rà soát, công bố danh mục thủ tục hành chính thực hiện trực tuyến toàn trình"


def _nav(page: Page, label: str) -> None:
    by_id(page, "nav").get_by_role("button", name=re.compile(f"^{label}")).click()


@dataclass
class Pair:
    city: Path
    island: Path
    usb: Path


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    """The city's computer and Trung tâm's laptop, certified by it."""
    with (
        Workspace.open(tmp_path / "city.sqlite") as city,
        Workspace.open(tmp_path / "tthcc.sqlite") as island,
    ):
        root = exchange.init_root(city)["root_fingerprint"]
        overview.set_local_profile(city, "so_noi_vu", "Nguyễn Thị Hoa")
        overview.set_local_profile(island, "tthcc", "Phạm Văn Cường")
        certify_laptop(city, island, "tthcc", "unit", tmp_path / "tthcc.trust", root)
    usb = tmp_path / "USB-DAO"
    usb.mkdir()
    yield Pair(tmp_path / "city.sqlite", tmp_path / "tthcc.sqlite", usb)


def test_the_city_assigns_a_task_that_reaches_the_island_laptop_by_a_usb_stick(
    pair: Pair, browsing: Browsing, tmp_path: Path
) -> None:
    with (
        serve(pair.city, tmp_path / "city.log") as city_server,
        serve(pair.island, tmp_path / "island.log") as island_server,
    ):
        city = browsing.new_page()
        try:
            _city_assigns(city, city_server.url, pair)
            island = browsing.new_page()
            _island_receives(island, island_server.url, pair)
            _city_revokes(city, pair)
        except Exception:
            for i, shown in enumerate(browsing.context.pages):
                screenshot(shown, f"FAILED-roles-assign-{i}")
            raise


def _city_assigns(page: Page, url: str, pair: Pair) -> None:
    open_app(page, url, "dashboard-ready")
    _nav(page, "Nhiệm vụ")
    click(page, "task-assign-open")
    wait_for(by_id(page, "assign-task"))
    fill(page, "assign-content", CONTENT)
    choose(page, "assign-lead", TTHCC)
    fill(page, "assign-timeframe", "Quý III/2026")
    fill(page, "assign-source-number", "123/UBND-NC")
    fill(page, "assign-source-date", "02/07/2026")
    screenshot(page, "40-city-assigns-task")
    click(page, "assign-save")
    wait_text(page, "Đã giao nhiệm vụ “Rà soát")
    screenshot(page, "41-city-task-assigned")
    with Workspace.open(pair.city) as ws:
        (added,) = [t for t in task_service.list_tasks(ws) if t.content == CONTENT]
        detail = task_service.get_task(ws, added.id)
        assert (detail.lead_unit, detail.timeframe, detail.source_number) == (
            "tthcc",
            "Quý III/2026",
            "123/UBND-NC",
        )

    _nav(page, "Đồng bộ")
    wait_for(by_id(page, "sync-queue"))
    assert "1 nhiệm vụ được cập nhật" in shown_text(by_id(page, "sync-queue"))  # to send
    by_id(page, "sync-export-section").first.scroll_into_view_if_needed()
    fill(page, "sync-export-folder", str(pair.usb / "THANH-PHO"))
    click(page, "sync-export")
    wait_text(page, "Đã ghi 1 tệp")
    (bundle,) = (pair.usb / "THANH-PHO").glob("*.cchc")
    assert bundle.name.startswith("cchc-thanh-pho-")


def _island_receives(page: Page, url: str, pair: Pair) -> None:
    open_app(page, url, "dashboard-ready")
    _nav(page, "Đồng bộ")
    by_id(page, "sync-import-section").first.scroll_into_view_if_needed()
    fill(page, "sync-import-paths", str(pair.usb))  # the stick: the bundle is in a folder
    click(page, "sync-import")
    summary = shown_text(wait_for(by_id(page, "sync-import-summary")))
    assert "Từ Thành phố: 1 nhiệm vụ mới được giao" in summary, summary
    by_id(page, "sync-import-result").first.scroll_into_view_if_needed()
    screenshot(page, "42-island-imports-city-task")

    _nav(page, "Nhiệm vụ")
    fill(page, "filter-search", "trực tuyến toàn trình")
    wait_text(page, CONTENT)
    screenshot(page, "43-island-sees-city-task")


def _city_revokes(page: Page, pair: Pair) -> None:
    """The island laptop is lost: the city revokes it from its card, after a confirmation that
    names it, and the revocation waits in "Chưa gửi" for the next bundle."""
    with Workspace.open(pair.island) as ws:
        site = str(exchange.identity(ws)["site_id"])
    by_id(page, "sync-trust").first.scroll_into_view_if_needed()
    click(page, f"revoke-{site[:8]}")
    said = shown_text(wait_for(by_id(page, "revoke-confirm-text")))
    assert f"Máy: {TTHCC}" in said, said
    assert "Thành phố chưa nhận được gì từ máy này" in said  # nothing of it came to the city
    assert "gỡ khỏi máy nào đã nhận" in said
    wait_text(page, f"Thu hồi máy của {TTHCC}?")
    screenshot(page, "46-city-revoke-confirm")
    click(page, "revoke-confirm")
    wait_text(page, f"Đã thu hồi máy của {TTHCC}")
    by_id(page, "sync-queue").first.scroll_into_view_if_needed()
    assert "1 thu hồi chứng nhận máy" in shown_text(by_id(page, "sync-queue"))
    screenshot(page, "47-city-revocation-waits")


def test_email_letters_keep_under_the_limit_typed_and_each_size_is_listed(
    pair: Pair, browsing: Browsing, tmp_path: Path
) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + os.urandom(150_000))
    with Workspace.open(pair.island) as ws:
        stt = next(t.stt for t in task_service.list_tasks(ws) if t.lead_unit == "tthcc" and t.stt)
        task_service.update_task(
            ws,
            str(stt),
            progress=60,
            by="Phạm Văn Cường",
            evidence=task_service.Evidence(
                file=scan, doc_type="Kế hoạch", number="12/KH-TTHCC", date="10/03/2026"
            ),
        )
    folder = tmp_path / "thu"
    with serve(pair.island, tmp_path / "island.log") as running:
        page = browsing.new_page()
        try:
            open_app(page, running.url, "dashboard-ready")
            _nav(page, "Đồng bộ")
            by_id(page, "sync-email").first.scroll_into_view_if_needed()
            fill(page, "sync-email-to", "vanphong@haiphong.gov.vn")
            fill(page, "sync-email-part", "0,06")  # 60 KB letters
            fill(page, "sync-email-folder", str(folder))
            click(page, "sync-email-write")
            wait_text(page, "thư gửi vanphong@haiphong.gov.vn")
            page.mouse.move(1000, 600)
            page.mouse.wheel(0, 500)  # the letters' lines below the button come into view
            page.wait_for_timeout(800)
            letters = sorted(folder.glob("*.eml"))
            assert len(letters) >= 3
            for i, path in enumerate(letters, start=1):  # each letter listed with its size
                size = path.stat().st_size
                assert size <= 60_000
                wait_for(by_id(page, f"sync-letter-{i}"))
                wait_text(page, f"{path.name} — {size // 1000} KB")  # the file's own size
            screenshot(page, "48-email-letter-sizes")
        except Exception:
            screenshot(page, "FAILED-roles-email")
            raise


@pytest.fixture
def finance_db(tmp_path: Path) -> Path:
    """Phòng Tài chính's laptop, holding Trung tâm's estimate for task 11."""
    path = tmp_path / "tai-chinh.sqlite"
    with Workspace.open(path) as ws:
        overview.set_local_profile(ws, "tthcc", "Phạm Văn Cường")
        budget.set_budget(ws, "11", estimate="15.000.000", sent_on="20/02/2026")
        overview.set_local_profile(ws, "tai_chinh", "Lê Văn Tài")
    return path


def test_finance_appraises_allocates_and_checks_spending_as_three_steps(
    finance_db: Path, browsing: Browsing, tmp_path: Path
) -> None:
    with serve(finance_db, tmp_path / "finance.log") as running:
        page = browsing.new_page()
        try:
            _three_steps(page, running.url, finance_db)
        except Exception:
            screenshot(page, "FAILED-roles-finance")
            raise


def _three_steps(page: Page, url: str, db: Path) -> None:
    open_app(page, url, "dashboard-ready")
    _nav(page, "Kinh phí")
    wait_for(by_id(page, "budget-save"))
    with Workspace.open(db) as ws:
        content = task_service.get_task(ws, "11").content
    choose(page, "budget-task", f"11. {shorten(content, 70)}")
    by_id(page, "budget-step-appraise").first.scroll_into_view_if_needed()
    fill(page, "budget-appraised", "14.000.000")
    fill(page, "budget-appraised-on", "10/03/2026")
    fill(page, "budget-submitted-on", "12/03/2026")
    fill(page, "budget-appraisal-note", "Đúng định mức")
    click(page, "budget-appraise")
    wait_text(page, "Đã thẩm định 14.000.000")
    screenshot(page, "44-finance-appraised")

    by_id(page, "budget-step-allocate").first.scroll_into_view_if_needed()
    fill(page, "budget-allocated", "12.000.000")
    fill(page, "budget-decision-number", "52/QĐ-UBND")
    fill(page, "budget-decision-date", "25/03/2026")
    click(page, "budget-allocate")
    wait_text(page, "theo Quyết định số 52/QĐ-UBND ngày 25/03/2026")

    by_id(page, "budget-step-check").first.scroll_into_view_if_needed()
    fill(page, "budget-checked-on", "15/06/2026")
    fill(page, "budget-check-note", "Chi đúng dự toán")
    click(page, "budget-check")
    wait_text(page, "Đã kiểm tra ngày 15/06/2026: Chi đúng dự toán")
    screenshot(page, "45-finance-three-steps")

    with Workspace.open(db) as ws:
        (line,) = [x for x in budget.show_budget(ws).lines if x.stt == 11]
    assert (line.appraised, line.appraised_on, line.submitted_on) == (
        14_000_000,
        "2026-03-10",
        "2026-03-12",
    )
    assert (line.approved, line.decision_number, line.decision_date) == (
        12_000_000,
        "52/QĐ-UBND",
        "2026-03-25",
    )
    assert (line.spending_checked_on, line.spending_check_note) == (
        "2026-06-15",
        "Chi đúng dự toán",
    )
