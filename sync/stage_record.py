"""Record (SPEC.md, "Import"): what the engine writes of a segment, a feed head, a certificate or
a revocation, and the log of what was refused or taken back."""

from __future__ import annotations

from .engine_state import EngineState
from .feeds import Segment
from .merge import seen_json
from .results import ImportResult, Rejection
from .trust import Certificate, Revocation


class Recording(EngineState):
    """Writes of the engine's own records, in the open transaction."""

    def _store_segment(self, seg: Segment, state: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO _sync_segments (origin, first_seq, last_seq, first_hlc, "
            "last_hlc, signer, head, prev, seen, state, blob) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                seg.origin,
                seg.first_seq,
                seg.last_seq,
                seg.first_hlc,
                seg.last_hlc,
                seg.signer,
                seg.head,
                seg.prev_hash,
                seen_json(seg.seen),
                state,
                seg.encode(),
            ),
        )

    def _advance(self, seg: Segment) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO _sync_feeds (origin, applied_seq, applied_hlc, head) "
            "VALUES (?, ?, ?, ?)",
            (seg.origin, seg.last_seq, seg.last_hlc, seg.head),
        )

    def _store_cert(self, cert: Certificate) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO _sync_certs (key, site, issued, body, sig) VALUES (?,?,?,?,?)",
            (cert.key, cert.site, cert.issued, cert.body, cert.sig),
        )

    def _store_revocation(self, rev: Revocation) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO _sync_revocations (key, body, sig) VALUES (?, ?, ?)",
            (rev.key, rev.body, rev.sig),
        )

    def _log(self, rejections: list[Rejection]) -> None:
        """Keep what was refused or taken back, with why (``rejections()``), in the open tx."""
        for rj in rejections:
            self.conn.execute(
                "INSERT INTO _sync_rejections (at_hlc, origin, first_seq, last_seq, tbl, "
                "row_id, code, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self._hlc(),
                    rj.origin,
                    rj.first_seq,
                    rj.last_seq,
                    rj.table,
                    rj.row_id,
                    rj.code,
                    rj.reason,
                ),
            )

    def _reject(self, result: ImportResult, seg: Segment, code: str, reason: str, n: int) -> None:
        result.rejected += n
        result.rejections.append(
            Rejection(seg.origin, seg.first_seq, seg.last_seq, code, reason, changes=n)
        )

    def _drop_held(self, seg: Segment, is_fresh: bool) -> None:
        if not is_fresh:
            self.conn.execute(
                "DELETE FROM _sync_segments WHERE origin = ? AND first_seq = ?",
                (seg.origin, seg.first_seq),
            )
