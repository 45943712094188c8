"""Parked rows count in what waits (SPEC.md section 8, "Bounds on what waits"): a member that
sends rows whose parent never arrives (they can never be built here) fills no copy beyond the
per-origin bound, and what is beyond it is refused, logged and not relayed onward."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync import limits
from sync.format import decode_bundle

from .netkit import Site, network


def parked(site: Site, origin: str) -> tuple[int, int]:
    row = site.conn.execute(
        "SELECT count(*), coalesce(sum((SELECT sum(length(c.value)) FROM _sync_cells c "
        "WHERE c.tbl = p.tbl AND c.row_id = p.row_id)), 0) FROM _sync_parked p "
        "JOIN _sync_cells x ON x.tbl = p.tbl AND x.row_id = p.row_id AND x.col = '~' "
        "WHERE x.origin = ?",
        (origin,),
    ).fetchone()
    return int(row[0]), int(row[1])


def _orphans(m: Site, n: int, body: str, tag: str) -> None:
    """Rows of ``updates`` under a task that exists only in m's own file (never sent)."""
    with m.engine.capture_suppressed():
        m.exec("INSERT OR IGNORE INTO tasks (id, unit, title) VALUES ('ghost', 'u0', 'never sent')")
    for i in range(n):
        m.exec("INSERT INTO updates (id, task_id, body) VALUES (?, 'ghost', ?)", f"{tag}{i}", body)


def test_rows_that_can_never_be_built_are_bounded_per_origin_and_not_relayed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_PARKED_ROWS", 20)
    monkeypatch.setattr(limits, "MAX_PARKED_BYTES", 64 * 1024)
    city, (m, lead) = network(tmp_path, 2)
    refused = 0
    for k in range(6):
        _orphans(m, 8, "x" * 4096, f"r{k}-")
        result = city.engine.import_bundle(m.engine.export_bundle(city.id))
        refused += sum(1 for r in result.rejections if r.code == "held_limit")
    rows, size = parked(city, m.id)
    # six rounds of 8 rows of 4 KiB: without a bound the city parks 48 rows and relays them
    assert 0 < rows <= 20 and size <= 64 * 1024
    assert refused > 0
    assert "held_limit" in {r["code"] for r in city.engine.rejections()}
    relayed = decode_bundle(city.engine.export_bundle(lead.id))[0]
    carried = sum(s.last_seq - s.first_seq + 1 for s in relayed.segments if s.origin == m.id)
    lead.engine.import_bundle(city.engine.export_bundle(lead.id))
    assert parked(lead, m.id)[0] <= 20
    assert carried <= 20 * 4  # each row: its existence and three columns
    assert city.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert city.rows("updates") == []


def test_an_honest_child_that_arrives_before_its_parent_still_waits_and_comes_back(
    tmp_path: Path,
) -> None:
    city, (m, lead) = network(tmp_path, 2)
    m.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u0', 'parent')")
    m.exec("INSERT INTO updates (id, task_id, body) VALUES ('up1', 't1', 'child')")
    lead.engine.import_bundle(m.engine.export_bundle(lead.id))
    assert [r[0] for r in lead.rows("updates")] == ["up1"]
    assert parked(lead, m.id) == (0, 0)
    del city
