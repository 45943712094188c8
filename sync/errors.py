"""Every error the sync engine raises: one root, a few categories, leaves named for the condition.

Each leaf has a stable ``code`` (the app maps codes to its own language) and an English message
that quotes the offending value. Categories let a caller decide what to do without knowing leaves:
``FormatError`` (the bytes are not a well-formed bundle), ``IntegrityError`` (a hash, chain or
signature does not hold), ``TrustError`` (the signer is not allowed), ``UsageError`` (the caller
asked for something impossible).
"""

from __future__ import annotations

from typing import Any


class SyncError(Exception):
    """Root of every error raised by the sync engine."""

    code = "sync"

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return self.message


# --- categories -------------------------------------------------------------------------------


class FormatError(SyncError):
    """The bytes are not a well-formed bundle of a version this engine reads."""

    code = "format"


class IntegrityError(SyncError):
    """A hash, hash chain, size or signature in the bundle does not hold."""

    code = "integrity"


class TrustError(SyncError):
    """The key that signed something is not trusted to sign it."""

    code = "trust"


class UsageError(SyncError):
    """The caller asked the engine for something it cannot do in the current state."""

    code = "usage"


# --- format -----------------------------------------------------------------------------------


class NotABundle(FormatError):
    """The data does not start with the bundle magic bytes."""

    code = "not_a_bundle"


class Truncated(FormatError):
    """The data ends before a length-prefixed field or section is complete."""

    code = "truncated"


class Malformed(FormatError):
    """A field has a value the grammar does not allow (bad tag, bad varint, trailing bytes)."""

    code = "malformed"


class UnknownMajorVersion(FormatError):
    """The bundle's format major version is not one this engine reads."""

    code = "unknown_major_version"


class UnknownCapability(FormatError):
    """The bundle requires a capability this engine does not implement."""

    code = "unknown_capability"


class TooLarge(FormatError):
    """A declared size exceeds the engine's limits (decompression bomb guard)."""

    code = "too_large"


# --- integrity --------------------------------------------------------------------------------


class HashMismatch(IntegrityError):
    """A section's SHA-256 or size differs from the one its manifest declares."""

    code = "hash_mismatch"


class Overruled(TrustError):
    """A change applied here is taken back: an authority change its writer had not seen forbids
    it (logged with the policy's reason, never raised; SPEC section 12)."""

    code = "overruled"


class SeenBackwards(IntegrityError):
    """A segment claims to have seen less than the segment before it in the same feed (logged,
    its rows refused, never raised): a writer's view never goes back."""

    code = "seen_backwards"


class SignatureInvalid(IntegrityError):
    """An Ed25519 signature does not verify under the key it names."""

    code = "signature_invalid"


class ChainBroken(IntegrityError):
    """A feed segment's entries do not hash to its signed head, or do not follow its predecessor."""

    code = "chain_broken"


class FeedForked(IntegrityError):
    """Two validly signed segments of one origin disagree on its feed (equivocation): the feed
    stands only up to their last common point, on every copy."""

    code = "feed_forked"


class HeldLimit(IntegrityError):
    """An origin already has as many segments or bytes waiting here as a copy keeps for it."""

    code = "held_limit"


class DecryptionFailed(IntegrityError):
    """An encrypted bundle cannot be opened with this site's key (wrong recipient or altered)."""

    code = "decryption_failed"


# --- trust ------------------------------------------------------------------------------------


class SignerUntrusted(TrustError):
    """The signing key has no valid certificate chain to the installed root."""

    code = "signer_untrusted"


class SignerRevoked(TrustError):
    """The signing key, or a key in its chain, has been revoked."""

    code = "signer_revoked"


class OutOfScope(TrustError):
    """The change lies outside what its signer's certificate (or the app's policy) allows."""

    code = "out_of_scope"


class CertificateRefused(TrustError):
    """A certificate's issuer may not certify, or it names the root, or it is dated ahead."""

    code = "certificate_refused"


class TakenBack(TrustError):
    """Changes applied here earlier were taken back: the root revoked their signer's key, and
    they came after the revocation's cutoff (logged, never raised)."""

    code = "taken_back"


class ClockAhead(IntegrityError):
    """A clock runs ahead of this site's wall clock by more than the allowed skew (held)."""

    code = "clock_ahead"


class ClockInvalid(IntegrityError):
    """A clock is at or near the type's limit, or a segment claims to have seen its future."""

    code = "clock_invalid"


class ConstraintFailed(IntegrityError):
    """A row's values break a rule of the app's table (CHECK, NOT NULL, UNIQUE, a trigger)."""

    code = "constraint_failed"


class ScopeWidened(TrustError):
    """A certificate grants more units or a higher role than the key that issued it holds."""

    code = "scope_widened"


class RootFingerprintMismatch(TrustError):
    """The root key's fingerprint differs from the one a person read out."""

    code = "root_fingerprint_mismatch"


class NoRootInstalled(TrustError):
    """No root key is installed yet, so nothing can be verified."""

    code = "no_root_installed"


# --- usage ------------------------------------------------------------------------------------


class FeedBehind(UsageError):
    """The database is older than this site's own feed (restored from a backup): import first."""

    code = "feed_behind"


class SiteTaken(UsageError):
    """A site id is already certified to another key (a key change must revoke that key)."""

    code = "site_taken"


class NotRoot(UsageError):
    """A root-only operation was asked of a site that does not hold the root key."""

    code = "not_root"


class UnknownSite(UsageError):
    """A site id was named that this database has never seen."""

    code = "unknown_site"


class UnknownConflict(UsageError):
    """A conflict id was named that does not exist or is already resolved."""

    code = "unknown_conflict"


class TableNotTrackable(UsageError):
    """A table cannot be tracked (missing, or without a TEXT primary key column)."""

    code = "table_not_trackable"


class KeyFileInsecure(UsageError):
    """A private key file is readable by other users (mode is not 0600)."""

    code = "key_file_insecure"
