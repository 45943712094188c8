"""Reports and sync in a real browser: a unit's quarter-end report typed in with live rates, a bad
figure refused, submission, the PDF; export to a folder, a tampered bundle refused, the good one
applied, consolidation listing the units that have not submitted, the dashboard's panels.

The laptop under test belongs to Phòng Văn hóa - Xã hội; a second laptop (Trung tâm Phục vụ hành
chính công) and the city's root are real databases prepared with the same services the app uses,
once per module, then copied for each test: every test has its own databases, server and page,
and writes what it needs beforehand (a draft, a submitted report, a bundle applied) through the
services, so any test runs alone or in any order.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from cchc.domain.text import shorten
from cchc.services import exchange, overview
from cchc.services import reports as report_service
from cchc.services import tasks as task_service
from cchc.services.workspace import Workspace
from cchc.texts.sync import ERRORS as SYNC_ERRORS
from tests.conftest import cchc_env, run_cchc, run_json
from tests.ui.harness import (
    Browsing,
    Server,
    by_id,
    choose,
    click,
    fill,
    free_port,
    open_app,
    screenshot,
    shown_text,
    wait_for,
    wait_text,
    with_text,
)

pytestmark = [pytest.mark.ui, pytest.mark.timeout(180)]

OFFICER = "Lê Thị Bình"
PERIOD = "2026-9M"
PERIOD_LABEL = "9 tháng năm 2026"
TTHCC = "Trung tâm Phục vụ hành chính công đặc khu"


@dataclass
class World:
    """The laptop under test, the other unit's bundle on the stick, and scratch folders."""

    db: Path
    city: Path
    stick: Path
    other_bundle: Path
    tampered: Path
    out: Path

    def moved(self, old: Path, new: Path) -> World:
        """The same world copied from folder `old` into folder `new`."""
        return World(**{k: new / Path(v).relative_to(old) for k, v in vars(self).items()})


