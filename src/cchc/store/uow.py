"""One write transaction: BEGIN IMMEDIATE, then COMMIT, or ROLLBACK on any error.

A database may carry a commit guard (``set_commit_guard``): called when the transaction starts,
it returns a check that runs just before COMMIT and raises to refuse what was written. The sync
service sets one, so that this laptop's own changes are judged by the very rule every other copy
applies on import, and a change the others would refuse is never recorded here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlite_utils

#: Called at BEGIN; returns the check to run before COMMIT.
CommitGuard = Callable[[], Callable[[], None]]

_GUARD_ATTR = "_cchc_commit_guard"


def set_commit_guard(db: sqlite_utils.Database, guard: CommitGuard | None) -> None:
    """Judge every transaction on ``db`` with ``guard`` from now on (None: no guard)."""
    setattr(db, _GUARD_ATTR, guard)


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Take the write lock up front so two processes queue instead of failing to upgrade.

    Nested use joins the outer transaction; the outer one runs the commit guard.
    """
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    guard: CommitGuard | None = getattr(db, _GUARD_ATTR, None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        check = guard() if guard is not None else None
        yield db
        if check is not None:
            check()
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
