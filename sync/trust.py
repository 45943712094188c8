"""Certificates, revocations and the chain to the root (SPEC.md section "Trust").

A certificate binds a site id and its Ed25519 key (and optionally an X25519 encryption key) to a
role and a scope (opaque unit identifiers). The root, a key whose fingerprint a person checked,
issues certificates; a certified key of role ``city`` may issue narrower ones. A chain narrows
scope and role, never widens them. A revocation, issued by the root, names a key; everything that
key signs and that is not yet applied is refused from then on.

Which certificate stands for a key is the root's decision: a certificate the root issued beats any
other for that key, and among the root's own the latest (``issued``, the root's clock) counts. A
certificate from any other issuer is accepted only when that issuer is itself certified with the
certifying role, and never replaces one from the root. Roles are names the app chooses; only
``city`` may certify.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .encoding import canonical_json, parse_canonical_json
from .errors import (
    Malformed,
    NoRootInstalled,
    ScopeWidened,
    SignerRevoked,
    SignerUntrusted,
)
from .signing import SigningKey, ed25519_to_x25519_public, fingerprint, verify

#: The one role whose holders may certify other keys (the city office's laptops).
CERTIFYING_ROLE = "city"
#: A role is a name the app chooses (``unit``, ``finance``, ``leadership``…); the engine only
#: gives ``city`` a meaning of its own.
_ROLE_NAME = re.compile(r"^[a-z][a-z_]{0,31}$")
ALL_UNITS = "*"
MAX_CHAIN = 4
CERT_CONTEXT = b"sync-cert-v1\x00"
REVOKE_CONTEXT = b"sync-revoke-v1\x00"


def valid_role(role: str) -> bool:
    return bool(_ROLE_NAME.match(role))


@dataclass(frozen=True)
class Certificate:
    """A signed statement: key ``key`` speaks for site ``site`` with ``role`` over ``scope``."""

    body: bytes
    sig: bytes
    site: str
    key: bytes
    enc_key: bytes | None
    role: str
    scope: tuple[str, ...]
    issuer: bytes
    issued: int

    @classmethod
    def issue(
        cls,
        issuer: SigningKey,
        *,
        site: str,
        key: bytes,
        role: str,
        scope: Iterable[str],
        issued: int,
        enc_key: bytes | None = None,
    ) -> Certificate:
        if not valid_role(role):
            raise Malformed(f"role {role!r} is not a role name (a-z and _, at most 32)")
        body = canonical_json(
            {
                "enc_key": enc_key.hex() if enc_key else None,
                "issued": issued,
                "issuer": issuer.public.hex(),
                "key": key.hex(),
                "kind": "cert",
                "role": role,
                "scope": sorted(set(scope)),
                "site": site,
                "v": 1,
            }
        )
        return cls.parse(body, issuer.sign(CERT_CONTEXT + body))

    @classmethod
    def parse(cls, body: bytes, sig: bytes) -> Certificate:
        """Parse and check the signature under the issuer key the body names."""
        obj = parse_canonical_json(body, "certificate")
        try:
            if obj["kind"] != "cert" or obj["v"] != 1:
                raise Malformed(f"certificate: unexpected kind/version {obj['kind']!r}")
            role = obj["role"]
            if not isinstance(role, str) or not valid_role(role):
                raise Malformed("certificate: the role is not a role name")
            scope = obj["scope"]
            if not isinstance(scope, list) or not all(isinstance(u, str) for u in scope):
                raise Malformed(f"certificate: scope must be a list of strings, got {scope!r}")
            cert = cls(
                body=body,
                sig=sig,
                site=str(obj["site"]),
                key=bytes.fromhex(obj["key"]),
                enc_key=bytes.fromhex(obj["enc_key"]) if obj["enc_key"] else None,
                role=role,
                scope=tuple(scope),
                issuer=bytes.fromhex(obj["issuer"]),
                issued=int(obj["issued"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, Malformed):
                raise
            raise Malformed(
                f"certificate: a field is missing or of the wrong type ({exc!r:.60})"
            ) from exc
        verify(cert.issuer, sig, CERT_CONTEXT + body, f"certificate for site {cert.site!r}")
        return cert


@dataclass(frozen=True)
class Revocation:
    """A root-signed statement that ``key`` must no longer be trusted.

    ``upto`` is the root's cutoff in the site's feed: segments the key signed that end at or
    before it still stand everywhere (the work that had reached the root), anything it signed
    after is refused everywhere and taken back where it was applied. Absent means 0.
    """

    body: bytes
    sig: bytes
    key: bytes
    site: str
    issuer: bytes
    issued: int
    upto: int = 0
    #: the chain hash of the site's feed at ``upto`` as the root held it (``h[upto]``): only
    #: that history stands up to the cutoff (SPEC.md section 6); None in a revocation made
    #: before heads were named, which fixes only the number
    head: bytes | None = None

    @classmethod
    def issue(
        cls,
        root: SigningKey,
        *,
        key: bytes,
        site: str,
        issued: int,
        upto: int = 0,
        head: bytes | None = None,
    ) -> Revocation:
        fields: dict[str, Any] = {
            "issued": issued,
            "issuer": root.public.hex(),
            "key": key.hex(),
            "kind": "revoke",
            "site": site,
            "v": 1,
        }
        if upto:
            fields["upto"] = upto
            if head is not None:
                fields["head"] = head.hex()
        body = canonical_json(fields)
        return cls.parse(body, root.sign(REVOKE_CONTEXT + body))

    def covers(self, last_seq: int | None) -> bool:
        """Whether a segment ending at ``last_seq`` of the key's feed falls under the
        revocation (None: anything the key signs now, such as a bundle)."""
        return last_seq is None or last_seq > self.upto

    def fixes(self, last_seq: int) -> bool:
        """Whether a segment of the key ending at ``last_seq`` stands only if it lies on the
        history the revocation names (its ``head`` at the cutoff)."""
        return self.head is not None and last_seq <= self.upto

    @classmethod
    def parse(cls, body: bytes, sig: bytes) -> Revocation:
        obj = parse_canonical_json(body, "revocation")
        try:
            if obj["kind"] != "revoke" or obj["v"] != 1:
                raise Malformed(f"revocation: unexpected kind/version {obj['kind']!r}")
            rev = cls(
                body=body,
                sig=sig,
                key=bytes.fromhex(obj["key"]),
                site=str(obj["site"]),
                issuer=bytes.fromhex(obj["issuer"]),
                issued=int(obj["issued"]),
                upto=obj.get("upto", 0),
                head=_head(obj.get("head")),
            )
            if type(rev.upto) is not int or not 0 <= rev.upto < 2**63:
                raise Malformed("revocation: the cutoff is not a sequence number")
            if rev.head is not None and rev.upto == 0:
                raise Malformed("revocation: a head without a cutoff")
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, Malformed):
                raise
            raise Malformed(
                f"revocation: a field is missing or of the wrong type ({exc!r:.60})"
            ) from exc
        verify(rev.issuer, sig, REVOKE_CONTEXT + body, f"revocation of site {rev.site!r}")
        return rev


def _head(value: object) -> bytes | None:
    """A revocation's ``head``: 64 lower-case hex digits, or absent."""
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{64}", value):
        raise Malformed("revocation: the head is not a 32-byte hash in lower-case hex")
    return bytes.fromhex(value)


