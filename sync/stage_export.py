"""Export (SPEC.md, "Export"): everything a peer has not acknowledged, as one signed bundle."""

from __future__ import annotations

from collections.abc import Sequence

from . import equivocation
from .errors import UnknownSite
from .feeds import CODEC_LZMA, CODEC_ZLIB, Segment
from .format import CAP_LZMA, CAP_ZLIB, Bundle, Recipient, encode_bundle
from .trust_ops import TrustOperations, trust_digest


class Exporting(TrustOperations):
    """Builds bundles for a peer."""

    def export_bundle(
        self,
        peer_site_id: str | None = None,
        *,
        encrypt_to: str | Sequence[str] | None = None,
        since: dict[str, int] | None = None,
    ) -> bytes:
        """Everything ``peer_site_id`` has not acknowledged (None: everything held here).

        ``since`` overrides the acknowledgements with an explicit vector (origin -> seq).
        ``encrypt_to``: the site, or sites, it is sealed to (section 7, "Encryption").
        """
        readers = [encrypt_to] if isinstance(encrypt_to, str) else list(encrypt_to or ())
        with self._tx():
            self._seal_pending()
            acks: dict[str, int] = {}
            if peer_site_id is not None:
                acks = dict(
                    self.conn.execute(
                        "SELECT origin, acked_seq FROM _sync_peers WHERE peer = ?",
                        (peer_site_id,),
                    ).fetchall()
                )
            if since is not None:
                acks = dict(since)
            view = self._trust()
            frozen = equivocation.freeze_points(self.conn)
            segs: list[Segment] = []
            codecs: set[int] = set()
            for origin, last_seq, signer, blob in self.conn.execute(
                "SELECT origin, last_seq, signer, blob FROM _sync_segments "
                "WHERE state = 'applied' ORDER BY origin, first_seq"
            ):
                revoked = view.revoked.get(signer)
                # a forked origin's feed goes whole, whatever the peer acknowledged: a copy
                # that holds the other branch below the freeze point finds a lower proof
                acked = 0 if origin in frozen else acks.get(origin, 0)
                if last_seq <= acked or (revoked and revoked.covers(last_seq)):
                    continue
                seg = Segment.decode(blob)
                codecs.add(seg.codec)
                segs.append(seg)
            forks = [(f.a, f.b) for f in equivocation.load(self.conn)]
            for a, b in forks:
                codecs.update((a.codec, b.codec))
            caps = [CAP_ZLIB] if CODEC_ZLIB in codecs or not codecs else []
            if CODEC_LZMA in codecs:
                caps.append(CAP_LZMA)
            # only what stands here travels: a refused certificate is never relayed
            certs = [view.certs[k] for k in sorted(view.certs)]
            revs = [view.revoked[k] for k in sorted(view.revoked)]
            digest = trust_digest(certs, revs)
            if peer_site_id is not None and since is None:
                known = self.conn.execute(
                    "SELECT digest FROM _sync_peer_trust WHERE peer = ?", (peer_site_id,)
                ).fetchone()
                if known is not None and known[0] == digest:
                    # the peer said it holds exactly these; the sender's own chain still goes,
                    # so a bundle carried to another site by mistake can be checked there too
                    certs, revs = view.chain_of(self.key.public), []
            bundle = Bundle(
                sender=self.site_id,
                sender_key=self.key.public,
                created=self._hlc(),
                caps=caps,
                recipient=readers[0] if readers else peer_site_id,
                certs=certs,
                revocations=revs,
                acks=self.vector(),
                segments=segs,
                trust_digest=digest,
                forks=forks,
            )
        self._mark_feed()
        sealed = [Recipient(site, view.enc_key_of(site) or b"") for site in readers]
        for r in sealed:
            if not r.key:
                raise UnknownSite(f"no encryption key certified for site {r.site!r}", site=r.site)
        if len(sealed) == 1:  # one reader: format 1.0, which every reader of 1.x opens
            return encode_bundle(bundle, self.key, encrypt_to=sealed[0].key)
        return encode_bundle(bundle, self.key, seal_to=sealed or None)
