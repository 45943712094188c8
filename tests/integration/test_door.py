"""One door: every entry point opens the database through `services.door`, and the sync engine
is built once per open database, not on every call."""

from __future__ import annotations

import re
from pathlib import Path

from cchc.services import backup, exchange
from cchc.services.door import Door, users_to_fix
from cchc.services.tasks import update_task

SRC = Path(__file__).resolve().parents[2] / "src" / "cchc"


def test_the_engine_is_built_once_per_open_database(tmp_path: Path) -> None:
    with Door.open(tmp_path / "a.sqlite") as door:
        first = door.engine()
        assert door.engine() is first
        assert exchange.open_engine(door.workspace) is first
        # a use case that exchanges data reuses it too
        assert door.call(exchange.identity)["site_id"] == first.site_id


def test_a_restored_database_gets_an_engine_of_its_own_sync_state(tmp_path: Path) -> None:
    with Door.open(tmp_path / "other.sqlite") as other:
        other_site = other.engine().site_id
        backup.backup_to(other.workspace, tmp_path / "copy.sqlite")
    with Door.open(tmp_path / "live.sqlite") as door:
        assert door.engine().site_id != other_site
        door.call(backup.restore_from, tmp_path / "copy.sqlite")
        assert door.engine().site_id == other_site
        # and the write guard judges with the new engine: an honest edit still commits
        door.call(update_task, "4", status="in_progress", progress=10, by="Lê Thị B")


def test_only_the_door_opens_a_workspace() -> None:
    opens = re.compile(r"Workspace\.open\(")
    allowed = {SRC / "services" / "workspace.py", SRC / "services" / "door.py"}
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path not in allowed and opens.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_value_the_user_gave_is_theirs_to_fix_a_busy_database_is_not() -> None:
    import sqlite3

    from cchc.domain.errors import CchcError, InvalidInput

    assert users_to_fix(InvalidInput("bad_date", field="done_on", value="x"))
    assert users_to_fix(sqlite3.DatabaseError("file is not a database"))
    assert not users_to_fix(CchcError("db_locked"))
    assert not users_to_fix(sqlite3.OperationalError("database is locked"))
    assert not users_to_fix(OSError(28, "No space left on device"))
