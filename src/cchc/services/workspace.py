"""A workspace: one database file, its attachments folder, and the clock the rules use."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from cchc.domain.errors import CchcError
from cchc.domain.status import local_today
from cchc.services.plan import ensure_plan_loaded
from cchc.store.db import open_db
from cchc.store.migrate import migrate
from cchc.store.plan_files import install_materialiser

if TYPE_CHECKING:
    from sync import Engine

Clock = Callable[[], dt.datetime]


ENV_NOW = "CCHC_NOW"


def _utc_now() -> dt.datetime:
    """The real time, or the moment CCHC_NOW names (ISO 8601 with offset: tests and training)."""
    fixed = os.environ.get(ENV_NOW)
    if fixed:
        moment = dt.datetime.fromisoformat(fixed)
        if moment.tzinfo is None:
            raise ValueError(f"{ENV_NOW} must carry a UTC offset, got {fixed!r}")
        return moment
    return dt.datetime.now(dt.UTC)


def _unreadable(path: Path, err: sqlite3.DatabaseError) -> CchcError:
    return CchcError("db_unreadable", value=str(path), reason=str(err))


@dataclass
class Workspace:
    """The database at `path` with everything beside it; open it with `Workspace.open`."""

    path: Path
    db: sqlite_utils.Database
    clock: Clock = field(default=_utc_now)
    #: The sync engine on this database, built once (`cchc.services.exchange.open_engine`).
    engine: Engine | None = field(default=None, repr=False, compare=False)

    @classmethod
    def open(cls, path: Path, clock: Clock | None = None, *, load_plan: bool = True) -> Workspace:
        """Open (creating and migrating if needed) and make sure the plan is loaded.

        A file that is not a readable SQLite database raises CchcError("db_unreadable").
        """
        try:
            ws = cls(path=Path(path), db=open_db(Path(path)), clock=clock or _utc_now)
        except sqlite3.DatabaseError as err:
            raise _unreadable(path, err) from err
        try:
            migrate(ws.db)
            if load_plan:
                # The sync engine (services.exchange) captures every write to the tracked tables
                # from the first open on; the plan, identical on every laptop, is not sent.
                from cchc.services.exchange import capture_suppressed, install_capture

                with capture_suppressed(ws):
                    ensure_plan_loaded(ws)
                install_capture(ws)
                install_materialiser(ws.db.conn)  # published plans: needs the engine's tables
        except sqlite3.DatabaseError as err:
            ws.close()
            text = str(err)
            if "locked" in text or "busy" in text or "full" in text:
                raise
            raise _unreadable(path, err) from err
        except BaseException:
            ws.close()
            raise
        return ws

    @property
    def attachments_dir(self) -> Path:
        """Evidence files of this database only: `<db file>.attachments/<sha256>`."""
        return self.path.with_name(self.path.name + ".attachments")

    def now(self) -> dt.datetime:
        return self.clock()

    def now_iso(self) -> str:
        return self.clock().astimezone(dt.UTC).isoformat(timespec="seconds")

    def today(self) -> dt.date:
        """Today in Asia/Ho_Chi_Minh."""
        return local_today(self.clock())

    def setting(self, key: str) -> str | None:
        row = self.db.conn.execute(
            "SELECT value FROM local_settings WHERE key = ?", (key,)
        ).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        self.db.conn.execute(
            "INSERT INTO local_settings (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def forget_engine(self) -> None:
        """Drop the kept sync engine (after the database's content was replaced wholesale)."""
        self.engine = None

    def close(self) -> None:
        self.engine = None
        self.db.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
