"""Where a stored value came from, as the sync engine tells it (``sync.reading``): the origin
site of a cell and the certificates the root issued for a site.

Read-only: the engine owns that bookkeeping. A database the engine has never opened has none
of it, and every function then answers "unknown" rather than failing.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sync import reading


def cell_origin(conn: sqlite3.Connection, table: str, row_id: str, column: str) -> str | None:
    """The site whose write of `table`.`column` for `row_id` stands on this copy."""
    return reading.cell_origin(conn, table, row_id, column)


def local_site(conn: sqlite3.Connection) -> str | None:
    """This laptop's site id, once the engine has been opened on the database."""
    return reading.local_site(conn)


def site_certificates(conn: sqlite3.Connection, site: str) -> list[dict[str, Any]]:
    """The certificates held for `site`, newest first (key, issued, signed body)."""
    certs = sorted(reading.certificates(conn, site), key=lambda c: c.issued, reverse=True)
    return [{"key": c.key, "issued": c.issued, "body": c.body, "sig": c.sig} for c in certs]


def revoked_keys(conn: sqlite3.Connection) -> set[bytes]:
    return reading.revoked_keys(conn)


def reports_with_code(conn: sqlite3.Connection, code: str) -> list[str]:
    """Ids of the reports issued with this verification code."""
    cursor = conn.execute("SELECT id FROM reports WHERE content_code = ? ORDER BY rowid", (code,))
    return [str(r[0]) for r in cursor]
