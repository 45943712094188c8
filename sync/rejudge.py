"""Judging again what a change of trust changed the grounds of (SPEC.md section 12, "Take-back
and re-judging").

A verdict is a function of the set of signed changes a copy holds, and of the certificates that
stand. Two events change what a verdict already given here rested on:

- a **take-back** (a revocation, or a fork's freeze): the changes taken back may have made
  another change look out of scope (refused here, accepted where the taken-back change never
  arrived), or in scope;
- a **change of role or scope** of a key (a certificate re-issued by the root): the key's own
  changes are judged by its role, and the changes of others against the authority its values
  carry.

In both cases the applied segments whose verdicts may have rested on what changed are
**rewound** exactly as an authority change rewinds them (``authority._unapply``: taken out of the
applied feed with the later segments of their origin and every segment that saw one of them,
cells rebuilt, put on hold) and applied again in causal order in the same transaction, against
the set as it now stands. A refused segment's rows are not lost: a segment is stored whole,
refused rows included, so judging it again needs nothing more than what a copy keeps anyway.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from .authority import Rewound, SegKey, _unapply
from .merge import Merger
from .revocation import RowKey, TakenBack
from .trust import Certificate


def role_changes(conn: sqlite3.Connection, certs: Iterable[Certificate]) -> set[str]:
    """Sites whose key gets, with one of ``certs`` (about to be stored), another role or scope
    than the certificate stored for it here gave. Call before storing them."""
    out: set[str] = set()
    for cert in certs:
        row = conn.execute("SELECT body FROM _sync_certs WHERE key = ?", (cert.key,)).fetchone()
        if row is None:
            continue
        old = json.loads(bytes(row[0]))
        if old.get("role") != cert.role or tuple(old.get("scope", ())) != tuple(cert.scope):
            out.add(cert.site)
    return out


def rows_written_by(conn: sqlite3.Connection, sites: set[str]) -> set[RowKey]:
    """Rows whose judged columns ``sites`` wrote a value of (an authority they carry)."""
    out: set[RowKey] = set()
    for site in sorted(sites):
        out.update(
            (str(t), str(r))
            for t, r in conn.execute(
                "SELECT DISTINCT tbl, row_id FROM _sync_versions WHERE origin = ?", (site,)
            )
        )
    return out


def rewind(
    conn: sqlite3.Connection,
    merger: Merger,
    rows: set[RowKey],
    saw: dict[str, int],
    origins: set[str],
    skip_origins: set[str],
) -> dict[SegKey, Rewound]:
    """Rewind every applied segment whose verdicts read one of ``rows``, that saw a change of
    origin ``o`` at or after ``saw[o]`` (a change taken back), or whose origin is in ``origins``
    (a signer whose role changed); with the later segments of their origins and what saw them.
    Returns them by (origin, first_seq), to be applied again. Runs in the caller's
    transaction, capture off."""
    segs = {
        (str(o), int(f)): (int(h), json.loads(seen))
        for o, f, h, seen in conn.execute(
            "SELECT origin, first_seq, first_hlc, seen FROM _sync_segments WHERE state = 'applied'"
        )
    }
    found: set[SegKey] = set()
    for t, r in sorted(rows):
        found.update(
            (str(o), int(f))
            for o, f in conn.execute(
                "SELECT origin, first_seq FROM _sync_reads WHERE tbl = ? AND row_id = ?", (t, r)
            )
        )
    for key, (_h, seen) in segs.items():
        if key[0] in origins or any(seen.get(o, 0) >= h for o, h in saw.items() if o != key[0]):
            found.add(key)
    start: dict[str, int] = {}
    for o, f in sorted(found):
        if (o, f) in segs and o not in skip_origins:
            start[o] = min(start.get(o, f), f)
    if not start:
        return {}
    changed = True
    while changed:  # what saw a rewound segment is rewound with it
        changed = False
        firsts = {
            o: min(h for (so, sf), (h, _s) in segs.items() if so == o and sf >= f)
            for o, f in start.items()
        }
        for (o, f), (_h, seen) in sorted(segs.items()):
            if o in skip_origins or f >= start.get(o, f + 1):
                continue
            if any(seen.get(r, 0) >= h for r, h in firsts.items() if r != o):
                start[o] = f
                changed = True
    return {
        (b.segment.origin, b.segment.first_seq): b for b in _unapply(conn, merger, start, set())
    }


def _skip(conn: sqlite3.Connection) -> set[str]:
    """This site's own feed is judged on import only when it is certified (the root's own
    changes are judged before they are sealed, and never again)."""
    (own,) = conn.execute("SELECT site_id FROM _sync_state").fetchone()
    certified = conn.execute("SELECT 1 FROM _sync_certs WHERE site = ?", (own,)).fetchone()
    return set() if certified else {str(own)}


def after_take_back(
    conn: sqlite3.Connection,
    merger: Merger,
    done: Iterable[TakenBack],
    pending: set[SegKey] = frozenset(),  # type: ignore[assignment]
) -> dict[SegKey, Rewound]:
    """Rewind what verdicts given here may have rested on the segments just taken back: what
    read the rows they wrote, and what saw one dropped for good (a segment put back on hold
    may apply again, and what saw it would only wait for it). ``pending``: segments taken back
    because this copy cannot link them to the history a revocation names *yet* (the genuine
    history comes with the rest of the feed): what saw one of them is not rewound for it, as it
    would then wait for that history; what read its rows is."""
    rows: set[RowKey] = set()
    saw: dict[str, int] = {}
    for tb in done:
        rows |= tb.rows
        if not tb.held and (tb.origin, tb.first_seq) not in pending:  # gone for good
            saw[tb.origin] = min(saw.get(tb.origin, tb.first_hlc), tb.first_hlc)
    if not rows and not saw:
        return {}
    return rewind(conn, merger, rows, saw, set(), _skip(conn))


def after_role_change(
    conn: sqlite3.Connection, merger: Merger, sites: set[str]
) -> dict[SegKey, Rewound]:
    """Rewind the segments of ``sites`` (their key's role or scope changed) and what was
    judged against the values they wrote."""
    if not sites:
        return {}
    return rewind(conn, merger, rows_written_by(conn, sites), {}, sites, _skip(conn))


def displaced_segments(conn: sqlite3.Connection, certs: Iterable[Certificate]) -> set[SegKey]:
    """Stored segments signed by keys that lost their site id to a holder of higher rank
    (``TrustView.displaced``): they never stood on a copy that had the holder first, and are
    taken back like a revoked key's work off its named history."""
    out: set[SegKey] = set()
    for cert in certs:
        out.update(
            (str(o), int(f))
            for o, f in conn.execute(
                "SELECT origin, first_seq FROM _sync_segments WHERE signer = ? AND origin = ?",
                (cert.key, cert.site),
            )
        )
    return out
