"""What the app reads of the engine's records (SPEC.md, appendix "Python API").

The functions here take the app's connection and answer from the engine's tables, so no app
module reads a ``_sync_*`` table itself; each answers "nothing" (empty, None, 0) on a database
the engine was never opened on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from .feeds import Segment
from .trust import Certificate


def engine_present(conn: sqlite3.Connection) -> bool:
    """Whether the engine was ever opened on this database (its tables exist)."""
    return _has(conn, "_sync_state")


def _has(conn: sqlite3.Connection, table: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return row is not None


def local_site(conn: sqlite3.Connection) -> str | None:
    """This site's id, once the engine has been opened on the database."""
    if not _has(conn, "_sync_state"):
        return None
    row = conn.execute("SELECT site_id FROM _sync_state WHERE id = 1").fetchone()
    return None if row is None else str(row[0])


def cell_origin(conn: sqlite3.Connection, table: str, row_id: str, column: str) -> str | None:
    """The site whose write of ``table``.``column`` for ``row_id`` stands on this copy."""
    if not _has(conn, "_sync_cells"):
        return None
    row = conn.execute(
        "SELECT origin FROM _sync_cells WHERE tbl = ? AND row_id = ? AND col = ?",
        (table, row_id, column),
    ).fetchone()
    return None if row is None else str(row[0])


def column_origins(conn: sqlite3.Connection, table: str, column: str) -> dict[str, str]:
    """Row id -> the site whose write of ``column`` stands, for every row of ``table`` that has
    one (a row written before the engine tracked the table has none)."""
    if not _has(conn, "_sync_cells"):
        return {}
    return {
        str(r): str(o)
        for r, o in conn.execute(
            "SELECT row_id, origin FROM _sync_cells WHERE tbl = ? AND col = ?", (table, column)
        )
    }


def rows_written_by(
    conn: sqlite3.Connection, origin: str, after_clock: int = 0
) -> list[tuple[str, str]]:
    """(table, row id) of every row with a standing value ``origin`` wrote after the clock
    ``after_clock`` (an engine clock, as ``newest_clock_of`` gives it)."""
    if not _has(conn, "_sync_cells"):
        return []
    return [
        (str(t), str(r))
        for t, r in conn.execute(
            "SELECT DISTINCT tbl, row_id FROM _sync_cells WHERE origin = ? AND hlc > ?",
            (origin, after_clock),
        )
    ]


def newest_clock_of(conn: sqlite3.Connection, origin: str) -> int:
    """The clock of the newest standing value ``origin`` wrote here (0 with none)."""
    if not _has(conn, "_sync_cells"):
        return 0
    row = conn.execute("SELECT max(hlc) FROM _sync_cells WHERE origin = ?", (origin,)).fetchone()
    return int(row[0] or 0)


def applied_seq(conn: sqlite3.Connection, origin: str) -> int:
    """How far ``origin``'s feed is applied here (its highest contiguous sequence; 0: none)."""
    if not _has(conn, "_sync_feeds"):
        return 0
    row = conn.execute("SELECT applied_seq FROM _sync_feeds WHERE origin = ?", (origin,)).fetchone()
    return int(row[0]) if row else 0


def held_changes(conn: sqlite3.Connection) -> int:
    """How many received changes wait here for a gap to fill (held, not refused)."""
    if not _has(conn, "_sync_segments"):
        return 0
    row = conn.execute(
        "SELECT coalesce(sum(last_seq - first_seq + 1), 0) FROM _sync_segments WHERE state = 'held'"
    ).fetchone()
    return int(row[0])


def certificates(conn: sqlite3.Connection, site: str | None = None) -> list[Certificate]:
    """The certificates held here (of ``site`` only, if given), oldest issued first."""
    if not _has(conn, "_sync_certs"):
        return []
    sql = "SELECT body, sig FROM _sync_certs"
    args: tuple[str, ...] = ()
    if site is not None:
        sql, args = sql + " WHERE site = ?", (site,)
    return [Certificate.parse(b, s) for b, s in conn.execute(sql + " ORDER BY issued", args)]