def _certify(city: Workspace, laptop: Workspace, unit: str, role: str, folder: Path, fp: str):
    ident = exchange.identity(laptop)
    trust = exchange.certify(
        city,
        site_id=ident["site_id"],
        public_key=ident["public_key"],
        enc_key=ident["enc_key"],
        units=[unit],
        role=role,
        out=folder / f"{unit}.trust",
    )
    exchange.install_trust(laptop, trust, fp)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("reports-sync")
    db = folder / "vhxh.sqlite"
    stick = folder / "usb"
    with (
        Workspace.open(folder / "city.sqlite") as city,
        Workspace.open(db) as mine,
        Workspace.open(folder / "tthcc.sqlite") as other,
    ):
        fp = exchange.init_root(city)["root_fingerprint"]
        overview.set_local_profile(mine, "vhxh", OFFICER)
        overview.set_local_profile(other, "tthcc", "Phạm Văn Cường")
        _certify(city, mine, "vhxh", "consolidator", folder, fp)
        _certify(city, other, "tthcc", "unit", folder, fp)
        # the other unit's laptop files its 9-month report and writes a bundle to the stick
        view = report_service.new_report(other, unit="tthcc", period=PERIOD)
        report_service.set_report(
            other,
            view.id,
            fields={
                "received_direct": "40",
                "resolved_on_time": "38",
                "resolved_late": "2",
                "payments_total": "20",
                "payments_online": "17",
            },
        )
        report_service.submit_report(other, view.id)
        (written,) = exchange.export_to(other, stick / "tthcc")
        # the city and this laptop both change task 4's progress while apart: a conflict
        task_service.update_task(city, "4", status="in_progress", progress=50, by="Sở Nội vụ")
        task_service.update_task(mine, "4", status="in_progress", progress=70, by=OFFICER)
    data = bytearray(written.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = folder / "hong" / written.name
    tampered.parent.mkdir()
    tampered.write_bytes(bytes(data))
    return World(
        db=db,
        city=folder / "city.sqlite",
        stick=stick,
        other_bundle=written,
        tampered=tampered,
        out=folder / "out",
    )


@pytest.fixture
def world(template: World, tmp_path: Path) -> World:
    """This test's own copy of the three laptops' databases, keys, bundles and folders."""
    shutil.copytree(template.db.parent, tmp_path / "world")
    return template.moved(template.db.parent, tmp_path / "world")


@pytest.fixture
def ui_db(world: World) -> Path:
    return world.db


@pytest.fixture
def hub(world: World) -> Iterator[str]:
    """The city's HTTP hub (`cchc sync serve`) on a free loopback port."""
    port = free_port()
    log = world.city.with_suffix(".hub.log")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cchc", "--db", str(world.city), "sync", "serve"]
            + ["--port", str(port)],
            env=cchc_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(f"hub did not start: {log.read_text()}") from None
                    time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture
def page(server: Server, browsing: Browsing) -> Page:
    p = browsing.new_page()
    open_app(p, server.url, "dashboard-ready")
    return p


FIGURES = {
    "received_direct": "100",
    "resolved_early": "10",
    "resolved_on_time": "80",
    "resolved_late": "10",
    "payments_total": "50",
    "payments_online": "42",
}


def _draft(world: World, fields: dict[str, str] | None = None) -> str:
    """This laptop's 9-month report, as a draft (with `fields` typed in, if given)."""
    with Workspace.open(world.db) as ws:
        view = report_service.new_report(ws, unit="vhxh", period=PERIOD)
        if fields:
            report_service.set_report(ws, view.id, fields=fields)
        return str(view.id)


def _submitted(world: World) -> str:
    ref = _draft(world, FIGURES)
    with Workspace.open(world.db) as ws:
        report_service.submit_report(ws, ref)
    return ref


def _apply(world: World, *bundles: Path) -> None:
    with Workspace.open(world.db) as ws:
        exchange.import_paths(ws, list(bundles))


def _from_city(world: World) -> Path:
    """A bundle of the city's changes (its task 4 progress among them), as its hub would send."""
    with Workspace.open(world.city) as city:
        (written,) = exchange.export_to(city, world.out / "city")
    return written


def _open_report(page: Page) -> None:
    _nav(page, "Báo cáo")
    click(page, f"report-row-{PERIOD}-vhxh-1")
    wait_for(by_id(page, "report-editor"))


def _nav(page: Page, label: str) -> None:
    by_id(page, "nav").get_by_role("button", name=re.compile(f"^{label}")).click()


def _reports(db: Path, *args: str) -> list[dict[str, object]]:
    result = run_json("--db", str(db), "report", "list", *args)
    assert isinstance(result, list)
    return result


def test_dashboard_shows_targets_and_that_nothing_was_exchanged_yet(page: Page) -> None:
    wait_for(by_id(page, "targets"))
    wait_text(page, "Máy này chưa trao đổi dữ liệu với máy nào.")
    by_id(page, "dashboard-exchange").scroll_into_view_if_needed()
    screenshot(page, "10-dashboard-targets-exchange")


def test_creating_a_report_and_typing_figures_computes_the_rates(world: World, page: Page) -> None:
    _nav(page, "Báo cáo")
    wait_for(by_id(page, "report-new"))
    choose(page, "report-new-period", PERIOD_LABEL)
    click(page, "report-create")
    wait_text(page, "Đã tạo báo cáo kỳ 9 tháng năm 2026 của Phòng Văn hóa - Xã hội")
    wait_for(by_id(page, "report-editor"))
    (created,) = _reports(world.db, "--unit", "vhxh")
    assert (created["period"], created["status"]) == (PERIOD, "draft")

    fill(page, "fig-received_direct", "100")
    fill(page, "fig-resolved_early", "10")
    fill(page, "fig-resolved_on_time", "80")
    fill(page, "fig-resolved_late", "10")
    fill(page, "fig-payments_total", "50")
    fill(page, "fig-payments_online", "42")
    wait_text(page, "Tỷ lệ giải quyết trước hạn và đúng hạn: 90%")
    wait_text(page, "Tỷ lệ thanh toán trực tuyến: 84% (chỉ tiêu ≥ 80%: đạt)")
    wait_text(page, "Tổng hồ sơ đã giải quyết: 100")
    by_id(page, "report-figures").scroll_into_view_if_needed()
    screenshot(page, "11-report-figures-rates")
    by_id(page, "section-I").first.scroll_into_view_if_needed()
    screenshot(page, "11b-report-outline")


def test_a_negative_figure_is_refused_in_vietnamese_and_not_stored(
    world: World, page: Page
) -> None:
    _draft(world)
    _open_report(page)
    fill(page, "fig-returned", "-5")
    wait_text(page, "Hồ sơ trả lại không được âm: đã nhập -5.")
    assert with_text(page, "(returned)").count() == 0  # the figure's name in code stays off screen
    click(page, "report-save")
    wait_text(page, "Cần sửa trước khi lưu:")
    screenshot(page, "12-report-negative-refused")
    (report,) = _reports(world.db, "--unit", "vhxh")
    shown = run_json("--db", str(world.db), "report", "show", str(report["id"]))
    assert isinstance(shown, dict)
    assert shown["figures"]["returned"] is None
    assert shown["figures"]["received_direct"] is None  # nothing of the refused save was written


def test_saving_then_submitting_locks_the_report(world: World, page: Page) -> None:
    _draft(world, FIGURES)
    _open_report(page)
    fill(page, "section-difficulties", "Đường truyền Internet ra đảo chập chờn.")
    fill(page, "fig-returned", "0")
    page.wait_for_timeout(500)
    click(page, "report-save")
    wait_text(page, "Đã lưu dự thảo báo cáo kỳ 9 tháng năm 2026")
    click(page, "report-submit")
    click(page, "submit-confirm")
    wait_text(
        page, "Đã nộp báo cáo kỳ 9 tháng năm 2026 của Phòng Văn hóa - Xã hội; báo cáo đã khóa"
    )
    wait_for(by_id(page, "report-locked"))
    wait_for(by_id(page, "report-revise"))
    screenshot(page, "13-report-submitted")
    (report,) = _reports(world.db, "--unit", "vhxh")
    shown = run_json("--db", str(world.db), "report", "show", str(report["id"]))
    assert isinstance(shown, dict)
    assert shown["status"] == "submitted"
    assert shown["figures"]["received_direct"] == 100
    assert shown["rates"]["on_time_rate"] == 90.0
    assert shown["sections"]["difficulties"] == "Đường truyền Internet ra đảo chập chờn."


def test_producing_the_pdf_writes_a_readable_file(world: World, page: Page) -> None:
    _submitted(world)
    _open_report(page)
    fill(page, "report-out-folder", str(world.out))
    click(page, "report-write-pdf")
    wait_text(page, f"Đã ghi {world.out}")
    pdfs = list(world.out.glob("*.pdf"))
    assert len(pdfs) == 1
    text = "".join(p.extract_text() for p in PdfReader(pdfs[0]).pages)
    assert "BÁO CÁO" in text and "Phòng Văn hóa - Xã hội".upper() in text.upper()
    click(page, "report-write-csv")
    wait_for(by_id(page, "report-output"))
    page.wait_for_timeout(1500)
    assert len(list(world.out.glob("*.csv"))) == 1


def test_downloading_the_pdf_in_the_browser_gives_the_same_report(
    world: World, page: Page, tmp_path: Path
) -> None:
    _submitted(world)
    _open_report(page)
    with page.expect_download(timeout=30_000) as info:
        click(page, "report-download-pdf")
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    wait_text(page, f"Đã gửi tệp {download.suggested_filename} về trình duyệt")


def test_export_to_a_folder_writes_a_bundle(world: World, page: Page) -> None:
    _nav(page, "Đồng bộ")
    wait_for(by_id(page, "sync-ready"))
    wait_for(by_id(page, "sync-my-fingerprint"))
    # certified by the city: its role and unit are named, not "Vai trò: — · Đơn vị: —"
    standing = shown_text(wait_for(by_id(page, "sync-standing")))
    assert "Đã được Thành phố chứng nhận: Đơn vị tổng hợp · Phòng Văn hóa - Xã hội" in standing
    screenshot(page, "14-sync")
    target = world.stick / "vhxh"
    fill(page, "sync-export-folder", str(target))
    click(page, "sync-export")
    wait_text(page, f"Đã ghi 1 tệp vào {target}")
    wait_text(page, "Gói được mã hóa: chỉ máy của Thành phố mở được.")  # the consolidator's
    bundles = list(target.glob("*.cchc"))
    assert len(bundles) == 1 and bundles[0].stat().st_size > 0
    screenshot(page, "15-sync-exported")


def test_email_files_are_written_into_a_folder(world: World, page: Page) -> None:
    _nav(page, "Đồng bộ")
    wait_for(by_id(page, "sync-ready"))
    folder = world.out / "thu"
    fill(page, "sync-email-to", "vanphong@haiphong.gov.vn")
    fill(page, "sync-email-folder", str(folder))
    click(page, "sync-email-write")
    wait_text(page, "thư gửi vanphong@haiphong.gov.vn")
    emails = list(folder.glob("*.eml"))
    assert emails
    assert "vanphong@haiphong.gov.vn" in emails[0].read_text(errors="replace")


def test_a_tampered_bundle_is_refused_in_vietnamese_and_nothing_is_applied(
    world: World, page: Page
) -> None:
    _nav(page, "Đồng bộ")
    wait_for(by_id(page, "sync-ready"))
    fill(page, "sync-import-paths", str(world.tampered))
    click(page, "sync-import")
    wait_text(page, f"Tệp {world.tampered.name} bị từ chối")
    summary = shown_text(wait_for(by_id(page, "sync-import-file-0")))
    assert "TỪ CHỐI" in summary
    # where the flipped byte lands decides which check catches it; each says why in Vietnamese
    reasons = [text.split("{")[0].strip(" (") for text in SYNC_ERRORS.values()]
    assert any(reason in summary for reason in reasons), summary
    by_id(page, "sync-import-result").first.scroll_into_view_if_needed()
    screenshot(page, "16-sync-tampered-refused")
    assert _reports(world.db, "--unit", "tthcc") == []


def test_the_intact_bundle_is_applied_and_the_peer_is_remembered(world: World, page: Page) -> None:
    _nav(page, "Đồng bộ")
    wait_for(by_id(page, "sync-ready"))
    fill(page, "sync-import-paths", str(world.other_bundle))
    click(page, "sync-import")
    # what came in, as officers count it: by unit, a report, not a number of "changes"
    wait_text(page, "Từ Trung tâm Phục vụ hành chính công đặc khu: 1 báo cáo")
    assert "Áp dụng: 1 báo cáo" in shown_text(wait_for(by_id(page, "sync-import-file-0")))
    (theirs,) = _reports(world.db, "--unit", "tthcc")
    assert theirs["status"] == "submitted"
    by_id(page, "sync-install").first.scroll_into_view_if_needed()
    wait_text(page, "Trao đổi gần nhất:")
    screenshot(page, "17-sync-applied-peers")


def test_a_wrong_root_fingerprint_is_refused(world: World, page: Page) -> None:
    _nav(page, "Đồng bộ")
    wait_for(by_id(page, "sync-ready"))
    trust = world.db.parent / "vhxh.trust"
    fill(page, "sync-trust-file", str(trust))
    fill(page, "sync-root-typed", "0000-1111-2222-3333-4444-5555-6666-7777")
    click(page, "sync-install")
    wait_text(page, "Mã nhận dạng khóa gốc không khớp với mã được đọc: KHÔNG cài đặt.")
    screenshot(page, "18-sync-root-mismatch")


def test_the_link_to_the_city_hub_is_shown_and_push_and_pull_go_through(
    world: World, page: Page, hub: str
) -> None:
    _submitted(world)
    _nav(page, "Đồng bộ")
    wait_for(by_id(page, "sync-ready"))
    fill(page, "sync-hub-url", hub)
    click(page, "sync-check")
    wait_text(page, "Kết nối được với máy chủ — có thể đồng bộ ngay")
    click(page, "sync-push")
    wait_text(page, "Đã gửi ")
    click(page, "sync-pull")
    wait_text(page, "Đã nhận từ máy chủ:")
    by_id(page, "sync-http-result").first.scroll_into_view_if_needed()
    screenshot(page, "19-sync-http")
    pushed = run_json("--db", str(world.city), "report", "list", "--unit", "vhxh")
    assert isinstance(pushed, list) and len(pushed) == 1


def test_a_conflict_is_listed_and_the_other_value_can_be_kept(world: World, page: Page) -> None:
    _apply(world, _from_city(world))
    _nav(page, "Đồng bộ")
    wait_for(by_id(page, "sync-ready"))
    conflicts = run_json("--db", str(world.db), "sync", "conflicts")
    assert isinstance(conflicts, list)
    (progress,) = [c for c in conflicts if c["column"] == "progress"]
    row = wait_for(by_id(page, f"conflict-{progress['id']}"))
    row.scroll_into_view_if_needed()
    screenshot(page, "20-sync-conflict")
    row.get_by_role("button").first.click()
    click(page, "keep-other-confirm")
    wait_text(page, f"Đã giữ giá trị “{progress['lost_value']}”")
    shown = run_json("--db", str(world.db), "task", "show", "4")
    assert isinstance(shown, dict)
    assert shown["progress"] == int(progress["lost_value"])


def test_consolidation_lists_the_units_that_have_not_submitted(world: World, page: Page) -> None:
    _submitted(world)
    _apply(world, world.other_bundle)
    _nav(page, "Báo cáo")
    wait_for(by_id(page, "report-new"))
    choose(page, "report-consolidate-period", PERIOD_LABEL)
    click(page, "report-consolidate")
    wait_text(page, "Đã tổng hợp báo cáo kỳ 9 tháng năm 2026 từ 2 đơn vị")
    missing = shown_text(wait_for(by_id(page, "report-missing")))
    assert TTHCC not in missing and "Phòng Văn hóa - Xã hội" not in missing
    zone = [r for r in _reports(world.db, "--period", PERIOD) if r["scope"] == "zone"]
    assert len(zone) == 1
    shown = run_json("--db", str(world.db), "report", "show", str(zone[0]["id"]))
    assert isinstance(shown, dict)
    assert shown["figures"]["received_direct"] == 140
    assert shown["missing_units"]
    for name in shown["missing_units"]:
        assert name in missing
    screenshot(page, "21-report-consolidated")


def test_budget_records_the_units_estimate_and_leaves_the_allocation_to_its_deciders(
    world: World, page: Page
) -> None:
    """This laptop is Phòng Văn hóa - Xã hội's (the consolidator): it records its own task's
    estimate and spending; the allocation is UBND đặc khu's decision, recorded by its leadership
    or Phòng Tài chính, so the laptop does not take it (nor would the other copies)."""
    _nav(page, "Kinh phí")
    wait_for(by_id(page, "budget-save"))
    task = run_json("--db", str(world.db), "task", "show", "4")
    assert isinstance(task, dict)
    choose(page, "budget-task", f"4. {shorten(str(task['content']), 70)}")
    fill(page, "budget-estimate", "15.000.000")
    fill(page, "budget-spent", "9000000")
    click(page, "budget-save")
    wait_text(page, "Đã ghi kinh phí nhiệm vụ 4")
    wait_for(by_id(page, "budget-line-4"))
    screenshot(page, "23-budget")
    shown = run_json("--db", str(world.db), "budget", "show")
    assert isinstance(shown, dict)
    (line,) = [x for x in shown["lines"] if x["stt"] == 4]
    assert (line["estimate"], line["approved"], line["spent"]) == (15_000_000, None, 9_000_000)
    refused = run_cchc(
        "--db", str(world.db), "budget", "allocate", "4", "--amount", "12000000",
        "--decision-number", "52/QĐ-UBND", "--decision-date", "25/03/2026",
    )  # fmt: skip
    assert refused.returncode == 2 and "không được ghi nhận kinh phí" in refused.stderr


def test_an_amendment_needs_a_reason_then_is_proposed_and_forwarded(
    world: World, page: Page
) -> None:
    _nav(page, "Kinh phí")
    wait_for(by_id(page, "budget-save"))
    task = run_json("--db", str(world.db), "task", "show", "4")
    assert isinstance(task, dict)
    by_id(page, "amend-propose").first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    choose(page, "amend-task", f"4. {shorten(str(task['content']), 70)}")
    fill(page, "amend-timeframe", "Quý IV/2026")
    click(page, "amend-propose")
    wait_text(page, "Đề xuất phải nêu lý do")
    fill(page, "amend-reason", "Chờ tài liệu tuyên truyền của thành phố, dời sang quý IV")
    click(page, "amend-propose")
    wait_text(page, "Đã ghi đề xuất điều chỉnh")
    # the card says what would change, in words, with no code
    wait_text(page, "Thời hạn: từ Quý I/2026 sang Quý IV/2026")
    page.get_by_role("button", name="Tổng hợp, trình UBND").first.click()
    wait_text(page, "Đã tổng hợp, trình đề xuất")
    listed = run_json("--db", str(world.db), "amendment", "list")
    assert isinstance(listed, list) and len(listed) == 1
    card = by_id(page, f"amendment-{str(listed[0]['id'])[:8]}").first
    card.scroll_into_view_if_needed()
    assert "Thời hạn: từ Quý I/2026 sang Quý IV/2026" in shown_text(card)
    assert str(listed[0]["id"])[:8] not in shown_text(card)
    screenshot(page, "24-amendments")
    assert listed[0]["status"] == "forwarded"
    # what the change replaces is kept with the proposal (the card still reads from old to new once
    # the task has changed)
    assert listed[0]["proposal"] == {
        "timeframe": "Quý IV/2026",
        "was": {"timeframe": "Quý I/2026"},
    }


@pytest.fixture
def exchanged(world: World) -> World:
    """This laptop has applied the other unit's bundle and the city's, today."""
    _apply(world, world.other_bundle, _from_city(world))
    return world


def test_dashboard_says_when_this_laptop_last_exchanged_with_the_other_unit(
    exchanged: World, page: Page
) -> None:
    wait_for(by_id(page, "dashboard-exchange"))
    wait_for(by_id(page, "last-exchange-1"))
    lines = [shown_text(by_id(page, f"last-exchange-{i}").first) for i in range(2)]
    assert any(TTHCC in line and "hôm nay" in line for line in lines), lines
    assert any("Thành phố" in line and "hôm nay" in line for line in lines), lines
    by_id(page, "dashboard-exchange").first.scroll_into_view_if_needed()
    screenshot(page, "22-dashboard-last-exchange")


CITY_TASK = "Rà soát, công bố danh mục thủ tục hành chính thực hiện trên Cổng dịch vụ công"


@pytest.fixture
def city_assigned(world: World) -> World:
    """The city assigned Công an đặc khu a task; its bundle has been applied on this laptop."""
    with Workspace.open(world.city) as city:
        task_service.add_task(
            city,
            content=CITY_TASK,
            lead="cong_an",
            partners=[],
            due=None,
            timeframe="Quý IV/2026",
            source_number="1234/UBND-NC",
            source_date="18/03/2026",
            source_issuer="UBND thành phố Hải Phòng",
            by="Sở Nội vụ",
        )
    _apply(world, _from_city(world))
    return world


def test_the_citys_new_task_is_announced_on_the_dashboard_until_seen(
    city_assigned: World, page: Page
) -> None:
    card = wait_for(by_id(page, "new-tasks"))
    wait_text(page, "Nhiệm vụ mới Thành phố giao")
    text = shown_text(by_id(page, "new-task-1").first)
    assert CITY_TASK in text, text
    screenshot(page, "26-dashboard-new-city-task")
    click(page, "new-tasks-seen")
    card.wait_for(state="detached", timeout=15_000)
    assert by_id(page, "new-tasks").count() == 0
    # seen stays seen: the next start shows no notice
    open_app(page, page.url, "dashboard-ready")
    page.wait_for_timeout(1000)
    assert by_id(page, "new-tasks").count() == 0


def test_revising_a_submitted_report_opens_a_new_draft_and_keeps_the_old(
    world: World, page: Page
) -> None:
    _submitted(world)
    _nav(page, "Báo cáo")
    click(page, f"report-row-{PERIOD}-vhxh-1")
    wait_for(by_id(page, "report-revise"))
    click(page, "report-revise")
    wait_text(page, "Đã tạo bản sửa đổi lần 2")
    wait_for(by_id(page, "report-save"))
    screenshot(page, "25-report-revision")
    revisions = sorted(_reports(world.db, "--unit", "vhxh"), key=lambda r: int(str(r["revision"])))
    assert [(r["revision"], r["status"]) for r in revisions] == [(1, "submitted"), (2, "draft")]
