"""Judge (SPEC.md, "Policy" and "Authority"): the app's policy and ranks, the merger that
applies their verdicts, and the verdict on this site's own changes before they are committed."""

from __future__ import annotations

import json
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from .encoding import Value
from .errors import TrustError
from .feeds import CODEC_ZLIB, TOMBSTONE, ZERO_HASH, Columns, Segment
from .merge import Merger, Policy, Refusal
from .stage_record import Recording
from .trust import Signer, TrustView


class Judging(Recording):
    """Who may write what: the policy, the authority ranks, and local judging."""

    def set_policy(self, policy: Policy) -> None:
        """Who may write what: called per incoming row with the signer's role and scope, and
        per row of this site's own changes before they are committed (``judge_local``)."""
        self.policy = policy

    def set_authority(self, rank: Callable[[Signer], int]) -> None:
        """How the app ranks writers (SPEC section 12): a change must also hold under every
        value of a judged column written by a writer of higher rank that its own writer had not
        seen, and a copy that applied it before learning of such a value takes it back."""
        self.authority = rank

    def _merger(self, view: TrustView | None = None) -> Merger:
        rank = self.authority
        rank_of = None
        if rank is not None:
            rank_of = self._rank_of(rank, view or self._trust())
        return Merger(
            self.conn,
            self._tracked,
            self.policy,
            self._seen_lookup(),
            self._hlc(),
            self._judged,
            rank,
            rank_of,
        )

    def _rank_of(self, rank: Callable[[Signer], int], view: TrustView) -> Callable[[str], int]:
        """A site's rank: the highest its standing certificates give it (-1 with none)."""
        cache: dict[str, int] = {}

        def rank_of(site: str) -> int:
            if site not in cache:
                found = -1
                for key in view.keys_of(site):
                    try:
                        found = max(found, rank(view.signer(key, site)))
                    except TrustError:
                        continue
                cache[site] = found
            return cache[site]

        return rank_of

    def pending_mark(self) -> int:
        """Where this site's captured changes end now; ``judge_local`` judges those after it."""
        return int(self.conn.execute("SELECT coalesce(max(n), 0) FROM _sync_pending").fetchone()[0])

    def judge_local(self, since: int, signer: Signer | None = None) -> list[Refusal]:
        """The policy's verdict on this site's changes captured after ``since``, judged exactly
        as every other copy will judge them on import (the row as it stood, the row as
        proposed, the same signer), so a site never records what the others refuse. Runs inside
        the caller's write transaction, before its commit; an empty list means all accepted.

        ``signer`` defaults to this site's certificate; with none (not certified yet) the app
        passes the role and scope it expects to be certified with.
        """
        signer = signer or self.my_signer()
        if signer is None:
            return []
        rows = self.conn.execute(
            "SELECT n, hlc, tbl, row_id, col, value, old FROM _sync_pending WHERE n > ? ORDER BY n",
            (since,),
        ).fetchall()
        if not rows:
            return []
        before: dict[tuple[str, str], dict[str, Any] | None] = {}
        first_col: set[tuple[str, str, str]] = set()
        for _n, _h, tbl, row_id, col, value, old in rows:
            key = (tbl, row_id)
            if key not in before:
                before[key] = self._row_before(tbl, row_id, col, value, old)
            stood = before[key]
            if stood is not None and col != TOMBSTONE and (tbl, row_id, col) not in first_col:
                stood[col] = old
            first_col.add((tbl, row_id, col))
        seg = _local_segment(self.site_id, rows)
        merger = self._merger()
        return merger.judge_only(seg, signer, before)

    def _row_before(
        self, table: str, row_id: str, first_col: str, first_value: Value, old: Value
    ) -> dict[str, Any] | None:
        """The row as it stood before this transaction's first change to it: None for a row
        this transaction inserted; for a deleted row, the values its tombstone kept."""
        if first_col == TOMBSTONE and first_value == 0:
            return None
        if table not in self._tracked:
            return None
        pk, _cols = self._tracked[table]
        if first_col == TOMBSTONE:  # deleted here: the trigger kept its last values
            kept = json.loads(old) if isinstance(old, str) else None
            return kept if isinstance(kept, dict) else None
        cur = self.conn.execute(f'SELECT * FROM "{table}" WHERE "{pk}" = ?', (row_id,))
        names = [d[0] for d in cur.description]
        found = cur.fetchone()
        return dict(zip(names, found, strict=True)) if found else None


def _local_segment(site_id: str, rows: list[tuple[Any, ...]]) -> Segment:
    """This site's uncommitted changes shaped as a segment, for the policy (never signed)."""
    cols = Columns(*(list(map(itemgetter(k), rows)) for k in range(1, 6)))
    return Segment(
        origin=site_id,
        signer=b"",
        first_seq=1,
        last_seq=len(rows),
        prev_hash=ZERO_HASH,
        head=ZERO_HASH,
        seen={},
        codec=CODEC_ZLIB,
        raw_len=0,
        body=b"",
        sig=b"",
        _columns=cols,
    )
