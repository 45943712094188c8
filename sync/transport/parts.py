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

from sync.transport.errors import (
    HashMismatch,
    InvalidPartSize,
    NotABundle,
    PartCorrupt,
    PartsMissing,
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
    room = part_size - HEADER_SIZE
    count = -(-len(data) // room)
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
    return Part(index, count, bsha.hex(), size, payload, blob)


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
    two ways (different part sizes) never mixes; once either split is whole, both are dropped.
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
            if d.is_dir() and _SHA_HEX.match(name) and count.isdigit() and sha in (None, name):
                keys.append((name, int(count)))
        return keys

    def _meta(self, sha: str, count: int) -> dict[str, Any] | None:
        try:
            raw = (self._dir(sha, count) / "meta.json").read_text("utf-8")
            meta: dict[str, Any] = json.loads(raw)
        except (OSError, ValueError):
            return None
        return meta

    def _have(self, sha: str, count: int) -> list[int]:
        d = self._dir(sha, count)
        if not d.is_dir():
            return []
        return sorted(int(p.stem) for p in d.glob("*.part") if p.stem.isdigit())

    def add(self, blob: bytes, source: str = "<bytes>") -> AddResult:
        """Stage one part file. When it completes its bundle, return the bundle and clean up.

        Raises `NotABundle` (no part magic), `PartCorrupt` naming `source`, `UnknownVersion`.
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
            d.mkdir(parents=True, exist_ok=True)
            if meta is None:
                m = _NAME_RE.match(Path(source).name)
                prefix = m.group("prefix") if m else "bundle"
                info = {"count": count, "size": part.bundle_size, "prefix": prefix}
                write_atomic(d / "meta.json", json.dumps(info).encode())
            write_atomic(target, part.raw)
        missing = sorted(set(range(1, count + 1)) - set(self._have(sha, count)))
        if missing:
            return AddResult(status, sha, part.index, count, missing)
        try:
            bundle = self.assemble(sha)
        except PartsMissing as exc:  # another import assembled and removed them meanwhile
            return AddResult(status, sha, part.index, count, list(exc.params["missing"]))
        return AddResult("complete", sha, part.index, count, [], bundle)

    def assemble(self, bundle_sha256: str) -> bytes:
        """The whole bundle from its staged parts (then removed); `PartsMissing` if incomplete."""
        sha = bundle_sha256
        best: list[int] = []
        for _, count in self._keys(sha):
            missing = sorted(set(range(1, count + 1)) - set(self._have(sha, count)))
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
        chunks: list[bytes] = []
        for i in range(1, count + 1):
            staged = d / f"{i:08d}.part"
            try:
                chunks.append(parse_part(staged.read_bytes(), str(staged)).payload)
            except (FileNotFoundError, PartCorrupt, NotABundle) as exc:
                # gone (another import used it) or damaged on disk: drop it so it can come again
                with contextlib.suppress(OSError):
                    staged.unlink()
                raise PartsMissing(
                    f"bundle {sha[:8]} is not complete: staged part {i} is unusable ({exc})",
                    bundle_sha256=sha,
                    missing=[i],
                ) from None
        data = b"".join(chunks)
        self.discard(sha)
        if sha256_hex(data) != sha or len(data) != meta.get("size", len(data)):
            raise HashMismatch(
                f"parts of bundle {sha[:8]} joined into {len(data)} bytes whose sha256 is "
                f"{sha256_hex(data)[:8]}, not {sha[:8]}",
                bundle_sha256=sha,
            )
        return data

    def status(self) -> list[PartsStatus]:
        """Every bundle with parts staged and still waiting for others."""
        out: list[PartsStatus] = []
        for sha, count in self._keys():
            meta = self._meta(sha, count)
            if meta is None:
                continue
            d = self._dir(sha, count)
            have = self._have(sha, count)
            missing = sorted(set(range(1, count + 1)) - set(have))
            prefix = str(meta.get("prefix", "bundle"))
            out.append(
                PartsStatus(
                    sha,
                    count,
                    have,
                    missing,
                    [part_name(prefix, sha, i, count) for i in missing],
                    max((p.stat().st_mtime for p in d.iterdir()), default=0.0),
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

    def prune(self, older_than: float) -> list[str]:
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
