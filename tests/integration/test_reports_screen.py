"""The Báo cáo screen: an empty report cannot be submitted (every problem listed at once),
"Nộp báo cáo" says the report has not left the laptop and offers the send queue, a laptop sees
other units' reports read-only, and consolidation has its own period."""

from __future__ import annotations

import pytest

from cchc.domain.figures import FiguresInvalid
from cchc.services import overview as overview_service
from cchc.services import reports as report_service
from cchc.services.workspace import Workspace
from cchc.ui.screens.reports import ReportsScreen
from tests.integration.screen_ctx import ScreenContext, control_tagged, controls_of


def _screen(ws: Workspace, db_path, report_id: str | None = None):
    ctx = ScreenContext(ws, db_path)
    screen = ReportsScreen(ctx)
    screen.show(**({"report": report_id} if report_id else {}))
    return ctx, screen


def _press(control) -> None:
    """Press a button wrapped in its accessibility tag."""
    button = getattr(control, "content", control)
    button.on_click(None)


def test_an_empty_report_is_refused_by_the_service_and_stays_a_draft(ws):
    overview_service.set_local_profile(ws, "tthcc", "Trần Thị Bình")
    report = report_service.new_report(ws, unit="tthcc", period="2026-Q2")
    with pytest.raises(FiguresInvalid) as caught:
        report_service.submit_report(ws, report.id)
    assert [p.key for p in caught.value.problems] == ["report_empty"]
    assert report_service.get_report(ws, report.id).status == "draft"


def test_submission_lists_every_problem_at_once(ws):
    overview_service.set_local_profile(ws, "tthcc", "Trần Thị Bình")
    report = report_service.new_report(ws, unit="tthcc", period="2026-Q2")
    report_service.set_report(
        ws, report.id, fields={"received_direct": "10", "resolved_on_time": "4"}
    )
    problems = report_service.submission_problems(ws, report.id)
    assert [p.key for p in problems] == ["figure_outcomes_unbalanced"]
    report_service.set_report(ws, report.id, fields={"resolved_on_time": "10"})
    assert report_service.submission_problems(ws, report.id) == []


def test_the_screen_lists_the_problems_without_asking_to_confirm_and_locks_nothing(ws, db_path):
    overview_service.set_local_profile(ws, "tthcc", "Trần Thị Bình")
    report = report_service.new_report(ws, unit="tthcc", period="2026-Q2")
    ctx, screen = _screen(ws, db_path, report.id)
    screen.editor.submit_click(None)
    assert ctx.page.dialogs == []
    assert "chưa nhập số liệu nào" in (screen.editor.error.value or "")
    assert report_service.get_report(ws, report.id).status == "draft"


def test_submitting_names_what_it_does_and_offers_the_send_queue(ws, db_path):
    overview_service.set_local_profile(ws, "tthcc", "Trần Thị Bình")
    report = report_service.new_report(ws, unit="tthcc", period="2026-Q2")
    report_service.set_report(ws, report.id, sections={"III": "Tiếp nhận 80 hồ sơ."})
    ctx, screen = _screen(ws, db_path, report.id)
    submit = control_tagged(screen.view, "report-submit")
    assert submit is not None and submit.content.content == "Nộp báo cáo"
    screen.editor.submit_click(None)
    (dialog,) = ctx.page.dialogs
    _press(control_tagged(dialog, "submit-confirm"))
    assert report_service.get_report(ws, report.id).status == "submitted"
    said = ctx.notices[-1][0]
    assert "Đã nộp" in said and "chưa rời máy" in said and "Đã gửi" not in said
    send = control_tagged(screen.view, "report-send-next")
    assert send is not None
    _press(send)
    assert ctx.went == [("sync", {})]


def test_another_units_report_is_shown_read_only(ws, db_path):
    report = report_service.new_report(ws, unit="vhxh", period="2026-Q2")
    overview_service.set_local_profile(ws, "tthcc", "Trần Thị Bình")
    _, screen = _screen(ws, db_path, report.id)
    assert screen.editor.figures.fields, "the figures are shown"
    assert all(f.read_only for f in screen.editor.figures.fields.values())
    assert all(f.read_only for f in screen.editor.outline.section_fields.values())
    assert control_tagged(screen.view, "report-save") is None
    assert control_tagged(screen.view, "report-submit") is None
    assert control_tagged(screen.view, "report-read-only") is not None


def test_consolidation_has_its_own_period_picker(ws, db_path):
    overview_service.set_local_profile(ws, "vhxh", "Nguyễn Văn An")
    _, screen = _screen(ws, db_path)
    picker = screen.listing.consolidate_period
    assert picker is not screen.listing.new_period
    assert {o.key for o in picker.options} >= {"2026-Q2", "2026-H1", "2026"}
    picker.value = "2026-H1"
    screen.listing.new_period.value = "2026-07"
    screen.listing.consolidate(None)
    zone = [r for r in report_service.list_reports(ws) if r.scope == "zone"]
    assert [r.period for r in zone] == ["2026-H1"]


def test_figure_labels_get_the_full_width_when_the_window_is_narrow(ws, db_path):
    """At 1024 px the labels wrapped one letter a line beside a fixed 330 px summary: now the
    summary goes below the table on a narrow window (both span the row there)."""
    overview_service.set_local_profile(ws, "tthcc", "Trần Thị Bình")
    report = report_service.new_report(ws, unit="tthcc", period="2026-Q2")
    _, screen = _screen(ws, db_path, report.id)
    (row,) = controls_of(control_tagged(screen.view, "report-figures"), "ResponsiveRow")
    assert [c.col["xs"] for c in row.controls] == [12, 12]
