"""Signed HTTP requests between a laptop and the hub, after RFC 9421 (HTTP Message Signatures).

Every request to the hub (except `ping`) carries, besides its own headers:

    Content-Digest:  sha-256=:<base64 SHA-256 of the body>:          (RFC 9530; empty body too)
    Sync-Key:        <the laptop's Ed25519 public key, 64 hex digits>
    Sync-Hub:        <the hub's site id, as the laptop knows it (trust file, or the hub's ping);
                      empty for a hub that has no site>
    Signature-Input: sync=("@method" "@authority" "@path" "@query" "content-digest" "sync-key"
                     "sync-hub" [...]);
                     created=<unix seconds>;nonce="<22+ base64url>";keyid="<site id>";
                     alg="ed25519";tag="cchc-hub-v1"
    Signature:       sync=:<base64 Ed25519 signature over the signature base>:

The signature base is RFC 9421's: one line `"<component>": <value>` per covered component, then
`"@signature-params": <the inner list and parameters, exactly as in Signature-Input>`. The hub
rebuilds it from what it received, so any covered value changed in transit breaks it. Headers
`upload-offset`, `upload-length` and `range` must be covered whenever they are present.

`@authority` (the Host the laptop addressed) and `sync-hub` (the hub's site id) bind a request to
one hub: a request captured at one hub and replayed at another copy serving the same trust chain
names the wrong authority or site there and is refused (401 `wrong_hub`).

The hub refuses, before reading any body byte: a missing or malformed signature (401
`unsigned`/`bad_signature`), a `created` outside its window or before the hub started (401
`stale_signature`, with the hub's clock in `hub_time` so an island laptop with a wrong clock can
sign again), a nonce it has seen within the window (401 `replayed`), and a key the app's trust
chain does not vouch for as `keyid` (403 `untrusted_key`: unknown, revoked, or another site's).
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sync.signing import SigningKey, fingerprint

LABEL = "sync"
TAG = "cchc-hub-v1"
ALWAYS_COVERED = (
    "@method",
    "@authority",
    "@path",
    "@query",
    "content-digest",
    "sync-key",
    "sync-hub",
)
COVERED_WHEN_PRESENT = ("upload-offset", "upload-length", "range")
ALLOWED = frozenset(ALWAYS_COVERED + COVERED_WHEN_PRESENT)
DEFAULT_WINDOW = 300  # seconds a signed request stays valid either side of the hub's clock
MAX_NONCES = 500_000  # bound of the replay cache; beyond it the hub answers 503 until it drains

_NAME_RE = re.compile(r"^[A-Za-z0-9._:@+-]{1,128}$")
_INPUT_RE = re.compile(
    r'^sync=\((?P<covered>"[a-z@-]{1,20}"(?: "[a-z@-]{1,20}"){0,15})\)'
    r";created=(?P<created>\d{1,12})"
    r';nonce="(?P<nonce>[A-Za-z0-9_-]{16,64})"'
    r';keyid="(?P<keyid>[A-Za-z0-9._:@+-]{1,128})"'
    r';alg="ed25519";tag="cchc-hub-v1"$'
)
_SIG_RE = re.compile(r"^sync=:(?P<sig>[A-Za-z0-9+/]{85,86}={0,2}):$")
_KEY_RE = re.compile(r"^[0-9a-f]{64}$")
_DIGEST_RE = re.compile(r"^sha-256=:(?P<d>[A-Za-z0-9+/]{43}=):$")


def content_digest(body: bytes | memoryview) -> str:
    """RFC 9530 `Content-Digest` value of `body`."""
    return content_digest_of(hashlib.sha256(body).digest())


def content_digest_of(raw_sha256: bytes) -> str:
    return "sha-256=:" + base64.b64encode(raw_sha256).decode("ascii") + ":"


def parse_content_digest(value: str | None) -> bytes | None:
    """The raw SHA-256 in a `Content-Digest` header, or None when absent or not `sha-256`."""
    if value is None:
        return None
    m = _DIGEST_RE.match(value.strip())
    return base64.b64decode(m.group("d")) if m else None


@dataclass(frozen=True)
class ClientIdentity:
    """Who signs the requests: the laptop's site id and its certified Ed25519 key."""

    site_id: str
    key: SigningKey

    def __post_init__(self) -> None:
        if not _NAME_RE.match(self.site_id):
            raise ValueError(f"site id must be 1-128 of [A-Za-z0-9._:@+-], got {self.site_id!r}")


