"""Open the app's SQLite file the one safe way: WAL, foreign keys on, a busy timeout."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

BUSY_TIMEOUT_MS = 30_000


#: On POSIX, what the app writes is the user's alone: files 0600, folders 0700. SQLite creates
#: the -wal and -shm files with the database file's own mode. (On Windows the user profile,
#: where the data folder lives, is already readable by its owner and administrators only.)
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
PRIVATE_UMASK = 0o077


def keep_private() -> None:
    """From now on, every file and folder this process creates is the user's alone (POSIX):
    attachments, backups, bundles, exports. Called by every door to the database."""
    if os.name == "posix":
        os.umask(PRIVATE_UMASK)


def _private_file(path: Path) -> None:
    """Create ``path`` (and its folder) readable by the user only; tighten one made before."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=PRIVATE_DIR, exist_ok=True)
    if os.name != "posix":
        return
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if each.exists() and each.stat().st_mode & 0o077:
                each.chmod(PRIVATE_FILE)
        except OSError:
            pass  # not ours to change (a shared copy opened read-only): leave it


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode: transactions are opened explicitly (see uow)."""
    keep_private()
    _private_file(path)
    conn = sqlite3.connect(
        str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def open_db(path: Path) -> sqlite_utils.Database:
    """The database at `path`, created if missing (its folder too)."""
    return sqlite_utils.Database(connect(path))
