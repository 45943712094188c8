"""Authority changes win over what their writer did not see (SPEC.md section 12).

When a segment brings a value of a judged column (a task's lead, an amendment's status …)
written by a writer of higher rank, every applied segment of lower rank that had not seen it,
that it had not seen either, and whose verdict read that row, is **rewound**: taken out of the
applied feed (with every later segment of its origin, and every segment that saw one of them),
its cells rebuilt from the changes that remain (as a revocation's take-back does, section 6),
and put back on hold. The import then applies them again in causal order, judged with the new
value among those their writer had not seen; what is refused now is reported as taken back, with
the policy's reason. Every copy so ends with the verdicts it would have given had the authority
change arrived first.

A pair (trigger, rewound segment) is handled once per import, and a writer is only ever rewound
by a writer of strictly higher rank, so the process ends.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from .feeds import Segment
from .merge import Merger
from .revocation import (
    CellKey,
    RowKey,
    applied_from,
    forget_versions,
    note_changes,
    rebuild,
    rewind_feed,
)

SegKey = tuple[str, int]


@dataclass
class Rewound:
    """A segment taken out of the applied feed, to be applied again."""

    segment: Segment
    #: rows of it refused before it was rewound (a new refusal of another row is a take-back)
    refused_before: set[RowKey] = field(default_factory=set)


def record_reads(conn: sqlite3.Connection, seg: Segment, reads: set[RowKey]) -> None:
    """Keep which rows' judged columns the verdicts on ``seg`` read."""
    if reads:
        conn.executemany(
            "INSERT OR IGNORE INTO _sync_reads (tbl, row_id, origin, first_seq) VALUES (?,?,?,?)",
            [(t, r, seg.origin, seg.first_seq) for t, r in sorted(reads)],
        )


def rewind_concurrent(
    conn: sqlite3.Connection,
    merger: Merger,
    trigger: Segment,
    trigger_rank: int,
    rows: set[RowKey],
    rank_of: Callable[[str], int],
    own_site: str,
    skip_origins: set[str],
    refused_now: set[tuple[str, int, str, str]],
    handled: set[tuple[SegKey, SegKey]],
) -> list[Rewound]:
    """Rewind the applied segments the authority change in ``trigger`` (to ``rows``) must be
    judged against again; return them, in feed order. This site's own segments were judged
    before they were sealed, not on import, so none of their reads is kept: every one the
    trigger's writer had not seen is judged again. Runs inside the import's transaction."""
    me = (trigger.origin, trigger.first_seq)
    found: set[SegKey] = set()
    for t, r in sorted(rows):
        found.update(
            (o, f)
            for o, f in conn.execute(
                "SELECT origin, first_seq FROM _sync_reads WHERE tbl = ? AND row_id = ?", (t, r)
            )
        )
    segs = {
        (o, f): (last, first_hlc, json.loads(seen))
        for o, f, last, first_hlc, seen in conn.execute(
            "SELECT origin, first_seq, last_seq, first_hlc, seen FROM _sync_segments "
            "WHERE state = 'applied'"
        )
    }
    found.update(k for k in segs if k[0] == own_site)
    start: dict[str, int] = {}
    for key in sorted(found):
        o, f = key
        if key not in segs or o == trigger.origin or o in skip_origins or (me, key) in handled:
            continue
        _last, first_hlc, seen = segs[key]
        if first_hlc <= trigger.seen.get(o, 0):  # the trigger's writer had seen it
            continue
        if seen.get(trigger.origin, 0) >= trigger.first_hlc:  # it had seen the trigger
            continue
        if rank_of(o) >= trigger_rank:
            continue
        handled.add((me, key))
        start[o] = min(start.get(o, f), f)
    if not start:
        return []
    # what saw a rewound segment is rewound with it: its verdict may have rested on it
    changed = True
    while changed:
        changed = False
        first_hlcs = {
            o: min(h for (so, sf), (_l, h, _s) in segs.items() if so == o and sf >= f)
            for o, f in start.items()
        }
        for (o, f), (_last, _h, seen) in sorted(segs.items()):
            if o == trigger.origin or o in skip_origins or f >= start.get(o, f + 1):
                continue
            if any(seen.get(r, 0) >= h for r, h in first_hlcs.items() if r != o):
                start[o] = f
                changed = True
    return _unapply(conn, merger, start, refused_now)


def _unapply(
    conn: sqlite3.Connection,
    merger: Merger,
    start: dict[str, int],
    refused_now: set[tuple[str, int, str, str]],
) -> list[Rewound]:
    out: list[Rewound] = []
    theirs: dict[RowKey, set[tuple[int, str]]] = {}
    entries: list[tuple[str, str, str, int, str]] = []
    for origin, first in sorted(start.items()):
        for seg in applied_from(conn, origin, first):
            note_changes(seg, theirs, entries)
            key = (origin, seg.first_seq)
            before = {
                (str(t), str(r))
                for t, r in conn.execute(
                    "SELECT tbl, row_id FROM _sync_rejections WHERE origin = ? AND first_seq = ? "
                    "AND row_id IS NOT NULL",
                    key,
                )
            }
            before |= {(t, r) for o, f, t, r in refused_now if (o, f) == key}
            out.append(Rewound(seg, before))
            conn.execute(
                "DELETE FROM _sync_rejections WHERE origin = ? AND first_seq = ? "
                "AND row_id IS NOT NULL",
                key,
            )
            conn.execute("DELETE FROM _sync_reads WHERE origin = ? AND first_seq = ?", key)
            conn.execute(
                "UPDATE _sync_segments SET state = 'held' WHERE origin = ? AND first_seq = ?", key
            )
        rewind_feed(conn, origin, first)
    forget_versions(conn, entries)
    cells = merger.load_cells(theirs)
    lost: set[CellKey] = {
        k for k, cell in cells.items() if (cell.hlc, cell.origin) in theirs[(k[0], k[1])]
    }
    if lost:
        rebuild(conn, merger, lost, refused_now)
    return out
