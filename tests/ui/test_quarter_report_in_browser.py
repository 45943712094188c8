"""The quarter's work on screen, from end to end, with the keyboard as officers type.

Trung tâm Phục vụ hành chính công's officer creates the quarter's report, types its figures with
Tab from field to field and thousand dots ("1.200"), sees an impossible figure (600 online
payments of 500) flagged as it is typed and no "đạt" beside it, writes the narrative sections,
leaves the screen and reloads the page without losing a keystroke (nothing saved yet: the draft
kept it), saves with Enter and submits. Its laptop's bundle reaches Phòng Văn hóa - Xã hội, whose
officer consolidates the zone's report, fills its number, date and signer in the bar that stays
in reach, is asked first because units are missing (each named), submits, writes the PDF, and
the PDF's text, read back with pdftotext, carries that number, date and signer.

Every page is checked by the harness's gate at the end (no grey failure box, no console error).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page

from cchc.services import exchange, overview
from cchc.services.workspace import Workspace
from tests.conftest import run_json
from tests.ui.harness import (
    Browsing,
    Server,
    attempts,
    by_id,
    check_drawn,
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

pytestmark = [pytest.mark.ui, pytest.mark.timeout(600)]

PERIOD = "2026-Q4"
PERIOD_LABEL = "Quý IV/2026"
SIGNER = "Nguyễn Văn An"
# In reading order, as the form shows them: typed one after the other with Tab between.
TYPED = [
    ("received_direct", "1.200"),
    ("received_online_full", "300"),
    ("received_online_partial", "0"),
    ("received_postal", "0"),
    ("carried_over", "0"),
    ("resolved_early", "100"),
    ("resolved_on_time", "1.250"),
    ("resolved_late", "50"),
    ("pending_within_time", "100"),
    ("pending_overdue", "0"),
    ("returned", "0"),
    ("withdrawn", "0"),
    ("dossiers_tracked", "1.500"),
    ("payments_total", "500"),
    ("payments_online", "600"),  # more than the total: impossible
]
SECTIONS = {
    "section-I": "Đã ban hành và triển khai kế hoạch tuyên truyền cải cách hành chính.",
    "section-difficulties": "Đường truyền Internet ra đảo chập chờn.",
    "section-proposals": "Đề nghị thành phố hỗ trợ đường truyền dự phòng.",
}


@pytest.fixture
def laptops(tmp_path: Path) -> dict[str, Path]:
    """The city's root, the centre's laptop (a unit) and the consolidator's, certified."""
    paths = {name: tmp_path / f"{name}.sqlite" for name in ("city", "tthcc", "vhxh")}
    with (
        Workspace.open(paths["city"]) as city,
        Workspace.open(paths["tthcc"]) as centre,
        Workspace.open(paths["vhxh"]) as vhxh,
    ):
        fp = exchange.init_root(city)["root_fingerprint"]
        # the consolidator first: the centre's trust file then names it, so the centre's stick is
        # sealed to the consolidator and the city (a unit certified before it seals to the city)
        for ws, unit, role, officer in (
            (vhxh, "vhxh", "consolidator", "Lê Thị Bình"),
            (centre, "tthcc", "unit", "Phạm Văn Cường"),
        ):
            overview.set_local_profile(ws, unit, officer)
            ident = exchange.identity(ws)
            trust = exchange.certify(
                city,
                site_id=ident["site_id"],
                public_key=ident["public_key"],
                enc_key=ident["enc_key"],
                units=[unit],
                role=role,
                out=tmp_path / f"{unit}.trust",
            )
            exchange.install_trust(ws, trust, fp)
    return paths


@pytest.fixture
def ui_db(laptops: dict[str, Path]) -> Path:
    return laptops["tthcc"]


def _kept(db: Path) -> dict[str, str]:
    """What the laptop kept of the text typed into its report (the report_drafts table)."""
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT field, text FROM report_drafts").fetchall())


