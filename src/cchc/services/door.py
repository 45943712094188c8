"""The one door to the services: every entry point (the command line, each window or browser tab,
the city's hub) opens the database here, once, and reaches the use cases through it.

A `Door` holds one `Workspace` (the database, its attachments, the clock) and builds the sync
engine on it once, on first use (`cchc.services.exchange.open_engine` keeps it on the workspace),
so neither is rebuilt on every call. Calls through `Door.call` run one at a time.

`FAILURES` are the errors a use case may raise that an entry point translates for its user with
`cchc.texts.errors.describe`; the entry points catch them from here rather than importing the
store's or the sync engine's internals.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cchc.domain.errors import CchcError
from cchc.services.workspace import Clock, Workspace
from sync.errors import SyncError
from sync.transport import TransportError

if TYPE_CHECKING:
    from sync import Engine

T = TypeVar("T")

#: What a use case may fail with, each translated by `cchc.texts.errors.describe`.
FAILURES: tuple[type[BaseException], ...] = (
    CchcError,
    SyncError,
    TransportError,
    sqlite3.Error,
    OSError,
)

#: Engine refusals that mean the user asked for the wrong thing, not that something failed.
_USAGE_CODES = {"not_root", "unknown_site", "unknown_conflict", "usage"}


def users_to_fix(err: BaseException) -> bool:
    """Whether a failure lies in what the user gave (a value, a file that is not a database, a
    request the engine cannot do here) rather than in the world (a busy database, a full disk,
    a dropped link)."""
    if isinstance(err, CchcError):
        return err.key not in {"db_locked", "disk_full"}
    if getattr(err, "code", None) in _USAGE_CODES:
        return True
    return isinstance(err, sqlite3.DatabaseError) and not isinstance(err, sqlite3.OperationalError)


class Door:
    """One database opened for one entry point; close it when the entry point ends."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._lock = threading.RLock()

    @classmethod
    def open(cls, db_path: Path, *, clock: Clock | None = None, load_plan: bool = True) -> Door:
        """Open (creating, migrating and loading the plan if needed) the database at `db_path`.

        A file that is not a readable database raises CchcError("db_unreadable")."""
        return cls(Workspace.open(Path(db_path), clock, load_plan=load_plan))

    @property
    def workspace(self) -> Workspace:
        return self._ws

    @property
    def path(self) -> Path:
        return self._ws.path

    @property
    def attachments_dir(self) -> Path:
        return self._ws.attachments_dir

    def engine(self) -> Engine:
        """The sync engine on this database, built on first use and kept."""
        from cchc.services.exchange import open_engine

        with self._lock:
            return open_engine(self._ws)

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a use case `fn(workspace, *args, **kwargs)`, one call at a time."""
        with self._lock:
            return fn(self._ws, *args, **kwargs)

    def close(self) -> None:
        with self._lock:
            self._ws.close()

    def __enter__(self) -> Door:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
