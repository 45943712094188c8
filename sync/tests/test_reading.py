"""The app's read interface (``sync.reading``): what an import brought, by origin and table; who
wrote a cell; the trust held; feed heads and held changes; and capture switched off, all read by
connection, so no app module needs the engine's own tables."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sync import reading
from sync.tests.netkit import network, open_conn


def test_a_database_the_engine_never_opened_answers_nothing_rather_than_failing(
    tmp_path: Path,
) -> None:
    conn = open_conn(tmp_path / "plain.sqlite")
    conn.execute("CREATE TABLE tasks (id TEXT PRIMARY KEY, title TEXT)")
    assert not reading.engine_present(conn)
    assert reading.local_site(conn) is None
    assert reading.cell_origin(conn, "tasks", "t1", "title") is None
    assert reading.column_origins(conn, "tasks", "title") == {}
    assert reading.rows_written_by(conn, "x") == []
    assert reading.newest_clock_of(conn, "x") == 0
    assert reading.applied_seq(conn, "x") == 0
    assert reading.held_changes(conn) == 0
    assert reading.certificates(conn) == []
    assert reading.revoked_keys(conn) == set()
    assert reading.trust_mark(conn) == (0, 0)
    assert reading.trust_added_since(conn, (0, 0)) == (0, 0)
    assert reading.feed_mark(conn) == frozenset()
    assert reading.arrived_rows(conn, frozenset()) == []
    with reading.capture_suppressed(conn):
        conn.execute("INSERT INTO tasks VALUES ('t1', 'x')")
    assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert not any(n.startswith("_sync") for n in names)  # reading never creates the tables


def test_an_import_brings_rows_by_origin_and_table_read_from_the_segments_it_applied(
    tmp_path: Path,
) -> None:
    _city, (a, b, c) = network(tmp_path, 3)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'Plan')")
    a.exec("INSERT INTO updates (id, task_id, body) VALUES ('u1', 't1', 'started')")
    b.engine.import_bundle(a.engine.export_bundle())
    c.engine.import_bundle(b.engine.export_bundle())  # c holds a's rows, relayed by b
    c.exec("UPDATE tasks SET progress = 50 WHERE id = 't1'")
    before = reading.feed_mark(b.conn)
    b.exec("INSERT INTO tasks (id, title) VALUES ('t9', 'mine')")  # b's own: never an arrival
    b.engine.import_bundle(c.engine.export_bundle())
    assert reading.arrived_rows(b.conn, before) == [(c.id, "tasks", "t1")]
    everything = reading.arrived_rows(b.conn, frozenset())
    assert sorted(everything) == sorted(
        [(a.id, "tasks", "t1"), (a.id, "updates", "u1"), (c.id, "tasks", "t1")]
    )
    assert reading.applied_seq(b.conn, a.id) == b.engine.vector()[a.id]
    assert reading.applied_seq(b.conn, c.id) == b.engine.vector()[c.id]
    assert reading.local_site(b.conn) == b.id


def test_who_wrote_what_stands_is_read_per_cell_per_column_and_per_writer(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'Plan')")
    b.engine.import_bundle(a.engine.export_bundle())
    mark = reading.newest_clock_of(b.conn, b.id)
    b.exec("INSERT INTO tasks (id, title) VALUES ('t2', 'B plan')")
    b.exec("UPDATE tasks SET progress = 30 WHERE id = 't1'")
    assert reading.cell_origin(b.conn, "tasks", "t1", "title") == a.id
    assert reading.cell_origin(b.conn, "tasks", "t1", "progress") == b.id
    assert reading.column_origins(b.conn, "tasks", "title") == {"t1": a.id, "t2": b.id}
    assert sorted(reading.rows_written_by(b.conn, b.id, mark)) == [("tasks", "t1"), ("tasks", "t2")]
    assert reading.rows_written_by(b.conn, b.id, reading.newest_clock_of(b.conn, b.id)) == []
    assert reading.rows_written_by(b.conn, a.id) == [("tasks", "t1")]


def test_the_trust_held_is_read_with_marks_that_count_what_came_after_them(tmp_path: Path) -> None:
    city, (a, b) = network(tmp_path, 2)
    assert {c.site for c in reading.certificates(city.conn)} == {city.id, a.id, b.id}
    assert [c.site for c in reading.certificates(city.conn, b.id)] == [b.id]
    mark = reading.trust_mark(a.conn)
    assert b.id not in {c.site for c in reading.certificates(a.conn)}  # certified after a
    assert reading.revoked_keys(a.conn) == set()
    city.engine.revoke(b.id)
    a.engine.import_bundle(city.engine.export_bundle())
    assert reading.revoked_keys(a.conn) == {b.engine.key.public}
    assert reading.trust_added_since(a.conn, mark) == (1, 1)  # b's certificate, its revocation
    assert reading.trust_added_since(a.conn, mark, besides=b.id) == (0, 1)
    assert reading.trust_added_since(a.conn, reading.trust_mark(a.conn)) == (0, 0)


def test_changes_waiting_for_a_gap_are_counted_as_held(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'first')")
    first = a.engine.export_bundle(b.id)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t2', 'second')")
    b.engine.import_bundle(a.engine.export_bundle(since={a.id: 5}))
    assert reading.held_changes(b.conn) == 5
    b.engine.import_bundle(first)
    assert reading.held_changes(b.conn) == 0


def test_writes_with_capture_suppressed_are_not_sent_and_a_failure_leaves_capture_on(
    tmp_path: Path,
) -> None:
    _city, (a,) = network(tmp_path, 1)
    with reading.capture_suppressed(a.conn):
        a.exec("INSERT INTO tasks (id, title) VALUES ('seed', 'same everywhere')")
    try:
        with reading.capture_suppressed(a.conn):
            a.exec("INSERT INTO tasks (id, title) VALUES ('lost', 'rolled back')")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'sent')")
    assert [r[0] for r in a.rows()] == ["seed", "t1"]
    assert reading.rows_written_by(a.conn, a.id) == [("tasks", "t1")]
    assert a.engine.status()["unsealed_changes"] == 5


def test_reading_never_writes_even_inside_a_read_only_connection(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    b.engine.import_bundle(a.engine.export_bundle())
    ro = sqlite3.connect(f"file:{b.path}?mode=ro", uri=True)
    assert reading.local_site(ro) == b.id
    assert reading.feed_mark(ro) == reading.feed_mark(b.conn)
    assert reading.arrived_rows(ro, frozenset()) == reading.arrived_rows(b.conn, frozenset())
