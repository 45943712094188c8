"""Apply the numbered SQL files of db/migrations/ in order, each once, each in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from cchc.paths import resource

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


class MigrationError(Exception):
    """A migration file is misnamed, duplicated, or changed after it was applied."""


def available(folder: Path | None = None) -> list[Migration]:
    """The migrations shipped with the app, in order."""
    folder = folder or resource("db/migrations")
    found: list[Migration] = []
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"migration file name {path.name!r} is not NNNN_name.sql")
        found.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"two migrations share a number: {versions}")
    return found


def applied(db: sqlite_utils.Database) -> dict[int, str]:
    """Version → checksum of every migration already applied."""
    db.conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)"
    )
    rows = db.conn.execute("SELECT version, checksum FROM schema_migrations").fetchall()
    return {int(v): str(c) for v, c in rows}


def migrate(db: sqlite_utils.Database, folder: Path | None = None) -> list[int]:
    """Apply what is missing; return the versions applied now (empty when up to date)."""
    done = applied(db)
    now: list[int] = []
    for migration in available(folder):
        if migration.version in done:
            if done[migration.version] != migration.checksum:
                raise MigrationError(
                    f"migration {migration.version:04d}_{migration.name} changed after it was applied"
                )
            continue
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        # executescript runs the whole file; BEGIN IMMEDIATE … COMMIT makes it all-or-nothing,
        # and re-checking inside the lock lets two processes migrate the same file safely.
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            exists = db.conn.execute(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
            ).fetchone()
            if not exists:
                for statement in _statements(migration.sql):
                    db.conn.execute(statement)
                db.conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at)"
                    " VALUES (?, ?, ?, ?)",
                    (migration.version, migration.name, migration.checksum, stamp),
                )
                now.append(migration.version)
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")
    return now


def _statements(sql: str) -> list[str]:
    """Split a script into complete statements (trigger bodies included)."""
    out: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                out.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        out.append(buffer.strip())
    return out
