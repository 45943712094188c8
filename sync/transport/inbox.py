"""Turn whatever the user points an import at into whole bundles ready for the engine.

`gather(paths, store)` accepts bundle files, part files, saved `.eml` messages and folders of
those (only final names: `*.cchc` and `*.eml`, never temporary files). Parts are staged in the
`PartStore` so a bundle split over several imports completes when its last part arrives.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sync.limits import MAX_BUNDLE_BYTES
from sync.transport.email import EML_SUFFIX, extract_parts_from_bytes
from sync.transport.errors import NotABundle, TooLarge, TransportError, UnsafeFile
from sync.transport.files import BUNDLE_SUFFIX, is_temp_name, sha256_hex
from sync.transport.parts import HEADER_SIZE, PartsStatus, PartStore, is_part, parse_part


@dataclass(frozen=True)
class Arrived:
    """A whole bundle found in the inputs: its bytes, sha256 and where it came from."""

    data: bytes = field(repr=False)
    sha256: str
    source: str


@dataclass(frozen=True)
class Refused:
    """An input that could not be read as a bundle or part, with the carrier error why."""

    source: str
    error: TransportError


@dataclass
class Gathered:
    """The outcome of `gather`: bundles to import, inputs refused, bundles still waiting."""

    bundles: list[Arrived] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    staged: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    waiting: list[PartsStatus] = field(default_factory=list)


#: files taken from the inputs of one import; the rest wait for the next run
MAX_IMPORT_FILES = 1000
#: entries looked at in one folder (names that are not bundles count too)
MAX_FOLDER_ENTRIES = 100_000
#: one bundle or part file
MAX_FILE_BYTES = MAX_BUNDLE_BYTES + HEADER_SIZE
#: one saved e-mail message
MAX_EML_BYTES = 64 * 1024 * 1024
#: bytes read in one import, all files together
MAX_IMPORT_BYTES = 512 * 1024 * 1024


def _wanted(name: str) -> bool:
    return not name.startswith(".") and name.lower().endswith((BUNDLE_SUFFIX, EML_SUFFIX))


def _expand(paths: Iterable[str | os.PathLike[str]], refused: list[Refused]) -> list[Path]:
    """The files to read: those named, and the bundle and mail files directly in the folders
    named. Entries of a folder are never followed: a symbolic link is refused by name (the
    folder itself is taken as the user named it)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.is_dir():
            out.append(p)
            continue
        names: list[str] = []
        try:
            with os.scandir(p) as entries:
                for seen, entry in enumerate(entries, start=1):
                    if seen > MAX_FOLDER_ENTRIES:
                        refused.append(
                            Refused(
                                str(p),
                                TooLarge(
                                    f"folder {str(p)!r} holds more than {MAX_FOLDER_ENTRIES} "
                                    "entries; only the first were looked at",
                                    source=str(p),
                                    limit=MAX_FOLDER_ENTRIES,
                                ),
                            )
                        )
                        break
                    if _wanted(entry.name):
                        names.append(entry.name)
        except OSError as exc:
            refused.append(
                Refused(
                    str(p),
                    NotABundle(
                        f"cannot read folder {str(p)!r}: {exc.strerror or 'error'}",
                        source=str(p),
                    ),
                )
            )
            continue
        out.extend(p / name for name in sorted(names))
    return out


def _read_input(path: Path, limit: int) -> bytes:
    """The bytes of one plain file, refusing links, devices and files above `limit` before
    reading them (the file is opened without following a link, then checked by its handle)."""
    source = str(path)
    try:
        if path.is_symlink():
            raise UnsafeFile(
                f"{source!r} is a symbolic link; links in an import are not followed",
                source=source,
                reason="symlink",
            )
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK)
    except UnsafeFile:
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeFile(
                f"{source!r} is a symbolic link; links in an import are not followed",
                source=source,
                reason="symlink",
            ) from None
        raise NotABundle(
            f"cannot read {source!r}: {exc.strerror or 'error'}", source=source
        ) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsafeFile(
                f"{source!r} is not a plain file (a folder, device or pipe)",
                source=source,
                reason="not a regular file",
            )
        if st.st_size > limit:
            raise TooLarge(
                f"{source!r} is {st.st_size} bytes, above the limit {limit} for one file",
                source=source,
                size=st.st_size,
                limit=limit,
            )
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > limit:  # grew while being read
            raise TooLarge(
                f"{source!r} is above the limit {limit} for one file",
                source=source,
                limit=limit,
            )
        return b"".join(chunks)
    except OSError as exc:
        raise NotABundle(
            f"cannot read {source!r}: {exc.strerror or 'error'}", source=source
        ) from None
    finally:
        os.close(fd)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def gather(paths: Iterable[str | os.PathLike[str]], store: PartStore) -> Gathered:
    """Read every input; whole bundles come back at once, parts go through `store`.

    Every input gets an outcome of its own: one refused file never stops the others. Staged
    sets that expired (`STAGED_MAX_AGE`) are dropped first.
    """
    result = Gathered()
    seen: set[str] = set()
    store.prune()

    def take(blob: bytes, source: str) -> None:
        if is_part(blob):
            part = parse_part(blob, source)
            if part.bundle_sha256 in seen:
                result.duplicates.append(source)
                return
            added = store.add_part(part, source)
            if added.status == "complete" and added.bundle is not None:
                if added.bundle_sha256 not in seen:
                    seen.add(added.bundle_sha256)
                    result.bundles.append(Arrived(added.bundle, added.bundle_sha256, source))
            elif added.status == "duplicate":
                result.duplicates.append(source)
            else:
                result.staged.append(source)
            return
        if not blob:
            raise NotABundle(f"{source!r} is empty", source=source)
        sha = sha256_hex(blob)
        if sha in seen:
            result.duplicates.append(source)
            return
        seen.add(sha)
        result.bundles.append(Arrived(blob, sha, source))

    budget = MAX_IMPORT_BYTES
    files = _expand(paths, result.refused)
    for n, path in enumerate(files):
        source = str(path)
        if n >= MAX_IMPORT_FILES:
            result.refused.append(
                Refused(
                    source,
                    TooLarge(
                        f"{source!r} was not read: one import takes at most "
                        f"{MAX_IMPORT_FILES} files; import it again",
                        source=source,
                        limit=MAX_IMPORT_FILES,
                    ),
                )
            )
            continue
        try:
            if is_temp_name(path.name):
                raise NotABundle(
                    f"{source!r} is an unfinished temporary file, not a bundle", source=source
                )
            is_mail = path.name.lower().endswith(EML_SUFFIX)
            limit = MAX_EML_BYTES if is_mail else MAX_FILE_BYTES
            try:
                size = path.lstat().st_size
            except OSError:
                size = 0
            if min(size, limit) > budget:
                raise TooLarge(
                    f"{source!r} was not read: this import already read "
                    f"{MAX_IMPORT_BYTES - budget} bytes of at most {MAX_IMPORT_BYTES}; "
                    "import it again",
                    source=source,
                    limit=MAX_IMPORT_BYTES,
                )
            blob = _read_input(path, min(limit, budget))
            budget -= len(blob)
            if is_mail:
                attachments = extract_parts_from_bytes(blob, source)
                for k, att in enumerate(attachments, start=1):
                    label = source if len(attachments) == 1 else f"{source}#{k}"
                    try:
                        take(att, label)
                    except TransportError as exc:
                        result.refused.append(Refused(label, exc))
            else:
                take(blob, source)
        except TransportError as exc:
            result.refused.append(Refused(source, exc))
    result.waiting = store.status()
    return result
