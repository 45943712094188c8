"""Names for files the app writes into a folder people share (a USB stick, a mail folder):
an existing file is never overwritten, the new one gets the next free name."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

from sync.transport import write_atomic

MAX_TRIES = 1000


def free_path(path: Path) -> Path:
    """``path`` if nothing is there yet, else ``name (2).ext``, ``name (3).ext``… the first free.

    The suffix kept is everything after the first dot of the name (``.part001-of-003.cchc``
    stays whole), so the kind of file is still visible.
    """
    if not path.exists():
        return path
    stem, dot, rest = path.name.partition(".")
    for n in range(2, MAX_TRIES + 2):
        candidate = path.with_name(f"{stem} ({n}){dot}{rest}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(path)


def write_new_files(items: Iterable[tuple[Path, bytes]]) -> list[Path]:
    """Write each file atomically under the first free name near the one asked for; when one
    fails, the ones already written are removed and the error goes on."""
    done: list[Path] = []
    try:
        for path, data in items:
            done.append(write_atomic(free_path(path), data))
    except BaseException:
        for written in done:
            with contextlib.suppress(OSError):
                written.unlink()
        raise
    return done
