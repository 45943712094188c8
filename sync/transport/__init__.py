"""Carriers that move opaque bundle bytes: atomic files, numbered parts, e-mail and an HTTP hub.

A bundle is `bytes` identified by its SHA-256; nothing here looks inside it. Format and protocol:
sync/TRANSPORT.md.
"""

from sync.transport.email import (
    SmtpConfig,
    build_messages,
    extract_parts,
    part_size_for_message_limit,
    send_emails,
    send_smtp,
    write_emails,
)
from sync.transport.errors import (
    DiskFull,
    HashMismatch,
    InvalidPartSize,
    MailFailed,
    NotABundle,
    PartCorrupt,
    PartsMissing,
    RemoteRejected,
    TransferAborted,
    TransportError,
    UnknownVersion,
    WriteFailed,
)
from sync.transport.files import (
    BUNDLE_SUFFIX,
    bundle_file_name,
    list_bundle_files,
    remove_stale_temps,
    sha256_hex,
    write_atomic,
)
from sync.transport.http import HubServer, PullResult, PushResult, pull, push, reachable, serve
from sync.transport.inbox import Arrived, Gathered, Refused, gather
from sync.transport.parts import (
    AddResult,
    PartsStatus,
    PartStore,
    is_part,
    parse_part,
    part_name,
    split,
    write_bundle,
    write_parts,
)

__all__ = [
    "BUNDLE_SUFFIX",
    "AddResult",
    "Arrived",
    "DiskFull",
    "Gathered",
    "HashMismatch",
    "HubServer",
    "InvalidPartSize",
    "MailFailed",
    "NotABundle",
    "PartCorrupt",
    "PartStore",
    "PartsMissing",
    "PartsStatus",
    "PullResult",
    "PushResult",
    "Refused",
    "RemoteRejected",
    "SmtpConfig",
    "TransferAborted",
    "TransportError",
    "UnknownVersion",
    "WriteFailed",
    "build_messages",
    "bundle_file_name",
    "extract_parts",
    "gather",
    "is_part",
    "list_bundle_files",
    "parse_part",
    "part_name",
    "part_size_for_message_limit",
    "pull",
    "push",
    "reachable",
    "remove_stale_temps",
    "send_emails",
    "send_smtp",
    "serve",
    "sha256_hex",
    "split",
    "write_atomic",
    "write_bundle",
    "write_emails",
    "write_parts",
]
