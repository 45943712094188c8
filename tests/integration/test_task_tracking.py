"""Recording progress on tasks: states, evidence, history, tasks outside the plan, due lists."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from cchc.domain.errors import InvalidInput, NotFound
from cchc.services import tasks as svc
from cchc.services.workspace import Workspace


def at(iso: str):
    moment = dt.datetime.fromisoformat(iso)
    return lambda: moment


@pytest.fixture
def ws(db_path):
    workspace = Workspace.open(db_path, clock=at("2026-03-20T09:00:00+07:00"))
    yield workspace
    workspace.close()


def snapshot(ws: Workspace) -> list[tuple]:
    conn = ws.db.conn
    return [
        conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
        for t in ("tasks", "task_updates", "documents", "history")
    ]


def test_the_plan_has_26_tasks_in_order_with_their_lead_units(ws):
    views = svc.list_tasks(ws)
    assert [v.stt for v in views] == list(range(1, 27))
    assert views[3].lead == "Phòng Văn hóa - Xã hội"
    assert views[23].lead == "Công an đặc khu"


def test_finishing_row_4_with_its_plan_records_state_document_and_history(ws, tmp_path):
    pdf = tmp_path / "ke-hoach.pdf"
    pdf.write_bytes(b"%PDF-1.4 signed plan")
    detail = svc.update_task(
        ws,
        "4",
        status="done",
        done_on="18/03/2026",
        by="Nguyễn Thị Hoa",
        note="Đã ban hành",
        evidence=svc.Evidence(
            file=pdf, doc_type="Kế hoạch", number="12/KH-UBND", date="15/03/2026"
        ),
    )
    assert (detail.state, detail.progress, detail.done_on) == ("done_on_time", 100, "2026-03-18")
    [doc] = detail.documents
    assert (doc.doc_type, doc.number, doc.date) == ("Kế hoạch", "12/KH-UBND", "2026-03-15")
    stored = ws.attachments_dir / doc.sha256
    assert stored.read_bytes() == pdf.read_bytes()
    assert doc.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
    fields = {(h.field, h.old_value, h.new_value) for h in detail.history}
    assert ("status", "not_started", "done") in fields
    assert ("progress", "0", "100") in fields
    assert all(h.actor == "Nguyễn Thị Hoa" for h in detail.history)
    [update] = detail.updates
    assert (update.officer, update.progress, update.note) == ("Nguyễn Thị Hoa", 100, "Đã ban hành")


def test_a_task_finished_after_its_due_date_is_done_late(ws):
    detail = svc.update_task(ws, "1", status="done", done_on="20/01/2026", by="A")
    assert detail.state == "done_late"


def city_task(ws: Workspace, timeframe: str) -> str:
    return svc.add_task(
        ws,
        content="Báo cáo kết quả triển khai Đề án 06",
        lead="Văn phòng UBND đặc khu",
        partners=[],
        due=None,
        timeframe=timeframe,
        source_number="123/UBND-NC",
        source_date="02/01/2026",
        source_issuer="UBND thành phố Hải Phòng",
        by="Cán bộ thành phố",
    ).id


def test_row_1_is_done_on_time_by_the_decision_itself_with_the_decision_as_evidence(ws):
    """Issue 19: row 1's product is Quyết định 07/QĐ-UBND of 07/01/2026; "Trước ngày
    15/01/2026" means by 14/01/2026."""
    row1 = svc.get_task(ws, "1")
    assert (row1.status, row1.state, row1.done_on, row1.due) == (
        "done",
        "done_on_time",
        "2026-01-07",
        "2026-01-14",
    )
    [doc] = row1.documents
    assert (doc.doc_type, doc.number, doc.date) == ("Quyết định", "07/QĐ-UBND", "2026-01-07")
    stored = ws.db.conn.execute(
        "SELECT data FROM attachment_blobs WHERE id = ?", (doc.sha256,)
    ).fetchone()[0]
    assert "Số: 07/QĐ-UBND" in bytes(stored).decode("utf-8")


def test_an_unfinished_task_past_its_due_date_is_overdue_without_anyone_typing_it(ws):
    late = city_task(ws, "Trước ngày 15/03/2026")
    assert svc.get_task(ws, late).state == "overdue"  # due 14/03/2026, today 20/03/2026
    assert svc.get_task(ws, "4").state == "not_started"  # due 31/03/2026


def test_the_same_file_attached_twice_is_stored_once(ws, tmp_path):
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(b"same bytes")
    for number in ("1/BC-VHXH", "2/BC-VHXH"):
        svc.update_task(
            ws,
            "5",
            by="A",
            evidence=svc.Evidence(file=pdf, doc_type="Báo cáo", number=number, date="01/03/2026"),
        )
    assert len(list(ws.attachments_dir.iterdir())) == 1
    assert len(svc.get_task(ws, "5").documents) == 2


def test_progress_alone_moves_a_task_into_progress(ws):
    assert svc.update_task(ws, "2", progress=30, by="A").state == "in_progress"


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"progress": 120}, "progress_range"),
        ({"progress": -1}, "progress_range"),
        ({"status": "finished"}, "status_unknown"),
        ({"status": "done", "done_on": "31/02/2026"}, "date_not_on_calendar"),
        ({"status": "done", "done_on": "2026-02-03"}, "bad_date"),
        ({"status": "done", "done_on": "21/03/2026"}, "done_in_future"),
        ({"status": "done", "progress": 50}, "done_needs_full_progress"),
        ({"status": "in_progress", "done_on": "01/03/2026"}, "done_on_needs_done"),
        ({"due": "01/05/2026"}, "due_fixed_by_plan"),
        ({}, "nothing_to_update"),
    ],
)
def test_bad_updates_are_refused_and_write_nothing(ws, kwargs, key):
    before = snapshot(ws)
    with pytest.raises(InvalidInput) as caught:
        svc.update_task(ws, "4", by="A", **kwargs)
    assert caught.value.key == key
    assert snapshot(ws) == before


