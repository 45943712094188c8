"""Errors raised by the carriers. Each has a stable `code` and English text quoting the bad value.

The app maps `code` (and `params`) to its own user-facing text; the English message is for logs.
"""

from __future__ import annotations

from typing import Any


class TransportError(Exception):
    """Root of every error raised while moving bundle bytes."""

    code = "transport_error"

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params: dict[str, Any] = params

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able view: code, message and the parameters quoted in it."""
        return {
            "code": self.code,
            "message": self.message,
            **{k: _plain(v) for k, v in self.params.items()},
        }


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


class DiskFull(TransportError):
    """The target device ran out of space; nothing was left behind under the final name."""

    code = "disk_full"


class WriteFailed(TransportError):
    """The operating system refused a write (read-only stick, no permission, device gone)."""

    code = "write_failed"


class NotABundle(TransportError):
    """The input holds no bundle or part at all (empty file, mail without an attachment)."""

    code = "not_a_bundle"


class PartCorrupt(TransportError):
    """A part's header or checksum does not match its bytes."""

    code = "part_corrupt"


class PartsMissing(TransportError):
    """A bundle cannot be assembled yet: some of its numbered parts have not arrived."""

    code = "parts_missing"


class InvalidPartSize(TransportError):
    """The requested part size is too small to hold a part header and some payload."""

    code = "invalid_part_size"


class HashMismatch(TransportError):
    """Bytes that arrived complete do not have the SHA-256 they were announced with."""

    code = "hash_mismatch"


class TransferAborted(TransportError):
    """A network transfer gave up after its bounded number of retries without progress."""

    code = "transfer_aborted"


class RemoteRejected(TransportError):
    """The hub answered a request with an error; its code and message are kept."""

    code = "remote_rejected"


class MailFailed(TransportError):
    """The SMTP server could not be reached or refused the message."""

    code = "mail_failed"


class UnknownVersion(TransportError):
    """A part or protocol message declares a format version this code does not speak."""

    code = "unknown_version"


class TooLarge(TransportError):
    """An input exceeds a carrier limit (file size, part count, nesting, files in one import)."""

    code = "too_large"


class UnsafeFile(TransportError):
    """An import folder entry that is not a plain file (a symbolic link, a device): skipped."""

    code = "unsafe_file"
