"""The bulk path for rows a site has never seen gives the very cells and rows the general,
entry-by-entry merge gives, whatever the site's feed did to those rows in one segment."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync import merge
from sync.engine import cells_snapshot
from sync.tests.netkit import network

ROW_IDS = ["r1", "r2", "r3", "r4"]

edit = st.tuples(
    st.sampled_from(ROW_IDS),
    st.sampled_from(["insert", "title", "progress", "delete", "update", "reinsert"]),
    st.one_of(st.none(), st.integers(-3, 300), st.text("aăb", max_size=3)),
)


def _edit(conn, row: str, what: str, value: object) -> None:  # type: ignore[no-untyped-def]
    exists = conn.execute("SELECT 1 FROM tasks WHERE id = ?", (row,)).fetchone()
    if what in ("delete", "reinsert") and exists:
        conn.execute("DELETE FROM updates WHERE task_id = ?", (row,))
        conn.execute("DELETE FROM tasks WHERE id = ?", (row,))
    if what == "delete":
        return
    if what in ("insert", "reinsert") or not exists:
        conn.execute(
            "INSERT OR IGNORE INTO tasks (id, title, progress) VALUES (?, ?, ?)", (row, value, 1)
        )
    elif what == "update":
        conn.execute(
            "INSERT OR REPLACE INTO updates (id, task_id, body) VALUES (?, ?, ?)",
            (f"{row}-u", row, value),
        )
    else:
        conn.execute(f"UPDATE tasks SET {what} = ? WHERE id = ?", (value, row))


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(edit, min_size=1, max_size=25),
    grouped=st.booleans(),
    in_one_transaction=st.booleans(),
)
def test_rows_first_seen_in_a_segment_merge_as_entry_by_entry(
    edits: list[tuple[str, str, object]], grouped: bool, in_one_transaction: bool
) -> None:
    if grouped:  # each row's edits together: the segment holds one run per row
        edits = sorted(edits, key=lambda e: e[0])
    with tempfile.TemporaryDirectory() as tmp:
        _city, (a, bulk, general) = network(Path(tmp), 3)
        if in_one_transaction:
            a.conn.execute("BEGIN")
        for row, what, value in edits:
            _edit(a.conn, row, what, value)
        if in_one_transaction:
            a.conn.execute("COMMIT")
        bundle = a.engine.export_bundle()
        bulk.engine.import_bundle(bundle)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(merge, "_row_runs", lambda row_keys: None)  # force the general merge
            general.engine.import_bundle(bundle)
        assert cells_snapshot(bulk.conn) == cells_snapshot(general.conn)
        assert bulk.snapshot() == general.snapshot() == a.snapshot()
