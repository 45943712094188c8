"""Back the database up to one file and restore it from one, with SQLite's online backup API.

Never a raw file copy: the live database is in WAL mode, so its main file alone may be stale or
torn. A restore first proves the file is a readable cchc database, then copies it in one step.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cchc.domain.errors import InvalidInput
from cchc.domain.status import ZONE
from cchc.services.workspace import Workspace
from cchc.store.migrate import available, migrate

_REQUIRED_TABLES = {"schema_migrations", "plan", "units", "tasks", "history", "local_settings"}


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds."""

    path: Path
    size: int
    tasks: int
    plan_number: str


def default_backup_name(ws: Workspace) -> str:
    # the island's date and time, as the officer reads it on the clock (not UTC)
    stamp = ws.now().astimezone(ZONE).strftime("%Y%m%d-%H%M%S")
    return f"cchc-sao-luu-{stamp}.sqlite"


def backup_to(ws: Workspace, target: Path) -> BackupInfo:
    """Write a consistent copy of the live database to `target` (atomically: temp name, rename)."""
    target = Path(target)
    if target.resolve() == ws.path.resolve():
        raise InvalidInput("backup_onto_live", value=str(target))
    if target.is_dir():
        raise InvalidInput("backup_target_is_folder", value=str(target))
    tmp = target.with_name(f".{target.name}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        dest = sqlite3.connect(str(tmp))
        try:
            ws.db.conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInput("file_unwritable", value=str(target), errno=exc.errno) from exc
    return inspect_backup(target)


def inspect_backup(source: Path) -> BackupInfo:
    """Prove `source` is an intact cchc database this app can read; say what it holds."""
    source = Path(source)
    if not source.is_file():
        raise InvalidInput("file_missing", value=str(source))
    try:
        conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InvalidInput("backup_unreadable", value=source.name, reason=str(exc)) from exc
    try:
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        except sqlite3.DatabaseError as exc:
            raise InvalidInput("backup_unreadable", value=source.name, reason=str(exc)) from exc
        if not check or check[0] != "ok":
            raise InvalidInput("backup_unreadable", value=source.name, reason=str(check))
        if not _REQUIRED_TABLES.issubset(tables):
            raise InvalidInput("backup_not_cchc", value=source.name)
        known = {m.version for m in available()}
        versions = {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations")}
        if not versions <= known:
            raise InvalidInput("backup_newer", value=source.name, version=max(versions - known))
        plan = conn.execute("SELECT number FROM plan").fetchone()
        if plan is None:
            raise InvalidInput("backup_not_cchc", value=source.name)
        tasks = int(conn.execute("SELECT count(*) FROM tasks").fetchone()[0])
    finally:
        conn.close()
    return BackupInfo(
        path=source, size=source.stat().st_size, tasks=tasks, plan_number=str(plan[0])
    )


def restore_from(ws: Workspace, source: Path) -> BackupInfo:
    """Replace the live database with the backup at `source`; a bad file changes nothing."""
    info = inspect_backup(source)
    if Path(source).resolve() == ws.path.resolve():
        raise InvalidInput("backup_onto_live", value=str(source))
    src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    try:
        src.backup(ws.db.conn)
    finally:
        src.close()
    with contextlib.suppress(sqlite3.OperationalError):
        ws.db.conn.execute("PRAGMA journal_mode = WAL")
    migrate(ws.db)
    # The restored file may carry another sync state: build the engine and the guard anew.
    from cchc.services.exchange import install_capture

    ws.forget_engine()
    install_capture(ws)
    return info
