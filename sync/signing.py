"""Site keys (SPEC.md section "Keys and signatures"): Ed25519 for signing, X25519 for encryption.

Private keys live as files in a key directory (mode 0700, files 0600) given to the engine, never in
the database and never in a bundle, so a database backup or a relayed bundle cannot leak them.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from .errors import KeyFileInsecure, Malformed, SignatureInvalid

SIGN_KEY_FILE = "site.ed25519"
ENC_KEY_FILE = "site.x25519"
ROOT_KEY_FILE = "root.ed25519"
FEED_MARK_FILE = "feed.mark"


def fingerprint(public_key: bytes) -> str:
    """Human-readable fingerprint: first 16 bytes of SHA-256, upper hex, groups of four."""
    h = hashlib.sha256(b"sync-key-fingerprint\x00" + public_key).hexdigest()[:32].upper()
    return "-".join(h[i : i + 4] for i in range(0, 32, 4))


def normalize_fingerprint(text: str) -> str:
    h = "".join(ch for ch in text.upper() if ch in "0123456789ABCDEF")
    return "-".join(h[i : i + 4] for i in range(0, len(h), 4))


def key_id(public_key: bytes) -> bytes:
    """Short binary key id used inside segments and certificates (8 bytes)."""
    return hashlib.sha256(b"sync-key-id\x00" + public_key).digest()[:8]


def public_from_hex(text: str, what: str = "public key") -> bytes:
    try:
        raw = bytes.fromhex(text)
    except ValueError as exc:
        raise Malformed(f"{what} is not hex") from exc
    if len(raw) != 32:
        raise Malformed(f"{what} must be 32 bytes, got {len(raw)}")
    return raw


@dataclass(frozen=True)
class SigningKey:
    """An Ed25519 private key with its raw public half."""

    private: Ed25519PrivateKey

    @classmethod
    def from_seed(cls, seed: bytes) -> SigningKey:
        return cls(Ed25519PrivateKey.from_private_bytes(seed))

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @property
    def public(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def key_id(self) -> bytes:
        return key_id(self.public)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)

    def seed(self) -> bytes:
        return self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    def x25519(self) -> X25519PrivateKey:
        """The X25519 key derived from this signing key (as libsodium's sk_to_curve25519)."""
        return X25519PrivateKey.from_private_bytes(hashlib.sha512(self.seed()).digest()[:32])


_P = 2**255 - 19


def ed25519_to_x25519_public(public_key: bytes) -> bytes:
    """The X25519 public key matching ``SigningKey.x25519()``: u = (1 + y) / (1 - y) mod p."""
    y = int.from_bytes(public_key, "little") & ((1 << 255) - 1)
    u = (1 + y) * pow(1 - y, _P - 2, _P) % _P
    return u.to_bytes(32, "little")


def verify(public_key: bytes, signature: bytes, message: bytes, what: str) -> None:
    """Raise SignatureInvalid naming ``what`` unless the signature verifies."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError) as exc:
        raise SignatureInvalid(
            f"signature on {what} does not verify under key {fingerprint(public_key)}",
            what=what,
            key=fingerprint(public_key),
        ) from exc


def x25519_public(private: X25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def x25519_from_public(raw: bytes) -> X25519PublicKey:
    return X25519PublicKey.from_public_bytes(raw)


class KeyDir:
    """The directory holding this site's private keys (never the database)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def ensure(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        os.chmod(self.path, 0o700)

    def _read(self, name: str) -> bytes | None:
        p = self.path / name
        if not p.exists():
            return None
        mode = stat.S_IMODE(p.stat().st_mode)
        if os.name == "posix" and mode & 0o077:
            raise KeyFileInsecure(
                f"private key file {str(p)!r} has mode {oct(mode)}; it must be 0600",
                path=str(p),
            )
        return p.read_bytes()

    def _write(self, name: str, raw: bytes) -> None:
        self.ensure()
        p = self.path / name
        tmp = p.with_suffix(p.suffix + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, raw.hex().encode() + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, p)

    def _load_seed(self, name: str) -> bytes | None:
        raw = self._read(name)
        if raw is None:
            return None
        try:
            seed = bytes.fromhex(raw.decode().strip())
        except ValueError as exc:
            raise Malformed(f"key file {str(self.path / name)!r} is not hex") from exc
        if len(seed) != 32:
            raise Malformed(f"key file {str(self.path / name)!r} does not hold 32 bytes")
        return seed

    def signing_key(self, create: bool = True) -> SigningKey | None:
        seed = self._load_seed(SIGN_KEY_FILE)
        if seed is None:
            if not create:
                return None
            key = SigningKey.generate()
            self._write(SIGN_KEY_FILE, key.seed())
            return key
        return SigningKey.from_seed(seed)

    def replace_signing_key(self, key: SigningKey) -> None:
        old = self._load_seed(SIGN_KEY_FILE)
        if old is not None:
            old_id = key_id(SigningKey.from_seed(old).public).hex()
            self._write(f"{SIGN_KEY_FILE}.old-{old_id}", old)
        self._write(SIGN_KEY_FILE, key.seed())

    def feed_mark(self) -> tuple[int, bytes] | None:
        """The last sequence number and head this site sealed, kept beside (not in) the database,
        so a database restored from an older backup is noticed."""
        p = self.path / FEED_MARK_FILE
        if not p.exists():
            return None
        try:
            seq, head = p.read_text().split()
            return int(seq), bytes.fromhex(head)
        except ValueError as exc:
            raise Malformed(f"feed mark {str(p)!r} is damaged: {p.read_text()[:80]!r}") from exc

    def set_feed_mark(self, seq: int, head: bytes) -> None:
        self.ensure()
        p = self.path / FEED_MARK_FILE
        tmp = p.with_suffix(".tmp")
        tmp.write_text(f"{seq} {head.hex()}\n")
        os.replace(tmp, p)

    def encryption_key(self, create: bool = True) -> X25519PrivateKey | None:
        seed = self._load_seed(ENC_KEY_FILE)
        if seed is None:
            if not create:
                return None
            priv = X25519PrivateKey.generate()
            self._write(
                ENC_KEY_FILE, priv.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
            )
            return priv
        return X25519PrivateKey.from_private_bytes(seed)

    def root_key(self, create: bool = False) -> SigningKey | None:
        seed = self._load_seed(ROOT_KEY_FILE)
        if seed is None:
            if not create:
                return None
            key = SigningKey.generate()
            self._write(ROOT_KEY_FILE, key.seed())
            return key
        return SigningKey.from_seed(seed)
