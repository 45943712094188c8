"""The engine's state: its connection, keys, clock, tables tracked, and what it reads of its own
records (feed heads, the trust it holds, the `seen` vectors of stored segments). Every stage of
the engine (SPEC.md) builds on this class."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import equivocation
from . import hlc as hlcmod
from .authority import Rewound
from .capture import ADDED_COLUMNS, SCHEMA
from .errors import TrustError, UsageError
from .feeds import ZERO_HASH
from .merge import Policy, allow_all
from .signing import KeyDir, SigningKey
from .trust import Certificate, Revocation, Signer, TrustView

#: An import of at least this many changes gets a page cache of ``BULK_CACHE_KIB`` while it runs.
BULK_CHANGES = 20_000
BULK_CACHE_KIB = 64 * 1024


class EngineState:
    """Sync engine bound to one SQLite connection (autocommit) and one key directory."""

    def __init__(self, conn: sqlite3.Connection, key_dir: Path | str) -> None:
        if conn.isolation_level is not None:
            conn.isolation_level = None
        self.conn = conn
        self.keys = KeyDir(Path(key_dir))
        self.policy: Policy = allow_all
        #: fork proofs found while applying the current import (section 4a)
        self._found_forks: list[equivocation.ForkProof] = []
        #: segments rewound to be judged again by the next apply pass (``rejudge``)
        self._rewound: dict[tuple[str, int], Rewound] = {}
        self.authority: Callable[[Signer], int] | None = None
        with self._tx():
            for stmt in SCHEMA.split(";"):
                if stmt.strip():
                    conn.execute(stmt)
            equivocation.ensure_schema(conn)
            for table, column, declaration in ADDED_COLUMNS:
                have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
                if column not in have:
                    conn.execute(f"ALTER TABLE {table} ADD COLUMN {declaration}")
            row = conn.execute("SELECT site_id FROM _sync_state WHERE id = 1").fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO _sync_state (id, site_id, hlc, head) VALUES (1, ?, ?, ?)",
                    (uuid.uuid4().hex, hlcmod.now(), ZERO_HASH),
                )
        self.site_id: str = conn.execute("SELECT site_id FROM _sync_state").fetchone()[0]
        key = self.keys.signing_key(create=True)
        assert key is not None
        self.key: SigningKey = key
        enc = self.keys.encryption_key(create=True)
        assert enc is not None
        self.enc_key = enc
        self._tracked: dict[str, tuple[str, list[str]]] = {}
        self._trigger_version: dict[str, int] = {}
        self._judged: dict[str, tuple[str, ...]] = {}
        for tbl, pk, cols, version, judged in conn.execute(
            "SELECT tbl, pk, columns, version, judged FROM _sync_tracked"
        ):
            self._tracked[tbl] = (pk, json.loads(cols))
            self._trigger_version[tbl] = version
            self._judged[tbl] = tuple(json.loads(judged))

    @contextmanager
    def _tx(self) -> Iterator[None]:
        if self.conn.in_transaction:
            raise UsageError("the sync engine needs to open its own transaction")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def _page_cache_for(self, changes: int) -> Iterator[None]:
        """A page cache large enough that a large import's writes stay in memory until its
        commit, instead of spilling dirty pages to the journal mid-transaction and writing
        them again (SQLite's default cache is 2 MiB); the connection's own size comes back
        after. Small imports leave it as it is."""
        if changes < BULK_CHANGES:
            yield
            return
        was = int(self.conn.execute("PRAGMA cache_size").fetchone()[0])
        have_kib = (
            -was
            if was < 0
            else was * int(self.conn.execute("PRAGMA page_size").fetchone()[0]) // 1024
        )
        if have_kib >= BULK_CACHE_KIB:
            yield
            return
        self.conn.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {was}")

    def _hlc(self) -> int:
        return int(self.conn.execute("SELECT hlc FROM _sync_state").fetchone()[0])

    def _tick(self) -> int:
        h = hlcmod.tick(self._hlc())
        self.conn.execute("UPDATE _sync_state SET hlc = ?", (h,))
        return h

    def _frontiers(self) -> dict[str, tuple[int, int, bytes]]:
        return {
            o: (s, h, head)
            for o, s, h, head in self.conn.execute(
                "SELECT origin, applied_seq, applied_hlc, head FROM _sync_feeds"
            )
        }

    def _seen_vector(self) -> dict[str, int]:
        return {o: h for o, (_s, h, _head) in self._frontiers().items() if o != self.site_id}

    def vector(self) -> dict[str, int]:
        """Highest contiguous sequence applied here, per origin (this site's acknowledgement)."""
        return {o: s for o, (s, _h, _head) in self._frontiers().items()}

    def _trust(self) -> TrustView:
        row = self.conn.execute("SELECT public_key FROM _sync_root").fetchone()
        certs = [
            Certificate.parse(b, s)
            for b, s in self.conn.execute("SELECT body, sig FROM _sync_certs")
        ]
        revs = [
            Revocation.parse(b, s)
            for b, s in self.conn.execute("SELECT body, sig FROM _sync_revocations")
        ]
        return TrustView(row[0] if row else None, certs, revs, max_issued=hlcmod.bound())

    def my_signer(self) -> Signer | None:
        try:
            return self._trust().signer(self.key.public, self.site_id)
        except TrustError:
            return None

    def signer_of(self, site_id: str, public_key: bytes) -> Signer:
        """Who ``public_key`` is, certified for ``site_id``; raise a TrustError if it is not."""
        return self._trust().signer(public_key, site_id)

    def _seen_lookup(self) -> Any:
        cache: dict[tuple[str, int], dict[str, int]] = {}

        def seen_of(origin: str, h: int) -> dict[str, int]:
            k = (origin, h)
            if k not in cache:
                row = self.conn.execute(
                    "SELECT seen FROM _sync_segments WHERE origin = ? AND last_hlc >= ? "
                    "AND first_hlc <= ? ORDER BY first_seq LIMIT 1",
                    (origin, h, h),
                ).fetchone()
                cache[k] = json.loads(row[0]) if row else {}
            return cache[k]

        return seen_of
