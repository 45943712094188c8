"""Backup writes a consistent copy through SQLite's backup API; restore refuses anything else."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cchc.domain.errors import InvalidInput
from cchc.services import backup, overview
from cchc.services import tasks as task_service
from cchc.services.workspace import Workspace
from cchc.texts.errors import describe


def _status_of(ws: Workspace, stt: str) -> tuple[str, int]:
    detail = task_service.get_task(ws, stt)
    return detail.status, detail.progress


def test_backup_then_restore_brings_back_the_state_at_backup_time(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "live.sqlite") as ws:
        task_service.update_task(ws, "4", status="in_progress", progress=40, by="Lê Thị B")
        info = backup.backup_to(ws, tmp_path / "out" / "copy.sqlite")
        assert info.tasks == 26 and info.plan_number == "07/QĐ-UBND"
        task_service.update_task(ws, "4", status="done", by="Lê Thị B")
        assert _status_of(ws, "4") == ("done", 100)

        backup.restore_from(ws, info.path)

        assert _status_of(ws, "4") == ("in_progress", 40)
        assert len(task_service.list_tasks(ws)) == 26
    with Workspace.open(tmp_path / "live.sqlite") as reopened:
        assert _status_of(reopened, "4") == ("in_progress", 40)


def test_backup_file_is_a_standalone_database_without_wal(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "live.sqlite") as ws:
        info = backup.backup_to(ws, tmp_path / "copy.sqlite")
    assert not (tmp_path / "copy.sqlite-wal").exists()
    conn = sqlite3.connect(info.path)
    assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 26
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"this is not a database at all" * 100, "backup_unreadable"),
        (None, "backup_not_cchc"),
    ],
    ids=["garbage", "other-sqlite"],
)
def test_restore_refuses_a_file_that_is_not_a_cchc_database_and_changes_nothing(
    tmp_path: Path, content: bytes | None, key: str
) -> None:
    bad = tmp_path / "bad.sqlite"
    if content is None:
        other = sqlite3.connect(bad)
        other.execute("CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT)")
        other.commit()
        other.close()
    else:
        bad.write_bytes(content)
    with Workspace.open(tmp_path / "live.sqlite") as ws:
        task_service.update_task(ws, "4", status="in_progress", progress=40, by="Lê Thị B")
        with pytest.raises(InvalidInput) as caught:
            backup.restore_from(ws, bad)
        assert caught.value.key == key
        text = describe(caught.value)
        assert "bad.sqlite" in text and "không thay đổi" in text
        assert _status_of(ws, "4") == ("in_progress", 40)


def test_restore_refuses_a_truncated_backup_and_changes_nothing(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "live.sqlite") as ws:
        info = backup.backup_to(ws, tmp_path / "copy.sqlite")
        data = info.path.read_bytes()
        torn = tmp_path / "torn.sqlite"
        torn.write_bytes(data[: len(data) // 3])
        task_service.update_task(ws, "7", status="in_progress", progress=10, by="Lê Thị B")
        with pytest.raises(InvalidInput) as caught:
            backup.restore_from(ws, torn)
        assert caught.value.key in {"backup_unreadable", "backup_not_cchc"}
        assert _status_of(ws, "7") == ("in_progress", 10)


def test_backup_refuses_to_overwrite_the_live_database(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "live.sqlite") as ws:
        with pytest.raises(InvalidInput) as caught:
            backup.backup_to(ws, tmp_path / "live.sqlite")
        assert caught.value.key == "backup_onto_live"
        assert len(task_service.list_tasks(ws)) == 26


def test_a_backup_carries_the_evidence_files_bytes(tmp_path: Path) -> None:
    evidence = tmp_path / "bao-cao.pdf"
    evidence.write_bytes(b"%PDF-1.4 bao cao quy I")
    with Workspace.open(tmp_path / "live.sqlite") as ws:
        task_service.update_task(
            ws,
            "4",
            by="Lê Thị B",
            evidence=task_service.Evidence(
                file=evidence, doc_type="Báo cáo", number="5/BC-VHXH", date="15/03/2026"
            ),
        )
        info = backup.backup_to(ws, tmp_path / "copy.sqlite")
    with Workspace.open(tmp_path / "elsewhere" / "restored.sqlite") as other:
        backup.restore_from(other, info.path)
        (doc,) = task_service.get_task(other, "4").documents
        assert overview.document_file(other, doc.sha256).read_bytes() == evidence.read_bytes()
