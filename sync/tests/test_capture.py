"""Capture: triggers record every write as column-level changes with a persisted clock."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sync import Engine, TableSpec
from sync.errors import TableNotTrackable
from sync.tests.netkit import open_site


def pending(site) -> list[tuple]:
    return site.conn.execute(
        "SELECT tbl, row_id, col, value FROM _sync_pending ORDER BY n"
    ).fetchall()


def test_insert_update_delete_are_recorded_as_column_changes(tmp_path: Path) -> None:
    s = open_site(tmp_path, "a")
    s.exec("INSERT INTO tasks (id, unit, title, progress) VALUES ('t1', 'u0', 'Hello', 0)")
    s.exec("UPDATE tasks SET progress = 50 WHERE id = 't1'")
    s.exec("UPDATE tasks SET progress = 50 WHERE id = 't1'")  # no change: nothing recorded
    s.exec("DELETE FROM tasks WHERE id = 't1'")
    assert pending(s) == [
        ("tasks", "t1", "~", 0),
        ("tasks", "t1", "unit", "u0"),
        ("tasks", "t1", "title", "Hello"),
        ("tasks", "t1", "progress", 0),
        ("tasks", "t1", "note", None),
        ("tasks", "t1", "progress", 50),
        ("tasks", "t1", "~", 1),
    ]


def test_clocks_of_captured_changes_strictly_increase_per_write(tmp_path: Path) -> None:
    s = open_site(tmp_path, "a")
    for i in range(20):
        s.exec("INSERT INTO tasks (id, title) VALUES (?, 'x')", f"t{i}")
    clocks = [h for (h,) in s.conn.execute("SELECT DISTINCT hlc FROM _sync_pending ORDER BY n")]
    assert clocks == sorted(clocks) and len(set(clocks)) == 20


def test_clock_survives_a_restart_and_never_goes_back(tmp_path: Path) -> None:
    s = open_site(tmp_path, "a")
    s.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'x')")
    far_future = (1 << 62) + 5
    s.exec("UPDATE _sync_state SET hlc = ?", far_future)  # as if the wall clock had jumped
    s.conn.close()
    conn = sqlite3.connect(s.path, isolation_level=None)
    e = Engine(conn, tmp_path / "a.keys")
    assert e.site_id == s.engine.site_id
    conn.execute("INSERT INTO tasks (id, title) VALUES ('t2', 'y')")
    (h,) = conn.execute("SELECT max(hlc) FROM _sync_pending").fetchone()
    assert h == far_future + 1


def test_suppressed_capture_records_nothing_and_is_restored_afterwards(tmp_path: Path) -> None:
    s = open_site(tmp_path, "a")
    with s.engine.capture_suppressed():
        s.exec("INSERT INTO tasks (id, title) VALUES ('seed', 'from the plan')")
    assert pending(s) == []
    s.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'x')")
    assert len(pending(s)) == 5


def test_suppression_inside_the_callers_transaction_rolls_back_with_it(tmp_path: Path) -> None:
    s = open_site(tmp_path, "a")
    s.exec("BEGIN IMMEDIATE")
    with s.engine.capture_suppressed():
        s.exec("INSERT INTO tasks (id, title) VALUES ('seed', 'x')")
    s.exec("COMMIT")
    assert s.conn.execute("SELECT capture_off FROM _sync_state").fetchone() == (0,)
    assert pending(s) == []


def test_another_connection_captures_too(tmp_path: Path) -> None:
    s = open_site(tmp_path, "a")
    other = sqlite3.connect(s.path, isolation_level=None)
    other.execute("INSERT INTO tasks (id, title) VALUES ('t9', 'from a script')")
    assert ("tasks", "t9", "title", "from a script") in pending(s)


def test_changing_the_primary_key_of_a_tracked_row_is_refused(tmp_path: Path) -> None:
    s = open_site(tmp_path, "a")
    s.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'x')")
    with pytest.raises(sqlite3.IntegrityError, match="primary key of a tracked table"):
        s.exec("UPDATE tasks SET id = 't2' WHERE id = 't1'")


def test_a_table_without_text_id_primary_key_cannot_be_tracked(tmp_path: Path) -> None:
    s = open_site(tmp_path, "a")
    s.exec("CREATE TABLE log (n INTEGER PRIMARY KEY, msg TEXT)")
    with pytest.raises(TableNotTrackable, match="'log' must have the single primary key"):
        s.engine.track(TableSpec("log"))


def test_retracking_after_a_migration_captures_the_new_column(tmp_path: Path) -> None:
    s = open_site(tmp_path, "a")
    s.exec("ALTER TABLE tasks ADD COLUMN owner TEXT")
    s.engine.track(TableSpec("tasks"))
    s.exec("INSERT INTO tasks (id, owner) VALUES ('t1', 'Lan')")
    assert ("tasks", "t1", "owner", "Lan") in pending(s)


def test_private_keys_are_files_with_mode_0600_and_never_in_the_database(tmp_path: Path) -> None:
    s = open_site(tmp_path, "a")
    key_file = tmp_path / "a.keys" / "site.ed25519"
    assert key_file.stat().st_mode & 0o777 == 0o600
    seed = s.engine.key.seed()
    s.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'x')")
    bundle = s.engine.export_bundle()
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert seed not in s.path.read_bytes()
    assert seed.hex().encode() not in s.path.read_bytes()
    assert seed not in bundle


def test_an_outer_insert_or_ignore_still_records_the_winning_cell(tmp_path: Path) -> None:
    s = open_site(tmp_path, "a")
    s.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'first')")
    s.exec("DELETE FROM tasks WHERE id = 't1'")
    s.exec("INSERT OR IGNORE INTO tasks (id, title) VALUES ('t1', 'again')")
    cells = dict(
        s.conn.execute("SELECT col, value FROM _sync_cells WHERE row_id = 't1'").fetchall()
    )
    assert cells["~"] == 0 and cells["title"] == "again"


def test_a_private_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    from sync.errors import KeyFileInsecure

    s = open_site(tmp_path, "a")
    key_file = tmp_path / "a.keys" / "site.ed25519"
    key_file.chmod(0o644)
    with pytest.raises(KeyFileInsecure, match="has mode 0o644; it must be 0600"):
        Engine(s.conn, tmp_path / "a.keys")
