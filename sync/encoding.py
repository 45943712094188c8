"""Canonical encodings (SPEC.md section "Conventions"): varints, tagged values, canonical JSON.

A reader over bytes raises ``Truncated`` when data ends early and ``Malformed`` on a value the
grammar forbids, naming what it was reading and where.
"""

from __future__ import annotations

import json
import re
import struct
from typing import Any

from .errors import Malformed, TooLarge, Truncated
from .limits import MAX_JSON_BYTES, MAX_JSON_DEPTH

Value = None | int | float | str | bytes

TAG_NULL = 0
TAG_INT = 1
TAG_REAL = 2
TAG_TEXT = 3
TAG_BLOB = 4

_DOUBLE = struct.Struct(">d")


_ONE_BYTE = [bytes([i]) for i in range(0x80)]


def varint(n: int) -> bytes:
    """Unsigned LEB128."""
    if 0 <= n < 0x80:
        return _ONE_BYTE[n]
    if 0x80 <= n < 0x4000:
        return bytes((n & 0x7F | 0x80, n >> 7))
    if n < 0:
        raise ValueError(f"varint of negative number {n}")
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(n: int) -> int:
    if not -(1 << 63) <= n < (1 << 63):
        raise ValueError(f"integer {n} outside the 64-bit range")
    return (n << 1) ^ (n >> 63)


def unzigzag(n: int) -> int:
    return (n >> 1) ^ -(n & 1)


def lp(data: bytes) -> bytes:
    """Length-prefixed bytes: varint length then the bytes."""
    return varint(len(data)) + data


_SHORT_TEXT = [b"\x03" + bytes([i]) for i in range(0x80)]
_SMALL_INT = {i: b"\x01" + varint(zigzag(i)) for i in range(-64, 64)}


def encode_value(v: Value) -> bytes:
    kind = type(v)
    if kind is str:  # the common cases first, by exact type
        b = v.encode("utf-8")  # type: ignore[union-attr]
        if len(b) < 0x80:
            return _SHORT_TEXT[len(b)] + b
        return b"\x03" + lp(b)
    if kind is int and -64 <= v < 64:  # type: ignore[operator]
        return _SMALL_INT[v]  # type: ignore[index]
    if v is None:
        return b"\x00"
    if isinstance(v, bool):
        v = int(v)
    if isinstance(v, int):
        return b"\x01" + varint(zigzag(v))
    if isinstance(v, float):
        return b"\x02" + _DOUBLE.pack(v)
    if isinstance(v, str):
        return b"\x03" + lp(v.encode("utf-8"))
    if isinstance(v, bytes | bytearray | memoryview):
        return b"\x04" + lp(bytes(v))
    raise TypeError(f"cannot encode value of type {type(v).__name__}: {v!r}")


class Reader:
    """Cursor over bytes; every read names what it reads so errors say where they happened."""

    __slots__ = ("data", "pos", "end", "where")

    def __init__(self, data: bytes, where: str, start: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = start
        self.end = len(data) if end is None else end
        self.where = where

    def at_end(self) -> bool:
        return self.pos >= self.end

    def remaining(self) -> int:
        return self.end - self.pos

    def take(self, n: int, what: str) -> bytes:
        if n < 0 or self.pos + n > self.end:
            raise Truncated(
                f"{self.where}: data ends inside {what} at offset {self.pos} "
                f"(needs {n} bytes, {self.end - self.pos} left)",
                where=self.where,
                offset=self.pos,
            )
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return bytes(out)

    def byte(self, what: str) -> int:
        return self.take(1, what)[0]

    def varint(self, what: str) -> int:
        shift = 0
        n = 0
        start = self.pos
        while True:
            if self.pos >= self.end:
                raise Truncated(
                    f"{self.where}: data ends inside varint {what} at offset {start}",
                    where=self.where,
                    offset=start,
                )
            b = self.data[self.pos]
            self.pos += 1
            n |= (b & 0x7F) << shift
            if not b & 0x80:
                if b == 0 and shift:
                    raise Malformed(
                        f"{self.where}: non-canonical varint {what} at offset {start}",
                        where=self.where,
                        offset=start,
                    )
                return n
            shift += 7
            if shift > 63:
                raise Malformed(
                    f"{self.where}: varint {what} at offset {start} longer than 9 bytes",
                    where=self.where,
                    offset=start,
                )

    def u63(self, what: str) -> int:
        """A varint that must fit a signed 64-bit integer (a sequence number, a clock)."""
        n = self.varint(what)
        if n >> 63:
            raise Malformed(
                f"{self.where}: {what} is {n}, outside the 64-bit range", where=self.where
            )
        return n

    def lp(self, what: str) -> bytes:
        n = self.varint(f"length of {what}")
        return self.take(n, what)

    def text(self, what: str) -> str:
        raw = self.lp(what)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Malformed(f"{self.where}: {what} is not UTF-8", where=self.where) from exc

    def value(self, what: str) -> Value:
        tag = self.byte(f"tag of {what}")
        if tag == TAG_NULL:
            return None
        if tag == TAG_INT:
            z = self.varint(what)
            if z >> 64:
                raise Malformed(
                    f"{self.where}: integer {what} outside the 64-bit range", where=self.where
                )
            return unzigzag(z)
        if tag == TAG_REAL:
            return float(_DOUBLE.unpack(self.take(8, what))[0])
        if tag == TAG_TEXT:
            return self.text(what)
        if tag == TAG_BLOB:
            return self.lp(what)
        raise Malformed(
            f"{self.where}: unknown value tag {tag} for {what} at offset {self.pos - 1}",
            where=self.where,
            tag=tag,
        )

    def finish(self) -> None:
        if self.pos != self.end:
            raise Malformed(
                f"{self.where}: {self.end - self.pos} unexpected trailing bytes "
                f"at offset {self.pos}",
                where=self.where,
            )


def canonical_json(obj: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8, no NaN: the one byte form signed and hashed."""
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


#: a JSON string, its closing quote optional: an unterminated string then runs to the end in one
#: match, so the scan stays linear (a required quote would retry from every later quote)
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"?', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_OPEN = frozenset(b"[{")


def json_depth(data: bytes, limit: int) -> int:
    """The deepest nesting of arrays and objects in ``data``, counted without parsing it (strings
    are skipped); stops once ``limit`` is passed, so a hostile text costs one linear scan."""
    depth = deepest = 0
    for b in _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKET):
        if b in _OPEN:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


def parse_canonical_json(data: bytes, where: str) -> Any:
    """Parse JSON and insist it is in canonical form (so a signature covers one meaning).

    JSON longer than ``MAX_JSON_BYTES`` or nested deeper than ``MAX_JSON_DEPTH`` is refused
    (``TooLarge``) before the parser runs; messages name what was wrong, never the bytes.
    """
    if len(data) > MAX_JSON_BYTES:
        raise TooLarge(
            f"{where}: JSON of {len(data)} bytes, above the limit {MAX_JSON_BYTES}",
            where=where,
            limit=MAX_JSON_BYTES,
        )
    if json_depth(data, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise TooLarge(
            f"{where}: JSON nested deeper than {MAX_JSON_DEPTH} levels",
            where=where,
            limit=MAX_JSON_DEPTH,
        )
    try:
        obj = json.loads(data.decode("utf-8"))
        again = canonical_json(obj)  # NaN or Infinity parse but have no canonical form
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Malformed(f"{where}: not valid JSON ({len(data)} bytes)", where=where) from exc
    if again != data:
        raise Malformed(f"{where}: JSON not in canonical form", where=where)
    return obj
