"""Atomic bundle files for a folder or USB stick.

A writer puts the bytes under a hidden temporary name in the target folder (`.<name>.<random>.tmp`),
flushes and fsyncs the file, renames it to its final name and fsyncs the folder. Readers only ever
look at final names ending in `BUNDLE_SUFFIX`, so a stick pulled mid-write (or a writer killed)
leaves at most a temporary file that nothing imports; `remove_stale_temps` sweeps those.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

from sync.transport.errors import DiskFull, WriteFailed

BUNDLE_SUFFIX = ".cchc"
TEMP_SUFFIX = ".tmp"
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data` as 64 lowercase hex digits: the identity of a bundle."""
    return hashlib.sha256(data).hexdigest()


def bundle_file_name(prefix: str, data: bytes) -> str:
    """`<prefix>-<first 8 hex of sha256>.cchc`, the name of a whole bundle file."""
    return f"{prefix}-{sha256_hex(data)[:8]}{BUNDLE_SUFFIX}"


def is_temp_name(name: str) -> bool:
    """True for the temporary names `write_atomic` uses (never picked up by readers)."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on folders
        pass
    finally:
        os.close(fd)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to `path` so that the final name holds either nothing or all of it.

    Raises `DiskFull` when the device has no room and `WriteFailed` for any other refusal; in
    both cases the temporary file is removed and the final name is untouched.
    """
    target = Path(path)
    folder = target.parent
    tmp = folder / f".{target.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}"
    fd = -1
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # the user's alone
        view = memoryview(data)
        while view:
            written = os.write(fd, view[: 1 << 20])
            view = view[written:]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, target)
        _fsync_dir(folder)
    except OSError as exc:
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise local_write_error(exc, target, len(data)) from exc
    return target


def local_write_error(exc: OSError, path: Path, size: int) -> DiskFull | WriteFailed:
    """The carrier error for an operating-system refusal to write `size` bytes to `path`."""
    if exc.errno in _NO_SPACE:
        return DiskFull(
            f"no space left on the device to write {str(path)!r} ({size} bytes)",
            path=str(path),
            size=size,
        )
    return WriteFailed(
        f"could not write {str(path)!r}: {exc.strerror or exc}",
        path=str(path),
        reason=exc.strerror or str(exc),
    )


def list_bundle_files(folder: str | os.PathLike[str]) -> list[Path]:
    """Final-named files (`*.cchc`, parts included) directly in `folder`, sorted by name."""
    base = Path(folder)
    return sorted(
        p
        for p in base.iterdir()
        if p.is_file() and p.name.lower().endswith(BUNDLE_SUFFIX) and not p.name.startswith(".")
    )


def remove_stale_temps(folder: str | os.PathLike[str], older_than: float = 3600.0) -> list[Path]:
    """Delete temporary files left by interrupted writers at least `older_than` seconds ago."""
    now = time.time()
    removed: list[Path] = []
    for p in Path(folder).iterdir():
        if p.is_file() and is_temp_name(p.name):
            with contextlib.suppress(OSError):
                if now - p.stat().st_mtime >= older_than:
                    p.unlink()
                    removed.append(p)
    return removed


def write_all_atomic(items: Iterable[tuple[Path, bytes]]) -> list[Path]:
    """Write several files atomically; on failure remove the ones already written, then raise."""
    done: list[Path] = []
    try:
        for path, data in items:
            done.append(write_atomic(path, data))
    except BaseException:
        for p in done:
            with contextlib.suppress(OSError):
                p.unlink()
        raise
    return done
