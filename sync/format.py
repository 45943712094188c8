"""The bundle container (SPEC.md section "Bundle format").

    bundle   = magic major minor section* signature-section
    section  = type:u8 length:varint payload

The header (canonical JSON) comes first and names the capabilities the bundle uses; the manifest
comes second and lists type, size and SHA-256 of every later section except the signature; the
sender's Ed25519 signature over every preceding byte comes last. An encrypted bundle carries one
ENCRYPTED section in place of the certificate, revocation, acknowledgement and segment sections:
sealed to one recipient (capability ``x25519-chacha20poly1305``, version 1.0) or, with
``x25519-chacha20poly1305-multi``, under one content key wrapped for each of its recipients.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .encoding import Reader, canonical_json, lp, parse_canonical_json, varint
from .errors import (
    DecryptionFailed,
    HashMismatch,
    Malformed,
    NotABundle,
    TooLarge,
    Truncated,
    UnknownCapability,
    UnknownMajorVersion,
)
from .feeds import Segment
from .limits import (
    MAX_BUNDLE_BODY,
    MAX_BUNDLE_BYTES,
    MAX_RECIPIENTS,
    MAX_SECTIONS,
    MAX_TRUST_ITEMS,
)
from .signing import SigningKey, public_from_hex, verify, x25519_from_public, x25519_public
from .trust import Certificate, Revocation

MAGIC = b"SYNCBNDL"
MAJOR = 1
MINOR = 0
SUPPORTED_MAJORS = {1}

T_HEADER = 0x01
T_MANIFEST = 0x02
T_CERT = 0x03
T_REVOKE = 0x04
T_ACK = 0x05
T_SEGMENT = 0x06
T_ENCRYPTED = 0x07
T_SIGNATURE = 0x7F
OPTIONAL_BIT = 0x40  # unknown section types with this bit set are skipped
#: a proof that an origin forked its feed: two of its segments (optional, so a reader of an
#: earlier 1.x skips it and reads the rest of the bundle as before)
T_FORK = OPTIONAL_BIT | 0x08

CAP_ZLIB = "zlib"
CAP_LZMA = "lzma"
CAP_ENCRYPTION = "x25519-chacha20poly1305"
#: sealed to several recipients: one content key, wrapped for each (section 7, "Encryption")
CAP_ENCRYPTION_MULTI = "x25519-chacha20poly1305-multi"
KNOWN_CAPS = {CAP_ZLIB, CAP_LZMA, CAP_ENCRYPTION, CAP_ENCRYPTION_MULTI}
BUNDLE_CONTEXT = b"sync-bundle-v1\x00"
#: names from a bundle that are quoted in messages only when they look like names
_CAP_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{0,63}")
_SITE_NAME = re.compile(r"[0-9A-Za-z_.-]{1,64}")
ENC_INFO = b"sync-bundle-v1 x25519-chacha20poly1305"
WRAP_INFO = b"sync-bundle-v1 x25519-chacha20poly1305-multi wrap"
#: each wrapping key seals one content key once: a fixed nonce is safe
WRAP_NONCE = bytes(12)


@dataclass(frozen=True)
class Recipient:
    """One reader a bundle is sealed to: its site id (shown in messages) and X25519 key."""

    site: str | None
    key: bytes


@dataclass
class Bundle:
    """What a bundle says, once parsed and verified."""

    sender: str
    sender_key: bytes
    created: int
    caps: list[str]
    recipient: str | None = None
    #: every site the bundle is sealed to, as its header names them (one for a 1.0 bundle)
    recipients: list[str] = field(default_factory=list)
    certs: list[Certificate] = field(default_factory=list)
    revocations: list[Revocation] = field(default_factory=list)
    acks: dict[str, int] = field(default_factory=dict)
    segments: list[Segment] = field(default_factory=list)
    trust_digest: str | None = None
    #: fork proofs: pairs of one origin's segments that disagree (section 4a), not yet checked
    forks: list[tuple[Segment, Segment]] = field(default_factory=list)


def _section(t: int, payload: bytes) -> bytes:
    return bytes([t]) + varint(len(payload)) + payload


def _encode_acks(acks: dict[str, int]) -> bytes:
    out = bytearray(varint(len(acks)))
    for origin in sorted(acks):
        out += lp(origin.encode()) + varint(acks[origin])
    return bytes(out)


def _decode_acks(data: bytes) -> dict[str, int]:
    r = Reader(data, "acknowledgement section")
    n = r.varint("origin count")
    acks: dict[str, int] = {}
    last = None
    for _ in range(n):
        o = r.text("origin")
        if last is not None and o <= last:
            raise Malformed(f"acknowledgement section: origins not sorted at entry {len(acks)}")
        acks[o] = r.u63(f"seq of origin {len(acks)}")
        last = o
    r.finish()
    return acks


def _content_sections(b: Bundle) -> list[tuple[int, bytes]]:
    out: list[tuple[int, bytes]] = []
    for c in b.certs:
        out.append((T_CERT, lp(c.body) + c.sig))
    for rv in b.revocations:
        out.append((T_REVOKE, lp(rv.body) + rv.sig))
    out.append((T_ACK, _encode_acks(b.acks)))
    for s in b.segments:
        out.append((T_SEGMENT, s.encode()))
    for a, other in b.forks:
        out.append((T_FORK, lp(a.encode()) + lp(other.encode())))
    return out


def _header(b: Bundle, extra: dict[str, object]) -> bytes:
    obj: dict[str, object] = {
        "created": b.created,
        "optional": [],
        "required": sorted(set(b.caps)),
        "sender": b.sender,
        "sender_key": b.sender_key.hex(),
    }
    if b.trust_digest is not None:
        obj["trust"] = b.trust_digest
    obj.update(extra)
    return canonical_json(obj)


def _derive(shared: bytes, epk: bytes, rpk: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=epk + rpk, info=ENC_INFO).derive(shared)


def _wrap_key(shared: bytes, epk: bytes, rpk: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=epk + rpk, info=WRAP_INFO).derive(shared)


def encode_bundle(
    b: Bundle,
    key: SigningKey,
    *,
    encrypt_to: bytes | None = None,
    seal_to: Sequence[Recipient] | None = None,
    ephemeral: X25519PrivateKey | None = None,
    nonce: bytes | None = None,
    content_key: bytes | None = None,
) -> bytes:
    """Serialize and sign. With ``encrypt_to`` (an X25519 public key), seal the content to it
    (format 1.0); with ``seal_to``, under one content key wrapped for each recipient."""
    if encrypt_to is not None and seal_to is not None:
        raise ValueError("encrypt_to and seal_to exclude each other")
    content = _content_sections(b)
    caps = set(b.caps)
    extra: dict[str, object] = {}
    k = b""
    if encrypt_to is not None or seal_to is not None:
        eph = ephemeral or X25519PrivateKey.generate()
        epk = x25519_public(eph)
    if encrypt_to is not None:
        caps.add(CAP_ENCRYPTION)
        extra = {"enc": {"epk": epk.hex(), "rpk": encrypt_to.hex(), "to": b.recipient}}
        k = _derive(eph.exchange(x25519_from_public(encrypt_to)), epk, encrypt_to)
    elif seal_to is not None:
        readers = {r.key: r for r in seal_to}  # one wrap per key, in the order of the keys
        if not 1 <= len(readers) <= MAX_RECIPIENTS:
            raise ValueError(f"a bundle is sealed to 1 to {MAX_RECIPIENTS} recipients")
        caps.add(CAP_ENCRYPTION_MULTI)
        k = content_key or os.urandom(32)
        wraps = []
        for rpk in sorted(readers):
            kek = _wrap_key(eph.exchange(x25519_from_public(rpk)), epk, rpk)
            wrapped = ChaCha20Poly1305(kek).encrypt(WRAP_NONCE, k, None)
            wraps.append({"rpk": rpk.hex(), "to": readers[rpk].site, "wrap": wrapped.hex()})
        b.recipients = [str(w["to"]) for w in wraps if w["to"] is not None]
        extra = {"enc": {"epk": epk.hex(), "recipients": wraps}}
    b.caps = sorted(caps)
    header = _header(b, extra)
    prefix = MAGIC + bytes([MAJOR, MINOR]) + _section(T_HEADER, header)
    if k:
        n = nonce or os.urandom(12)
        plain = b"".join(_section(t, p) for t, p in content)
        content = [(T_ENCRYPTED, n + ChaCha20Poly1305(k).encrypt(n, plain, prefix))]
    manifest = bytearray(varint(len(content)))
    for t, p in content:
        manifest += bytes([t]) + varint(len(p)) + hashlib.sha256(p).digest()
    body = (
        prefix
        + _section(T_MANIFEST, bytes(manifest))
        + b"".join(_section(t, p) for t, p in content)
    )
    sig = key.sign(BUNDLE_CONTEXT + hashlib.sha256(body).digest())
    return body + _section(T_SIGNATURE, sig)


def _read_sections(r: Reader) -> list[tuple[int, int, bytes]]:
    out: list[tuple[int, int, bytes]] = []
    while not r.at_end():
        if len(out) >= MAX_SECTIONS:
            raise TooLarge(
                f"{r.where}: more than {MAX_SECTIONS} sections", where=r.where, limit=MAX_SECTIONS
            )
        start = r.pos
        t = r.byte("section type")
        payload = r.lp(f"section {len(out)} (type {t:#04x})")
        out.append((t, start, payload))
    return out


def peek_header(data: bytes) -> dict[str, object]:
    """Check magic and version and return the header, without verifying anything else."""
    if len(data) < len(MAGIC) or data[: len(MAGIC)] != MAGIC:
        if len(data) < len(MAGIC) and MAGIC.startswith(data):
            raise Truncated(f"bundle: {len(data)} bytes, shorter than the magic")
        raise NotABundle("not a sync bundle: the file does not start with the bundle magic")
    if len(data) > MAX_BUNDLE_BYTES:
        raise TooLarge(
            f"bundle is {len(data)} bytes, above the limit {MAX_BUNDLE_BYTES}",
            limit=MAX_BUNDLE_BYTES,
        )
    r = Reader(data, "bundle", len(MAGIC))
    major = r.byte("major version")
    minor = r.byte("minor version")
    if major not in SUPPORTED_MAJORS:
        raise UnknownMajorVersion(
            f"bundle format version {major}.{minor}: major version {major} is not supported "
            f"(this engine reads {sorted(SUPPORTED_MAJORS)})",
            version=f"{major}.{minor}",
        )
    t = r.byte("section type")
    if t != T_HEADER:
        raise Malformed(f"bundle: first section has type {t:#04x}, expected header")
    header = parse_canonical_json(r.lp("header"), "bundle header")
    if not isinstance(header, dict):
        raise Malformed("bundle header is not a JSON object")
    required = header.get("required")
    if not isinstance(required, list) or not all(isinstance(c, str) for c in required):
        raise Malformed("bundle header: 'required' must be a list of names")
    for cap in required:
        if cap not in KNOWN_CAPS:
            shown = cap if _CAP_NAME.fullmatch(cap) else "(unreadable name)"
            raise UnknownCapability(
                f"bundle requires capability {shown!r}, which this engine does not implement",
                capability=shown,
            )
    return header


def decode_bundle(
    data: bytes,
    *,
    decrypt_with: X25519PrivateKey | Sequence[X25519PrivateKey] | None = None,
) -> tuple[Bundle, bytes, bytes]:
    """Parse and check format, manifest and (after decryption) structure.

    Returns the bundle, the signed digest input and the sender's signature; the caller verifies
    the signature once it has decided the sender key is trusted (see ``verify_sender``).
    """
    header = peek_header(data)
    r = Reader(data, "bundle", len(MAGIC) + 2)
    sections = _read_sections(r)
    if len(sections) < 3:
        raise Truncated(f"bundle: only {len(sections)} sections, needs header, manifest, signature")
    if sections[-1][0] != T_SIGNATURE:
        raise Truncated(
            f"bundle: last section has type {sections[-1][0]:#04x}, not the signature; "
            "the bundle is cut short"
        )
    if sections[1][0] != T_MANIFEST:
        raise Malformed(f"bundle: second section has type {sections[1][0]:#04x}, not manifest")
    sig_start = sections[-1][1]
    sig = sections[-1][2]
    if len(sig) != 64:
        raise Malformed(f"bundle: signature is {len(sig)} bytes, expected 64")
    content = sections[2:-1]
    mr = Reader(sections[1][2], "manifest")
    count = mr.varint("entry count")
    if count != len(content):
        raise HashMismatch(f"manifest lists {count} sections, bundle holds {len(content)}")
    for i, (t, _start, payload) in enumerate(content):
        mt = mr.byte("section type")
        size = mr.varint("section size")
        digest = mr.take(32, "section hash")
        if mt != t or size != len(payload):
            raise HashMismatch(
                f"section {i}: manifest says type {mt:#04x} size {size}, "
                f"found type {t:#04x} size {len(payload)}"
            )
        if hashlib.sha256(payload).digest() != digest:
            raise HashMismatch(
                f"section {i} (type {t:#04x}): SHA-256 {hashlib.sha256(payload).hexdigest()[:16]}… "
                f"differs from manifest {digest.hex()[:16]}…"
            )
    mr.finish()
    try:
        sender = str(header["sender"])
        sender_key = public_from_hex(str(header["sender_key"]), "sender key")
        created = header["created"]
        if type(created) is not int or not 0 <= created < 1 << 63:
            raise ValueError("created")
    except (KeyError, ValueError, TypeError) as exc:
        raise Malformed("bundle header: a required field is missing or of the wrong type") from exc
    required = list(header["required"])  # type: ignore[call-overload]
    bundle = Bundle(sender=sender, sender_key=sender_key, created=created, caps=required)
    if isinstance(header.get("trust"), str):
        bundle.trust_digest = str(header["trust"])
    sealed = CAP_ENCRYPTION in required or CAP_ENCRYPTION_MULTI in required
    if content and content[0][0] == T_ENCRYPTED:
        multi = CAP_ENCRYPTION_MULTI in required
        if multi == (CAP_ENCRYPTION in required) or len(content) != 1:
            raise Malformed("bundle: encrypted section without exactly one encryption capability")
        enc = header.get("enc")
        if not isinstance(enc, dict):
            raise Malformed("bundle header: encrypted bundle without 'enc' parameters")
        keys = [decrypt_with] if isinstance(decrypt_with, X25519PrivateKey) else decrypt_with
        prefix = data[: sections[1][1]]
        k = _unwrap(enc, keys or [], bundle) if multi else _open_single(enc, keys, bundle)
        payload = content[0][2]
        if len(payload) < 12 + 16:
            raise Truncated("encrypted section shorter than nonce and tag")
        try:
            plain = ChaCha20Poly1305(k).decrypt(payload[:12], payload[12:], prefix)
        except InvalidTag as exc:
            raise DecryptionFailed("encrypted section does not authenticate") from exc
        inner = [(t, p) for t, _s, p in _read_sections(Reader(plain, "decrypted content"))]
    else:
        if sealed:
            raise Malformed("bundle: encryption capability without an encrypted section")
        inner = [(t, p) for t, _s, p in content]
    trust_items = sum(1 for t, _p in inner if t in (T_CERT, T_REVOKE, T_FORK))
    if trust_items > MAX_TRUST_ITEMS:
        raise TooLarge(
            f"bundle: {trust_items} certificates, revocations and fork proofs, more than "
            f"{MAX_TRUST_ITEMS}",
            limit=MAX_TRUST_ITEMS,
        )
    for t, p in inner:
        if t == T_CERT:
            cr = Reader(p, "certificate section")
            body = cr.lp("certificate body")
            csig = cr.take(64, "certificate signature")
            cr.finish()
            bundle.certs.append(Certificate.parse(body, csig))
        elif t == T_REVOKE:
            rr = Reader(p, "revocation section")
            body = rr.lp("revocation body")
            rsig = rr.take(64, "revocation signature")
            rr.finish()
            bundle.revocations.append(Revocation.parse(body, rsig))
        elif t == T_ACK:
            bundle.acks = _decode_acks(p)
        elif t == T_SEGMENT:
            bundle.segments.append(Segment.decode(p, f"segment section {len(bundle.segments)}"))
        elif t == T_FORK:
            fr = Reader(p, "fork proof section")
            a = Segment.decode(fr.lp("fork proof segment"), "fork proof segment")
            other = Segment.decode(fr.lp("fork proof segment"), "fork proof segment")
            fr.finish()
            if a.origin != other.origin:
                raise Malformed("fork proof: its two segments are of different origins")
            bundle.forks.append((a, other))
        elif t & OPTIONAL_BIT:
            continue
        else:
            raise Malformed(f"bundle: unknown section type {t:#04x}")
    declared = sum(seg.raw_len for seg in bundle.segments) + sum(
        a.raw_len + other.raw_len for a, other in bundle.forks
    )
    if declared > MAX_BUNDLE_BODY:
        raise TooLarge(
            f"bundle segments declare {declared} bytes uncompressed together, above the limit "
            f"{MAX_BUNDLE_BODY}",
            limit=MAX_BUNDLE_BODY,
        )
    return bundle, data[:sig_start], sig


def _shown(site: object) -> str:
    """A site id from a header as a message may quote it (only when it looks like one)."""
    return site if isinstance(site, str) and _SITE_NAME.fullmatch(site) else "(unnamed)"


def _open_single(
    enc: dict[str, object], keys: Sequence[X25519PrivateKey] | None, bundle: Bundle
) -> bytes:
    """The content key of a bundle sealed to one recipient (format 1.0)."""
    to = enc.get("to")
    bundle.recipient = to if isinstance(to, str) else None
    bundle.recipients = [to] if isinstance(to, str) else []
    shown = _shown(to)
    if keys is None:
        raise DecryptionFailed(
            f"bundle is encrypted to site {shown!r}; this site has no key to open it"
        )
    epk = public_from_hex(str(enc.get("epk")), "ephemeral key")
    rpk = public_from_hex(str(enc.get("rpk")), "recipient key")
    mine = next((k for k in keys if x25519_public(k) == rpk), None)
    if mine is None:
        raise DecryptionFailed(
            f"bundle is encrypted to site {shown!r} (key {rpk.hex()[:16]}…), not to this site"
        )
    return _derive(mine.exchange(x25519_from_public(epk)), epk, rpk)


def _unwrap(enc: dict[str, object], keys: Sequence[X25519PrivateKey], bundle: Bundle) -> bytes:
    """The content key of a bundle sealed to several recipients: the wrap for one of ``keys``,
    opened. The list is read whole first: 1 to MAX_RECIPIENTS entries, keys strictly
    ascending (so none twice), each wrap 48 bytes."""
    wraps = enc.get("recipients")
    if not isinstance(wraps, list) or not 1 <= len(wraps) <= MAX_RECIPIENTS:
        raise Malformed(
            f"bundle header: 'enc.recipients' must list 1 to {MAX_RECIPIENTS} recipients"
        )
    epk = public_from_hex(str(enc.get("epk")), "ephemeral key")
    found: list[tuple[bytes, object, bytes]] = []
    for i, w in enumerate(wraps):
        if not isinstance(w, dict):
            raise Malformed(f"bundle header: recipient {i} is not an object")
        rpk = public_from_hex(str(w.get("rpk")), f"recipient {i} key")
        try:
            wrapped = bytes.fromhex(str(w.get("wrap")))
        except ValueError as exc:
            raise Malformed(f"bundle header: recipient {i}: wrapped key is not hex") from exc
        if len(wrapped) != 32 + 16:
            raise Malformed(f"bundle header: recipient {i}: wrapped key of {len(wrapped)} bytes")
        if found and rpk <= found[-1][0]:
            raise Malformed(f"bundle header: recipients not in ascending key order at {i}")
        found.append((rpk, w.get("to"), wrapped))
    bundle.recipients = [to for _k, to, _w in found if isinstance(to, str)]
    bundle.recipient = bundle.recipients[0] if bundle.recipients else None
    shown = ", ".join(repr(_shown(to)) for _k, to, _w in found)
    by_key = {x25519_public(k): k for k in keys}
    for rpk, _to, wrapped in found:
        mine = by_key.get(rpk)
        if mine is None:
            continue
        kek = _wrap_key(mine.exchange(x25519_from_public(epk)), epk, rpk)
        try:
            return ChaCha20Poly1305(kek).decrypt(WRAP_NONCE, wrapped, None)
        except InvalidTag as exc:
            raise DecryptionFailed(
                "the content key wrapped for this site does not authenticate"
            ) from exc
    if not keys:
        raise DecryptionFailed(
            f"bundle is encrypted to sites {shown}; this site has no key to open it"
        )
    raise DecryptionFailed(f"bundle is encrypted to sites {shown}, not to this site")


def verify_sender(bundle: Bundle, signed: bytes, sig: bytes) -> None:
    verify(
        bundle.sender_key,
        sig,
        BUNDLE_CONTEXT + hashlib.sha256(signed).digest(),
        f"bundle from site {bundle.sender!r}",
    )
