"""Merge: per column the highest (clock, site) wins everywhere; losers become conflicts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sync.engine import cells_snapshot
from sync.errors import UnknownConflict
from sync.tests.netkit import exchange, network


def test_two_sites_editing_different_columns_of_one_row_keep_both_edits(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title, progress) VALUES ('t1', 'Plan', 0)")
    exchange(a, b)
    a.exec("UPDATE tasks SET title = 'Plan 2026' WHERE id = 't1'")
    b.exec("UPDATE tasks SET progress = 40 WHERE id = 't1'")
    exchange(a, b)
    assert a.rows() == b.rows() == [("t1", None, "Plan 2026", 40, None)]
    assert a.engine.conflicts() == [] and b.engine.conflicts() == []


def test_concurrent_edits_of_one_cell_converge_and_the_loser_is_listed(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'Plan')")
    exchange(a, b)
    b.exec("UPDATE tasks SET title = 'From B' WHERE id = 't1'")
    time.sleep(0.003)  # the clocks tick in milliseconds: make A's edit clearly later
    a.exec("UPDATE tasks SET title = 'From A' WHERE id = 't1'")  # later clock: wins
    exchange(a, b)
    assert a.rows() == b.rows() == [("t1", None, "From A", None, None)]
    for site in (a, b):
        (c,) = site.engine.conflicts()
        assert (c.table, c.row_id, c.column) == ("tasks", "t1", "title")
        assert (c.kept_value, c.lost_value) == ("From A", "From B")
        assert (c.kept_origin, c.lost_origin) == (a.id, b.id)
    assert cells_snapshot(a.conn) == cells_snapshot(b.conn)


def test_a_sequential_overwrite_is_not_a_conflict(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'Plan')")
    exchange(a, b)
    b.exec("UPDATE tasks SET title = 'Seen and changed by B' WHERE id = 't1'")
    exchange(b, a)
    assert a.rows() == b.rows()
    assert a.engine.conflicts() == [] and b.engine.conflicts() == []


def test_reversing_a_conflict_writes_the_other_value_as_a_new_change_everywhere(
    tmp_path: Path,
) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'Plan')")
    exchange(a, b)
    b.exec("UPDATE tasks SET title = 'From B' WHERE id = 't1'")
    time.sleep(0.003)  # the clocks tick in milliseconds: make A's edit clearly later
    a.exec("UPDATE tasks SET title = 'From A' WHERE id = 't1'")
    exchange(a, b)
    (c,) = b.engine.conflicts()
    b.engine.resolve_conflict(c.id, keep="other")
    assert b.rows() == [("t1", None, "From B", None, None)]
    assert b.engine.conflicts() == []
    exchange(b, a)
    assert a.rows() == [("t1", None, "From B", None, None)]
    with pytest.raises(UnknownConflict, match=f"no open conflict with id {c.id}"):
        b.engine.resolve_conflict(c.id)


def test_a_local_edit_after_an_export_is_not_overwritten_by_an_older_value(
    tmp_path: Path,
) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'Plan')")
    exchange(a, b)
    b.exec("UPDATE tasks SET title = 'older, from B' WHERE id = 't1'")
    stale = b.engine.export_bundle(a.id)  # written before A's edit, delivered after it
    time.sleep(0.003)
    a.exec("UPDATE tasks SET title = 'newer, local to A' WHERE id = 't1'")
    a.engine.export_bundle(b.id)
    a.engine.import_bundle(stale)
    assert a.rows() == [("t1", None, "newer, local to A", None, None)]


def test_an_older_update_does_not_resurrect_a_deleted_row(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'Plan')")
    exchange(a, b)
    b.exec("UPDATE tasks SET title = 'edited first' WHERE id = 't1'")
    time.sleep(0.003)
    a.exec("DELETE FROM tasks WHERE id = 't1'")  # later clock than B's edit
    exchange(a, b)
    assert a.rows() == b.rows() == []


def test_a_newer_update_resurrects_a_row_deleted_earlier(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title, progress) VALUES ('t1', 'Plan', 10)")
    exchange(a, b)
    a.exec("DELETE FROM tasks WHERE id = 't1'")
    time.sleep(0.003)
    b.exec("UPDATE tasks SET progress = 90 WHERE id = 't1'")  # later clock than the delete
    exchange(a, b)
    assert a.rows() == b.rows() == [("t1", None, "Plan", 90, None)]


def test_a_child_arriving_with_its_parent_in_one_bundle_applies_despite_foreign_keys(
    tmp_path: Path,
) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'Plan')")
    a.exec("INSERT INTO updates (id, task_id, body) VALUES ('u1', 't1', 'half done')")
    b.engine.import_bundle(a.engine.export_bundle())
    assert b.rows("updates") == [("u1", "t1", "half done")]
    assert b.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_row_every_copy_loaded_deleted_here_and_written_later_elsewhere_comes_back_whole(
    tmp_path: Path,
) -> None:
    _city, (a, b) = network(tmp_path, 2)
    for s in (a, b):  # the same row on both copies, loaded without capture, as the plan is
        with s.engine.capture_suppressed():
            s.exec("INSERT INTO tasks (id, unit, title, progress) VALUES ('s1', 'u0', 'plan', 5)")
    a.exec("DELETE FROM tasks WHERE id = 's1'")
    time.sleep(0.002)
    b.exec("UPDATE tasks SET title = 'plan, amended' WHERE id = 's1'")  # not having seen it
    exchange(a, b)
    # the newer write brings the row back on a with every column, not only the one written
    assert a.rows() == b.rows() == [("s1", "u0", "plan, amended", 5, None)]
