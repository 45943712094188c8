"""Hostile files for the limit tests: forged but correctly signed bundles (made with a certified
site's own key, as a tampered laptop would), and the child-process side of the capped tests."""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from sync.encoding import Reader, varint
from sync.errors import SyncError
from sync.feeds import Segment
from sync.format import BUNDLE_CONTEXT, MAGIC, T_HEADER, T_SIGNATURE, decode_bundle, encode_bundle
from sync.signing import SigningKey
from sync.tests.netkit import open_site

MiB = 1024 * 1024


def zeros_deflated(size: int) -> bytes:
    """A zlib stream of `size` zero bytes, cheaply: one self-contained deflate block of a MiB of
    zeros (ended by a full flush) repeated, then the rest, the final block and the checksum."""
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = raw.compress(bytes(MiB)) + raw.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = tail.compress(bytes(size % MiB)) + tail.flush()
    adler = ((size % 65521) << 16) | 1  # Adler-32 of `size` zero bytes
    return b"\x78\xda" + block * (size // MiB) + last + adler.to_bytes(4, "big")


def with_segments(data: bytes, key: SigningKey, change: Any) -> bytes:
    """The bundle `data` with each segment replaced by `change(segment)` (a list), re-signed."""
    bundle, _signed, _sig = decode_bundle(data)
    segments: list[Segment] = []
    for seg in bundle.segments:
        segments.extend(change(seg))
    bundle.segments = segments
    return encode_bundle(bundle, key)


def bomb(seg: Segment, declared: int, actual: int) -> Segment:
    """The segment, its signature intact, with a body declaring `declared` bytes that inflates
    to `actual` zero bytes (the signature covers the chain head, not the body)."""
    return replace(seg, raw_len=declared, body=zeros_deflated(actual), _columns=None, _entries=None)


def xz_asking_for(dict_bytes_code: int, payload: bytes) -> bytes:
    """An xz stream of `payload` whose LZMA2 filter claims the dictionary size coded by
    `dict_bytes_code` (37: 1.5 GiB), the block header's CRC32 fixed to match."""
    import lzma

    data = bytearray(lzma.compress(payload, format=lzma.FORMAT_XZ, preset=0))
    start = 12  # after the stream header
    size = (data[start] + 1) * 4
    # block header: size, flags, filter id 0x21, props size 1, dict code, padding, CRC32
    assert data[start + 2 : start + 4] == b"\x21\x01"
    data[start + 4] = dict_bytes_code
    crc = zlib.crc32(bytes(data[start : start + size - 4]))
    data[start + size - 4 : start + size] = crc.to_bytes(4, "little")
    return bytes(data)


def resign(body: bytes, key: SigningKey) -> bytes:
    sig = key.sign(BUNDLE_CONTEXT + hashlib.sha256(body).digest())
    return body + bytes([T_SIGNATURE]) + varint(len(sig)) + sig


def with_header(data: bytes, header: bytes, key: SigningKey) -> bytes:
    """The bundle with its header section replaced by `header` (any bytes), re-signed."""
    r = Reader(data, "bundle", len(MAGIC) + 2)
    r.byte("header type")
    r.lp("header")
    rest_start = r.pos
    sig_start = len(data) - (1 + 1 + 64)
    prefix = data[: len(MAGIC) + 2] + bytes([T_HEADER]) + varint(len(header)) + header
    return resign(prefix + data[rest_start:sig_start], key)


def deep_header(data: bytes, depth: int) -> bytes:
    """The bundle's own header with a field of `depth` nested arrays added at the end."""
    r = Reader(data, "bundle", len(MAGIC) + 2)
    r.byte("header type")
    header = r.lp("header")
    return header[:-1] + b',"zz":' + b"[" * depth + b"]" * depth + b"}"


# ---------------------------------------------------------------------- child-process side


def import_file(tmp: str, name: str, bundle_path: str) -> dict[str, Any]:
    """In the capped child: open site `name` under `tmp` and import the bundle file."""
    site = open_site(Path(tmp), name)
    try:
        data = Path(bundle_path).read_bytes()
        try:
            return {"result": site.engine.import_bundle(data).as_dict()}
        except SyncError as exc:
            return {"code": exc.code, "message": str(exc)}
    finally:
        site.conn.close()


def gather_folder(staging: str, *paths: str) -> dict[str, Any]:
    """In the capped child: gather the paths through a part store; the outcome by name."""
    from sync.transport import PartStore, gather

    got = gather([Path(p) for p in paths], PartStore(staging))
    return {
        "bundles": [b.sha256 for b in got.bundles],
        "refused": {Path(r.source).name: [r.error.code, str(r.error)] for r in got.refused},
        "staged": [Path(s).name for s in got.staged],
        "waiting": [w.count for w in got.waiting],
    }


def integrity(conn: sqlite3.Connection) -> str:
    return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