@dataclass(frozen=True)
class Signer:
    """Who signed something, as the trust chain establishes it."""

    site: str
    key: bytes
    role: str
    scope: tuple[str, ...]

    def covers_unit(self, unit: str) -> bool:
        return ALL_UNITS in self.scope or unit in self.scope


class TrustView:
    """Root + certificates + revocations, answering "who is this key?"."""

    def __init__(
        self,
        root: bytes | None,
        certs: Iterable[Certificate] = (),
        revocations: Iterable[Revocation] = (),
        max_issued: int | None = None,
    ) -> None:
        self.root = root
        self.max_issued = max_issued
        self.certs: dict[bytes, Certificate] = {}
        self.revoked: dict[bytes, Revocation] = {}
        #: certificates that stood here and lost their site id to a higher-ranked holder
        self.displaced: list[Certificate] = []
        for r in revocations:
            self.add_revocation(r)
        self.add_certs(certs)

    def add_certs(self, certs: Iterable[Certificate]) -> tuple[list[Certificate], list[str]]:
        """Add certificates in any order (an issuer's own certificate may come later): the ones
        that now stand, and the reasons of the ones refused."""
        waiting = list(certs)
        added: list[Certificate] = []
        while waiting:
            refused = [c for c in waiting if self.refusal(c) is not None]
            if len(refused) == len(waiting):
                break
            for c in waiting:
                if c not in refused and self._stands(c):
                    added.append(c)
            waiting = refused
        return added, [r for r in map(self.refusal, waiting) if r is not None]

    def add_cert(self, cert: Certificate) -> bool:
        """Keep the certificate that stands for its key; True if ``cert`` is now that one.

        A certificate whose issuer may not certify is refused (``refusal`` says why); one that
        loses to the certificate already standing is simply not kept.
        """
        return self.refusal(cert) is None and self._stands(cert)

    def refusal(self, cert: Certificate) -> str | None:
        """Why ``cert`` may never stand for its key here, or None."""
        if self.root is not None and cert.key == self.root:
            return "a certificate names the root key itself"
        if self.max_issued is not None and cert.issued > self.max_issued:
            return (
                f"certificate for site {cert.site!r} is dated after this site's clock bound "
                f"({cert.issued} > {self.max_issued})"
            )
        holder = self.holder(cert.site, but=cert.key)
        if holder is not None and self._rank(holder) >= self._rank(cert):
            # a site id belongs to one key: another takes it over only by a key change, which
            # revokes the key holding it (section 6)
            return (
                f"certificate for site {cert.site!r} names key {fingerprint(cert.key)}, but the "
                f"site is already certified to another key {fingerprint(holder.key)} (role "
                f"{holder.role!r}, units {list(holder.scope)!r}) that is not revoked"
            )
        if cert.issuer == self.root:
            return None
        try:
            issuer = self.signer(cert.issuer)
        except (SignerUntrusted, SignerRevoked, ScopeWidened, NoRootInstalled):
            return (
                f"certificate for site {cert.site!r} was issued by key {fingerprint(cert.issuer)},"
                " which is not certified to issue certificates"
            )
        if issuer.role != CERTIFYING_ROLE:
            return (
                f"certificate for site {cert.site!r} was issued by site {issuer.site!r} of role "
                f"{issuer.role!r}; only the root and role {CERTIFYING_ROLE!r} may certify"
            )
        return None

    def _stands(self, cert: Certificate) -> bool:
        old = self.certs.get(cert.key)
        if old is not None and self._rank(old) >= self._rank(cert):
            return False
        holder = self.holder(cert.site, but=cert.key)
        if holder is not None and self._rank(holder) >= self._rank(cert):
            return False
        if holder is not None:  # ranked below ``cert``: it loses the site id
            del self.certs[holder.key]
            self.displaced.append(holder)
        self.certs[cert.key] = cert
        return True

    def holder(self, site: str, but: bytes) -> Certificate | None:
        """The standing certificate of a key other than ``but`` for ``site`` that is not
        revoked, if any. A site id belongs to one key: of two such certificates the one of
        higher rank (the root's word, then the latest, then the bytes) holds it, whatever the
        order they arrived in; a revoked key never holds it against a new one."""
        found = [
            c
            for k, c in self.certs.items()
            if c.site == site and k != but and k not in self.revoked
        ]
        return max(found, key=self._rank) if found else None

    def _rank(self, cert: Certificate) -> tuple[int, int, bytes]:
        """The root's own word first, then the latest date, then the bytes (a total order)."""
        return (1 if cert.issuer == self.root else 0, cert.issued, cert.body)

    def add_revocation(self, rev: Revocation) -> bool:
        """Accept only root-issued revocations; return True if it was new."""
        if self.root is None or rev.issuer != self.root:
            return False
        if rev.key in self.revoked:
            return False
        self.revoked[rev.key] = rev
        return True

    def signer(self, key: bytes, site: str | None = None, last_seq: int | None = None) -> Signer:
        """Walk the chain from ``key`` to the root; raise why it fails.

        ``last_seq``: the end of the segment being checked in the key's own feed; a revoked
        key still signs what ends at or before its revocation's cutoff (``Revocation.upto``).
        """
        if self.root is None:
            raise NoRootInstalled("no root key installed; run trust install first")
        chain: list[Certificate] = []
        current = key
        for _ in range(MAX_CHAIN):
            rev = self.revoked.get(current)
            if rev is not None and (current != key or rev.covers(last_seq)):
                raise SignerRevoked(
                    f"key {fingerprint(current)} of site {self.revoked[current].site!r} "
                    "has been revoked",
                    key=fingerprint(current),
                    site=self.revoked[current].site,
                )
            if current == self.root:
                break
            cert = self.certs.get(current)
            if cert is None:
                raise SignerUntrusted(
                    f"key {fingerprint(current)} has no certificate chaining to the root "
                    f"{fingerprint(self.root)}",
                    key=fingerprint(current),
                )
            chain.append(cert)
            current = cert.issuer
        else:
            raise SignerUntrusted(
                f"certificate chain of key {fingerprint(key)} is longer than {MAX_CHAIN}",
                key=fingerprint(key),
            )
        if not chain:
            return Signer(site=site or "root", key=key, role="city", scope=(ALL_UNITS,))
        # check narrowing from the root down
        parent_role: str = "city"
        parent_scope: tuple[str, ...] = (ALL_UNITS,)
        for cert in reversed(chain):
            if cert is not chain[-1] and parent_role != CERTIFYING_ROLE:
                raise SignerUntrusted(
                    f"key {fingerprint(cert.issuer)} (role {parent_role!r}) may not issue "
                    "certificates",
                    key=fingerprint(cert.issuer),
                )
            if parent_role != CERTIFYING_ROLE and cert.role != parent_role:
                raise ScopeWidened(
                    f"certificate for site {cert.site!r} grants role {cert.role!r} "
                    f"above its issuer's {parent_role!r}",
                    site=cert.site,
                )
            if ALL_UNITS not in parent_scope and not set(cert.scope) <= set(parent_scope):
                extra = sorted(set(cert.scope) - set(parent_scope))
                raise ScopeWidened(
                    f"certificate for site {cert.site!r} widens scope with {extra!r}",
                    site=cert.site,
                    units=extra,
                )
            parent_role, parent_scope = cert.role, cert.scope
        leaf = chain[0]
        if site is not None and leaf.site != site:
            raise SignerUntrusted(
                f"key {fingerprint(key)} is certified for site {leaf.site!r}, not {site!r}",
                key=fingerprint(key),
                site=site,
            )
        return Signer(site=leaf.site, key=key, role=leaf.role, scope=leaf.scope)

    def chain_of(self, key: bytes) -> list[Certificate]:
        """The certificates leading from ``key`` towards the root, as far as they are held."""
        out: list[Certificate] = []
        current = key
        while current != self.root and len(out) < MAX_CHAIN:
            cert = self.certs.get(current)
            if cert is None:
                break
            out.append(cert)
            current = cert.issuer
        return out

    def enc_key_of(self, site: str) -> bytes | None:
        """The site's X25519 key: from its newest certificate, else derived from its key."""
        best: Certificate | None = None
        for c in self.certs.values():
            usable = c.site == site and c.enc_key and c.key not in self.revoked
            if usable and (best is None or c.issued > best.issued):
                best = c
        if best is not None:
            return best.enc_key
        newest: Certificate | None = None
        for c in self.certs.values():
            usable = c.site == site and c.key not in self.revoked
            if usable and (newest is None or c.issued > newest.issued):
                newest = c
        return ed25519_to_x25519_public(newest.key) if newest else None

    def keys_of(self, site: str) -> list[bytes]:
        return [c.key for c in self.certs.values() if c.site == site]
