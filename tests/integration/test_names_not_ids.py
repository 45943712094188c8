"""Rows and laptops are named as people know them, never by a raw id: a task by its row or its
content, a report by its period and unit, a row of either by the one it belongs to, a laptop by
its unit."""

from __future__ import annotations

from cchc.services import reports as report_service
from cchc.services import sync_view
from cchc.services import tasks as task_service
from cchc.services.task_text import task_ref
from cchc.ui.screens.task_detail import facts
from tests.integration.screen_ctx import shown_texts

CONTENT = "Rà soát, công bố danh mục thủ tục hành chính thực hiện trên Cổng dịch vụ công"


def _city_task(ws):
    return task_service.add_task(
        ws,
        content=CONTENT,
        lead="cong_an",
        partners=[],
        due=None,
        timeframe="Quý IV/2026",
        source_number="1234/UBND-NC",
        source_date="18/03/2026",
        source_issuer="UBND thành phố Hải Phòng",
        by="Sở Nội vụ",
    )


def test_a_task_without_a_row_is_named_by_its_content(ws):
    task = _city_task(ws)
    assert task.stt is None
    assert task_ref(task.stt, task.content).startswith("“Rà soát, công bố danh mục")
    assert sync_view.row_label(ws, "tasks", task.id)[1] == task_ref(None, CONTENT)
    heading = " ".join(shown_texts(facts(task_service.get_task(ws, task.id))))
    assert task.id[:8] not in heading
    assert "Nhiệm vụ “Rà soát" in heading


def test_a_report_and_its_rows_are_named_by_period_and_unit(ws):
    report = report_service.new_report(ws, unit="tthcc", period="2026-Q2")
    report_service.set_report(ws, report.id, fields={"received_direct": "10"})
    name = "Quý II/2026 Trung tâm Phục vụ hành chính công đặc khu"
    assert sync_view.row_label(ws, "reports", report.id) == ("reports", name)
    figures_id = ws.db.conn.execute(
        "SELECT id FROM report_figures WHERE report_id = ?", (report.id,)
    ).fetchone()[0]
    assert sync_view.row_label(ws, "report_figures", figures_id) == ("report_figures", name)


def test_a_row_this_laptop_does_not_hold_and_an_unknown_laptop_show_no_id(ws):
    assert sync_view.row_label(ws, "tasks", "8c1009b9" * 4) == ("tasks", "")
    assert "32c88629" not in sync_view.peer_name(None, "32c88629" * 4, "Thành phố")
