"""The real app in a real browser: first start, dashboard, filters, updates, refusals, settings.

Each test has its own database, server and page (tests/ui/conftest.py): what a test needs on the
laptop beforehand is written through the services, as the app itself would have written it.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from cchc.services import overview
from cchc.services import tasks as task_service
from cchc.services.workspace import Workspace
from cchc.texts.tasks import STATE_LABELS
from tests.conftest import run_cchc, run_json
from tests.ui.harness import (
    Server,
    by_id,
    choose,
    click,
    fill,
    open_app,
    screenshot,
    scroll_panes,
    shown_text,
    wait_for,
    wait_text,
)

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]

UNIT = "Phòng Văn hóa - Xã hội"
OFFICER = "Lê Thị Bình"


@pytest.fixture
def profile() -> tuple[str, str] | None:
    """This laptop's unit code and officer, set before the app opens (None: a first start)."""
    return ("vhxh", OFFICER)


@pytest.fixture
def ui_db(tmp_path: Path, profile: tuple[str, str] | None) -> Path:
    db = tmp_path / "cchc.sqlite"
    with Workspace.open(db) as ws:
        if profile is not None:
            overview.set_local_profile(ws, *profile)
    return db


def _tasks(db: Path, *args: str) -> list[dict[str, object]]:
    result = run_json("--db", str(db), "tasks", *args)
    assert isinstance(result, list)
    return result


def _nav(page: Page, label: str) -> None:
    by_id(page, "nav").get_by_role("button", name=re.compile(f"^{label}")).click()


def _open_task(page: Page, server: Server, stt: int) -> None:
    """Open the app on the dashboard, then task `stt`'s detail from the Nhiệm vụ list."""
    open_app(page, server.url, "dashboard-ready")
    _nav(page, "Nhiệm vụ")
    click(page, f"task-row-{stt}")
    wait_for(by_id(page, "task-detail"))
    wait_text(page, f"Nhiệm vụ {stt}")


@pytest.mark.parametrize("profile", [None])
def test_first_start_asks_for_unit_and_officer_then_opens_the_dashboard(
    server: Server, page: Page
) -> None:
    open_app(page, server.url, "first-start")
    wait_text(page, "Máy này chưa được gán cho đơn vị nào")
    screenshot(page, "01-first-start")

    click(page, "profile-save")
    wait_text(page, "Hãy chọn đơn vị.")

    choose(page, "profile-unit", UNIT)
    fill(page, "profile-officer", OFFICER)
    click(page, "profile-save")
    wait_for(by_id(page, "dashboard-ready"))
    wait_text(page, f"máy này thuộc {UNIT}, cán bộ {OFFICER}")

    with Workspace.open(server.db) as ws:
        profile = overview.local_profile(ws)
    assert (profile.unit_name, profile.officer) == (UNIT, OFFICER)


def test_dashboard_counts_the_26_tasks_by_state_as_the_cli_does(server: Server, page: Page) -> None:
    open_app(page, server.url, "dashboard-ready")
    views = _tasks(server.db)
    assert len(views) == 26
    for state, label in STATE_LABELS.items():
        expected = sum(1 for v in views if v["state"] == state)
        card = wait_for(by_id(page, f"count-{state}"))
        assert f"{label}: {expected}" in shown_text(card)
    screenshot(page, "02-dashboard")


def test_filtering_by_unit_and_by_words_without_diacritics_shows_what_the_cli_lists(
    server: Server, page: Page
) -> None:
    open_app(page, server.url, "dashboard-ready")
    _nav(page, "Nhiệm vụ")
    expected = _tasks(server.db, "--unit", UNIT)
    assert 0 < len(expected) < 26
    # Phòng Văn hóa - Xã hội consolidates the zone: its list opens on every unit's tasks
    # (a unit's laptop opens on its own: tests/integration/test_tasks_screen.py)
    wait_text(page, "Đang hiển thị 26/26 nhiệm vụ")
    choose(page, "filter-unit", UNIT)
    wait_text(page, f"Đang hiển thị {len(expected)}/26 nhiệm vụ")
    # Flutter leaves rows scrolled out of the list out of the accessibility tree: scroll down
    # the list, gathering the rows it shows, until every one the CLI lists has been seen
    wanted = {view["stt"] for view in expected}
    seen: set[int] = set()
    for _ in range(15):
        seen |= {stt for stt in wanted if by_id(page, f"task-row-{stt}").count() == 1}
        if seen == wanted:
            break
        scroll_panes(page, 250)
        page.wait_for_timeout(400)
    assert seen == wanted
    scroll_panes(page, -5000)
    screenshot(page, "03-tasks-filtered-by-unit")

    choose(page, "filter-unit", "Tất cả")
    fill(page, "filter-search", "tap huan")
    found = _tasks(server.db, "--search", "tap huan")
    assert found and all("tập huấn" in json.dumps(v, ensure_ascii=False).lower() for v in found)
    wait_text(page, f"Đang hiển thị {len(found)}/26 nhiệm vụ")
    fill(page, "filter-search", "")
    wait_text(page, "Đang hiển thị 26/26 nhiệm vụ")