def signature_base(components: list[tuple[str, str]], params: str) -> bytes:
    lines = [f'"{name}": {value}' for name, value in components]
    lines.append(f'"@signature-params": {params}')
    return "\n".join(lines).encode("utf-8")


def sign_request(
    identity: ClientIdentity,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    digest: str,
    *,
    authority: str,
    hub: str = "",
    now: float | None = None,
) -> dict[str, str]:
    """The headers that authenticate a request: Content-Digest, Sync-Key, Signature(-Input).

    `path` is the raw path as sent, `query` the raw query without `?` (may be empty), `headers`
    the request's other headers (those of `COVERED_WHEN_PRESENT` present get covered), `digest`
    the body's `Content-Digest`, `authority` the host[:port] the request is addressed to (its
    Host header), `hub` the hub's site id.
    """
    lower = {k.lower(): v for k, v in headers.items()}
    extra = {
        "content-digest": digest,
        "sync-key": identity.key.public.hex(),
        "sync-hub": hub,
    }
    covered = list(ALWAYS_COVERED) + [h for h in COVERED_WHEN_PRESENT if h in lower]
    values = {
        "@method": method.upper(),
        "@authority": authority.lower(),
        "@path": path,
        "@query": "?" + query,
        **extra,
        **lower,
    }
    created = int(time.time() if now is None else now)
    nonce = secrets.token_urlsafe(16)
    params = (
        "(" + " ".join(f'"{c}"' for c in covered) + ")"
        f';created={created};nonce="{nonce}";keyid="{identity.site_id}"'
        f';alg="ed25519";tag="{TAG}"'
    )
    base = signature_base([(c, values[c]) for c in covered], params)
    sig = base64.b64encode(identity.key.sign(base)).decode("ascii")
    return {
        "Content-Digest": digest,
        "Sync-Key": extra["sync-key"],
        "Sync-Hub": hub,
        "Signature-Input": f"{LABEL}={params}",
        "Signature": f"{LABEL}=:{sig}:",
    }


class AuthRefused(Exception):
    """A request the hub refuses before touching its body: HTTP status, code, English message."""

    def __init__(self, status: int, code: str, message: str, **extra: object) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


@dataclass(frozen=True)
class Verified:
    """An authenticated request: the site, its key, and the body digest it signed."""

    site_id: str
    public_key: bytes
    digest: bytes
    authority: str = ""  # the Host the request was signed for
    hub: str = ""  # the hub's site id it was signed for


class NonceCache:
    """Nonces seen within the window, per site; bounded, pruned as time passes."""

    def __init__(self, window: float, max_entries: int = MAX_NONCES) -> None:
        self.window = window
        self.max_entries = max_entries
        self._seen: dict[tuple[str, str], float] = {}
        self._next_prune = 0.0

    def __len__(self) -> int:
        return len(self._seen)

    def add(self, site: str, nonce: str, created: float, now: float) -> bool:
        """Remember a nonce; False if it was already seen (a replay)."""
        if now >= self._next_prune or len(self._seen) >= self.max_entries:
            cutoff = now - 2 * self.window
            self._seen = {k: t for k, t in self._seen.items() if t >= cutoff}
            self._next_prune = now + self.window / 4
        key = (site, nonce)
        if key in self._seen:
            return False
        if len(self._seen) >= self.max_entries:
            raise AuthRefused(503, "busy", "too many signed requests in flight; try again shortly")
        self._seen[key] = created
        return True


KeyCheck = Callable[[str, bytes], object]
"""`check(site_id, public_key)`: returns if the key is certified for the site, raises otherwise."""


