"""Parked rows count in what an origin may have waiting here (SPEC.md section 8, "Bounds on
what waits").

A row is parked when it cannot be built here yet (its parent is missing, or a required column
has no value here): its cells are kept and it stays out of the app table until it can be built.
A member could otherwise send rows whose parent never arrives, without bound, and every copy
would keep and relay them. So, per origin (the writer of the row's existence cell), the parked
rows and the bytes of their cells are bounded (``limits.MAX_PARKED_ROWS``,
``limits.MAX_PARKED_BYTES``). What an import would park beyond the bound is taken back in the
same transaction, from the first segment of that import that crosses it (with the later ones
of its origin): those segments are refused (``held_limit``), logged and dropped, so they are
not relayed, and come again with the sender's next bundle (its acknowledgements do not move
past them), as held segments beyond their bound do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from . import limits
from .errors import HeldLimit
from .merge import Merger
from .results import Rejection
from .revocation import take_back
from .trust import TrustView

_LOAD = (
    "SELECT count(*), coalesce(sum((SELECT coalesce(sum(length(c.value)), 0) FROM _sync_cells c "
    "WHERE c.tbl = p.tbl AND c.row_id = p.row_id)), 0) FROM _sync_parked p "
    "JOIN _sync_cells x ON x.tbl = p.tbl AND x.row_id = p.row_id AND x.col = '~' "
    "WHERE x.origin = ?"
)


def parked_load(
    conn: sqlite3.Connection, origin: str, lo: int = 0, hi: int = 2**63 - 1
) -> tuple[int, int]:
    """(rows, bytes of their cells) parked here whose existence ``origin`` wrote, at a clock
    in ``lo..hi``."""
    row = conn.execute(_LOAD + " AND x.hlc BETWEEN ? AND ?", (origin, lo, hi)).fetchone()
    return int(row[0]), int(row[1])


def bound_parked(
    conn: sqlite3.Connection,
    merger: Merger,
    view: TrustView,
    own_site: str,
    applied: Iterable[tuple[str, int]],
    result: Any,
) -> None:
    """Refuse the segments applied by this import (``applied``: origin, first_seq) from the
    first one that takes their origin's parked rows beyond the bound; ``result`` (an
    ``ImportResult``) counts and logs them. Runs in the import's transaction, capture off."""

    by_origin: dict[str, list[int]] = {}
    for origin, first in applied:
        if origin != own_site:
            by_origin.setdefault(origin, []).append(first)
    drop: set[tuple[str, int]] = set()
    for origin, firsts in sorted(by_origin.items()):
        rows, size = parked_load(conn, origin)
        if rows <= limits.MAX_PARKED_ROWS and size <= limits.MAX_PARKED_BYTES:
            continue
        segs = [
            conn.execute(
                "SELECT first_seq, first_hlc, last_hlc FROM _sync_segments WHERE origin = ? "
                "AND first_seq = ? AND state = 'applied'",
                (origin, f),
            ).fetchone()
            for f in sorted(firsts)
        ]
        parts = [(f, parked_load(conn, origin, lo, hi)) for f, lo, hi in filter(None, segs)]
        # what was parked before this import stays; this import's segments are kept in order
        # while they fit
        rows -= sum(r for _f, (r, _b) in parts)
        size -= sum(b for _f, (_r, b) in parts)
        crossed = False
        for f, (r, b) in parts:
            rows, size = rows + r, size + b
            crossed = crossed or rows > limits.MAX_PARKED_ROWS or size > limits.MAX_PARKED_BYTES
            if crossed:
                drop.add((origin, f))
    if not drop:
        return
    for tb in take_back(conn, merger, view, own_site, off_history=drop):
        if tb.held:
            result.held += tb.changes
            continue
        result.applied = max(0, result.applied - tb.changes)
        result.rejected += tb.changes
        result.rejections.append(
            Rejection(
                tb.origin,
                tb.first_seq,
                tb.last_seq,
                HeldLimit.code,
                f"segment {tb.origin}:{tb.first_seq}..{tb.last_seq} brings rows that cannot be "
                f"built here (a parent or a required value is missing), beyond what site "
                f"{tb.origin!r} may have waiting here ({limits.MAX_PARKED_ROWS} rows, "
                f"{limits.MAX_PARKED_BYTES} bytes); refused, it will be taken when its "
                "parents are here",
                changes=tb.changes,
            )
        )
    merger.settle_foreign_keys()
