"""Reports against a real SQLite file: entry, validation, submission, revision, consolidation."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cchc.domain.errors import Conflict, InvalidInput, NotFound
from cchc.domain.figures import FiguresInvalid
from cchc.services import reports as rs
from cchc.services.workspace import Workspace

# 10/04/2026 at noon on the island.
NOON = dt.datetime(2026, 4, 10, 5, 0, tzinfo=dt.UTC)

MONTH = {
    "received_direct": "40",
    "received_online_full": "25",
    "received_online_partial": "10",
    "received_postal": "5",
    "carried_over": "20",
    "resolved_early": "30",
    "resolved_on_time": "45",
    "resolved_late": "5",
    "pending_within_time": "12",
    "pending_overdue": "3",
    "returned": "3",
    "withdrawn": "2",
    "dossiers_tracked": "95",
    "payments_total": "50",
    "payments_online": "41",
    "survey_very_satisfied": "30",
    "survey_satisfied": "15",
    "survey_neutral": "3",
    "survey_dissatisfied": "2",
}


@pytest.fixture
def ws(db_path):
    workspace = Workspace.open(db_path, clock=lambda: NOON)
    yield workspace
    workspace.close()


def _snapshot(ws: Workspace) -> dict[str, list]:
    conn = ws.db.conn
    return {
        t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
        for t in ("reports", "report_sections", "report_tasks", "report_figures")
    }


def test_every_reports_table_has_a_text_id_primary_key(ws):
    for table in (
        "reports",
        "report_sections",
        "report_tasks",
        "report_figures",
        "budgets",
        "amendments",
    ):
        cols = ws.db.conn.execute(f"PRAGMA table_info({table})").fetchall()
        pk = [(c[1], c[2]) for c in cols if c[5]]
        assert pk == [("id", "TEXT")], table


def test_a_new_report_pulls_in_the_units_tasks_with_state_and_progress(ws):
    view = rs.new_report(ws, unit="tthcc", period="2026-Q1", by="A")
    assert [t.stt for t in view.tasks] == [11, 12, 14, 15, 16, 17, 18]
    # Issue 19: the Q1 report states its tasks at its cut-off, 14/03/2026 (one date for every
    # line): row 11, "Quý I năm 2026" (due 31/03), was not yet overdue then, though it is on
    # 10/04/2026 when the report is opened.
    assert view.as_of == "2026-03-14"
    assert view.tasks[0].state == "not_started"
    assert (view.period_start, view.period_end, view.due) == (
        "2025-12-15",
        "2026-03-14",
        "2026-03-17",
    )
    assert view.status == "draft" and view.revision == 1
    assert set(view.sections) == {
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "assessment",  # issue 19: "đánh giá chung"
        "difficulties",
        "direction",  # issue 19: "phương hướng, nhiệm vụ kỳ tới"
        "proposals",
    }


def test_a_second_report_for_the_same_unit_and_period_is_refused(ws):
    first = rs.new_report(ws, unit="tthcc", period="2026-Q1", by="A")
    with pytest.raises(Conflict) as info:
        rs.new_report(
            ws, unit="Trung tâm Phục vụ hành chính công đặc khu", period="2026-Q1", by="A"
        )
    assert info.value.params["ref"] == first.id


def test_a_group_or_city_body_cannot_report(ws):
    with pytest.raises(InvalidInput) as info:
        rs.new_report(ws, unit="Sở Nội vụ", period="2026-Q1", by="A")
    assert info.value.key == "unit_not_reporting"


def test_figures_and_texts_are_saved_on_a_draft(ws):
    view = rs.new_report(ws, unit="tthcc", period="2026-01", by="A")
    saved = rs.set_report(
        ws,
        view.id,
        fields=MONTH,
        sections={"iii": "Tiếp nhận 80 hồ sơ.", "difficulties": "Mạng chập chờn."},
        progress={"11": "60"},
        notes={"11": "Đang lấy ý kiến."},
    )
    assert saved.totals["to_handle"] == 100
    assert saved.rates["on_time_rate"] == 93.75
    assert saved.sections["III"] == "Tiếp nhận 80 hồ sơ."
    line = next(t for t in saved.tasks if t.stt == 11)
    assert (line.progress, line.note) == (60, "Đang lấy ý kiến.")


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"received_direct": "-3"}, "figure_negative"),
        ({"received_direct": "ba"}, "figure_not_integer"),
        ({"received_direct": "1", "resolved_on_time": "2"}, "figure_resolved_exceeds"),
        ({"received_direct": "1", "pending_within_time": "2"}, "figure_outcomes_exceed"),
        ({"payments_total": "5", "payments_online": "6"}, "figure_online_exceeds_total"),
        ({"pakn_received": "1", "pakn_answered_on_time": "2"}, "figure_pakn_exceeds"),
        ({"par_index": "101"}, "figure_percent_range"),
        ({"received_by_fax": "1"}, "figure_unknown"),
    ],
)
def test_a_refused_figure_writes_nothing(ws, fields, key):
    view = rs.new_report(ws, unit="tthcc", period="2026-01", by="A")
    before = _snapshot(ws)
    with pytest.raises(FiguresInvalid) as info:
        rs.set_report(ws, view.id, fields=fields, sections={"I": "không được ghi"})
    assert info.value.problems[0].key == key
    assert _snapshot(ws) == before


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"sections": {"VIII": "x"}}, "section_unknown"),
        ({"progress": {"11": "120"}}, "report_progress_range"),
        ({"progress": {"11": "-1"}}, "report_progress_range"),
        ({"progress": {"1": "50"}}, "task_not_in_report"),
        ({"report_date": "31/02/2026"}, "date_not_on_calendar"),
        ({}, "nothing_to_set"),
    ],
)
def test_other_refusals_write_nothing(ws, kwargs, key):
    view = rs.new_report(ws, unit="tthcc", period="2026-01", by="A")
    before = _snapshot(ws)
    with pytest.raises(InvalidInput) as info:
        rs.set_report(ws, view.id, **kwargs)
    assert info.value.key == key
    assert _snapshot(ws) == before


def test_submission_demands_every_dossier_accounted_for(ws):
    view = rs.new_report(ws, unit="tthcc", period="2026-01", by="A")
    rs.set_report(ws, view.id, fields={**MONTH, "withdrawn": "1"})
    with pytest.raises(FiguresInvalid) as info:
        rs.submit_report(ws, view.id, by="A")
    assert info.value.problems[0].key == "figure_outcomes_unbalanced"
    assert rs.get_report(ws, view.id).status == "draft"


def test_a_submitted_report_is_locked(ws):
    view = rs.new_report(ws, unit="tthcc", period="2026-01", by="A")
    rs.set_report(ws, view.id, fields=MONTH)
    done = rs.submit_report(ws, view.id, by="A")
    assert (done.status, done.report_date, done.submitted_by) == ("submitted", "2026-04-10", "A")
    with pytest.raises(Conflict) as info:
        rs.set_report(ws, view.id, sections={"I": "sửa sau khi gửi"})
    assert info.value.key == "report_locked"


def test_a_revision_keeps_the_old_report_and_its_text(ws):
    view = rs.new_report(ws, unit="tthcc", period="2026-01", by="A")
    rs.set_report(ws, view.id, fields=MONTH, sections={"III": "Bản đã gửi."})
    rs.submit_report(ws, view.id, by="A")
    new = rs.revise_report(ws, view.id, by="B")
    assert (new.revision, new.supersedes, new.status) == (2, view.id, "draft")
    assert new.sections["III"] == "Bản đã gửi."
    assert new.figures == rs.get_report(ws, view.id).figures
    rs.set_report(
        ws, new.id, sections={"III": "Bản sửa đổi."}, fields={"withdrawn": "1", "returned": "4"}
    )
    old = rs.get_report(ws, view.id)
    assert (old.status, old.sections["III"], old.figures["returned"]) == (
        "submitted",
        "Bản đã gửi.",
        3,
    )
    assert old.superseded_by == new.id
    with pytest.raises(Conflict) as info:
        rs.revise_report(ws, view.id, by="B")
    assert info.value.key == "report_superseded"


def test_a_draft_needs_no_revision(ws):
    view = rs.new_report(ws, unit="tthcc", period="2026-01", by="A")
    with pytest.raises(Conflict) as info:
        rs.revise_report(ws, view.id, by="A")
    assert info.value.key == "report_not_submitted"


def test_an_unknown_report_is_not_found(ws):
    with pytest.raises(NotFound):
        rs.get_report(ws, "0123456789abcdef")
    with pytest.raises(NotFound):
        rs.get_report(ws, "not-an-id")


def _submitted(ws, unit: str, period: str, fields: dict[str, str], texts: dict[str, str]) -> str:
    view = rs.new_report(ws, unit=unit, period=period, by="A")
    rs.set_report(ws, view.id, fields=fields, sections=texts)
    rs.submit_report(ws, view.id, by="A")
    return view.id


def test_consolidation_sums_submitted_units_and_lists_the_rest(ws):
    a = _submitted(ws, "tthcc", "2026-Q1", MONTH, {"III": "TTHCC: 80 hồ sơ."})
    b = _submitted(
        ws,
        "vp_ubnd",
        "2026-Q1",
        {
            "received_direct": "10",
            "resolved_on_time": "6",
            "resolved_late": "4",
            "payments_total": "10",
            "payments_online": "9",
            "inspections_held": "2",
        },
        {"II": "Rà soát 12 văn bản.", "III": "VP: 10 hồ sơ."},
    )
    draft = rs.new_report(ws, unit="tai_chinh", period="2026-Q1", by="A")
    rs.set_report(ws, draft.id, fields={"received_direct": "999"})
    zone = rs.consolidate(ws, period="2026-Q1", by="C")
    assert zone.scope == "zone" and zone.unit is None
    assert zone.sources == [b, a] or zone.sources == [a, b]
    assert zone.figures["received_direct"] == 50
    assert zone.totals["to_handle"] == 110
    assert zone.figures["payments_online"] == 50
    assert zone.rates["on_time_rate"] == 90.0  # (30 + 45 + 6) / 90
    assert zone.rates["online_payment_share"] == 83.33  # 50 / 60
    assert zone.figures["inspections_held"] == 2
    assert "Trung tâm Phục vụ hành chính công đặc khu: TTHCC: 80 hồ sơ." in zone.sections["III"]
    assert "Văn phòng Ủy ban nhân dân đặc khu: VP: 10 hồ sơ." in zone.sections["III"]
    assert zone.sections["II"] == "Văn phòng Ủy ban nhân dân đặc khu: Rà soát 12 văn bản."
    assert "Phòng Tài chính" in zone.missing_units
    assert "Phòng Văn hóa - Xã hội" in zone.missing_units
    assert "Trung tâm Phục vụ hành chính công đặc khu" not in zone.missing_units
    assert len(zone.tasks) == 26


def test_consolidating_again_rebuilds_the_draft_then_revises_once_submitted(ws):
    _submitted(ws, "tthcc", "2026-Q1", MONTH, {})
    first = rs.consolidate(ws, period="2026-Q1", by="C")
    _submitted(ws, "vp_ubnd", "2026-Q1", {"received_direct": "10", "pending_within_time": "10"}, {})
    again = rs.consolidate(ws, period="2026-Q1", by="C")
    assert again.id == first.id and again.figures["received_direct"] == 50
    rs.submit_report(ws, again.id, by="C")
    third = rs.consolidate(ws, period="2026-Q1", by="C")
    assert (third.revision, third.supersedes) == (2, again.id)
    assert rs.get_report(ws, again.id).status == "submitted"


def test_a_zone_reports_figures_come_only_from_units(ws):
    zone = rs.consolidate(ws, period="2026-Q1", by="C")
    with pytest.raises(InvalidInput) as info:
        rs.set_report(ws, zone.id, fields={"received_direct": "1"})
    assert info.value.key == "report_zone_no_figures"
    assert json.loads(json.dumps(zone.figures))["received_direct"] is None


def test_a_tasks_status_in_the_report_gives_its_state_by_the_tracking_rules(ws):
    # Issue 19: a report states its tasks on one date. The Q1 report's is its cut-off, 14/03:
    # row 11 done today (10/04/2026) was not done then, so the Q1 report refuses it…
    q1 = rs.new_report(ws, unit="tthcc", period="2026-Q1", by="A")
    with pytest.raises(InvalidInput) as after:
        rs.set_report(ws, q1.id, statuses={"11": "done"})
    assert after.value.key == "report_done_after_cutoff"
    assert after.value.params["date"] == "14/03/2026"
    assert {t.stt: t.state for t in rs.get_report(ws, q1.id).tasks}[11] == "not_started"
    # …and the April report (cut-off 14/04) takes it. Row 11 is due 31/03/2026; done today
    # (10/04/2026) means done late, at 100%.
    view = rs.new_report(ws, unit="tthcc", period="2026-04", by="A")
    saved = rs.set_report(ws, view.id, statuses={"11": "done", "12": "in_progress"})
    lines = {t.stt: t for t in saved.tasks}
    assert (lines[11].state, lines[11].progress) == ("done_late", 100)
    assert lines[12].state == "in_progress"  # a standing duty is never overdue
    with pytest.raises(InvalidInput) as info:
        rs.set_report(ws, view.id, statuses={"12": "overdue"})
    assert info.value.key == "report_status_unknown"


def test_a_report_past_its_due_date_is_late_until_and_after_submission(ws):
    q1 = rs.new_report(ws, unit="tthcc", period="2026-Q1", by="A")  # due 17/03, today 10/04
    assert q1.late
    rs.set_report(ws, q1.id, sections={"III": "Tiếp nhận hồ sơ."})  # an empty one is refused
    assert rs.submit_report(ws, q1.id, by="A").late
    april = rs.new_report(ws, unit="tthcc", period="2026-04", by="A")  # due 17/04
    assert not april.late
    rs.set_report(ws, april.id, sections={"III": "Tiếp nhận hồ sơ."})
    assert not rs.submit_report(ws, april.id, by="A").late


def test_only_the_consolidator_consolidates_on_a_laptop_set_to_a_unit(ws):
    ws.set_setting("unit_code", "tthcc")
    with pytest.raises(InvalidInput) as info:
        rs.consolidate(ws, period="2026-Q1", by="C")
    assert info.value.key == "report_consolidator"
    ws.set_setting("unit_code", "vhxh")
    assert rs.consolidate(ws, period="2026-Q1", by="C").scope == "zone"


def test_the_period_overview_shows_each_expected_unit(ws):
    _submitted(ws, "tthcc", "2026-04", {"received_direct": "0"}, {})
    rs.new_report(ws, unit="vp_ubnd", period="2026-04", by="A")
    rows = {r.unit: r for r in rs.period_overview(ws, period="2026-04")}
    assert (rows["tthcc"].status, rows["tthcc"].late) == ("submitted", False)
    assert rows["vp_ubnd"].status == "draft"
    assert (rows["tai_chinh"].status, rows["tai_chinh"].report_id) == ("missing", None)
    assert "so_noi_vu" not in rows and "cac_don_vi" not in rows
    assert all(r.late for r in rs.period_overview(ws, period="2026-Q1"))


def test_an_empty_value_clears_a_figure(ws):
    view = rs.new_report(ws, unit="tthcc", period="2026-01", by="A")
    rs.set_report(ws, view.id, fields={"received_direct": "4", "received_postal": "1"})
    saved = rs.set_report(ws, view.id, fields={"received_postal": ""})
    assert (saved.figures["received_direct"], saved.figures["received_postal"]) == (4, None)
    with pytest.raises(FiguresInvalid):
        rs.set_report(ws, view.id, fields={"received_by_fax": ""})
