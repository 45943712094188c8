"""What waits is bounded: a member that sends huge segments after a gap in its own feed fills no
copy beyond the per-origin bound, and nothing that cannot apply is relayed onward (SPEC.md
section 8, "Bounds on what waits")."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.feeds import Segment
from sync.format import decode_bundle
from sync.limits import MAX_HELD_BYTES, MAX_HELD_SEGMENTS

from .attacks import MiB, with_segments
from .netkit import Site, network


def held_bytes(site: Site, origin: str) -> int:
    row = site.conn.execute(
        "SELECT coalesce(sum(length(blob)), 0) FROM _sync_segments "
        "WHERE origin = ? AND state = 'held'",
        (origin,),
    ).fetchone()
    return int(row[0])


@pytest.mark.slow
def test_huge_segments_after_a_gap_are_bounded_per_origin_and_never_relayed(
    tmp_path: Path,
) -> None:
    city, (m, lead) = network(tmp_path, 2)
    m.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u0', 'the gap')")
    m.engine.seal()  # segment 1..5: kept back, so everything after it waits at the city

    def without_the_gap(seg: Segment) -> list[Segment]:
        return [] if seg.first_seq == 1 else [seg]

    refused = 0
    for _ in range(6):
        m.exec("UPDATE tasks SET note = randomblob(8 * 1024 * 1024) WHERE id = 't1'")
        data = with_segments(m.engine.export_bundle(city.id), m.engine.key, without_the_gap)
        result = city.engine.import_bundle(data)
        assert result.applied == 0
        refused += sum(1 for r in result.rejections if r.code == "held_limit")
    # six rounds of 8 MiB: without a bound the city keeps 48 MiB of m and relays it
    assert held_bytes(city, m.id) <= MAX_HELD_BYTES
    waiting = city.conn.execute(
        "SELECT count(*) FROM _sync_segments WHERE origin = ? AND state = 'held'", (m.id,)
    ).fetchone()[0]
    assert 1 <= waiting <= MAX_HELD_SEGMENTS
    assert refused > 0
    assert "held_limit" in {r["code"] for r in city.engine.rejections()}
    relayed = decode_bundle(city.engine.export_bundle(lead.id))[0]
    assert [s for s in relayed.segments if s.origin == m.id] == []
    lead.engine.import_bundle(city.engine.export_bundle(lead.id))
    assert held_bytes(lead, m.id) == 0
    # once the gap fills, the whole feed applies: nothing honest was lost to the bound
    result = city.engine.import_bundle(m.engine.export_bundle(city.id))
    assert result.rejected == 0
    assert city.engine.status()["held"] == []
    assert city.rows() == m.rows()
    assert len(city.rows()[0][4]) == 8 * MiB
