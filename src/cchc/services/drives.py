"""Removable drives (USB sticks) plugged into this computer, offered in place of typed paths.

Linux mounts them under ``/media/<user>/<label>`` (Debian, Ubuntu) or ``/run/media/<user>/<label>``
(Fedora…); Windows gives them a drive letter of the removable type; macOS under ``/Volumes``.
The app serves its pages from the same computer, so the list is right in the window and in the
browser alike. ``CCHC_REMOVABLE_ROOTS`` (folders separated by the path separator) replaces the
places looked in, for tests and for unusual set-ups.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOTS_ENV = "CCHC_REMOVABLE_ROOTS"
LINUX_ROOTS = ("/media", "/run/media")
MAX_DRIVES = 32
DRIVE_REMOVABLE = 2  # GetDriveTypeW


@dataclass(frozen=True)
class Drive:
    """A plugged-in drive: where it is mounted, its name, and the room left on it (bytes)."""

    path: Path
    name: str
    free: int | None


def _mounted_under(roots: Sequence[Path]) -> list[Path]:
    """Folders one or two levels below each root: ``/media/usb0`` and ``/media/an/KINGSTON``."""
    found: list[Path] = []
    for root in roots:
        try:
            first = sorted(p for p in root.iterdir() if p.is_dir())
        except OSError:
            continue
        for entry in first:
            if os.path.ismount(entry) or root.name == "Volumes":
                found.append(entry)
                continue
            try:
                found += sorted(p for p in entry.iterdir() if p.is_dir())
            except OSError:
                continue
    return found


def _configured_roots() -> list[Path] | None:
    raw = os.environ.get(ROOTS_ENV)
    if raw is None:
        return None
    return [Path(p) for p in raw.split(os.pathsep) if p]


def _windows_drives() -> list[Path]:  # pragma: no cover - runs on Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    mask = kernel32.GetLogicalDrives()
    out = []
    for i in range(26):
        if mask & (1 << i):
            root = f"{chr(65 + i)}:\\"
            if kernel32.GetDriveTypeW(root) == DRIVE_REMOVABLE:
                out.append(Path(root))
    return out


def _free(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def removable_drives() -> list[Drive]:
    """The drives plugged in now, at most ``MAX_DRIVES``, by name."""
    roots = _configured_roots()
    if roots is not None:
        paths = _mounted_under(roots)
    elif sys.platform == "win32":  # pragma: no cover
        paths = _windows_drives()
    elif sys.platform == "darwin":  # pragma: no cover
        paths = _mounted_under([Path("/Volumes")])
    else:
        paths = _mounted_under([Path(r) for r in LINUX_ROOTS])
    drives = [Drive(path=p, name=p.name or str(p), free=_free(p)) for p in paths[:MAX_DRIVES]]
    return sorted(drives, key=lambda d: (d.name.casefold(), str(d.path)))
