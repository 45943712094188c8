"""Trust operations (beside `trust.py`, which judges certificates): this site's identity, the
root's certifying and revoking, the trust file, and installing it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from . import rejudge
from .encoding import json_depth
from .errors import NotRoot, RootFingerprintMismatch, SiteTaken, TooLarge, UnknownSite, UsageError
from .feeds import ZERO_HASH, Segment
from .limits import MAX_JSON_DEPTH, MAX_TRUST_FILE_BYTES
from .results import ImportResult
from .signing import SigningKey, fingerprint, normalize_fingerprint, x25519_public
from .stage_take_back import TakingBack
from .trust import Certificate, Revocation, Signer, TrustView, valid_role

TRUST_MAGIC = b"SYNCTRST"


class TrustOperations(TakingBack):
    """Identity, certification, revocation and key rotation."""

    #: Apply what is ready: the ordering stage's (``stage_order``), which the engine builds on
    #: this one; a trust change that took back the grounds of applied segments applies them
    #: again through it, judged anew.
    _apply_ready: Callable[[list[tuple[Segment, Signer]], TrustView, ImportResult], int]

    def identity(self) -> dict[str, str]:
        """This site's public identity: site id, signing key, encryption key, fingerprint."""
        return {
            "site_id": self.site_id,
            "public_key": self.key.public.hex(),
            "enc_key": x25519_public(self.enc_key).hex(),
            "fingerprint": fingerprint(self.key.public),
        }

    def root_fingerprint(self) -> str | None:
        row = self.conn.execute("SELECT public_key FROM _sync_root").fetchone()
        return fingerprint(row[0]) if row else None

    def is_root(self) -> bool:
        root = self.keys.root_key(create=False)
        row = self.conn.execute("SELECT public_key FROM _sync_root").fetchone()
        return root is not None and row is not None and row[0] == root.public

    def init_root(self, units: tuple[str, ...] = ("*",)) -> str:
        """Make this site the root: create the root key, install it, certify this site as city."""
        root = self.keys.root_key(create=True)
        assert root is not None
        with self._tx():
            self.conn.execute(
                "INSERT OR REPLACE INTO _sync_root (id, public_key) VALUES (1, ?)", (root.public,)
            )
            cert = Certificate.issue(
                root,
                site=self.site_id,
                key=self.key.public,
                role="city",
                scope=units,
                issued=self._tick(),
                enc_key=x25519_public(self.enc_key),
            )
            self._store_cert(cert)
        return fingerprint(root.public)

    def _root_key(self) -> SigningKey:
        root = self.keys.root_key(create=False)
        if root is None or not self.is_root():
            raise NotRoot(f"site {self.site_id!r} does not hold the root key")
        return root

    def certify(
        self,
        site_id: str,
        public_key: bytes,
        units: list[str],
        role: str,
        enc_key: bytes | None = None,
        *,
        replace_key: bool = False,
    ) -> bytes:
        """Root only: certify a site's key; return a trust file the site installs.

        A site id belongs to one key: if another key that is not revoked is certified for
        ``site_id``, this is refused (``SiteTaken``, naming that key, its role and units)
        unless ``replace_key`` says it is a key change, which revokes the old key with its
        cutoff (what the root holds of the feed, and its head) in the same transaction.
        """
        root = self._root_key()
        if not valid_role(role):
            raise UsageError(f"role {role!r} is not a role name (a-z and _, at most 32)")
        view = self._trust()
        holders = sorted(
            (
                view.certs[k]
                for k in view.keys_of(site_id)
                if k != public_key and k not in view.revoked
            ),
            key=lambda c: (c.issued, c.body),
        )
        if holders and not replace_key:
            held = holders[-1]
            raise SiteTaken(
                f"site {site_id!r} is already certified to another key {fingerprint(held.key)} "
                f"(role {held.role!r}, units {list(held.scope)!r}); certifying a new key for it "
                "is a key change, which revokes that key",
                site=site_id,
                fingerprint=fingerprint(held.key),
                role=held.role,
                units=list(held.scope),
            )
        with self._tx():
            if holders:
                self._revoke_keys(root, site_id, [c.key for c in holders])
            cert = Certificate.issue(
                root,
                site=site_id,
                key=public_key,
                role=role,
                scope=units,
                issued=self._tick(),
                enc_key=enc_key,
            )
            self._store_cert(cert)
        return self.trust_file()

    def trust_file(self) -> bytes:
        """Root key, all certificates and revocations, as one file for `install_trust`."""
        row = self.conn.execute("SELECT public_key FROM _sync_root").fetchone()
        if row is None:
            raise UsageError("no root installed; nothing to hand out")
        view = self._trust()
        obj = {
            "root": row[0].hex(),
            "certs": [[c.body.decode(), c.sig.hex()] for _k, c in sorted(view.certs.items())],
            "revocations": [
                [r.body.decode(), r.sig.hex()] for _k, r in sorted(view.revoked.items())
            ],
        }
        return TRUST_MAGIC + b"\n" + json.dumps(obj, indent=1, sort_keys=True).encode() + b"\n"

    def install_trust(self, data: bytes, root_fingerprint: str) -> dict[str, Any]:
        """Install the root (checked against the fingerprint a person read out) and certs."""
        from .errors import Malformed

        if not data.startswith(TRUST_MAGIC):
            raise Malformed("not a trust file (it does not start with the trust file's mark)")
        if len(data) > MAX_TRUST_FILE_BYTES:
            raise TooLarge(
                f"trust file of {len(data)} bytes is above the limit of {MAX_TRUST_FILE_BYTES}",
                limit=MAX_TRUST_FILE_BYTES,
            )
        if json_depth(data[len(TRUST_MAGIC) :], MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            raise TooLarge(
                f"trust file: JSON nested deeper than {MAX_JSON_DEPTH} levels", limit=MAX_JSON_DEPTH
            )
        try:
            obj = json.loads(data[len(TRUST_MAGIC) :])
            root = bytes.fromhex(obj["root"])
            pairs = [(b.encode(), bytes.fromhex(s)) for b, s in obj["certs"]]
            rpairs = [(b.encode(), bytes.fromhex(s)) for b, s in obj.get("revocations", [])]
        except (ValueError, KeyError, TypeError) as exc:
            raise Malformed(f"trust file: bad content ({type(exc).__name__})") from exc
        got = fingerprint(root)
        if normalize_fingerprint(root_fingerprint) != got:
            # the right fingerprint is never shown: a person must compare what the city read out
            # with what they typed, not copy the file's own claim
            raise RootFingerprintMismatch(
                f"the trust file's root does not match the fingerprint {root_fingerprint!r} "
                "that was read out; refusing to install",
                expected=root_fingerprint,
            )
        existing = self.conn.execute("SELECT public_key FROM _sync_root").fetchone()
        if existing is not None and existing[0] != root:
            raise RootFingerprintMismatch(
                f"a different root {fingerprint(existing[0])} is already installed",
                expected=fingerprint(existing[0]),
                actual=got,
            )
        certs = [Certificate.parse(b, s) for b, s in pairs]
        revs = [Revocation.parse(b, s) for b, s in rpairs]
        with self._tx():
            self.conn.execute(
                "INSERT OR REPLACE INTO _sync_root (id, public_key) VALUES (1, ?)", (root,)
            )
            view = self._trust()
            added, _refused = view.add_certs(certs)
            roles = rejudge.role_changes(self.conn, added)
            for c in added:
                self._store_cert(c)
            new_revs = [r for r in revs if view.add_revocation(r)]
            for r in new_revs:
                self._store_revocation(r)
            if new_revs or roles or view.displaced:
                if self._behind() is None:  # unsealed changes keep the view they were made with
                    self._seal_pending()
                self._forget_revoked_proofs(view)
                self.conn.execute("UPDATE _sync_state SET capture_off = capture_off + 1")
                self.conn.execute("PRAGMA defer_foreign_keys = ON")
                taken = ImportResult(sender=self.site_id)
                self._rewound.update(
                    rejudge.after_role_change(self.conn, self._merger(view), roles)
                )
                self._take_back(view, taken)
                self._apply_ready([], view, taken)  # what it took back the grounds of, again
                self._merger().settle_foreign_keys()
                self._log(taken.rejections)
                self.conn.execute("UPDATE _sync_state SET capture_off = capture_off - 1")
        self._mark_feed()
        me = self.my_signer()
        return {
            "root_fingerprint": got,
            "site_id": self.site_id,
            "role": me.role if me else None,
            "units": list(me.scope) if me else [],
        }

    def revoke(self, site_id: str) -> int:
        """Root only: revoke every key certified for ``site_id``; return how many.

        What the root holds of the site's feed stands (the revocation's cutoff is the root's
        applied sequence of that feed); whatever the keys signed after is refused everywhere.
        """
        root = self._root_key()
        view = self._trust()
        keys = [k for k in view.keys_of(site_id) if k not in view.revoked]
        if not view.keys_of(site_id):
            raise UnknownSite(f"no certificate known for site {site_id!r}", site=site_id)
        with self._tx():
            self._revoke_keys(root, site_id, keys)
            self._forget_revoked_proofs(self._trust())
        return len(keys)

    def _revoke_keys(self, root: SigningKey, site_id: str, keys: list[bytes]) -> None:
        """Revoke ``keys`` of ``site_id`` at the cutoff this site holds of its feed, naming the
        feed's head there (in the open transaction)."""
        upto, _h, head = self._frontiers().get(site_id, (0, 0, ZERO_HASH))
        for k in keys:
            self._store_revocation(
                Revocation.issue(
                    root,
                    key=k,
                    site=site_id,
                    issued=self._tick(),
                    upto=upto,
                    head=head if upto else None,
                )
            )

    def rotate_key(self) -> bytes:
        """Make a new signing key for this site (the old one stays valid until revoked).

        Returns the new public key; the root must certify it before peers accept it.
        """
        with self._tx():
            self._seal_pending()
        self._mark_feed()
        new = SigningKey.generate()
        self.keys.replace_signing_key(new)
        self.key = new
        return new.public


def trust_digest(certs: list[Certificate], revs: list[Revocation]) -> str:
    """Names the set of certificates and revocations a site holds (sent in every header)."""
    h = hashlib.sha256()
    for body in sorted([c.body for c in certs] + [r.body for r in revs]):
        h.update(hashlib.sha256(body).digest())
    return h.hexdigest()[:32]