def _fill_sections(page: Page, db: Path) -> None:
    """Type each narrative section. A click from one long text field to the next can leave
    Flutter's focus on the first while the browser's box says otherwise; what the laptop kept
    is the proof, and a section that landed elsewhere is typed again (counted by the harness)."""
    for _ in attempts("section", 3):
        kept = _kept(db)
        wrong = [t for t, text in SECTIONS.items() if kept.get(_draft_key(t)) != text]
        if not wrong:
            return
        for tag in wrong:
            fill(page, tag, SECTIONS[tag])
            page.wait_for_timeout(300)
    kept = _kept(db)
    assert {t: kept.get(_draft_key(t)) for t in SECTIONS} == SECTIONS


def _draft_key(tag: str) -> str:
    return "section:" + tag.removeprefix("section-")


def _nav(page: Page, label: str) -> None:
    by_id(page, "nav").get_by_role("button", name=re.compile(f"^{label}")).click()


def _box(page: Page, name: str):  # type: ignore[no-untyped-def]
    return wait_for(by_id(page, f"fig-{name}").locator("input"))


def _open_report(page: Page, unit: str) -> None:
    _nav(page, "Báo cáo")
    click(page, f"report-row-{PERIOD}-{unit}-1")
    wait_for(by_id(page, "report-editor"))


def _shown(db: Path, unit: str) -> dict:  # type: ignore[type-arg]
    reports = run_json("--db", str(db), "report", "list", "--period", PERIOD)
    assert isinstance(reports, list)
    (mine,) = [r for r in reports if (r.get("unit") or "zone") == unit]
    shown = run_json("--db", str(db), "report", "show", str(mine["id"]))
    assert isinstance(shown, dict)
    return shown


