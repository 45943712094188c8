"""Order (SPEC.md, "Causal order"): apply every segment that is ready in causal order, each
judged and merged (`merge.py`), and hold the rest within the bounds of what waits."""

from __future__ import annotations

import json
import sqlite3

from . import equivocation
from . import hlc as hlcmod
from .authority import Rewound, record_reads, rewind_concurrent
from .errors import (
    ChainBroken,
    ClockAhead,
    FeedForked,
    HeldLimit,
    Overruled,
    SeenBackwards,
    TrustError,
)
from .feeds import ZERO_HASH, Segment
from .limits import MAX_HELD_BYTES, MAX_HELD_SEGMENTS
from .merge import Refusal
from .results import ImportResult, Rejection
from .stage_verify import Verifying
from .trust import Signer, TrustView


class Ordering(Verifying):
    """Applies ready segments in causal order; holds the rest."""

    def _apply_ready(
        self, fresh: list[tuple[Segment, Signer]], view: TrustView, result: ImportResult
    ) -> int:
        """Apply every segment that is ready, in causal order; hold the rest.

        A segment is ready when it continues its origin's feed, its clocks are within this
        site's bound, and every change its writer had seen (its ``seen`` vector) is applied
        here: so each change is judged after what its writer knew, whatever the order of
        delivery or the site ids. Segments held earlier are tried again at every import.
        """
        pending: dict[str, dict[int, tuple[Segment, Signer | None]]] = {}
        for seg, signer in fresh:
            pending.setdefault(seg.origin, {})[seg.first_seq] = (seg, signer)
        fresh_keys = {(s.origin, s.first_seq) for s, _ in fresh}
        for origin, blob in self.conn.execute(
            "SELECT origin, blob FROM _sync_segments WHERE state = 'held'"
        ).fetchall():
            held = Segment.decode(blob)
            pending.setdefault(origin, {}).setdefault(held.first_seq, (held, None))
        frontiers = self._frontiers()
        revoked_cutoffs = _revoked_cutoffs(view)
        cutoffs = dict(revoked_cutoffs)
        frozen = equivocation.freeze_points(self.conn)
        self._found_forks = []
        bound = hlcmod.bound()
        merger = self._merger(view)
        rank_of = merger.rank_of
        # segments rewound by an authority change they had not seen, applied again below
        again, self._rewound = self._rewound, {}
        handled: set[tuple[tuple[str, int], tuple[str, int]]] = set()
        skip = set() if self.my_signer() is not None else {self.site_id}
        max_hlc = 0
        progress = True
        while progress:
            progress = False
            for origin in sorted(pending):
                queue = pending[origin]
                while True:
                    seq, _h, head = frontiers.get(origin, (0, 0, ZERO_HASH))
                    item = queue.get(seq + 1)
                    if item is None:
                        break
                    seg, maybe_signer = item
                    n = seg.last_seq - seg.first_seq + 1
                    is_fresh = (seg.origin, seg.first_seq) in fresh_keys
                    if seg.prev_hash != head:
                        queue.pop(seq + 1)
                        self._drop_held(seg, is_fresh)
                        proof = None
                        try:
                            view.signer(seg.signer, seg.origin, seg.last_seq)
                            proof = equivocation.find(self.conn, seg)
                        except TrustError:
                            pass
                        if proof is not None:
                            self._found_forks.append(proof)
                            self._reject(result, seg, FeedForked.code, proof.describe(), n)
                            break
                        self._reject(
                            result,
                            seg,
                            ChainBroken.code,
                            f"segment {origin}:{seg.first_seq}..{seg.last_seq} does not follow "
                            f"the feed head {head.hex()[:16]}…",
                            n,
                        )
                        break
                    if maybe_signer is None:
                        try:
                            signer = view.signer(seg.signer, seg.origin, seg.last_seq)
                        except TrustError as exc:
                            queue.pop(seq + 1)
                            self._drop_held(seg, is_fresh)
                            self._reject(result, seg, exc.code, str(exc), n)
                            break
                    else:
                        signer = maybe_signer
                    # clocks at the type's limit are refused row by row when it applies
                    hlcs = seg.columns().hlcs
                    newest = max(hlcs, default=0)
                    if newest >= hlcmod.LIMIT:
                        newest = max((h for h in hlcs if h < hlcmod.LIMIT), default=0)
                    if newest > bound:
                        result.clock_ahead_ms = max(
                            result.clock_ahead_ms, hlcmod.to_millis(newest - bound)
                        )
                        result.notes.append(
                            Rejection(
                                origin,
                                seg.first_seq,
                                seg.last_seq,
                                ClockAhead.code,
                                f"segment {origin}:{seg.first_seq}..{seg.last_seq} is dated "
                                f"{hlcmod.format_hlc(newest)}, more than "
                                f"{hlcmod.MAX_SKEW_MS // 60000} minutes after this site's "
                                "clock; held until this site's clock reaches it",
                                changes=n,
                            )
                        )
                        break
                    for o, at in frozen.items():
                        # nobody waits for a forked origin beyond its freeze point, nor for a
                        # part of it below that cannot apply here now (section 4a)
                        fseq = frontiers.get(o, (0, 0, ZERO_HASH))[0]
                        nxt = pending.get(o, {}).get(fseq + 1)
                        ready = nxt is not None and nxt[0].last_seq <= at
                        cutoffs[o] = min(revoked_cutoffs.get(o, at), at) if ready else 0
                    if _waits_for(seg, frontiers, cutoffs):
                        break  # its writer had seen changes not applied here yet
                    queue.pop(seq + 1)
                    self._store_segment(seg, "applied")
                    outcome = merger.apply(seg, signer, _seen_backwards(self.conn, seg, cutoffs))
                    self._advance(seg)
                    frontiers[origin] = (seg.last_seq, seg.last_hlc, seg.head)
                    progress = True
                    max_hlc = max(max_hlc, outcome.max_hlc)
                    redo = again.pop((seg.origin, seg.first_seq), None)
                    if redo is None:
                        result.applied += outcome.applied
                        result.conflicts += outcome.conflicts
                        result.segments_applied += 1
                        result.rejected += outcome.refused_changes
                    _report(result, seg, outcome.refused, redo)
                    if self.authority is None or rank_of is None:
                        continue
                    record_reads(self.conn, seg, outcome.reads)
                    if not outcome.authority_rows:
                        continue
                    refused_now = {
                        (r.origin, r.first_seq, r.table, r.row_id)
                        for r in result.rejections
                        if r.table is not None and r.row_id is not None
                    }
                    for back in rewind_concurrent(
                        self.conn,
                        merger,
                        seg,
                        self.authority(signer),
                        outcome.authority_rows,
                        rank_of,
                        self.site_id,
                        skip,
                        refused_now,
                        handled,
                    ):
                        s = back.segment
                        pending.setdefault(s.origin, {})[s.first_seq] = (s, None)
                        again[(s.origin, s.first_seq)] = back
                        frontiers = self._frontiers()
        for origin, queue in pending.items():
            kept, size = 0, 0
            for first in sorted(queue):
                seg, _signer = queue[first]
                n = seg.last_seq - seg.first_seq + 1
                is_fresh = (origin, seg.first_seq) in fresh_keys
                blob = len(seg.encode())
                # the earliest wait, within the origin's bounds; the first one always may
                if kept and (kept >= MAX_HELD_SEGMENTS or size + blob > MAX_HELD_BYTES):
                    self._drop_held(seg, is_fresh)
                    self._reject(
                        result,
                        seg,
                        HeldLimit.code,
                        f"segment {origin}:{seg.first_seq}..{seg.last_seq} cannot apply here yet "
                        f"and site {origin!r} already has {kept} segments ({size} bytes) "
                        f"waiting here, the most a copy keeps ({MAX_HELD_SEGMENTS} segments, "
                        f"{MAX_HELD_BYTES} bytes); it will be taken when the gap fills",
                        n,
                    )
                    continue
                kept, size = kept + 1, size + blob
                if is_fresh:
                    self._store_segment(seg, "held")
                    result.held += n
        return max_hlc


