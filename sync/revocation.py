"""Taking back what a revoked key signed after its revocation's cutoff (SPEC.md section 6,
"Revocation").

A site that applied such segments before the revocation reached it undoes them, so it ends
where a site that learned of the revocation first stands: the segments are dropped, the feed of
their origin goes back to the cutoff (its later segments, if another key signed them, are held
as a site that refused the first would hold them), and every cell they had won is rebuilt from
the changes that remain (the stored segments of every origin, this site's unsealed changes,
and the row's base, the values it had before its first change), then its rows are written
again. Nothing is quoted from the segments in what is reported.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from .encoding import Value
from .feeds import TOMBSTONE, Segment
from .merge import Merger
from .trust import TrustView

CellKey = tuple[str, str, str]
RowKey = tuple[str, str]


@dataclass(frozen=True)
class TakenBack:
    """A segment whose changes were undone here, or put back on hold (``held``)."""

    origin: str
    first_seq: int
    last_seq: int
    changes: int
    held: bool
    #: the rows its changes wrote, and its first clock: what verdicts given here may have rested
    #: on (``rejudge.rewind``)
    rows: frozenset[RowKey] = frozenset()
    first_hlc: int = 0


def take_back(
    conn: sqlite3.Connection,
    merger: Merger,
    view: TrustView,
    own_site: str,
    frozen: dict[str, int] | None = None,
    off_history: set[tuple[str, int]] | None = None,
) -> list[TakenBack]:
    """Undo every applied segment that a revoked key signed after its cutoff, or that lies
    beyond its forked origin's freeze point (``frozen``, section 4a), and what its origin's
    feed applied after it; return what was done. Runs inside the caller's transaction, with
    capture off. ``off_history``: segments of a revoked key below its cutoff that are not on the
    history the revocation names (``history.not_standing``), taken back like those after it."""
    frozen = frozen or {}
    off_history = off_history or set()
    start: dict[str, int] = {}
    for origin, first, last, signer, state in conn.execute(
        "SELECT origin, first_seq, last_seq, signer, state FROM _sync_segments "
        "ORDER BY origin, first_seq"
    ).fetchall():
        rev = view.revoked.get(signer)
        beyond = last > frozen.get(origin, last) or (origin, first) in off_history
        if origin == own_site or not (beyond or (rev is not None and rev.covers(last))):
            continue
        if state == "held":  # never applied here: it will never apply anywhere
            conn.execute(
                "DELETE FROM _sync_segments WHERE origin = ? AND first_seq = ?", (origin, first)
            )
        elif origin not in start:
            start[origin] = first
    if not start:
        return []
    done: list[TakenBack] = []
    theirs: dict[RowKey, set[tuple[int, str]]] = {}
    entries: list[tuple[str, str, str, int, str]] = []
    for origin, first in sorted(start.items()):
        for seg in applied_from(conn, origin, first):
            count = note_changes(seg, theirs, entries)
            rev = view.revoked.get(seg.signer)
            beyond = (
                seg.last_seq > frozen.get(origin, seg.last_seq)
                or (origin, seg.first_seq) in off_history
            )
            held = not beyond and (rev is None or not rev.covers(seg.last_seq))
            if held:
                conn.execute(
                    "UPDATE _sync_segments SET state = 'held' WHERE origin = ? AND first_seq = ?",
                    (origin, seg.first_seq),
                )
            else:
                conn.execute(
                    "DELETE FROM _sync_segments WHERE origin = ? AND first_seq = ?",
                    (origin, seg.first_seq),
                )
            cols = seg.columns()
            rows = frozenset(zip(cols.tables, cols.rows, strict=True))
            done.append(
                TakenBack(origin, seg.first_seq, seg.last_seq, count, held, rows, seg.first_hlc)
            )
        rewind_feed(conn, origin, first)
    forget_versions(conn, entries)
    cells = merger.load_cells(theirs)
    lost = {k for k, cell in cells.items() if (cell.hlc, cell.origin) in theirs[(k[0], k[1])]}
    if lost:
        rebuild(conn, merger, lost)
    return done


def applied_from(conn: sqlite3.Connection, origin: str, first: int) -> list[Segment]:
    """The origin's applied segments from ``first`` on, in order: what a take-back (or an
    authority rewind) undoes."""
    return [
        Segment.decode(blob)
        for (blob,) in conn.execute(
            "SELECT blob FROM _sync_segments WHERE origin = ? AND first_seq >= ? "
            "AND state = 'applied' ORDER BY first_seq",
            (origin, first),
        ).fetchall()
    ]


def note_changes(
    seg: Segment,
    theirs: dict[RowKey, set[tuple[int, str]]],
    entries: list[tuple[str, str, str, int, str]],
) -> int:
    """Record the segment's changes as undone: by row (``theirs``) and by cell (``entries``).
    Returns how many changes it carried."""
    hlcs, tables, row_ids, cols, _values = seg.columns()
    for h, t, r, c in zip(hlcs, tables, row_ids, cols, strict=True):
        theirs.setdefault((t, r), set()).add((h, seg.origin))
        entries.append((t, r, c, h, seg.origin))
    return len(hlcs)


def rewind_feed(conn: sqlite3.Connection, origin: str, first: int) -> None:
    """The origin's applied head goes back to its last applied segment before ``first`` (its
    feed row goes when none is left): what a take-back and an authority rewind both do."""
    prev = conn.execute(
        "SELECT last_seq, last_hlc, head FROM _sync_segments WHERE origin = ? "
        "AND state = 'applied' AND first_seq < ? ORDER BY first_seq DESC LIMIT 1",
        (origin, first),
    ).fetchone()
    if prev is None:
        conn.execute("DELETE FROM _sync_feeds WHERE origin = ?", (origin,))
    else:
        conn.execute(
            "UPDATE _sync_feeds SET applied_seq = ?, applied_hlc = ?, head = ? WHERE origin = ?",
            (*prev, origin),
        )


def forget_versions(conn: sqlite3.Connection, entries: list[tuple[Any, ...]]) -> None:
    """The versions of changes taken back are dropped, and a conflict with one of them is no
    longer a choice anyone has to make."""
    conn.executemany(
        "DELETE FROM _sync_versions WHERE tbl = ? AND row_id = ? AND col = ? AND hlc = ? "
        "AND origin = ?",
        entries,
    )
    conn.executemany(
        "UPDATE _sync_conflicts SET resolved = 'taken_back' WHERE resolved IS NULL AND tbl = ? "
        "AND row_id = ? AND col = ? AND ((kept_hlc = ? AND kept_origin = ?) "
        "OR (lost_hlc = ? AND lost_origin = ?))",
        [(t, r, c, h, o, h, o) for t, r, c, h, o in entries],
    )


def rebuild(
    conn: sqlite3.Connection,
    merger: Merger,
    lost: set[CellKey],
    refused_now: set[tuple[str, int, str, str]] | None = None,
) -> None:
    """Give each lost cell the best change that remains, then write its rows again.
    ``refused_now``: rows refused by the open import, not logged yet."""
    rows = {(t, r) for t, r, _c in lost}
    refused = {
        tuple(k)
        for k in conn.execute(
            "SELECT origin, first_seq, tbl, row_id FROM _sync_rejections WHERE row_id IS NOT NULL"
        )
    } | set(refused_now or ())
    best: dict[CellKey, tuple[tuple[Any, ...], Value]] = {}

    def offer(key: CellKey, rank: tuple[Any, ...], value: Value) -> None:
        if key in lost and (key not in best or rank > best[key][0]):
            best[key] = (rank, value)

    def scan(origin: str, first: int, columns: Any) -> None:
        hlcs, tables, row_ids, cols, values = columns
        for i, (h, t, r, c, v) in enumerate(zip(hlcs, tables, row_ids, cols, values, strict=True)):
            if (t, r) not in rows or (origin, first, t, r) in refused:
                continue
            # highest (clock, origin) wins; within one feed the later entry; an explicit write
            # beats the implicit "alive" a column change adds at the same clock (Rule 2)
            offer((t, r, c), (h, origin, 1, first, i), v)
            if c != TOMBSTONE:
                offer((t, r, TOMBSTONE), (h, origin, 0, first, i), 0)

    for origin, first, blob in conn.execute(
        "SELECT origin, first_seq, blob FROM _sync_segments WHERE state = 'applied'"
    ).fetchall():
        scan(origin, first, Segment.decode(blob).columns())
    own = conn.execute("SELECT site_id FROM _sync_state").fetchone()[0]
    pending = conn.execute(
        "SELECT hlc, tbl, row_id, col, value FROM _sync_pending ORDER BY n"
    ).fetchall()
    if pending:
        scan(own, 2**63, tuple(map(list, zip(*pending, strict=True))))
    conn.executemany(
        "DELETE FROM _sync_cells WHERE tbl = ? AND row_id = ? AND col = ?", sorted(lost)
    )
    conn.executemany(
        "INSERT INTO _sync_cells (tbl, row_id, col, value, hlc, origin) VALUES (?,?,?,?,?,?)",
        [(t, r, c, v, rank[0], rank[1]) for (t, r, c), (rank, v) in sorted(best.items())],
    )
    by_row: dict[RowKey, dict[str, Value]] = {}
    for t, r in sorted(rows):
        by_row[(t, r)] = dict(
            conn.execute(
                "SELECT col, value FROM _sync_base WHERE tbl = ? AND row_id = ?", (t, r)
            ).fetchall()
        )
    for (t, r, c), cell in merger.load_cells(rows).items():
        by_row[(t, r)][c] = cell.value
    for t, r, c in lost:
        # a column no remaining change writes and the row had no value for before: empty, as
        # on a copy that never had the change taken back
        if c != TOMBSTONE:
            by_row[(t, r)].setdefault(c, None)
    for vals in by_row.values():
        vals.setdefault(TOMBSTONE, 1)  # no change of it remains and it never stood here before
    conn.executemany("DELETE FROM _sync_parked WHERE tbl = ? AND row_id = ?", sorted(rows))
    merger.park_unbuilt(sorted(merger.materialize_each(by_row)))
