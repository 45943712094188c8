"""Evidence files live beside the database, named by their SHA-256: stored once, never altered."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cchc.domain.errors import InvalidInput

_CHUNK = 1 << 20


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
        raise InvalidInput("file_unwritable", value=str(source), reason=exc.strerror) from exc
    return StoredFile(sha256=digest.hexdigest(), size=size, path=target)


def attachment_path(folder: Path, sha256: str) -> Path:
    return folder / sha256
