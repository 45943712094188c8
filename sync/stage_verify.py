"""Verify (SPEC.md, "Import", steps 1-3): decode and check a bundle, its trust and its fork
proofs, and sort its segments into duplicates, refusals and those that may apply."""

from __future__ import annotations

from dataclasses import dataclass

from . import equivocation, history
from .errors import CertificateRefused, FeedForked, SignerRevoked, SyncError, TrustError
from .feeds import Segment
from .format import Bundle, decode_bundle, verify_sender
from .results import ImportResult, Rejection
from .stage_export import Exporting
from .trust import Certificate, Revocation, Signer, TrustView


@dataclass
class Verified:
    """What a verified bundle brings: trust to add, fork proofs, the segments that may apply
    (with their signers), their links, and the result so far (duplicates and refusals)."""

    bundle: Bundle
    view: TrustView
    result: ImportResult
    new_certs: list[Certificate]
    new_revs: list[Revocation]
    proofs: list[equivocation.ForkProof]
    fresh: list[tuple[Segment, Signer]]
    links: list[history.Link]


class Verifying(Exporting):
    """Checks what a bundle brings before anything is written."""

    def _verify(self, data: bytes) -> Verified:
        """Decode and check the bundle (raise SyncError if it is bad), add its trust to a view,
        and sort its segments: duplicates, refusals (in the result), and those that may apply."""
        bundle, signed, sig = decode_bundle(data, decrypt_with=[self.enc_key, self.key.x25519()])
        view = self._trust()
        new_revs = [r for r in bundle.revocations if view.add_revocation(r)]
        new_certs, refused_certs = view.add_certs(bundle.certs)
        view.signer(bundle.sender_key, bundle.sender)
        verify_sender(bundle, signed, sig)
        result = ImportResult(sender=bundle.sender)
        for reason in refused_certs:
            result.rejections.append(
                Rejection(bundle.sender, 0, 0, CertificateRefused.code, reason)
            )

        known = {
            (o, f): head
            for o, f, head in self.conn.execute(
                "SELECT origin, first_seq, head FROM _sync_segments"
            )
        }
        frontiers = self._frontiers()
        proofs = self._check_proofs(bundle.forks, view, result)
        frozen = equivocation.freeze_points(self.conn)
        for proof in proofs:
            frozen[proof.origin] = min(frozen.get(proof.origin, proof.at_seq), proof.at_seq)
        fresh: list[tuple[Segment, Signer]] = []
        #: segments of a revoked key below its cutoff: they stand only on the named history
        fixed: list[tuple[Segment, Signer]] = []
        for seg in bundle.segments:
            n = seg.last_seq - seg.first_seq + 1
            held_head = known.get((seg.origin, seg.first_seq))
            if held_head == seg.head:
                result.duplicate += n
                continue
            if seg.last_seq > frozen.get(seg.origin, seg.last_seq):
                self._reject(
                    result,
                    seg,
                    FeedForked.code,
                    f"segment {seg.origin}:{seg.first_seq}..{seg.last_seq} lies beyond position "
                    f"{frozen[seg.origin]}, where site {seg.origin!r}'s feed forked",
                    n,
                )
                continue
            # it starts inside what is applied here: the same history, or a fork
            overlaps = held_head is not None or (
                seg.first_seq <= frontiers.get(seg.origin, (0, 0, b""))[0]
            )
            try:
                signer = view.signer(seg.signer, seg.origin, seg.last_seq)
            except TrustError as exc:
                if overlaps and held_head is None:
                    result.duplicate += n
                else:
                    self._reject(result, seg, exc.code, str(exc), n)
                continue
            seg.verify_signature()
            seg.columns()
            rev = view.revoked.get(seg.signer)
            if rev is not None and rev.fixes(seg.last_seq):
                if not overlaps:
                    fixed.append((seg, signer))
                elif held_head is None:
                    result.duplicate += n
                else:  # another segment stands here; the walk below tells which history
                    fixed.append((seg, signer))
                continue
            if overlaps:
                # a place this site holds already: the same history, or a proof of a fork
                found = equivocation.find(self.conn, seg)
                if found is None:
                    result.duplicate += n
                    continue
                proofs.append(found)
                frozen[seg.origin] = min(frozen.get(seg.origin, found.at_seq), found.at_seq)
                self._reject(result, seg, FeedForked.code, found.describe(), n)
                continue
            fresh.append((seg, signer))
        links = [_link(s) for s, _signer in [*fresh, *fixed]]
        stored = history.stored_links(self.conn) if fixed else []
        good = history.proven(view, [*stored, *links])
        at_place = {(x.origin, x.first_seq): x for x in stored}
        for seg, signer in fixed:
            if history.stands(view, _link(seg), good):
                here = at_place.get((seg.origin, seg.first_seq))
                if here is not None and history.stands(view, here, good):
                    # the same history cut otherwise: what stands here stays
                    result.duplicate += seg.last_seq - seg.first_seq + 1
                    continue
                # what stood at its place, if anything, is off that history: taken back below
                fresh.append((seg, signer))
                continue
            self._reject(
                result,
                seg,
                SignerRevoked.code,
                f"segment {seg.origin}:{seg.first_seq}..{seg.last_seq} was signed by a revoked "
                "key and is not on the history the revocation names (its head at the cutoff)",
                seg.last_seq - seg.first_seq + 1,
            )

        return Verified(bundle, view, result, new_certs, new_revs, proofs, fresh, links)

    def _check_proofs(
        self, pairs: list[tuple[Segment, Segment]], view: TrustView, result: ImportResult
    ) -> list[equivocation.ForkProof]:
        """The fork proofs of a bundle that hold here and are new: both segments validly
        signed by a key that signs for their origin, both chains intact, and disagreeing."""
        known = equivocation.known_ids(self.conn)
        out: list[equivocation.ForkProof] = []
        for a, b in pairs:
            if equivocation.pair_id(a, b) in known:
                continue  # kept here already: checked when it came
            try:
                for seg in (a, b):
                    view.signer(seg.signer, seg.origin, seg.last_seq)
                    rev = view.revoked.get(seg.signer)
                    if rev is not None and rev.fixes(seg.last_seq):
                        # the revocation names which history stands: no freeze needed
                        raise SignerRevoked(
                            f"segment {seg.origin}:{seg.first_seq}..{seg.last_seq} lies below "
                            "a revocation's cutoff, which decides its history"
                        )
                    seg.verify_signature()
                    seg.columns()
            except SyncError as exc:
                result.rejections.append(
                    Rejection(a.origin, a.first_seq, a.last_seq, exc.code, f"fork proof: {exc}")
                )
                continue
            proof = equivocation.make(a, b)
            if proof is None or proof.id in known:
                continue
            known.add(proof.id)
            out.append(proof)
        return out


def _link(seg: Segment) -> history.Link:
    return history.Link(
        seg.origin, seg.first_seq, seg.last_seq, seg.prev_hash, seg.head, seg.signer
    )
