"""Where a stored value came from, read from the sync engine's bookkeeping: the origin site of a
cell (`_sync_cells`) and the certificates the root issued for a site (`_sync_certs`).

Read-only: the engine owns these tables. A database the engine has never opened has none of
them, and every function then answers "unknown" rather than failing.
"""

from __future__ import annotations

import sqlite3
from typing import Any


def _has(conn: sqlite3.Connection, table: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return row is not None


def cell_origin(conn: sqlite3.Connection, table: str, row_id: str, column: str) -> str | None:
    """The site whose write of `table`.`column` for `row_id` stands on this copy."""
    if not _has(conn, "_sync_cells"):
        return None
    row = conn.execute(
        "SELECT origin FROM _sync_cells WHERE tbl = ? AND row_id = ? AND col = ?",
        (table, row_id, column),
    ).fetchone()
    return None if row is None else str(row[0])


def local_site(conn: sqlite3.Connection) -> str | None:
    """This laptop's site id, once the engine has been opened on the database."""
    if not _has(conn, "_sync_state"):
        return None
    row = conn.execute("SELECT site_id FROM _sync_state WHERE id = 1").fetchone()
    return None if row is None else str(row[0])


def site_certificates(conn: sqlite3.Connection, site: str) -> list[dict[str, Any]]:
    """The certificates held for `site`, newest first (key, issued, signed body)."""
    if not _has(conn, "_sync_certs"):
        return []
    cursor = conn.execute(
        "SELECT key, issued, body, sig FROM _sync_certs WHERE site = ? ORDER BY issued DESC",
        (site,),
    )
    return [{"key": k, "issued": i, "body": b, "sig": s} for k, i, b, s in cursor]


def revoked_keys(conn: sqlite3.Connection) -> set[bytes]:
    if not _has(conn, "_sync_revocations"):
        return set()
    return {bytes(r[0]) for r in conn.execute("SELECT key FROM _sync_revocations")}


def reports_with_code(conn: sqlite3.Connection, code: str) -> list[str]:
    """Ids of the reports issued with this verification code."""
    cursor = conn.execute("SELECT id FROM reports WHERE content_code = ? ORDER BY rowid", (code,))
    return [str(r[0]) for r in cursor]