def revoked_keys(conn: sqlite3.Connection) -> set[bytes]:
    """The keys the root revoked, as held here."""
    if not _has(conn, "_sync_revocations"):
        return set()
    return {bytes(r[0]) for r in conn.execute("SELECT key FROM _sync_revocations")}


#: How far the certificates and revocations held here go: the last row of each (rows are only
#: ever added; a certificate issued again is a new row).
TrustMark = tuple[int, int]


def trust_mark(conn: sqlite3.Connection) -> TrustMark:
    """Where the certificates and revocations held here end now."""
    if not _has(conn, "_sync_certs"):
        return 0, 0
    certs = conn.execute("SELECT coalesce(max(rowid), 0) FROM _sync_certs").fetchone()[0]
    revs = conn.execute("SELECT coalesce(max(rowid), 0) FROM _sync_revocations").fetchone()[0]
    return int(certs), int(revs)


def trust_added_since(
    conn: sqlite3.Connection, mark: TrustMark, besides: str = ""
) -> tuple[int, int]:
    """(certificates, revocations) that came to be held here after ``mark``; certificates of
    the site ``besides`` are not counted."""
    if not _has(conn, "_sync_certs"):
        return 0, 0
    certs = conn.execute(
        "SELECT count(*) FROM _sync_certs WHERE rowid > ? AND site != ?", (mark[0], besides)
    ).fetchone()[0]
    revs = conn.execute(
        "SELECT count(*) FROM _sync_revocations WHERE rowid > ?", (mark[1],)
    ).fetchone()[0]
    return int(certs), int(revs)


#: The segments applied here at some moment: (origin, first sequence) of each.
FeedMark = frozenset[tuple[str, int]]


def feed_mark(conn: sqlite3.Connection) -> FeedMark:
    """Which segments are applied here now (taken before an import, for ``arrived_rows``)."""
    if not _has(conn, "_sync_segments"):
        return frozenset()
    return frozenset(
        (str(o), int(f))
        for o, f in conn.execute(
            "SELECT origin, first_seq FROM _sync_segments WHERE state = 'applied'"
        )
    )


def arrived_rows(conn: sqlite3.Connection, before: FeedMark) -> list[tuple[str, str, str]]:
    """What an import brought: (origin, table, row id) of every row the segments applied since
    ``before`` carry, read from those segments as they were carried, in feed order; never a
    row of this site's own feed."""
    me = local_site(conn)
    if me is None:
        return []
    out: dict[tuple[str, str, str], None] = {}
    for origin, first_seq, blob in conn.execute(
        "SELECT origin, first_seq, blob FROM _sync_segments "
        "WHERE state = 'applied' AND origin != ? ORDER BY origin, first_seq",
        (me,),
    ).fetchall():
        if (origin, first_seq) in before:
            continue
        cols = Segment.decode(blob).columns()
        for table, row_id in zip(cols.tables, cols.rows, strict=True):
            out[(origin, table, row_id)] = None
    return list(out)


#: The statements an app's own trigger runs around writes no peer should receive (rows every
#: copy derives itself, SPEC section 3): the same switch `capture_suppressed` turns.
SUPPRESS_CAPTURE_SQL = "UPDATE _sync_state SET capture_off = capture_off + 1"
RESUME_CAPTURE_SQL = "UPDATE _sync_state SET capture_off = capture_off - 1"


@contextmanager
def capture_suppressed(conn: sqlite3.Connection) -> Iterator[None]:
    """Writes inside are not recorded (identical seed data on every laptop); nothing to do on a
    database the engine was never opened on.

    Runs inside the caller's transaction if one is open, else in its own, so other
    connections never see capture switched off.
    """
    if not engine_present(conn):
        yield
        return
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN IMMEDIATE")
    conn.execute(SUPPRESS_CAPTURE_SQL)
    try:
        yield
    except BaseException:
        if own:
            conn.execute("ROLLBACK")
        else:
            conn.execute(RESUME_CAPTURE_SQL)
        raise
    conn.execute(RESUME_CAPTURE_SQL)
    if own:
        conn.execute("COMMIT")