def _waits_for(
    seg: Segment, frontiers: dict[str, tuple[int, int, bytes]], cutoffs: dict[str, int]
) -> bool:
    """Whether the segment's writer had seen changes of another origin not applied here yet.

    A ``seen`` clock after the segment's own first change cannot be true (a site's clock passes
    every clock it receives); such claims are ignored, so a forged vector cannot hold a feed.
    Nobody waits for a revoked site beyond its cutoff: nothing after it applies anywhere.
    """
    first = seg.first_hlc
    return any(
        frontiers.get(o, (0, 0, b""))[1] < h
        and frontiers.get(o, (0, 0, b""))[0] < cutoffs.get(o, hlcmod.LIMIT)
        for o, h in seg.seen.items()
        if o != seg.origin and isinstance(h, int) and h <= first
    )


def _seen_backwards(
    conn: sqlite3.Connection, seg: Segment, cutoffs: dict[str, int]
) -> tuple[str, str] | None:
    """Why every row of ``seg`` is refused when its ``seen`` claims less of some origin than
    the segment before it in the same feed (a writer's view never goes back; SPEC section 12);
    None when it does not. Revoked sites, whose work may be taken back, are not compared."""
    if seg.first_seq <= 1:
        return None
    row = conn.execute(
        "SELECT seen FROM _sync_segments WHERE origin = ? AND last_seq = ? AND state = 'applied'",
        (seg.origin, seg.first_seq - 1),
    ).fetchone()
    if row is None:
        return None
    before = json.loads(row[0])
    back = sorted(
        o
        for o, h in before.items()
        if o not in cutoffs and isinstance(h, int) and h > seg.seen.get(o, 0)
    )
    if not back:
        return None
    return (
        SeenBackwards.code,
        f"segment {seg.origin}:{seg.first_seq}..{seg.last_seq} claims to have seen less of "
        f"site {back[0]!r} than the segment before it in the same feed: a writer's view never "
        "goes back, so none of its changes apply",
    )


