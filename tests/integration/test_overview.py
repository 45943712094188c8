"""The dashboard's figures agree with the task list they summarise."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.domain.errors import InvalidInput, NotFound
from cchc.services import overview
from cchc.services import tasks as task_service
from cchc.services.workspace import Workspace


def test_counts_by_state_cover_all_26_tasks_and_match_the_list(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "db.sqlite") as ws:
        task_service.update_task(ws, "4", status="done", by="Lê Thị B")
        result = overview.overview(ws)
        views = task_service.list_tasks(ws)
    assert result.total == 26 == sum(result.counts.values())
    for state, count in result.counts.items():
        assert count == sum(1 for v in views if v.state == state)
    assert {r.key for r in result.by_area} == {"I", "II", "III", "IV", "V", "VI", "VII"}
    assert sum(r.tasks for r in result.by_area) == 26
    assert sum(r.tasks for r in result.by_unit) == 26
    assert all(v.state == "overdue" for v in result.overdue)


def test_local_profile_is_incomplete_until_unit_and_officer_are_set(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "db.sqlite") as ws:
        assert not overview.local_profile(ws).complete
        profile = overview.set_local_profile(ws, "Phong Van hoa - Xa hoi", "  Lê Thị B ")
        assert profile.complete
        assert profile.officer == "Lê Thị B"
        assert profile.unit_name == "Phòng Văn hóa - Xã hội"


def test_setting_a_profile_with_a_bad_unit_or_no_name_writes_nothing(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "db.sqlite") as ws:
        with pytest.raises(NotFound):
            overview.set_local_profile(ws, "Phòng Không Có", "Lê Thị B")
        with pytest.raises(InvalidInput):
            overview.set_local_profile(ws, "Phòng Văn hóa - Xã hội", "   ")
        assert overview.local_profile(ws) == overview.LocalProfile(None, None, None)


def test_a_units_laptop_may_edit_only_the_tasks_its_unit_leads(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "db.sqlite") as ws:
        views = {v.stt: v for v in task_service.list_tasks(ws)}
        assert all(overview.may_edit(ws, v) for v in views.values())
        overview.set_local_profile(ws, "Công an đặc khu", "Trần Văn C")
        own = [v for v in views.values() if v.lead_unit == "cong_an"]
        others = [v for v in views.values() if v.lead_unit != "cong_an"]
        assert own and others
        assert all(overview.may_edit(ws, v) for v in own)
        assert not any(overview.may_edit(ws, v) for v in others)
        overview.set_local_profile(ws, "Phòng Văn hóa - Xã hội", "Lê Thị B")
        assert {v.stt for v in views.values() if overview.may_edit(ws, v)} == {
            v.stt for v in views.values() if v.lead_unit == "vhxh"
        }
        overview.set_local_profile(ws, "Ủy ban nhân dân thành phố", "Cán bộ thành phố")
        assert all(overview.may_edit(ws, v) for v in views.values())


def test_a_document_received_without_its_file_is_written_out_from_the_synced_bytes(
    tmp_path: Path,
) -> None:
    evidence = tmp_path / "ke-hoach.pdf"
    evidence.write_bytes(b"%PDF-1.4 ke hoach")
    with Workspace.open(tmp_path / "db.sqlite") as ws:
        detail = task_service.update_task(
            ws,
            "4",
            by="Lê Thị B",
            evidence=task_service.Evidence(
                file=evidence, doc_type="Kế hoạch", number="12/KH-UBND", date="15/03/2026"
            ),
        )
        (doc,) = detail.documents
        stored = ws.attachments_dir / doc.sha256
        stored.unlink()  # as on a laptop that got the document by sync
        path = overview.document_file(ws, doc.sha256)
        assert path == stored and path.read_bytes() == b"%PDF-1.4 ke hoach"