def test_updating_a_task_through_the_form_shows_in_the_list_and_in_the_cli(
    server: Server, page: Page
) -> None:
    _open_task(page, server, 4)
    choose(page, "update-status", "Đang thực hiện")
    fill(page, "update-progress", "60")
    fill(page, "update-note", "Đã trình dự thảo kế hoạch tuyên truyền")
    click(page, "update-submit")
    wait_text(page, "Đã cập nhật nhiệm vụ 4")
    assert "60%" in shown_text(by_id(page, "task-row-4").first)
    screenshot(page, "04-task-updated")

    shown = run_json("--db", str(server.db), "task", "show", "4")
    assert isinstance(shown, dict)
    assert (shown["status"], shown["progress"]) == ("in_progress", 60)
    assert {h["actor"] for h in shown["history"]} == {OFFICER}
    assert any(h["field"] == "progress" and h["new_value"] == "60" for h in shown["history"])


def test_enter_in_the_task_update_form_saves_it(server: Server, page: Page) -> None:
    _open_task(page, server, 4)
    choose(page, "update-status", "Đang thực hiện")
    fill(page, "update-progress", "35")
    page.keyboard.press("Enter")  # the cursor is still in the progress field
    wait_text(page, "Đã cập nhật nhiệm vụ 4")
    shown = run_json("--db", str(server.db), "task", "show", "4")
    assert isinstance(shown, dict)
    assert (shown["status"], shown["progress"]) == ("in_progress", 35)


def test_a_progress_of_120_is_refused_in_vietnamese_and_nothing_changes(
    server: Server, page: Page
) -> None:
    with Workspace.open(server.db) as ws:
        task_service.update_task(ws, "4", status="in_progress", progress=60, by=OFFICER)
    _open_task(page, server, 4)
    fill(page, "update-progress", "120")
    click(page, "update-submit")
    wait_text(page, "Tiến độ phải từ 0 đến 100% (đã nhập 120).")
    screenshot(page, "05-task-progress-refused")
    shown = run_json("--db", str(server.db), "task", "show", "4")
    assert isinstance(shown, dict)
    assert shown["progress"] == 60


def test_evidence_is_uploaded_from_the_browser_stored_by_hash_and_downloaded_back(
    server: Server, page: Page, tmp_path: Path
) -> None:
    _open_task(page, server, 4)
    content = b"%PDF-1.4\n% Ke hoach tuyen truyen CCHC 2026\n" + bytes(range(256)) * 8
    source = tmp_path / "ke-hoach-tuyen-truyen.pdf"
    source.write_bytes(content)
    with page.expect_file_chooser() as chooser:
        click(page, "evidence-pick")
    chooser.value.set_files(str(source))
    wait_text(page, "Tệp đã chọn: ke-hoach-tuyen-truyen.pdf")
    fill(page, "evidence-type", "Kế hoạch")
    fill(page, "evidence-number", "12/KH-UBND")
    fill(page, "evidence-date", "15/03/2026")
    click(page, "evidence-attach")
    wait_text(page, "Đã đính kèm Kế hoạch số 12/KH-UBND vào nhiệm vụ 4")
    wait_text(page, "Kế hoạch số 12/KH-UBND ngày 15/03/2026")
    screenshot(page, "05b-task-evidence-attached")

    shown = run_json("--db", str(server.db), "task", "show", "4")
    assert isinstance(shown, dict)
    (doc,) = shown["documents"]
    assert (doc["doc_type"], doc["number"], doc["date"]) == ("Kế hoạch", "12/KH-UBND", "2026-03-15")
    assert doc["sha256"] == hashlib.sha256(content).hexdigest()
    assert (
        server.db.with_name(server.db.name + ".attachments") / doc["sha256"]
    ).read_bytes() == content

    with page.expect_download() as download:
        by_id(page, "documents").get_by_role("button", name="Tải về").first.click()
    saved = tmp_path / "tai-ve.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == content


def test_marking_done_with_its_date_makes_the_task_done_on_time(server: Server, page: Page) -> None:
    _open_task(page, server, 4)
    choose(page, "update-status", "Đã hoàn thành")
    fill(page, "update-progress", "100")
    fill(page, "update-done-on", "20/03/2026")
    click(page, "update-submit")
    wait_text(page, "Đã cập nhật nhiệm vụ 4: Hoàn thành đúng hạn, tiến độ 100%.")
    shown = run_json("--db", str(server.db), "task", "show", "4")
    assert isinstance(shown, dict)
    assert (shown["state"], shown["done_on"]) == ("done_on_time", "2026-03-20")