def test_bad_evidence_is_refused_and_writes_nothing(ws, tmp_path):
    before = snapshot(ws)
    missing = svc.Evidence(
        file=tmp_path / "none.pdf", doc_type="Kế hoạch", number="1/KH-UBND", date="01/03/2026"
    )
    with pytest.raises(InvalidInput, match="file_missing"):
        svc.update_task(ws, "4", by="A", evidence=missing)
    real = tmp_path / "x.pdf"
    real.write_bytes(b"x")
    bad_number = svc.Evidence(file=real, doc_type="Kế hoạch", number="KH-UBND", date="01/03/2026")
    with pytest.raises(InvalidInput, match="doc_number_bad"):
        svc.update_task(ws, "4", by="A", evidence=bad_number)
    assert snapshot(ws) == before
    assert not ws.attachments_dir.exists()


@pytest.mark.parametrize("ref", ["0", "27", "99", "zzz", "abcdef0123"])
def test_unknown_task_references_are_not_found(ws, ref):
    with pytest.raises(NotFound):
        svc.get_task(ws, ref)


def test_a_task_is_found_by_its_id_or_a_unique_prefix(ws):
    task_id = svc.get_task(ws, "7").id
    assert svc.get_task(ws, task_id).stt == 7
    assert svc.get_task(ws, task_id[:10]).stt == 7


def test_a_city_assigned_task_is_tracked_like_a_plan_task(ws):
    detail = svc.add_task(
        ws,
        content="Báo cáo kết quả triển khai Đề án 06",
        lead="Công an đặc khu",
        partners=["Văn phòng UBND đặc khu"],
        due=None,
        timeframe="Quý II/2026",
        source_number="123/UBND-NC",
        source_date="02/03/2026",
        source_issuer="UBND thành phố Hải Phòng",
        by="Cán bộ thành phố",
    )
    assert (detail.stt, detail.origin, detail.deadline_kind) == (None, "city", "window")
    assert (detail.window_start, detail.due) == ("2026-04-01", "2026-06-30")
    assert detail.partners == ["Văn phòng Ủy ban nhân dân đặc khu"]
    assert detail.history[0].action == "created"
    assert [v.id for v in svc.list_tasks(ws, unit="cong an")][-1] == detail.id


def test_unreadable_timeframe_words_are_kept_and_flagged_and_the_task_still_added(ws):
    detail = svc.add_task(
        ws,
        content="Việc phát sinh",
        lead="vhxh",
        partners=[],
        due=None,
        timeframe="Khi có chỉ đạo mới",
        source_number="5/UBND",
        source_date="01/03/2026",
        source_issuer="UBND đặc khu",
        by="A",
    )
    assert (detail.timeframe, detail.timeframe_flagged, detail.due) == (
        "Khi có chỉ đạo mới",
        True,
        None,
    )
    assert detail.origin == "zone"
    assert svc.update_task(ws, detail.id, due="30/04/2026", by="A").due == "2026-04-30"


def test_filters_by_unit_status_overdue_and_due_within(ws):
    vp = svc.list_tasks(ws, unit="Văn phòng UBND đặc khu")
    assert {v.stt for v in vp} == {3, 7, 8, 9, 10}
    assert svc.list_tasks(ws, overdue=True) == []  # row 1 was done by the decision itself
    late = city_task(ws, "Trước ngày 15/03/2026")
    assert {v.id for v in svc.list_tasks(ws, overdue=True)} == {late}
    assert {v.stt for v in svc.list_tasks(ws, due_within=14)} == {4, 11}
    svc.update_task(ws, "11", status="done", by="A")
    assert {v.stt for v in svc.list_tasks(ws, due_within=14)} == {4}
    assert {v.stt for v in svc.list_tasks(ws, status="done")} == {1, 11}
    assert {v.stt for v in svc.list_tasks(ws, search="tap huan")} == {5, 25}


def test_due_overview_groups_overdue_and_due_soon_by_unit(ws):
    late = city_task(ws, "Trước ngày 15/03/2026")
    overview = {e.unit: e for e in svc.due_overview(ws, days=14)}
    assert [v.id for v in overview["vp_ubnd"].overdue] == [late]
    assert overview["vhxh"].overdue == []  # row 1 is done (07/01/2026)
    assert [v.stt for v in overview["vhxh"].due_soon] == [4]
    assert [v.stt for v in overview["tthcc"].due_soon] == [11]


def test_a_task_dropped_by_a_decided_amendment_leaves_the_task_list_but_keeps_its_history(ws):
    from cchc.services import amendments

    proposal = amendments.propose(
        ws, unit="vhxh", action="drop", task="6", reason="Thành phố không tổ chức hội thi", by="A"
    )
    amendments.forward(ws, proposal.id, by="A")
    amendments.decide(ws, proposal.id, approve=True, number="45/QĐ-UBND", date="20/03/2026", by="B")
    assert 6 not in {v.stt for v in svc.list_tasks(ws)}
    assert 6 in {v.stt for v in svc.list_tasks(ws, include_dropped=True)}
    assert any(h.action == "amended" for h in svc.get_task(ws, "6").history)
