"""Hybrid logical clock (SPEC.md section "Clock").

A clock value is one 64-bit integer: milliseconds since the Unix epoch shifted left 16 bits, plus
a 16-bit counter. Ticking takes ``max(last + 1, now_ms << 16)``; receiving takes
``max(last, incoming)``. The last value is persisted in the database, so the clock never runs
backwards across restarts even if the wall clock does. The same formula runs inside the capture
triggers in SQL, so every write path ticks the same clock.
"""

from __future__ import annotations

import time

SHIFT = 16
#: SQL expression for the wall clock in the clock's units (used inside triggers).
SQL_NOW = f"(CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) << {SHIFT})"


#: How far ahead of this site's wall clock an incoming clock may be (SPEC.md section 2).
MAX_SKEW_MS = 60 * 60 * 1000
#: No clock at or above this is ever accepted: far from the 64-bit limit, so adding to it,
#: zigzag-encoding it or subtracting two of them never overflows.
LIMIT = 1 << 62


def now() -> int:
    return int(time.time() * 1000) << SHIFT


def tick(last: int, wall: int | None = None) -> int:
    return max(last + 1, now() if wall is None else wall)


def bound(wall: int | None = None) -> int:
    """The largest clock this site accepts from outside now: its wall clock plus the skew."""
    base = now() if wall is None else wall
    return min(LIMIT - 1, base + (MAX_SKEW_MS << SHIFT))


def receive(last: int, incoming: int) -> int:
    return max(last, incoming)


def to_millis(h: int) -> int:
    return h >> SHIFT


def format_hlc(h: int) -> str:
    ms = h >> SHIFT
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms / 1000)) + (
        f".{ms % 1000:03d}Z+{h & 0xFFFF}"
    )