def test_alt_and_a_digit_switch_screens_from_the_keyboard(server: Server, page: Page) -> None:
    open_app(page, server.url, "dashboard-ready")
    page.keyboard.press("Alt+5")  # Cài đặt is the fifth destination
    wait_for(by_id(page, "settings-profile"))
    page.keyboard.press("Alt+2")
    wait_for(by_id(page, "filter-search"))


def test_dashboard_counts_a_task_updated_elsewhere_in_progress(server: Server, page: Page) -> None:
    with Workspace.open(server.db) as ws:
        task_service.update_task(ws, "4", status="in_progress", progress=60, by=OFFICER)
    open_app(page, server.url, "dashboard-ready")
    views = _tasks(server.db)
    in_progress = sum(1 for v in views if v["state"] == "in_progress")
    card = wait_for(by_id(page, "count-in_progress"))
    assert f"{STATE_LABELS['in_progress']}: {in_progress}" in shown_text(card)
    targets = run_json("--db", str(server.db), "targets")
    assert isinstance(targets, list)
    plan_target = next(t for t in targets if t["code"] == "c")
    assert (
        "Không đạt" in shown_text(wait_for(by_id(page, "target-c")))
        or plan_target["status"] != "not_met"
    )
    page.mouse.move(700, 500)
    page.mouse.wheel(0, 900)
    screenshot(page, "08-dashboard-lower-half")


def test_settings_back_up_to_a_file_and_refuse_to_restore_a_corrupt_one(
    server: Server, page: Page, tmp_path: Path
) -> None:
    with Workspace.open(server.db) as ws:
        task_service.update_task(ws, "4", status="in_progress", progress=60, by=OFFICER)
    open_app(page, server.url, "dashboard-ready")
    _nav(page, "Cài đặt")
    wait_for(by_id(page, "settings-backup"))
    screenshot(page, "06-settings")
    target = tmp_path / "sao-luu.sqlite"
    fill(page, "backup-path", str(target))
    click(page, "backup-now")
    wait_text(page, "Đã sao lưu 26 nhiệm vụ")
    assert run_cchc("--db", str(target), "task", "show", "4", "--json", check=True)

    before = run_json("--db", str(server.db), "task", "show", "4")
    garbage = tmp_path / "hong.sqlite"
    garbage.write_bytes(b"khong phai co so du lieu" * 200)
    fill(page, "restore-path", str(garbage))
    click(page, "restore-now")
    wait_text(page, "bị hỏng hoặc không phải bản sao lưu cơ sở dữ liệu")
    screenshot(page, "07-settings-restore-refused")
    assert run_json("--db", str(server.db), "task", "show", "4") == before


def test_restoring_a_good_backup_after_confirmation_brings_its_data_back(
    server: Server, page: Page, tmp_path: Path
) -> None:
    open_app(page, server.url, "dashboard-ready")
    _nav(page, "Cài đặt")
    saved = tmp_path / "truoc-khi-sua.sqlite"
    fill(page, "backup-path", str(saved))
    click(page, "backup-now")
    wait_text(page, f"vào “{saved}”")
    run_cchc("--db", str(server.db), "task", "update", "6", "--progress", "30", check=True)
    assert run_json("--db", str(server.db), "task", "show", "6")["progress"] == 30  # type: ignore[index]

    fill(page, "restore-path", str(saved))
    click(page, "restore-now")
    wait_text(page, "Phục hồi dữ liệu?")
    screenshot(page, "09-settings-restore-confirm")
    click(page, "restore-confirm")
    wait_text(page, "Đã phục hồi dữ liệu từ “truoc-khi-sua.sqlite”")
    assert run_json("--db", str(server.db), "task", "show", "6")["progress"] == 0  # type: ignore[index]


def test_a_laptop_of_another_unit_sees_task_4_read_only(server: Server, page: Page) -> None:
    open_app(page, server.url, "dashboard-ready")
    _nav(page, "Cài đặt")
    choose(page, "profile-unit", "Công an đặc khu")
    click(page, "profile-save")
    wait_text(page, "máy này thuộc Công an đặc khu")
    _nav(page, "Nhiệm vụ")
    choose(page, "filter-unit", "Tất cả")  # the list opened on Công an đặc khu's own tasks
    click(page, "task-row-4")
    wait_text(page, "máy của Công an đặc khu chỉ xem")
    assert by_id(page, "update-form").count() == 0
    screenshot(page, "10-task-read-only-for-another-unit")
