"""Feeds and segments (SPEC.md section "Feeds and segments").

A site's own changes form its feed: entries numbered 1, 2, 3… without gaps, each bound to the
previous by ``h[i] = SHA-256(h[i-1] || entry_bytes(i))`` with ``h[0]`` = 32 zero bytes. A segment
is a run of entries ``first..last`` signed once by the origin over its hash-chain head, so a relay
can carry it unchanged and verification costs one signature per segment, not per change.
"""

from __future__ import annotations

import hashlib
import lzma
import re
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from itertools import chain as concat
from operator import sub
from typing import NamedTuple

from .encoding import (
    TAG_BLOB,
    TAG_INT,
    TAG_NULL,
    TAG_TEXT,
    Reader,
    Value,
    canonical_json,
    encode_value,
    lp,
    parse_canonical_json,
    varint,
)
from .errors import ChainBroken, Malformed, TooLarge, Truncated, UnknownCapability
from .limits import MAX_SEGMENT_BODY, MAX_SEGMENT_ENTRIES
from .signing import SigningKey, verify

ZERO_HASH = b"\x00" * 32
SEGMENT_CONTEXT = b"sync-segment-v1\x00"
CODEC_ZLIB = 1
CODEC_LZMA = 2
CODEC_NAMES = {CODEC_ZLIB: "zlib", CODEC_LZMA: "lzma"}
MAX_BODY = MAX_SEGMENT_BODY
#: the fewest bytes one entry takes in a body: a clock delta, three indexes and a value tag
MIN_ENTRY_BYTES = 5
TOMBSTONE = "~"

_QQ = struct.Struct(">QQ")
_LOW = bytes(range(0x80))  # the bytes that end a varint
_HIGH = re.compile(b"[\x80-\xff]")


class Entry(NamedTuple):
    """One column-level change: at clock ``hlc``, ``table.row_id.col`` became ``value``.

    ``col`` is ``"~"`` for the row's existence: value 1 is a tombstone, 0 an insert.
    """

    seq: int
    hlc: int
    table: str
    row_id: str
    col: str
    value: Value


def entry_bytes(e: Entry) -> bytes:
    """The canonical bytes of an entry as hashed into the chain."""
    return (
        _QQ.pack(e.seq, e.hlc)
        + lp(e.table.encode())
        + lp(e.row_id.encode())
        + lp(e.col.encode())
        + encode_value(e.value)
    )


def chain(prev: bytes, entries: Sequence[Entry]) -> bytes:
    """The hash-chain head after ``entries`` (reference form, one entry at a time)."""
    h = prev
    for e in entries:
        h = hashlib.sha256(h + entry_bytes(e)).digest()
    return h


def encode_columns(cols: Columns, first_seq: int, prev_hash: bytes) -> tuple[bytes, bytes]:
    """Columnar body: string table, then hlc deltas, table, row, column indexes, then values.

    Also returns the chain head the entries make from ``prev_hash``, hashed from the same pieces.
    """
    hlcs, tables, rows, names, values = cols
    n = len(hlcs)
    # strings in first-use order, entry by entry: the few column names come early
    index = {
        s: i
        for i, s in enumerate(
            dict.fromkeys(concat.from_iterable(zip(tables, rows, names, strict=True)))
        )
    }
    lps = [lp(s.encode()) for s in index]
    numbers = [varint(i) for i in range(len(index))]
    tix = list(map(index.__getitem__, tables))
    rix = list(map(index.__getitem__, rows))
    cix = list(map(index.__getitem__, names))
    deltas = map(sub, hlcs, concat((0,), hlcs))
    zz = [(d << 1) if d >= 0 else ((-d << 1) - 1) for d in deltas]
    encoded = list(map(encode_value, values))
    body = b"".join(
        (
            varint(n),
            varint(len(lps)),
            *lps,
            b"".join(map(_small_varint, zz)),
            *(b"".join(map(numbers.__getitem__, ix)) for ix in (tix, rix, cix)),
            *encoded,
        )
    )
    return body, _chain_head(prev_hash, first_seq, hlcs, lps, tix, rix, cix, encoded)


