"""Take back (SPEC.md, "Revocation" and "Forks"): undo what revoked keys signed after their
cutoff and what lies beyond a forked origin's freeze point, and drop the fork proofs a
revocation decides."""

from __future__ import annotations

from . import equivocation, history, rejudge
from .errors import FeedForked, TakenBack
from .results import ImportResult, Rejection
from .revocation import take_back
from .stage_seal import Sealing
from .trust import TrustView


class TakingBack(Sealing):
    """Takes back applied work that no longer stands here."""

    def _forget_revoked_proofs(self, view: TrustView) -> None:
        """Drop the kept fork proofs a revocation now decides (section 4a: segments of a
        revoked key are never a proof), as a copy that learned of the revocation first would
        have refused them: every copy ends with the same proofs, whatever the order."""
        for proof in equivocation.load(self.conn):
            if not _proof_stands(view, proof):
                equivocation.forget(self.conn, proof)

    def _take_back(
        self, view: TrustView, result: ImportResult, links: list[history.Link] | None = None
    ) -> None:
        """Undo what revoked keys signed after their cutoff, and what lies beyond a forked
        origin's freeze point, that this site had applied (capture off, in the import's
        transaction), so this copy ends where the others stand."""
        frozen = equivocation.freeze_points(self.conn)
        lost = rejudge.displaced_segments(self.conn, view.displaced)
        off = history.not_standing(self.conn, view, links or []) | lost
        done = take_back(self.conn, self._merger(), view, self.site_id, frozen, off)
        self._rewound.update(rejudge.after_take_back(self.conn, self._merger(view), done, off))
        for tb in done:
            if tb.held:
                result.held += tb.changes
                continue
            result.taken_back += tb.changes
            if (tb.origin, tb.first_seq) in lost:
                why = "was signed by a key that lost the site id to a key of higher rank"
                code = TakenBack.code
            elif (tb.origin, tb.first_seq) in off:
                why = (
                    "was signed by a key the root revoked and is not on the history the "
                    "revocation names"
                )
                code = TakenBack.code
            elif tb.last_seq > frozen.get(tb.origin, tb.last_seq):
                # logged by the fork's own code, so nobody reads it as a revocation
                why = (
                    f"site {tb.origin!r} signed two different histories; its feed stands only "
                    f"up to position {frozen[tb.origin]}"
                )
                code = FeedForked.code
            else:
                why = "was signed by a key the root revoked, after the revocation's cutoff"
                code = TakenBack.code
            result.rejections.append(
                Rejection(
                    tb.origin,
                    tb.first_seq,
                    tb.last_seq,
                    code,
                    f"segment {tb.origin}:{tb.first_seq}..{tb.last_seq}: {why}: its changes "
                    "were taken back",
                    changes=tb.changes,
                )
            )


def _proof_stands(view: TrustView, proof: equivocation.ForkProof) -> bool:
    """Whether a fork proof holds under the revocations known: as ``_check_proofs`` judges a
    received one, a segment a revocation covers or fixes is never part of a proof."""
    for seg in (proof.a, proof.b):
        rev = view.revoked.get(seg.signer)
        if rev is not None and (rev.fixes(seg.last_seq) or rev.covers(seg.last_seq)):
            return False
    return True
