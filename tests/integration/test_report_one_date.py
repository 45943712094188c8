"""One report, one date (issue 19, deliverable 3: "one reference date per report for every task
line"). A report of Quý I/2026 speaks of the tasks as they stood at its cut-off, 14/03/2026
(Nghị định 09/2019/NĐ-CP): not as each unit found them the day it opened its report, nor as the
tracking stands the day the zone consolidates. Worked by hand:

- row 4 ("Quý I/2026", due 31/03, Phòng Văn hóa - Xã hội) done on 10/03 with its Kế hoạch dated
  10/03: done on time at 14/03, its Kế hoạch cited;
- row 11 ("Quý I năm 2026", due 31/03, Trung tâm Phục vụ hành chính công) not started when the
  centre opened its report (01/03), done on 16/03 with a Quyết định dated 16/03: at 14/03 it was
  being worked on and not done; the Q1 report says so everywhere (its line, the appendix, the
  target c count) and cites no document for it."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from cchc.services import report_output
from cchc.services import reports as rs
from cchc.services import targets as ts
from cchc.services import tasks as task_service
from cchc.services.workspace import Workspace


@pytest.fixture
def quarter(db_path, tmp_path):
    now = [dt.datetime(2026, 3, 1, 3, 0, tzinfo=dt.UTC)]
    ws = Workspace.open(db_path, clock=lambda: now[0])

    def on(day: int) -> None:
        now[0] = dt.datetime(2026, 3, day, 3, 0, tzinfo=dt.UTC)

    def done(stt: str, day: str, doc_type: str, number: str) -> None:
        file = tmp_path / f"{stt}.pdf"
        file.write_bytes(f"%PDF-1.4 {number}".encode())
        task_service.update_task(
            ws,
            stt,
            status="done",
            done_on=day,
            by="A",
            evidence=task_service.Evidence(file=file, doc_type=doc_type, number=number, date=day),
        )

    unit = rs.new_report(ws, unit="tthcc", period="2026-Q1", by="A")  # 01/03
    assert {t.stt: t.state for t in unit.tasks}[11] == "not_started"
    on(10)
    done("4", "10/03/2026", "Kế hoạch", "12/KH-UBND")
    on(16)
    done("11", "16/03/2026", "Quyết định", "30/QĐ-TTPVHCC")
    on(17)
    rs.set_report(ws, unit.id, fields={"received_direct": "5", "resolved_on_time": "5"})
    unit = rs.submit_report(ws, unit.id, by="A")
    on(18)
    zone = rs.consolidate(ws, period="2026-Q1", by="B")
    rs.set_report(ws, zone.id, number="31")
    zone = rs.submit_report(ws, zone.id, by="B")
    yield ws, unit, zone
    ws.close()


def _states(view: rs.ReportView) -> dict[int | None, str]:
    return {t.stt: t.state for t in view.tasks}


def test_every_line_of_the_unit_and_the_zone_report_is_stated_at_the_cut_off(quarter):
    ws, unit, zone = quarter
    assert unit.as_of == zone.as_of == "2026-03-14"
    assert _states(unit)[11] == "in_progress"  # not "not_started" (01/03), not "done" (17/03)
    assert _states(zone)[11] == "in_progress"
    assert _states(zone)[4] == "done_on_time"
    assert _states(zone)[1] == "done_on_time"  # the decision itself, 07/01/2026


def test_the_targets_judge_the_tasks_on_the_same_day_as_the_lines(quarter):
    ws, _, zone = quarter
    view = ts.measure(ws, period="2026-Q1", as_of=dt.date.fromisoformat(zone.as_of))
    assert view.as_of == zone.as_of
    c = next(t for t in view.targets if t.code == "c")
    verdicts = {t.stt: t.verdict for t in c.tasks}
    assert verdicts[4] == "done_on_time" and verdicts[11] == "not_yet_due"
    states = _states(zone)
    for task in c.tasks:  # a line says done exactly when the target counts the task done
        if task.stt in states and task.verdict not in ("by_figure", "on_event", "standing_kept"):
            assert states[task.stt].startswith("done") == task.verdict.startswith("done"), task


def test_the_pdf_names_its_one_date_and_cites_only_what_existed_then(quarter, tmp_path):
    ws, _, zone = quarter
    out = report_output.write_pdf(ws, zone.id, tmp_path / "q1.pdf")
    text = " ".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "được tính đến hết ngày 14/03/2026" in text
    assert "12/KH-UBND" in text
    assert "30/QĐ-TTPVHCC" not in text  # issued on 16/03, after the date the report speaks of
    rows = {row.stt: row for row in report_output.official_document(ws, zone.id).tasks}
    assert rows["4"].product == "Kế hoạch số 12/KH-UBND ngày 10/03/2026"
    assert (rows["11"].product, rows["11"].state) == ("Chưa có văn bản", "Đang thực hiện")


def test_a_task_a_units_report_says_was_done_is_counted_done_by_that_reports_targets(db_path):
    """On 10/03/2026 the centre's Q1 draft says row 11 is done (tracking has not recorded it):
    the report's own targets count it done as its line says, never a line "đã hoàn thành"
    above a target c that counts it undone. Rows 11, 12, 14, 15, 16 and 17 are the centre's
    counted tasks (row 18 is judged by its figure): 1 of 6 on time = 16,7%."""
    ws = Workspace.open(db_path, clock=lambda: dt.datetime(2026, 3, 10, 3, 0, tzinfo=dt.UTC))
    try:
        view = rs.new_report(ws, unit="tthcc", period="2026-Q1", by="A")
        view = rs.set_report(ws, view.id, statuses={"11": "done"})
        assert _states(view)[11] == "done_on_time" and view.as_of == "2026-03-10"
        lines = {t.task_id: t.state for t in view.tasks}
        day = dt.date(2026, 3, 10)
        tracked = ts.measure(ws, period="2026-Q1", unit="tthcc", as_of=day)
        stated = ts.measure(ws, period="2026-Q1", unit="tthcc", as_of=day, lines=lines)
        c_tracked = next(t for t in tracked.targets if t.code == "c")
        c_stated = next(t for t in stated.targets if t.code == "c")
        assert {t.stt: t.verdict for t in c_tracked.tasks}[11] == "not_yet_due"
        assert {t.stt: t.verdict for t in c_stated.tasks}[11] == "done_on_time"
        doc = report_output.official_document(ws, view.id)
        table = next(b.table for b in doc.blocks if b.table and b.table[0][0] == "Chỉ tiêu")
        row_c = next(r for r in table if r[0].startswith("Hoàn thành nhiệm vụ của Kế hoạch"))
        assert row_c[2] == "16,7%"
    finally:
        ws.close()


def test_a_units_own_word_done_late_stays_late_in_the_zones_report(db_path):
    """On 10/06/2026 the centre's Q2 report says row 11 (due 31/03/2026) is done: done late.
    The zone consolidates on 20/06: its line for row 11 says done late too, and its targets
    count it late."""
    now = [dt.datetime(2026, 6, 10, 3, 0, tzinfo=dt.UTC)]
    ws = Workspace.open(db_path, clock=lambda: now[0])
    try:
        view = rs.new_report(ws, unit="tthcc", period="2026-Q2", by="A")
        fields = {"received_direct": "1", "resolved_on_time": "1"}
        view = rs.set_report(ws, view.id, statuses={"11": "done"}, fields=fields)
        assert _states(view)[11] == "done_late"
        rs.submit_report(ws, view.id, by="A")
        now[0] = dt.datetime(2026, 6, 20, 3, 0, tzinfo=dt.UTC)
        zone = rs.consolidate(ws, period="2026-Q2", by="B")
        assert zone.as_of == "2026-06-14" and _states(zone)[11] == "done_late"
        lines = {t.task_id: t.state for t in zone.tasks}
        view_c = ts.measure(ws, period="2026-Q2", as_of=dt.date(2026, 6, 14), lines=lines)
        c = next(t for t in view_c.targets if t.code == "c")
        assert {t.stt: t.verdict for t in c.tasks}[11] == "done_late"
    finally:
        ws.close()
