"""Numbered, self-describing parts of a bundle, and the store that reassembles them.

Each part file is a 96-byte header followed by a slice of the bundle (see sync/TRANSPORT.md):

    magic "CCHCPRT1" | version u16 | flags u16 | index u32 (1-based) | count u32 |
    bundle length u64 | bundle sha256 (32) | payload length u32 |
    digest (32) = sha256(the 64 header bytes before it + payload)

all integers big-endian. Parts can be imported in any order and in separate runs: `PartStore`
stages them in a folder, keyed by the bundle's sha256, and hands back the whole bundle once every
part has arrived and the bundle's own sha256 matches.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sync.limits import MAX_BUNDLE_BYTES
from sync.transport.errors import (
    HashMismatch,
    InvalidPartSize,
    NotABundle,
    PartCorrupt,
    PartsMissing,
    TooLarge,
    UnknownVersion,
)
from sync.transport.files import BUNDLE_SUFFIX, sha256_hex, write_all_atomic, write_atomic

PART_MAGIC = b"CCHCPRT1"
PART_VERSION = 1
_HEAD = struct.Struct(">8sHHIIQ32sI")
_DIGEST_LEN = 32
HEADER_SIZE = _HEAD.size + _DIGEST_LEN
MIN_PART_SIZE = 1024
MAX_PART_SIZE = 2**31
MIN_ROOM = MIN_PART_SIZE - HEADER_SIZE
MAX_ROOM = MAX_PART_SIZE - HEADER_SIZE
#: parts of one bundle (256 MiB in parts of 26 KiB; a mail of 5 MiB parts needs 52)
MAX_PARTS = 10_000
#: incomplete bundles staged at once, and the bundle bytes they declare together; past either,
#: the sets touched longest ago are dropped to make room
MAX_STAGED_SETS = 64
MAX_STAGED_BYTES = 1024 * 1024 * 1024
#: a staged set untouched this long (seconds) can be presumed never to complete, and is dropped
STAGED_MAX_AGE = 30 * 24 * 3600
_SHA_HEX = re.compile(r"^[0-9a-f]{64}$")
_NAME_RE = re.compile(
    r"^(?P<prefix>.+)-(?P<sha8>[0-9a-f]{8})\.part(?P<index>\d+)-of-(?P<count>\d+)"
    + re.escape(BUNDLE_SUFFIX)
    + r"$"
)


@dataclass(frozen=True)
class Part:
    """One parsed and verified part."""

    index: int
    count: int
    bundle_sha256: str
    bundle_size: int
    payload: bytes
    raw: bytes = field(repr=False)


def is_part(blob: bytes) -> bool:
    """True when `blob` starts with the part magic (it may still be corrupt)."""
    return blob[: len(PART_MAGIC)] == PART_MAGIC


def part_name(prefix: str, bundle_sha256: str, index: int, count: int) -> str:
    """`<prefix>-<sha8>.part003-of-007.cchc` (at least three digits, more when count needs it)."""
    width = max(3, len(str(count)))
    return f"{prefix}-{bundle_sha256[:8]}.part{index:0{width}d}-of-{count:0{width}d}{BUNDLE_SUFFIX}"


def _check_part_size(part_size: int) -> int:
    if (
        not isinstance(part_size, int)
        or isinstance(part_size, bool)
        or not MIN_PART_SIZE <= part_size <= MAX_PART_SIZE
    ):
        raise InvalidPartSize(
            f"part size {part_size!r} is out of range: it must be a whole number of bytes "
            f"from {MIN_PART_SIZE} to {MAX_PART_SIZE}",
            part_size=part_size,
            minimum=MIN_PART_SIZE,
            maximum=MAX_PART_SIZE,
        )
    return part_size


def split(data: bytes, part_size: int) -> list[bytes]:
    """Cut `data` into part files of at most `part_size` bytes each (header included)."""
    _check_part_size(part_size)
    if not data:
        raise NotABundle("an empty bundle cannot be split into parts", size=0)
    if len(data) > MAX_BUNDLE_BYTES:
        raise TooLarge(
            f"a bundle of {len(data)} bytes is above the limit {MAX_BUNDLE_BYTES}",
            size=len(data),
            limit=MAX_BUNDLE_BYTES,
        )
    room = part_size - HEADER_SIZE
    count = -(-len(data) // room)
    if count > MAX_PARTS:
        raise InvalidPartSize(
            f"part size {part_size} would cut this bundle into {count} parts, more than "
            f"{MAX_PARTS}; choose a larger part size",
            part_size=part_size,
            minimum=-(-len(data) // MAX_PARTS) + HEADER_SIZE,
            maximum=MAX_PART_SIZE,
        )
    bundle_sha = hashlib.sha256(data).digest()
    out: list[bytes] = []
    for i in range(count):
        payload = data[i * room : (i + 1) * room]
        head = _HEAD.pack(
            PART_MAGIC, PART_VERSION, 0, i + 1, count, len(data), bundle_sha, len(payload)
        )
        digest = hashlib.sha256(head + payload).digest()
        out.append(head + digest + payload)
    return out


def parse_part(blob: bytes, source: str = "<bytes>") -> Part:
    """Check a part file's header and digest; raise `PartCorrupt` naming `source` if wrong."""
    if not is_part(blob):
        raise NotABundle(f"{source!r} is not a bundle part (wrong magic)", source=source)
    if len(blob) < HEADER_SIZE:
        raise PartCorrupt(
            f"part {source!r} is truncated: {len(blob)} bytes, shorter than its header",
            source=source,
            reason="truncated",
        )
    magic, version, _flags, index, count, size, bsha, plen = _HEAD.unpack_from(blob)
    digest = blob[_HEAD.size : HEADER_SIZE]
    payload = blob[HEADER_SIZE:]
    if hashlib.sha256(blob[: _HEAD.size] + payload).digest() != digest:
        reason = "truncated" if len(payload) < plen else "checksum mismatch"
        raise PartCorrupt(f"part {source!r} is corrupt: {reason}", source=source, reason=reason)
    if version != PART_VERSION:
        raise UnknownVersion(
            f"part {source!r} has format version {version}, this code reads {PART_VERSION}",
            source=source,
            version=version,
        )
    if len(payload) != plen or not 1 <= index <= count or size == 0 or plen == 0:
        raise PartCorrupt(
            f"part {source!r} is corrupt: header says part {index} of {count}, "
            f"{plen} payload bytes, but {len(payload)} follow",
            source=source,
            reason="inconsistent header",
        )
    if count > MAX_PARTS or size > MAX_BUNDLE_BYTES:
        raise TooLarge(
            f"part {source!r} belongs to a bundle of {size} bytes in {count} parts, above the "
            f"limits ({MAX_BUNDLE_BYTES} bytes, {MAX_PARTS} parts)",
            source=source,
            count=count,
            size=size,
        )
    if not _fits_a_split(index, count, size, plen):
        raise PartCorrupt(
            f"part {source!r} is corrupt: {plen} payload bytes cannot be part {index} of "
            f"{count} of a {size}-byte bundle cut into parts of {MIN_PART_SIZE} to "
            f"{MAX_PART_SIZE} bytes",
            source=source,
            reason="inconsistent header",
        )
    return Part(index, count, bsha.hex(), size, payload, blob)


