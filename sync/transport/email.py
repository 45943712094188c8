"""E-mail carrier: one part per message, as `.eml` files or sent over SMTP, and read back.

Every message carries exactly one part file (the part format of `sync.transport.parts`, even when
the bundle fits in one part) so what travels through mail servers is self-checking.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, make_msgid
from pathlib import Path

from sync.transport import texts
from sync.transport.errors import MailFailed, NotABundle, TooLarge
from sync.transport.files import BUNDLE_SUFFIX, sha256_hex, write_all_atomic
from sync.transport.parts import is_part, part_name, split

EML_SUFFIX = ".eml"
DEFAULT_PART_SIZE = 5 * 1024 * 1024
DEFAULT_SENDER = "dong-bo@localhost"
ATTACHMENT_TYPE = ("application", "octet-stream")


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to hand messages to a mail server."""

    host: str
    port: int = 587
    username: str | None = None
    password: str | None = None
    security: str = "starttls"  # "starttls", "ssl" or "none"
    timeout: float = 60.0


def part_size_for_message_limit(limit: int) -> int:
    """The largest part size whose message stays under `limit` bytes (base64 lines + headers)."""
    return max(0, (limit - 4096) * 57 // 78)


def build_messages(
    data: bytes,
    *,
    to: str | Sequence[str],
    sender: str = DEFAULT_SENDER,
    part_size: int = DEFAULT_PART_SIZE,
    prefix: str = "bundle",
    subject_template: str = texts.EMAIL_SUBJECT,
    body_template: str = texts.EMAIL_BODY,
    draft: bool = False,
) -> list[EmailMessage]:
    """One message per part of `data`, each with the part attached as `<part name>.cchc`.

    `draft=True` adds `X-Unsent: 1`, so mail clients that honour it open the file as a message
    ready to send rather than as a received one.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    sha = sha256_hex(data)
    blobs = split(data, part_size)
    count = len(blobs)
    domain = sender.rpartition("@")[2] or "localhost"
    messages: list[EmailMessage] = []
    for i, blob in enumerate(blobs, start=1):
        filename = part_name(prefix, sha, i, count)
        fields = {
            "index": i,
            "count": count,
            "sha8": sha[:8],
            "size": len(data),
            "filename": filename,
        }
        msg = EmailMessage(policy=policy.SMTP)
        msg["Subject"] = unicodedata.normalize("NFC", subject_template.format(**fields))
        msg["From"] = sender
        msg["To"] = ", ".join(recipients)
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = make_msgid(idstring=f"{sha[:16]}.{i}", domain=domain)
        msg["X-Sync-Bundle"] = f"{sha}; part={i}/{count}"
        if draft:
            msg["X-Unsent"] = "1"
        msg.set_content(
            unicodedata.normalize("NFC", body_template.format(**fields)), cte="quoted-printable"
        )
        msg.add_attachment(
            blob, maintype=ATTACHMENT_TYPE[0], subtype=ATTACHMENT_TYPE[1], filename=filename
        )
        messages.append(msg)
    return messages


def eml_name(msg: EmailMessage) -> str:
    """The file name for a message: its attachment's name with `.eml` instead of `.cchc`."""
    for att in msg.iter_attachments():
        name = att.get_filename()
        if name:
            return name[: -len(BUNDLE_SUFFIX)] + EML_SUFFIX
    raise NotABundle("message has no attachment to name it after")


def write_emails(
    folder: str | os.PathLike[str],
    data: bytes,
    *,
    to: str | Sequence[str],
    sender: str = DEFAULT_SENDER,
    part_size: int = DEFAULT_PART_SIZE,
    prefix: str = "bundle",
    subject_template: str = texts.EMAIL_SUBJECT,
    body_template: str = texts.EMAIL_BODY,
) -> list[Path]:
    """Write one `.eml` per part into `folder` atomically (as drafts, `X-Unsent: 1`).

    Returns the paths in part order; `folder` is created if needed.
    """
    msgs = build_messages(
        data,
        to=to,
        sender=sender,
        part_size=part_size,
        prefix=prefix,
        subject_template=subject_template,
        body_template=body_template,
        draft=True,
    )
    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    return write_all_atomic((base / eml_name(m), m.as_bytes()) for m in msgs)


def send_smtp(messages: Sequence[EmailMessage], config: SmtpConfig) -> None:
    """Hand every message to the SMTP server in `config`; `MailFailed` says which one failed."""
    try:
        if config.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                config.host,
                config.port,
                timeout=config.timeout,
                context=ssl.create_default_context(),
            )
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailFailed(
            f"cannot reach the mail server {config.host}:{config.port}: {exc}",
            host=config.host,
            port=config.port,
        ) from exc
    try:
        client.ehlo_or_helo_if_needed()
        if config.security == "starttls":
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if config.username:
            client.login(config.username, config.password or "")
        for msg in messages:
            try:
                client.send_message(msg)
            except (OSError, smtplib.SMTPException) as exc:
                raise MailFailed(
                    f"the mail server {config.host}:{config.port} refused message "
                    f"{msg['Subject']!r}: {exc}",
                    host=config.host,
                    port=config.port,
                    subject=str(msg["Subject"]),
                ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise MailFailed(
            f"the mail server {config.host}:{config.port} failed: {exc}",
            host=config.host,
            port=config.port,
        ) from exc
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()


def send_emails(
    data: bytes,
    config: SmtpConfig,
    *,
    to: str | Sequence[str],
    sender: str,
    part_size: int = DEFAULT_PART_SIZE,
    prefix: str = "bundle",
    subject_template: str = texts.EMAIL_SUBJECT,
    body_template: str = texts.EMAIL_BODY,
) -> int:
    """Build the messages for `data` and send them; returns how many were sent."""
    msgs = build_messages(
        data,
        to=to,
        sender=sender,
        part_size=part_size,
        prefix=prefix,
        subject_template=subject_template,
        body_template=body_template,
    )
    send_smtp(msgs, config)
    return len(msgs)


#: containers (multipart/… or message/… parts) in one message: bounds the parser's nesting
MAX_MIME_CONTAINERS = 32
#: parts in one message (lines that may open a part: those starting with "--")
MAX_MIME_PARTS = 1000
_CONTAINER = re.compile(rb"(?i)(?:multipart|message)\s*/")
_BOUNDARY_LINE = re.compile(rb"(?m)^--")


def extract_parts_from_bytes(raw: bytes, source: str = "<message>") -> list[bytes]:
    """Attachments of a raw message that are bundles or parts (`.cchc` name or part magic).

    The message is measured before it is parsed: more than `MAX_MIME_CONTAINERS` multipart or
    message containers (which bounds their nesting) or `MAX_MIME_PARTS` parts is refused with
    `TooLarge`; a message the parser cannot read is `NotABundle`. Neither quotes the message.
    """
    containers = len(_CONTAINER.findall(raw))
    if containers > MAX_MIME_CONTAINERS:
        raise TooLarge(
            f"{source!r} nests {containers} multipart or message parts, above the limit "
            f"{MAX_MIME_CONTAINERS}",
            source=source,
            limit=MAX_MIME_CONTAINERS,
        )
    lines = len(_BOUNDARY_LINE.findall(raw))
    if lines > MAX_MIME_PARTS:
        raise TooLarge(
            f"{source!r} has {lines} part boundaries, above the limit {MAX_MIME_PARTS}",
            source=source,
            limit=MAX_MIME_PARTS,
        )
    found: list[bytes] = []
    try:
        msg = BytesParser(policy=policy.compat32).parsebytes(raw)
        for att in msg.walk():
            if att.is_multipart():
                continue
            name = att.get_filename() or ""
            if not name and att.get_content_maintype() == "text":
                continue
            payload = att.get_payload(decode=True)
            if not isinstance(payload, bytes) or not payload:
                continue
            if str(name).lower().endswith(BUNDLE_SUFFIX) or is_part(payload):
                found.append(payload)
    except Exception as exc:  # the stdlib parser is not hardened: any failure is "unreadable"
        raise NotABundle(
            f"{source!r} cannot be read as an e-mail message ({exc.__class__.__name__})",
            source=source,
        ) from None
    if not found:
        raise NotABundle(f"{source!r} has no bundle attachment", source=source)
    return found


def extract_parts(eml_path: str | os.PathLike[str]) -> list[bytes]:
    """The bundle or part attachments of a saved `.eml` file, as bytes, in message order."""
    p = Path(eml_path)
    return extract_parts_from_bytes(p.read_bytes(), str(p))