def _chain_head(
    prev_hash: bytes,
    first_seq: int,
    hlcs: list[int],
    lps: list[bytes],
    tix: list[int],
    rix: list[int],
    cix: list[int],
    value_bytes: list[bytes],
) -> bytes:
    """The chain over entries given by their parts (``lps`` holds the length-prefixed strings
    the indexes point to): the same bytes as ``entry_bytes``, without making each entry."""
    pack = _QQ.pack
    sha = hashlib.sha256
    join = b"".join
    head = prev_hash
    for seq, h, ti, ri, ci, v in zip(
        range(first_seq, first_seq + len(hlcs)), hlcs, tix, rix, cix, value_bytes, strict=True
    ):
        head = sha(join((head, pack(seq, h), lps[ti], lps[ri], lps[ci], v))).digest()
    return head


#: clock deltas repeat (0 within one statement, small steps between): remember their bytes
_small_varint = lru_cache(maxsize=4096)(varint)


def _varints(data: bytes, pos: int, n: int, where: str) -> tuple[list[int], int]:
    """Read ``n`` varints from ``pos`` (a fast path of Reader.varint)."""
    run = data[pos : pos + n]
    if len(run) == n and run.isascii():  # every value below 128: one byte each
        return list(run), pos + n
    if len(run) == n and len(run.translate(None, _LOW)) * 16 < n:
        # mostly one-byte values: take each stretch of them whole, read the others singly
        out: list[int] = []
        extend = out.extend
        while len(out) < n:
            want = n - len(out)
            found = _HIGH.search(data, pos, pos + want)
            stop = found.start() if found else pos + want
            if stop > len(data):
                raise Truncated(f"{where}: data ends inside a varint at offset {len(data)}")
            extend(data[pos:stop])
            pos = stop
            if found:
                one, pos = _varints_loop(data, pos, 1, where)
                extend(one)
        return out, pos
    return _varints_loop(data, pos, n, where)


def _varints_loop(data: bytes, pos: int, n: int, where: str) -> tuple[list[int], int]:
    end = len(data)
    out: list[int] = []
    append = out.append
    for _ in range(n):
        if pos >= end:
            raise Truncated(f"{where}: data ends inside a varint at offset {pos}")
        b = data[pos]
        pos += 1
        if b < 0x80:
            append(b)
            continue
        if pos < end and 0 < data[pos] < 0x80:  # two bytes, the commonest long form
            append((b & 0x7F) | (data[pos] << 7))
            pos += 1
            continue
        v = b & 0x7F
        shift = 7
        while True:
            if pos >= end:
                raise Truncated(f"{where}: data ends inside a varint at offset {pos}")
            b = data[pos]
            pos += 1
            v |= (b & 0x7F) << shift
            if b < 0x80:
                if b == 0:
                    raise Malformed(f"{where}: non-canonical varint at offset {pos - 1}")
                break
            shift += 7
            if shift > 63:
                raise Malformed(f"{where}: varint longer than 9 bytes at offset {pos}")
        append(v)
    return out, pos


class Columns(NamedTuple):
    """A segment's entries as parallel lists (entry ``i`` has sequence number ``first + i``).

    The merge reads these directly, so a large import builds no per-entry objects.
    """

    hlcs: list[int]
    tables: list[str]
    rows: list[str]
    cols: list[str]
    values: list[Value]


