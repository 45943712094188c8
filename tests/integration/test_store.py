"""The store: migrations recorded once, the safe pragmas, idempotent plan loading, stable ids."""

from __future__ import annotations

import sqlite3

import pytest

from cchc.services.workspace import Workspace
from cchc.store.db import open_db
from cchc.store.migrate import MigrationError, available, migrate

TABLES = ("plan", "areas", "units", "targets", "tasks", "task_updates", "documents", "history")


def dump(path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}
    finally:
        conn.close()


def test_every_migration_is_applied_once_and_recorded(db_path):
    with Workspace.open(db_path) as ws:
        rows = ws.db.conn.execute("SELECT version FROM schema_migrations ORDER BY version")
        assert [r[0] for r in rows] == [m.version for m in available()]
        assert migrate(ws.db) == []


def test_the_database_uses_wal_foreign_keys_and_a_busy_timeout(db_path):
    with Workspace.open(db_path) as ws:
        conn = ws.db.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_loading_the_plan_twice_changes_nothing(db_path):
    Workspace.open(db_path).close()
    first = dump(db_path)
    Workspace.open(db_path).close()
    assert dump(db_path) == first
    assert len(first["tasks"]) == 26


def test_plan_rows_have_the_same_ids_on_every_laptop(tmp_path):
    Workspace.open(tmp_path / "a.sqlite").close()
    Workspace.open(tmp_path / "b.sqlite").close()
    a, b = dump(tmp_path / "a.sqlite"), dump(tmp_path / "b.sqlite")
    for table in ("plan", "areas", "units", "targets"):
        assert a[table] == b[table]
    assert [r[0] for r in a["tasks"]] == [r[0] for r in b["tasks"]]


def test_ids_are_random_text_not_autoincrement(db_path):
    with Workspace.open(db_path) as ws:
        for table in TABLES:
            columns = {c.name: c for c in ws.db[table].columns}
            assert columns["id"].type == "TEXT"
            assert ws.db[table].pks == ["id"]


def test_history_cannot_be_rewritten(db_path):
    with Workspace.open(db_path) as ws:
        ws.db.conn.execute(
            "INSERT INTO history (id, task_id, at, actor, action) VALUES ('h1', NULL, 'x', 'a', 'b')"
        )
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            ws.db.conn.execute("UPDATE history SET actor = 'someone else'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            ws.db.conn.execute("DELETE FROM history")


def test_a_migration_changed_after_it_was_applied_is_refused(db_path, tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_one.sql").write_text("CREATE TABLE one (id TEXT PRIMARY KEY);")
    db = open_db(db_path)
    migrate(db, folder)
    (folder / "0001_one.sql").write_text("CREATE TABLE one (id TEXT PRIMARY KEY, x INT);")
    with pytest.raises(MigrationError, match="changed after it was applied"):
        migrate(db, folder)


def test_a_failing_migration_leaves_nothing_half_applied(db_path, tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_bad.sql").write_text(
        "CREATE TABLE half (id TEXT PRIMARY KEY);\nCREATE TABLE broken (;\n"
    )
    db = open_db(db_path)
    with pytest.raises(sqlite3.OperationalError):
        migrate(db, folder)
    assert not db["half"].exists()
    assert db.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == 0
