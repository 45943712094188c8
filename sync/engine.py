"""The engine: the small API an app calls (SPEC.md sections "Export" and "Import").

engine = Engine(conn, key_dir)
engine.track(TableSpec("tasks"))
data = engine.export_bundle(peer_site_id)      # bytes, for any carrier
result = other.import_bundle(data)             # ImportResult, or raises SyncError

``Engine`` is a thin facade over the stages of SPEC.md, one module each, every one building on
the ones before it: ``engine_state`` (connection, keys, clock, what it reads of its records),
``stage_record`` (what it writes), ``stage_judge`` (policy, authority, local judging),
``stage_seal`` (capture and sealing), ``stage_take_back``, ``trust_ops`` (beside ``trust.py``),
``stage_export``, ``stage_verify``, ``stage_order`` (causal order, then ``merge.py``), and
``stage_report`` (conflicts, refusals, status). The app reads the rest through ``reading``. ``import_bundle`` below runs them in order.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from . import equivocation, rejudge, waiting
from . import hlc as hlcmod
from .capture import TableSpec
from .errors import SyncError
from .feeds import TOMBSTONE
from .merge import Merger
from .results import Conflict, ImportResult, Rejection
from .stage_report import Reporting
from .stage_seal import SEAL_MAX_BYTES, SEAL_MAX_ENTRIES

# importable from here, where they were defined before the stages were split out
from .trust_ops import TRUST_MAGIC as TRUST_MAGIC
from .trust_ops import trust_digest as trust_digest


class Engine(Reporting):
    """Sync engine bound to one SQLite connection (autocommit) and one key directory."""

    def _seal_limits(self) -> tuple[int, int]:
        # read here at each seal, so setting ``sync.engine.SEAL_MAX_*`` (as a test does) holds
        return SEAL_MAX_ENTRIES, SEAL_MAX_BYTES

    def import_bundle(self, data: bytes) -> ImportResult:
        """Verify everything, then apply in one transaction; raise SyncError and apply nothing
        if the bundle itself is bad. Segments from untrusted or revoked signers and changes the
        policy refuses are counted as rejected, with reasons, and logged."""
        v = self._verify(data)
        bundle, view, result, proofs, fresh, links = (
            v.bundle,
            v.view,
            v.result,
            v.proofs,
            v.fresh,
            v.links,
        )
        new_certs, new_revs = v.new_certs, v.new_revs

        changes = sum(s.last_seq - s.first_seq + 1 for s, _signer in fresh)
        with self._page_cache_for(changes), self._tx():
            behind = self._behind()
            if behind is None:
                self._seal_pending()
            self._rewound = {}  # none left from an import that failed
            roles = rejudge.role_changes(self.conn, new_certs)
            for c in new_certs:
                self._store_cert(c)
            for r in new_revs:
                self._store_revocation(r)
            self.conn.execute("UPDATE _sync_state SET capture_off = capture_off + 1")
            self.conn.execute("PRAGMA defer_foreign_keys = ON")
            self._rewound.update(rejudge.after_role_change(self.conn, self._merger(view), roles))
            new_proofs = [p for p in proofs if equivocation.store(self.conn, p)]
            if new_revs or new_proofs or view.displaced:
                self._forget_revoked_proofs(view)
                self._take_back(view, result, links)
            max_hlc = self._apply_ready(fresh, view, result)
            if self._found_forks:
                # a fork found while applying: freeze, then apply what no longer waits for it
                for proof in self._found_forks:
                    equivocation.store(self.conn, proof)
                self._forget_revoked_proofs(view)
                self._take_back(view, result)
                max_hlc = max(max_hlc, self._apply_ready([], view, result))
                fresh_keys = [(s.origin, s.first_seq) for s, _ in fresh]
                result.held = sum(
                    r[1] - r[0] + 1
                    for k in fresh_keys
                    for r in self.conn.execute(
                        "SELECT first_seq, last_seq FROM _sync_segments WHERE origin = ? "
                        "AND first_seq = ? AND state = 'held'",
                        k,
                    )
                )
            Merger(
                self.conn, self._tracked, self.policy, self._seen_lookup(), self._hlc()
            ).settle_foreign_keys()
            parked_by = [(s.origin, s.first_seq) for s, _ in fresh]  # bounds on what waits
            waiting.bound_parked(
                self.conn, self._merger(view), view, self.site_id, parked_by, result
            )
            own = self._frontiers().get(self.site_id)
            if own is not None:  # this site's own segments, recovered from a peer
                self.conn.execute(
                    "UPDATE _sync_state SET last_seq = ?, head = ? WHERE last_seq < ?",
                    (own[0], own[2], own[0]),
                )
            if behind is not None and self._behind() is None:
                self._seal_pending()
            self.conn.execute("UPDATE _sync_state SET capture_off = capture_off - 1")
            self.conn.execute(
                "UPDATE _sync_state SET hlc = max(hlc, ?)", (hlcmod.receive(0, max_hlc),)
            )
            if bundle.trust_digest is not None:
                self.conn.execute(
                    "INSERT OR REPLACE INTO _sync_peer_trust (peer, digest) VALUES (?, ?)",
                    (bundle.sender, bundle.trust_digest),
                )
            # the peer's acknowledgements are its vector as it is now (section 9): an origin it
            # no longer names (a whole feed taken back) is acknowledged at 0 and sent again
            self.conn.execute("DELETE FROM _sync_peers WHERE peer = ?", (bundle.sender,))
            for origin, seq in bundle.acks.items():
                self.conn.execute(
                    "INSERT INTO _sync_peers (peer, origin, acked_seq) VALUES (?, ?, ?)",
                    (bundle.sender, origin, seq),
                )
            self._log(result.rejections)
        self._mark_feed()
        return result


def cells_snapshot(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """All winning cells (for tests comparing copies)."""
    return conn.execute(
        "SELECT tbl, row_id, col, value, hlc, origin FROM _sync_cells ORDER BY tbl, row_id, col"
    ).fetchall()


__all__ = [
    "Conflict",
    "Engine",
    "ImportResult",
    "Rejection",
    "SyncError",
    "TOMBSTONE",
    "TableSpec",
]
