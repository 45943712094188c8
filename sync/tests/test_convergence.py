"""Property: random edits on 3–5 sites, delivered with duplicates, reordering and losses, then
resent, end in identical tracked tables (and identical winning cells) on every site."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.engine import cells_snapshot
from sync.tests.netkit import Site, network

EXAMPLES = int(os.environ.get("SYNC_PBT_EXAMPLES", 500 if os.environ.get("CI") else 60))
ROW_IDS = ["r1", "r2", "r3"]

edit = st.tuples(
    st.just("edit"),
    st.integers(0, 4),  # site
    st.sampled_from(ROW_IDS),
    st.sampled_from(["title", "progress", "delete", "update"]),
    st.one_of(st.none(), st.integers(-3, 3), st.text("ab", max_size=2)),
)
send = st.tuples(st.just("send"), st.integers(0, 4), st.integers(0, 4), st.booleans())
deliver = st.tuples(st.just("deliver"), st.integers(0, 50), st.integers(0, 4))
ops = st.lists(st.one_of(edit, send, deliver), min_size=1, max_size=30)


def apply_edit(site: Site, row: str, what: str, value: object) -> None:
    exists = site.conn.execute("SELECT 1 FROM tasks WHERE id = ?", (row,)).fetchone()
    if what == "delete":
        site.exec("DELETE FROM updates WHERE task_id = ?", row)
        site.exec("DELETE FROM tasks WHERE id = ?", row)
    elif not exists:
        site.exec("INSERT INTO tasks (id, title, progress) VALUES (?, ?, ?)", row, value, 0)
    elif what == "update":
        site.exec(
            "INSERT OR IGNORE INTO updates (id, task_id, body) VALUES (?, ?, ?)",
            f"{row}-{site.name}",
            row,
            value,
        )
    else:
        site.exec(f"UPDATE tasks SET {what} = ? WHERE id = ?", value, row)


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(n_sites=st.integers(3, 5), script=ops)
def test_random_edits_and_deliveries_converge_after_a_final_resend(
    n_sites: int, script: list[tuple]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        city, units = network(Path(tmp), n_sites - 1)
        sites = [city, *units]
        bag: list[tuple[int, bytes]] = []  # bundles in flight: (sender index, bytes)
        for op in script:
            if op[0] == "edit":
                _, i, row, what, value = op
                apply_edit(sites[i % n_sites], row, what, value)
            elif op[0] == "send":
                _, i, j, delta = op
                src, dst = sites[i % n_sites], sites[j % n_sites]
                bag.append((i % n_sites, src.engine.export_bundle(dst.id if delta else None)))
            elif bag:
                _, k, j = op
                sender, data = bag[k % len(bag)]  # may deliver the same bundle again
                if j % n_sites != sender:
                    sites[j % n_sites].engine.import_bundle(data)
        # losses are healed by resending everything along a ring, twice around
        for _ in range(2):
            for i in range(n_sites):
                src, dst = sites[i], sites[(i + 1) % n_sites]
                dst.engine.import_bundle(src.engine.export_bundle())
        first = sites[0]
        for s in sites[1:]:
            assert s.snapshot() == first.snapshot()
            assert cells_snapshot(s.conn) == cells_snapshot(first.conn)
        for s in sites:
            assert s.engine.status()["held"] == []
            s.conn.close()
