"""Is this report genuine? (JOURNEYS 12; issue 19, deliverable 1) in the real app in Chromium.

Phòng Văn hóa - Xã hội has issued the zone's Quý II/2026 report, summed from the reports of Trung
tâm Phục vụ hành chính công (12 dossiers received directly) and Văn phòng UBND (3). In "Xác minh
báo cáo" the officer pastes the QR code's payload as scanned: the screen says "KHỚP" and shows the
unit reports behind each figure (15 = 3 + 12). Then the path of a copy changed by hand (the
period's first day 15/03 → 16/03): the screen says "KHÔNG KHỚP" and names the change. The harness's gate checks
the page at the end (no grey box, no console error)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from cchc.services import overview, report_output
from cchc.services import reports as report_service
from cchc.services.workspace import Workspace
from tests.integration.pdf_tamper import replace_text
from tests.ui.harness import Server, by_id, click, fill, open_app, screenshot, wait_text

pytestmark = [pytest.mark.ui, pytest.mark.timeout(300)]


@pytest.fixture
def issued(tmp_path: Path) -> dict[str, str]:
    db = tmp_path / "cchc.sqlite"
    with Workspace.open(db) as ws:
        for unit, received in (("tthcc", "12"), ("vp_ubnd", "3")):
            view = report_service.new_report(ws, unit=unit, period="2026-Q2", by="A")
            fields = {"received_direct": received, "resolved_on_time": received}
            report_service.set_report(ws, view.id, fields=fields)
            report_service.submit_report(ws, view.id, by="A")
        overview.set_local_profile(ws, "vhxh", "Lê Thị Bình")
        zone = report_service.consolidate(ws, period="2026-Q2")
        report_service.set_report(ws, zone.id, number="40")
        zone = report_service.submit_report(ws, zone.id)
        pdf = report_output.write_pdf(ws, zone.id, tmp_path / "bao-cao.pdf")
    forged = replace_text(pdf, tmp_path / "ban-sua.pdf", "15/03/2026", "16/03/2026")
    assert zone.content_code
    return {
        "db": str(db),
        "payload": f"CCHC-BLV {zone.content_code} {zone.id}",
        "forged": str(forged),
    }


@pytest.fixture
def ui_db(issued: dict[str, str]) -> Path:
    return Path(issued["db"])


def test_a_scanned_payload_verifies_with_its_sources_and_a_changed_copy_is_named(
    server: Server, page: Page, issued: dict[str, str]
) -> None:
    open_app(page, server.url, "dashboard-ready", timeout=60)
    by_id(page, "nav").get_by_role("button", name=re.compile("^Báo cáo")).click()
    click(page, "report-verify-open")
    fill(page, "verify-source", issued["payload"])
    click(page, "verify-run")
    wait_text(page, "KHỚP: báo cáo mang mã")
    wait_text(page, "Các báo cáo đơn vị được tổng hợp:")
    wait_text(
        page,
        "- Hồ sơ tiếp nhận trực tiếp: 15 = 3 (Văn phòng Ủy ban nhân dân đặc khu, lần 1) "
        "+ 12 (Trung tâm Phục vụ hành chính công đặc khu, lần 1)",
    )
    screenshot(page, "19-verify-payload-sources")

    fill(page, "verify-source", issued["forged"])
    click(page, "verify-run")
    wait_text(page, "KHÔNG KHỚP: chữ in trong tệp PDF khác với bản dữ liệu có chữ ký số")
    wait_text(page, "bản ban hành ghi “15/03/2026”, tệp này ghi “16/03/2026”")
    screenshot(page, "19-verify-forged-copy")