class RequestVerifier:
    """The hub's side: check a request's signature, freshness, nonce and key, in that order."""

    def __init__(
        self,
        window: float = DEFAULT_WINDOW,
        *,
        not_before: float | None = None,
        max_nonces: int = MAX_NONCES,
    ) -> None:
        self.window = window
        # signed requests made before this hub started are refused: its replay cache is new
        self.not_before = int(time.time() if not_before is None else not_before)
        self.nonces = NonceCache(window, max_nonces)

    def parse(
        self,
        method: str,
        raw_path: str,
        raw_query: str,
        headers: Mapping[str, str],
        now: float,
    ) -> tuple[Verified, str, int]:
        """Check syntax, freshness and the signature itself; returns (who, nonce, created).

        `headers` must be keyed in lower case. The key's certification is checked afterwards
        (`RequestVerifier.admit`), so a forged request never reaches the app's trust store.
        """
        sig_input = headers.get("signature-input")
        sig_value = headers.get("signature")
        if sig_input is None or sig_value is None:
            raise AuthRefused(401, "unsigned", "this hub serves only signed requests")
        m = _INPUT_RE.match(sig_input.strip())
        s = _SIG_RE.match(sig_value.strip())
        if m is None or s is None:
            raise AuthRefused(401, "bad_signature", "Signature-Input or Signature is malformed")
        covered = re.findall(r'"([a-z@-]+)"', m.group("covered"))
        if len(set(covered)) != len(covered) or not set(covered) <= ALLOWED:
            raise AuthRefused(401, "bad_signature", "signature covers unknown or repeated fields")
        required = set(ALWAYS_COVERED) | {h for h in COVERED_WHEN_PRESENT if h in headers}
        if not required <= set(covered):
            missing = sorted(required - set(covered))
            raise AuthRefused(401, "bad_signature", f"signature does not cover {missing}")
        created = int(m.group("created"))
        if abs(now - created) > self.window or created < self.not_before:
            raise AuthRefused(
                401,
                "stale_signature",
                f"signature made at {created} is outside this hub's window "
                f"({int(now)} ± {int(self.window)} s, not before {self.not_before})",
                hub_time=int(now),
            )
        key_hex = headers.get("sync-key", "")
        if not _KEY_RE.match(key_hex):
            raise AuthRefused(401, "bad_signature", "Sync-Key must be 64 lowercase hex digits")
        digest = parse_content_digest(headers.get("content-digest"))
        if digest is None:
            raise AuthRefused(401, "bad_signature", "Content-Digest must be sha-256=:…:")
        values = {
            "@method": method.upper(),
            "@authority": headers.get("host", "").lower(),
            "@path": raw_path,
            "@query": "?" + raw_query,
        }
        for c in covered:
            if c not in values:
                if c not in headers:
                    raise AuthRefused(401, "bad_signature", f"covered header {c!r} is absent")
                values[c] = headers[c]
        params = sig_input.strip()[len(LABEL) + 1 :]
        base = signature_base([(c, values[c]) for c in covered], params)
        public = bytes.fromhex(key_hex)
        try:
            Ed25519PublicKey.from_public_bytes(public).verify(
                base64.b64decode(s.group("sig")), base
            )
        except (InvalidSignature, ValueError):
            raise AuthRefused(401, "bad_signature", "signature does not verify") from None
        who = Verified(m.group("keyid"), public, digest, values["@authority"], values["sync-hub"])
        return who, m.group("nonce"), created

    def admit(self, who: Verified, nonce: str, created: int, now: float) -> None:
        """Record the nonce (a second use is a replay); call only once the key is vouched for."""
        if not self.nonces.add(who.site_id, nonce, created, now):
            raise AuthRefused(401, "replayed", "this signed request was already used")


def untrusted(site: str, public_key: bytes, why: str) -> AuthRefused:
    return AuthRefused(
        403,
        "untrusted_key",
        f"key {fingerprint(public_key)} is not certified for site {site!r}: {why}",
    )