def decode_columns(
    data: bytes, first_seq: int, last_seq: int, prev_hash: bytes
) -> tuple[Columns, bytes]:
    """A body's entries as columns, and the chain head they make from ``prev_hash``; strict
    about the grammar."""
    where = f"segment body {first_seq}..{last_seq}"
    r = Reader(data, where)
    n = r.varint("entry count")
    if n != last_seq - first_seq + 1:
        raise Malformed(
            f"segment {first_seq}..{last_seq}: body holds {n} entries, "
            f"expected {last_seq - first_seq + 1}"
        )
    if n * MIN_ENTRY_BYTES > r.remaining():
        raise Malformed(
            f"segment {first_seq}..{last_seq}: {n} entries cannot fit in {r.remaining()} bytes"
        )
    ns = r.varint("string count")
    if ns > r.remaining():
        raise Malformed(f"segment {first_seq}..{last_seq}: string count {ns} exceeds body")
    strings: list[str] = []
    lps: list[bytes] = []
    end = len(data)
    pos = r.pos
    for i in range(ns):
        start = pos
        size = data[pos] if pos < end else 0x80
        if size < 0x80 and pos + 1 + size <= end:  # a short string: its length is one byte
            pos += 1 + size
            try:
                strings.append(data[start + 1 : pos].decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise Malformed(f"{where}: string {i} is not UTF-8") from exc
        else:
            r.pos = pos
            strings.append(r.text(f"string {i}"))
            pos = r.pos
        lps.append(data[start:pos])
    zs, pos = _varints(data, pos, n, where)
    hlcs = list(accumulate([(z >> 1) if not z & 1 else -((z + 1) >> 1) for z in zs]))
    if n and (min(hlcs) < 0 or max(hlcs) >> 63):
        raise Malformed(f"segment {first_seq}..{last_seq}: a clock outside the 64-bit range")
    t, pos = _varints(data, pos, n, where)
    rw, pos = _varints(data, pos, n, where)
    c, pos = _varints(data, pos, n, where)
    if n and max(max(t), max(rw), max(c)) >= ns:
        raise Malformed(f"segment {first_seq}..{last_seq}: a string index is >= {ns}")
    values: list[Value] = []
    raws: list[bytes] = []
    add_value = values.append
    add_raw = raws.append
    for _ in range(n):
        start = pos
        tag = data[pos] if pos < end else -1
        if tag in (TAG_TEXT, TAG_BLOB) and pos + 1 < end and data[pos + 1] < 0x80:
            stop = pos + 2 + data[pos + 1]
            if stop > end:
                raise Truncated(f"{where}: data ends inside a value at offset {pos}")
            chunk = data[pos + 2 : stop]
            if tag == TAG_TEXT:
                try:
                    add_value(chunk.decode("utf-8"))
                except UnicodeDecodeError as exc:
                    raise Malformed(f"{where}: text value is not UTF-8 at {pos}") from exc
            else:
                add_value(chunk)
            pos = stop
        elif tag == TAG_INT and pos + 1 < end and data[pos + 1] < 0x80:
            z = data[pos + 1]
            add_value((z >> 1) ^ -(z & 1))
            pos += 2
        elif tag == TAG_NULL:
            add_value(None)
            pos += 1
        else:
            r.pos = pos
            add_value(r.value("value"))
            pos = r.pos
        add_raw(data[start:pos])
    r.pos = pos
    r.finish()
    head = _chain_head(prev_hash, first_seq, hlcs, lps, t, rw, c, raws)
    cols = Columns(
        hlcs,
        [strings[i] for i in t],
        [strings[i] for i in rw],
        [strings[i] for i in c],
        values,
    )
    return cols, head


def columns_of(entries: Sequence[Entry]) -> Columns:
    """The columns of entries already held as objects (a segment this site sealed)."""
    return Columns(
        [e.hlc for e in entries],
        [e.table for e in entries],
        [e.row_id for e in entries],
        [e.col for e in entries],
        [e.value for e in entries],
    )


def entries_of(cols: Columns, first_seq: int) -> list[Entry]:
    make = tuple.__new__  # Entry's own __new__ minus the per-call argument binding
    return [
        make(Entry, (seq, h, t, r, c, v))
        for seq, h, t, r, c, v in zip(
            range(first_seq, first_seq + len(cols.hlcs)), *cols, strict=True
        )
    ]


def compress(codec: int, raw: bytes) -> bytes:
    if codec == CODEC_ZLIB:
        return zlib.compress(raw, 6)
    if codec == CODEC_LZMA:
        return lzma.compress(raw, format=lzma.FORMAT_XZ, preset=6)
    raise UnknownCapability(f"unknown segment codec {codec}", capability=str(codec))


def decompress(codec: int, data: bytes, raw_len: int) -> bytes:
    """The body, decompressed in bounded steps: never more than ``raw_len`` + 1 bytes are
    produced, and ``raw_len`` is checked against ``MAX_SEGMENT_BODY`` first."""
    if raw_len > MAX_BODY:
        raise TooLarge(
            f"segment body declares {raw_len} bytes uncompressed, above the limit {MAX_BODY}",
            limit=MAX_BODY,
        )
    try:
        if codec == CODEC_ZLIB:
            d = zlib.decompressobj()
            out = d.decompress(data, raw_len + 1)
            if len(out) > raw_len:
                raise TooLarge(
                    f"segment body decompresses to more than the {raw_len} bytes it declares",
                    limit=raw_len,
                )
            if not d.eof or d.unused_data or d.unconsumed_tail:
                raise Malformed("segment body: zlib stream has trailing or missing data")
        elif codec == CODEC_LZMA:
            ld = lzma.LZMADecompressor(format=lzma.FORMAT_XZ, memlimit=_XZ_MEMLIMIT)
            out = ld.decompress(data, raw_len + 1)
            if len(out) > raw_len:
                raise TooLarge(
                    f"segment body decompresses to more than the {raw_len} bytes it declares",
                    limit=raw_len,
                )
            if not ld.eof or ld.unused_data:
                raise Malformed("segment body: xz stream has trailing or missing data")
        else:
            raise UnknownCapability(
                f"segment codec {codec} is not one this engine reads", capability=str(codec)
            )
    except (zlib.error, lzma.LZMAError) as exc:
        raise Malformed("segment body does not decompress") from exc
    if len(out) != raw_len:
        raise Malformed(f"segment body is {len(out)} bytes, header says {raw_len}")
    return out


#: the decoder memory an xz stream may ask for (preset 6 needs 9 MiB; 9e needs 65 MiB)
_XZ_MEMLIMIT = 128 * 1024 * 1024


@dataclass
class Segment:
    """A signed run of one origin's feed, exactly as carried in bundles and stored by relays."""

    origin: str
    signer: bytes
    first_seq: int
    last_seq: int
    prev_hash: bytes
    head: bytes
    seen: dict[str, int]
    codec: int
    raw_len: int
    body: bytes
    sig: bytes
    _entries: list[Entry] | None = field(default=None, repr=False, compare=False)
    _columns: Columns | None = field(default=None, repr=False, compare=False)

    def signed_message(self) -> bytes:
        return signed_message(
            self.origin,
            self.signer,
            self.first_seq,
            self.last_seq,
            self.prev_hash,
            self.head,
            self.seen,
        )

    def encode(self) -> bytes:
        return (
            lp(self.origin.encode())
            + self.signer
            + varint(self.first_seq)
            + varint(self.last_seq)
            + self.prev_hash
            + self.head
            + lp(canonical_json(self.seen))
            + bytes([self.codec])
            + varint(self.raw_len)
            + lp(self.body)
            + self.sig
        )

    @classmethod
    def decode(cls, data: bytes, where: str = "segment") -> Segment:
        r = Reader(data, where)
        origin = r.text("origin")
        signer = r.take(32, "signer key")
        first = r.u63("first seq")
        last = r.u63("last seq")
        if first < 1 or last < first:
            raise Malformed(f"{where}: bad sequence range {first}..{last}")
        if last - first + 1 > MAX_SEGMENT_ENTRIES:
            raise TooLarge(
                f"{where}: {last - first + 1} entries, above the limit {MAX_SEGMENT_ENTRIES}",
                limit=MAX_SEGMENT_ENTRIES,
            )
        prev = r.take(32, "previous hash")
        head = r.take(32, "head hash")
        seen_raw = r.lp("seen vector")
        seen = parse_canonical_json(seen_raw, f"{where} seen vector")
        if not isinstance(seen, dict) or not all(
            type(v) is int and 0 <= v < 1 << 63 for v in seen.values()
        ):
            raise Malformed(f"{where}: seen vector must map site ids to 64-bit clocks")
        codec = r.byte("codec")
        raw_len = r.varint("body length")
        if raw_len > MAX_BODY:
            raise TooLarge(
                f"{where}: body declares {raw_len} bytes uncompressed, above the limit {MAX_BODY}",
                limit=MAX_BODY,
            )
        body = r.lp("body")
        sig = r.take(64, "signature")
        r.finish()
        return cls(origin, signer, first, last, prev, head, seen, codec, raw_len, body, sig)

    def verify_signature(self) -> None:
        verify(
            self.signer,
            self.sig,
            self.signed_message(),
            f"segment {self.origin}:{self.first_seq}..{self.last_seq}",
        )

    def columns(self) -> Columns:
        """Decompress, decode and check the hash chain against the signed head."""
        if self._columns is None:
            raw = decompress(self.codec, self.body, self.raw_len)
            cols, got = decode_columns(raw, self.first_seq, self.last_seq, self.prev_hash)
            if got != self.head:
                raise ChainBroken(
                    f"segment {self.origin}:{self.first_seq}..{self.last_seq}: entries hash to "
                    f"{got.hex()[:16]}…, signed head is {self.head.hex()[:16]}…",
                    origin=self.origin,
                )
            self._columns = cols
        return self._columns

    def entries(self) -> list[Entry]:
        """The checked entries as objects (see ``columns``)."""
        if self._entries is None:
            self._entries = entries_of(self.columns(), self.first_seq)
        return self._entries

    @property
    def first_hlc(self) -> int:
        return self.columns().hlcs[0]

    @property
    def last_hlc(self) -> int:
        return self.columns().hlcs[-1]


def signed_message(
    origin: str,
    signer: bytes,
    first: int,
    last: int,
    prev: bytes,
    head: bytes,
    seen: dict[str, int],
) -> bytes:
    return (
        SEGMENT_CONTEXT
        + lp(origin.encode())
        + signer
        + varint(first)
        + varint(last)
        + prev
        + head
        + lp(canonical_json(seen))
    )


def seal(
    key: SigningKey,
    origin: str,
    entries: Sequence[Entry],
    prev_hash: bytes,
    seen: dict[str, int],
    codec: int = CODEC_ZLIB,
) -> Segment:
    """Make a signed segment of ``entries`` (already numbered, following ``prev_hash``)."""
    if not entries:
        raise ValueError("cannot seal an empty segment")
    for a, b in zip(entries, entries[1:], strict=False):
        if b.seq != a.seq + 1:
            raise ValueError(f"entries not consecutive: {a.seq} then {b.seq}")
    seg = seal_columns(key, origin, columns_of(entries), entries[0].seq, prev_hash, seen, codec)
    seg._entries = list(entries)
    return seg


def seal_columns(
    key: SigningKey,
    origin: str,
    cols: Columns,
    first: int,
    prev_hash: bytes,
    seen: dict[str, int],
    codec: int = CODEC_ZLIB,
) -> Segment:
    """Make a signed segment of the entries ``first, first + 1, …`` held as columns."""
    if not cols.hlcs:
        raise ValueError("cannot seal an empty segment")
    raw, head = encode_columns(cols, first, prev_hash)
    last = first + len(cols.hlcs) - 1
    sig = key.sign(signed_message(origin, key.public, first, last, prev_hash, head, seen))
    seg = Segment(
        origin,
        key.public,
        first,
        last,
        prev_hash,
        head,
        dict(seen),
        codec,
        len(raw),
        compress(codec, raw),
        sig,
    )
    seg._columns = cols
    return seg
