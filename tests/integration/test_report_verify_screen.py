"""The "Xác minh báo cáo" dialog of the Báo cáo destination: a PDF path, a typed code or a
scanned QR payload gives the same answer as `cchc report verify`, and a changed copy is named
as changed, with what differs."""

from __future__ import annotations

from cchc.services import overview as overview_service
from cchc.services import report_output
from cchc.services import reports as report_service
from cchc.ui.screens.reports import ReportsScreen
from tests.integration.pdf_tamper import replace_text
from tests.integration.screen_ctx import ScreenContext, control_tagged


def _issued(ws, tmp_path):
    overview_service.set_local_profile(ws, "tthcc", "Trần Thị Bình")
    view = report_service.new_report(ws, unit="tthcc", period="2026-Q2")
    report_service.set_report(
        ws,
        view.id,
        fields={"received_direct": "12", "resolved_on_time": "12"},
        sections={"III": "Đã tiếp nhận."},
    )
    view = report_service.submit_report(ws, view.id)
    return view, report_output.write_pdf(ws, view.id, tmp_path / "bao-cao.pdf")


def _dialog(ws, db_path):
    ctx = ScreenContext(ws, db_path)
    screen = ReportsScreen(ctx)
    screen.show()
    control_tagged(screen.view, "report-verify-open").content.on_click(None)
    dialog = ctx.page.dialogs[-1]
    return ctx, dialog.content


def _run(ctx, panel_view, text: str) -> tuple[str, str, list[str]]:
    source = control_tagged(panel_view, "verify-source").content
    source.value = text
    control_tagged(panel_view, "verify-run").content.on_click(None)
    verdict = control_tagged(panel_view, "verify-verdict").content
    column = panel_view.controls[-1].content
    return verdict.value, str(verdict.color), [c.value for c in column.controls]


def test_the_dialog_verifies_a_pdf_a_code_and_a_scanned_qr_payload(ws, db_path, tmp_path):
    view, pdf = _issued(ws, tmp_path)
    ctx, panel = _dialog(ws, db_path)
    for text in (str(pdf), view.content_code, f"CCHC-BLV {view.content_code} {view.id}"):
        verdict, color, lines = _run(ctx, panel, text)
        assert verdict.startswith("KHỚP") and "GREEN" in color
        assert any("Trung tâm Phục vụ hành chính công đặc khu" in line for line in lines)


def test_the_dialog_names_what_a_changed_copy_altered(ws, db_path, tmp_path):
    view, pdf = _issued(ws, tmp_path)
    forged = replace_text(pdf, tmp_path / "sua.pdf", "Đã tiếp nhận.", "Đã tiếp nhận hết.")
    ctx, panel = _dialog(ws, db_path)
    verdict, color, lines = _run(ctx, panel, str(forged))
    # the copy keeps the signed snapshot the PDF carries, which no longer says what the page shows
    assert verdict.startswith("KHÔNG KHỚP: chữ in trong tệp PDF khác") and "RED" in color
    assert lines[0] == (
        "- Sau “thủ tục hành chính Đã tiếp”: bản ban hành ghi “nhận.”, tệp này ghi “nhận hết.”."
    )
    verdict, _, _ = _run(ctx, panel, "not a code")
    assert "không phải mã xác thực" in verdict


def test_the_dialog_shows_the_unit_reports_behind_each_figure_of_the_zones_report(ws, db_path):
    for unit, received in (("tthcc", "12"), ("vp_ubnd", "3")):
        view = report_service.new_report(ws, unit=unit, period="2026-Q2", by="A")
        fields = {"received_direct": received, "resolved_on_time": received}
        report_service.set_report(ws, view.id, fields=fields)
        report_service.submit_report(ws, view.id, by="A")
    overview_service.set_local_profile(ws, "vhxh", "Lê Thị Bình")
    zone = report_service.consolidate(ws, period="2026-Q2")
    report_service.set_report(ws, zone.id, number="40")
    zone = report_service.submit_report(ws, zone.id)
    ctx, panel = _dialog(ws, db_path)
    verdict, color, lines = _run(ctx, panel, f"CCHC-BLV {zone.content_code} {zone.id}")
    assert verdict.startswith("KHỚP") and "GREEN" in color
    assert "Các báo cáo đơn vị được tổng hợp:" in lines
    assert any(
        line.startswith("- Trung tâm Phục vụ hành chính công đặc khu, báo cáo lần 1")
        for line in lines
    )
    assert (
        "- Hồ sơ tiếp nhận trực tiếp: 15 = 3 (Văn phòng Ủy ban nhân dân đặc khu, lần 1) "
        "+ 12 (Trung tâm Phục vụ hành chính công đặc khu, lần 1)"
    ) in lines