def _fits_a_split(index: int, count: int, size: int, plen: int) -> bool:
    """Whether some part size makes `split` cut a `size`-byte bundle into `count` parts whose
    part `index` carries `plen` bytes: every part but the last carries `room` bytes."""
    if index < count:  # plen is the room itself
        return MIN_ROOM <= plen <= MAX_ROOM and -(-size // plen) == count
    if count == 1:
        return plen == size <= MAX_ROOM
    rest = size - plen  # what the other count - 1 parts carry, `room` bytes each
    if rest <= 0 or rest % (count - 1):
        return False
    room = rest // (count - 1)
    return max(plen, MIN_ROOM) <= room <= MAX_ROOM


def write_parts(
    folder: str | os.PathLike[str], data: bytes, part_size: int, prefix: str = "bundle"
) -> list[Path]:
    """Split `data` and write each part atomically into `folder`; returns the paths in order."""
    parts = split(data, part_size)
    sha = sha256_hex(data)
    base = Path(folder)
    return write_all_atomic(
        (base / part_name(prefix, sha, i + 1, len(parts)), blob) for i, blob in enumerate(parts)
    )


@dataclass(frozen=True)
class AddResult:
    """What happened to one part given to `PartStore.add`."""

    status: Literal["staged", "duplicate", "complete"]
    bundle_sha256: str
    index: int
    count: int
    missing: list[int]
    bundle: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class PartsStatus:
    """A bundle whose parts are partly staged."""

    bundle_sha256: str
    count: int
    have: list[int]
    missing: list[int]
    missing_names: list[str]
    updated_at: float


class PartStore:
    """A staging folder collecting parts of bundles across imports until each bundle is whole.

    Parts are kept under `<folder>/<bundle sha256>-<count>/<index>.part`, so the same bundle split
    two ways never mixes; once either split is whole, both are dropped. What is staged is bounded
    (`MAX_STAGED_SETS` sets declaring at most `MAX_STAGED_BYTES` together; a set untouched for
    `STAGED_MAX_AGE` expires), and a staged set that is damaged or impossible is dropped, so
    nothing left in the folder can stop a later import.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _dir(self, sha: str, count: int) -> Path:
        return self.folder / f"{sha}-{count}"

    def _keys(self, sha: str | None = None) -> list[tuple[str, int]]:
        keys: list[tuple[str, int]] = []
        for d in sorted(self.folder.iterdir()):
            name, _, count = d.name.partition("-")
            if not (_SHA_HEX.match(name) and count.isdigit() and sha in (None, name)):
                continue
            if not d.is_dir() or d.is_symlink():
                continue
            if not 1 <= int(count) <= MAX_PARTS or len(count) > 6:
                # left by an older version or planted: it can never complete, so drop it
                with contextlib.suppress(OSError):
                    shutil.rmtree(d)
                continue
            keys.append((name, int(count)))
        return keys

    def _meta(self, sha: str, count: int) -> dict[str, Any] | None:
        try:
            raw = (self._dir(sha, count) / "meta.json").read_bytes()
            if len(raw) > 4096:
                return None
            meta = json.loads(raw)
        except (OSError, ValueError, RecursionError):
            return None
        if (
            not isinstance(meta, dict)
            or not isinstance(meta.get("size"), int)
            or not 1 <= meta["size"] <= MAX_BUNDLE_BYTES
            or not isinstance(meta.get("prefix", ""), str)
        ):
            return None
        return meta

    def _have(self, sha: str, count: int) -> list[int]:
        d = self._dir(sha, count)
        if not d.is_dir():
            return []
        found = (p.stem for p in d.glob("*.part"))
        return sorted(i for i in (int(s) for s in found if s.isdigit() and len(s) <= 8) if i)

    def _missing(self, sha: str, count: int) -> list[int]:
        have = set(self._have(sha, count))
        return [i for i in range(1, count + 1) if i not in have]

    def add(self, blob: bytes, source: str = "<bytes>") -> AddResult:
        """Stage one part file. When it completes its bundle, return the bundle and clean up.

        Raises `NotABundle` (no part magic), `PartCorrupt` naming `source`, `UnknownVersion`,
        `TooLarge` (a bundle above the limits).
        """
        return self.add_part(parse_part(blob, source), source)

    def add_part(self, part: Part, source: str = "<bytes>") -> AddResult:
        """Like `add`, for a part already parsed with `parse_part`."""
        sha, count = part.bundle_sha256, part.count
        d = self._dir(sha, count)
        meta = self._meta(sha, count)
        if meta is not None and meta["size"] != part.bundle_size:
            raise PartCorrupt(
                f"part {source!r} says bundle {sha[:8]} has {part.bundle_size} bytes, "
                f"staged parts say {meta['size']}",
                source=source,
                reason="disagrees with staged parts",
            )
        status: Literal["staged", "duplicate", "complete"] = "staged"
        target = d / f"{part.index:08d}.part"
        if target.exists():
            status = "duplicate"
        else:
            if meta is None:
                self._make_room(part.bundle_size, keep=d.name)
            d.mkdir(parents=True, exist_ok=True)
            if meta is None:
                m = _NAME_RE.match(Path(source).name)
                prefix = m.group("prefix") if m else "bundle"
                info = {"count": count, "size": part.bundle_size, "prefix": prefix[:64]}
                write_atomic(d / "meta.json", json.dumps(info).encode())
            write_atomic(target, part.raw)
        missing = self._missing(sha, count)
        if missing:
            return AddResult(status, sha, part.index, count, missing)
        try:
            bundle = self.assemble(sha)
        except PartsMissing as exc:  # another import assembled and removed them meanwhile
            return AddResult(status, sha, part.index, count, list(exc.params["missing"]))
        return AddResult("complete", sha, part.index, count, [], bundle)

    def _make_room(self, size: int, keep: str) -> None:
        """Before a new set is staged: drop the sets touched longest ago until it fits."""
        sets = sorted(self.status(), key=lambda st: st.updated_at)
        declared = {st.bundle_sha256: 0 for st in sets}
        for st in sets:
            meta = self._meta(st.bundle_sha256, st.count) or {}
            declared[st.bundle_sha256] += int(meta.get("size", 0))
        total = sum(declared.values())
        for st in sets:
            if len(declared) < MAX_STAGED_SETS and total + size <= MAX_STAGED_BYTES:
                break
            if f"{st.bundle_sha256}-{st.count}" == keep or st.bundle_sha256 not in declared:
                continue
            total -= declared.pop(st.bundle_sha256)
            self.discard(st.bundle_sha256)

    def assemble(self, bundle_sha256: str) -> bytes:
        """The whole bundle from its staged parts (then removed); `PartsMissing` if incomplete."""
        sha = bundle_sha256
        best: list[int] = []
        for _, count in self._keys(sha):
            missing = self._missing(sha, count)
            if not missing:
                return self._join(sha, count)
            if not best or len(missing) < len(best):
                best = missing
        raise PartsMissing(
            f"bundle {sha[:8]} is not complete: missing parts {best or 'all'}",
            bundle_sha256=sha,
            missing=best,
        )

    def _join(self, sha: str, count: int) -> bytes:
        d = self._dir(sha, count)
        meta = self._meta(sha, count) or {}
        size = int(meta.get("size", MAX_BUNDLE_BYTES))
        chunks: list[bytes] = []
        total = 0
        for i in range(1, count + 1):
            staged = d / f"{i:08d}.part"
            try:
                payload = parse_part(staged.read_bytes(), str(staged)).payload
            except (OSError, PartCorrupt, NotABundle, TooLarge, UnknownVersion) as exc:
                # gone (another import used it) or damaged on disk: drop it so it can come again
                with contextlib.suppress(OSError):
                    staged.unlink()
                raise PartsMissing(
                    f"bundle {sha[:8]} is not complete: staged part {i} is unusable "
                    f"({exc.__class__.__name__})",
                    bundle_sha256=sha,
                    missing=[i],
                ) from None
            total += len(payload)
            if total > size:
                break
            chunks.append(payload)
        data = b"".join(chunks)
        self.discard(sha)
        if total != size or sha256_hex(data) != sha:
            raise HashMismatch(
                f"parts of bundle {sha[:8]} joined into {total} bytes that are not the bundle "
                f"announced ({size} bytes, sha256 {sha[:8]})",
                bundle_sha256=sha,
            )
        return data

    def status(self) -> list[PartsStatus]:
        """Every bundle with parts staged and still waiting for others (damaged sets dropped)."""
        out: list[PartsStatus] = []
        for sha, count in self._keys():
            meta = self._meta(sha, count)
            d = self._dir(sha, count)
            try:
                if meta is None:
                    raise ValueError("no readable meta.json")
                have = self._have(sha, count)
                missing = self._missing(sha, count)
                updated = max((p.lstat().st_mtime for p in d.iterdir()), default=0.0)
            except (OSError, ValueError):
                with contextlib.suppress(OSError):
                    shutil.rmtree(d)
                continue
            prefix = str(meta.get("prefix", "bundle"))
            out.append(
                PartsStatus(
                    sha,
                    count,
                    have,
                    missing,
                    [part_name(prefix, sha, i, count) for i in missing],
                    updated,
                )
            )
        return out

    def missing(self, bundle_sha256: str) -> list[int]:
        """Indices (1-based) of the parts still missing from the most complete staged split."""
        found = [s.missing for s in self.status() if s.bundle_sha256 == bundle_sha256]
        return min(found, key=len) if found else []

    def discard(self, bundle_sha256: str) -> None:
        """Forget every staged part of a bundle (every split of it)."""
        for sha, count in self._keys(bundle_sha256):
            with contextlib.suppress(FileNotFoundError):
                shutil.rmtree(self._dir(sha, count))

    def prune(self, older_than: float = STAGED_MAX_AGE) -> list[str]:
        """Drop staged bundles untouched for `older_than` seconds; returns their sha256s."""
        now = time.time()
        dropped = [s.bundle_sha256 for s in self.status() if now - s.updated_at >= older_than]
        for sha in dropped:
            self.discard(sha)
        return dropped


def write_bundle(
    folder: str | os.PathLike[str],
    data: bytes,
    *,
    prefix: str = "bundle",
    part_size: int | None = None,
) -> list[Path]:
    """Write a bundle into `folder`: one `<prefix>-<sha8>.cchc`, or numbered parts if `part_size`.

    Raises `DiskFull`/`WriteFailed` (nothing left behind), `InvalidPartSize`, `NotABundle` (empty).
    """
    if not data:
        raise NotABundle("an empty bundle cannot be written", size=0)
    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    if part_size is None:
        return [write_atomic(base / f"{prefix}-{sha256_hex(data)[:8]}{BUNDLE_SUFFIX}", data)]
    return write_parts(base, data, part_size, prefix)