def _report(
    result: ImportResult, seg: Segment, refused: list[Refusal], redo: Rewound | None
) -> None:
    """Add a segment's refusals to the result. A segment applied again after an authority
    change it had not seen replaces what it reported before; a row of it refused now that
    stood before is reported as overruled (taken back), with the policy's reason."""
    if redo is not None:
        result.rejections[:] = [
            r
            for r in result.rejections
            if not (r.origin == seg.origin and r.first_seq == seg.first_seq and r.row_id)
        ]
    per_row: dict[tuple[str, str], int] = {}
    if redo is not None and refused:
        _h, tables, row_ids, _c, _v = seg.columns()
        for k in zip(tables, row_ids, strict=True):
            per_row[k] = per_row.get(k, 0) + 1
    for ref in refused:
        code = ref.code
        n = 0
        key = (str(ref.table), str(ref.row_id))
        if redo is not None and key not in redo.refused_before:
            code = Overruled.code
            n = per_row.get(key, 0)
            result.taken_back += n
        result.rejections.append(
            Rejection(
                ref.origin,
                ref.first_seq,
                ref.last_seq,
                code,
                ref.reason,
                ref.table,
                ref.row_id,
                changes=n,
            )  # fmt: skip
        )


def _revoked_cutoffs(view: TrustView) -> dict[str, int]:
    """Sites whose every certified key is revoked, with the last sequence of their feed that
    can still apply anywhere (the highest cutoff of their keys' revocations)."""
    alive = {c.site for c in view.certs.values() if c.key not in view.revoked}
    cutoffs: dict[str, int] = {}
    for r in view.revoked.values():
        if r.site not in alive:
            cutoffs[r.site] = max(cutoffs.get(r.site, 0), r.upto)
    return cutoffs
