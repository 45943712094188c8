"""Evidence files live beside the database, named by their SHA-256: stored once, never altered."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cchc.domain.errors import InvalidInput, NotFound

_CHUNK = 1 << 20
_SHA256 = re.compile(r"[0-9a-f]{64}")


def checked_sha256(value: object) -> str:
    """`value` if it is a SHA-256 as stored (64 lowercase hex digits), else `InvalidInput`.

    Every path to an evidence file is built from a checked value, so a document row naming
    `/etc/hostname` or `../x` (from a hostile laptop) never opens anything.
    """
    if not isinstance(value, str) or not _SHA256.fullmatch(value):
        shown = value[:80] if isinstance(value, str) else type(value).__name__
        raise InvalidInput("sha256_invalid", value=shown)
    return value


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    path: Path


def store_file(source: Path, folder: Path) -> StoredFile:
    """Copy `source` into `folder` as <sha256>, atomically; a file already there is reused."""
    if not source.is_file():
        raise InvalidInput("file_missing", value=str(source))
    digest = hashlib.sha256()
    size = 0
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".incoming-{os.getpid()}-{source.name}"
    try:
        with source.open("rb") as src, tmp.open("wb") as out:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        target = folder / digest.hexdigest()
        if target.exists():
            tmp.unlink()
        else:
            os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInput("file_unwritable", value=str(source), errno=exc.errno) from exc
    return StoredFile(sha256=digest.hexdigest(), size=size, path=target)


def attachment_path(folder: Path, sha256: str) -> Path:
    return folder / checked_sha256(sha256)


def save_blob(conn: sqlite3.Connection, stored: StoredFile) -> None:
    """Keep the file's bytes in the database too, so the sync carries them (once per content)."""
    conn.execute(
        "INSERT OR IGNORE INTO attachment_blobs (id, size, data) VALUES (?, ?, ?)",
        (stored.sha256, stored.size, stored.path.read_bytes()),
    )


def materialize(conn: sqlite3.Connection, folder: Path, sha256: str) -> Path:
    """The file for `sha256` beside the database, written from the synced bytes if missing.

    Bytes whose hash does not match are never written out; `sha256` must be 64 lowercase hex
    digits (`InvalidInput` otherwise).
    """
    target = attachment_path(folder, sha256)
    if target.is_file() and not target.is_symlink():
        return target
    row = conn.execute("SELECT data FROM attachment_blobs WHERE id = ?", (sha256,)).fetchone()
    if row is None or hashlib.sha256(row[0]).hexdigest() != sha256:
        raise NotFound("attachment_missing", value=sha256)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".materialize-{os.getpid()}-{sha256}"
    with tmp.open("wb") as out:
        out.write(row[0])
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, target)
    return target