def test_the_quarters_report_typed_by_keyboard_kept_submitted_consolidated_and_printed(
    laptops: dict[str, Path], server: Server, browsing: Browsing, tmp_path: Path
) -> None:
    # ---- Trung tâm Phục vụ hành chính công: the quarter's figures by keyboard alone --------
    page = browsing.new_page()
    open_app(page, server.url, "dashboard-ready")
    _nav(page, "Báo cáo")
    choose(page, "report-new-period", PERIOD_LABEL)
    click(page, "report-create")
    wait_for(by_id(page, "report-editor"))
    _box(page, TYPED[0][0]).click()
    page.wait_for_timeout(300)
    for number, (_, value) in enumerate(TYPED):
        if number:
            page.keyboard.press("Tab")
            page.wait_for_timeout(400)
        page.keyboard.type(value, delay=120)  # about eight keys a second: a fast typist
        page.wait_for_timeout(250)
    page.wait_for_timeout(800)
    for name, value in TYPED:  # every digit landed in its own field, none on the rail
        assert _box(page, name).input_value() == value, name

    # flagged as typed: the error under the field, and no "đạt" beside the payments rate
    wait_text(page, "Giao dịch thanh toán trực tuyến (600) vượt quá tổng giao dịch thanh toán")
    rate = shown_text(wait_for(by_id(page, "rate-online_payment_share")))
    assert "số liệu đang sai" in rate and "đạt" not in rate.replace("số liệu", "")
    screenshot(page, "30-quarter-impossible-flagged")
    online = _box(page, "payments_online")
    online.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("450", delay=30)
    page.wait_for_timeout(800)
    assert "(chỉ tiêu ≥ 80%: đạt)" in shown_text(by_id(page, "rate-online_payment_share"))

    _fill_sections(page, laptops["tthcc"])

    # ---- leave the screen, come back; reload the page: nothing typed is lost ----------------
    _nav(page, "Tổng quan")
    wait_for(by_id(page, "dashboard-ready"))
    _open_report(page, "tthcc")
    wait_text(page, "Tổng hồ sơ tiếp nhận mới: 1.500")  # the totals of what was typed
    # a reload finds the tab's window where it was (Flet keeps the tab's session)
    open_app(page, server.url, "report-editor", timeout=60)
    wait_text(page, "Tổng hồ sơ tiếp nhận mới: 1.500")
    page.close()
    # a window of its own (the laptop restarted, another tab): the typed text is on the disk
    page = browsing.new_page()
    open_app(page, server.url, "dashboard-ready", timeout=60)
    _open_report(page, "tthcc")
    wait_text(page, "Tổng hồ sơ tiếp nhận mới: 1.500")
    screenshot(page, "31-quarter-back-after-reload")
    unsaved = _shown(laptops["tthcc"], "tthcc")
    assert unsaved["figures"]["received_direct"] is None  # kept as typed, not yet saved
    assert not any(unsaved["sections"].values())

    # ---- Enter saves; then submit -----------------------------------------------------------
    _box(page, "payments_online").click()
    page.wait_for_timeout(400)
    page.keyboard.press("Enter")
    wait_text(page, f"Đã lưu dự thảo báo cáo kỳ {PERIOD_LABEL}")
    click(page, "report-submit")
    click(page, "submit-confirm")
    wait_for(by_id(page, "report-locked"))
    submitted = _shown(laptops["tthcc"], "tthcc")
    assert submitted["status"] == "submitted"
    # every figure and every section typed before leaving came back and was saved as typed
    expected = {name: int(value.replace(".", "")) for name, value in TYPED}
    expected["payments_online"] = 450
    assert {name: submitted["figures"][name] for name in expected} == expected
    for tag, text in SECTIONS.items():
        assert submitted["sections"][tag.removeprefix("section-")] == text, tag
    screenshot(page, "32-quarter-submitted")

    # ---- the bundle reaches Phòng Văn hóa - Xã hội ------------------------------------------
    with Workspace.open(laptops["tthcc"]) as centre:
        bundles = exchange.export_to(centre, tmp_path / "usb")
    with Workspace.open(laptops["vhxh"]) as vhxh:
        exchange.import_paths(vhxh, list(bundles))

    # ---- the consolidator: number, date, signer in the bar; asked about missing units; PDF --
    with serve(laptops["vhxh"], tmp_path / "vhxh.server.log") as vhxh_server:
        desk = browsing.new_page()
        open_app(desk, vhxh_server.url, "dashboard-ready")
        _nav(desk, "Báo cáo")
        choose(desk, "report-consolidate-period", PERIOD_LABEL)
        click(desk, "report-consolidate")
        wait_for(by_id(desk, "report-missing"))
        today = dt.date.today().strftime("%d/%m/%Y")
        fill(desk, "report-number", "15")
        fill(desk, "report-date", today)
        fill(desk, "report-signer", SIGNER)
        desk.keyboard.press("Enter")
        wait_text(desk, f"Đã lưu dự thảo báo cáo kỳ {PERIOD_LABEL}")
        zone = _shown(laptops["vhxh"], "zone")
        assert zone["number"] == "15" and zone["signer_name"] == SIGNER
        missing = zone["missing_units"]
        assert missing and "Trung tâm Phục vụ hành chính công đặc khu" not in missing
        click(desk, "report-submit")
        asked = shown_text(wait_for(by_id(desk, "submit-missing")))
        assert f"{len(missing)} đơn vị" in asked
        for name in missing:
            wait_text(desk, f"• {name}")
        screenshot(desk, "33-zone-submit-asks-missing")
        click(desk, "submit-confirm")
        wait_for(by_id(desk, "report-locked"))
        click(desk, "report-write-pdf")  # in the bar, in reach without scrolling
        wait_text(desk, "Đã ghi")
        (pdf,) = (laptops["vhxh"].parent / "bao-cao").glob("*.pdf")
        assert shutil.which("pdftotext")
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(r"Số:\s*15/BC-", text), text[:600]
        assert SIGNER in text
        day = dt.date.today()
        assert f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}" in text, text[:600]
        screenshot(desk, "34-zone-pdf-written")
        # the gate, while its server still runs (closed after, it would only report the lost link)
        check_drawn(desk, "the consolidator's report")
        desk.close()
