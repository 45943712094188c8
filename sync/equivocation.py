"""Proofs that an origin forked its feed, and where its feed stands because of them (SPEC.md
section 4a, "Forks").

Two validly signed segments of one origin that disagree on the hash chain at a position both
cover are a **proof of equivocation**: one key (or two keys of one site) signed two histories.
Nobody can tell which is true, so neither wins: every copy that holds the proof freezes the
origin at the **last common point** of the two (the highest position where both chains agree),
takes back what it applied beyond it, refuses anything of that origin beyond it, and never waits
for it (section 8). Proofs travel in every bundle, so every copy ends frozen at the same point.

The freeze point of an origin is the lowest point of all the proofs held for it: a function of
the set of proofs, not of the order they arrived in. A copy keeps (and relays) only that lowest
proof per origin.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass

from .encoding import lp
from .feeds import Segment, entry_bytes

SCHEMA = """
CREATE TABLE IF NOT EXISTS _sync_forks (
    id BLOB PRIMARY KEY,
    origin TEXT NOT NULL,
    at_seq INTEGER NOT NULL,
    a BLOB NOT NULL,
    b BLOB NOT NULL
)
"""


@dataclass(frozen=True)
class ForkProof:
    """Two segments of ``origin`` that disagree; its feed stands only up to ``at_seq``."""

    origin: str
    at_seq: int
    a: Segment
    b: Segment

    @property
    def id(self) -> bytes:
        return pair_id(self.a, self.b)

    def encode(self) -> bytes:
        """The bundle section's payload: ``lp(segment a) || lp(segment b)``."""
        return lp(self.a.encode()) + lp(self.b.encode())

    def describe(self) -> str:
        return (
            f"site {self.origin!r} signed two different histories: segments "
            f"{self.a.first_seq}..{self.a.last_seq} and {self.b.first_seq}..{self.b.last_seq} "
            f"disagree after position {self.at_seq}; its feed stands only up to {self.at_seq}"
        )


def pair_id(a: Segment, b: Segment) -> bytes:
    """The name of a proof made of ``a`` and ``b``, in either order."""
    first, second = sorted((a.encode(), b.encode()))
    return hashlib.sha256(lp(first) + lp(second)).digest()


def positions(seg: Segment) -> dict[int, bytes]:
    """The chain hash of ``seg`` at every position it fixes: ``first - 1`` (its ``prev``) to
    ``last`` (its ``head``). The segment's chain must already be checked (``columns``)."""
    out = {seg.first_seq - 1: seg.prev_hash}
    h = seg.prev_hash
    for e in seg.entries():
        h = hashlib.sha256(h + entry_bytes(e)).digest()
        out[e.seq] = h
    return out


def fork_point(a: Segment, b: Segment) -> int | None:
    """The last common point of two checked segments of one origin signed by one key, or None
    if they agree wherever both fix the chain (or share no position, or two keys signed them:
    a site id belongs to one key, section 6, and a second key's disagreement is refused as a
    broken chain, never allowed to freeze the feed of the key that holds the site id).

    When they agree at some shared position, the answer is exact: the highest such position.
    When they disagree at every shared position, the histories split before the first of them,
    and the answer is the position just before it: a bound above the true split that a later
    proof (from segments further back) may lower; the freeze point is the lowest of all.
    """
    if a.origin != b.origin or a.signer != b.signer:
        return None
    lo = max(a.first_seq, b.first_seq) - 1
    hi = min(a.last_seq, b.last_seq)
    if lo > hi:
        return None
    pa, pb = positions(a), positions(b)
    shared = range(lo, hi + 1)
    if all(pa[k] == pb[k] for k in shared):
        return None
    agree = [k for k in shared if pa[k] == pb[k]]
    return max(agree) if agree else max(0, lo - 1)


def make(a: Segment, b: Segment) -> ForkProof | None:
    """A proof from two checked segments, in a canonical order, or None if they agree."""
    at = fork_point(a, b)
    if at is None:
        return None
    first, second = sorted((a, b), key=lambda s: s.encode())
    return ForkProof(a.origin, at, first, second)


def ensure_schema(conn: sqlite3.Connection) -> None:
    conn.execute(SCHEMA)


def store(conn: sqlite3.Connection, proof: ForkProof) -> bool:
    """Keep the proof if it is the lowest for its origin (lowest fork point, then lowest id);
    True if it replaced what was kept. One proof per origin is all the freeze needs, so a
    forking laptop that signs many branches cannot fill copies with proofs of itself."""
    kept = conn.execute(
        "SELECT at_seq, id FROM _sync_forks WHERE origin = ?", (proof.origin,)
    ).fetchone()
    if kept is not None and (kept[0], bytes(kept[1])) <= (proof.at_seq, proof.id):
        return False
    conn.execute("DELETE FROM _sync_forks WHERE origin = ?", (proof.origin,))
    conn.execute(
        "INSERT INTO _sync_forks (id, origin, at_seq, a, b) VALUES (?, ?, ?, ?, ?)",
        (proof.id, proof.origin, proof.at_seq, proof.a.encode(), proof.b.encode()),
    )
    return True


def forget(conn: sqlite3.Connection, proof: ForkProof) -> None:
    conn.execute("DELETE FROM _sync_forks WHERE id = ?", (proof.id,))


def known_ids(conn: sqlite3.Connection) -> set[bytes]:
    return {bytes(i) for (i,) in conn.execute("SELECT id FROM _sync_forks")}


def load(conn: sqlite3.Connection) -> list[ForkProof]:
    return [
        ForkProof(o, at, Segment.decode(a), Segment.decode(b))
        for o, at, a, b in conn.execute(
            "SELECT origin, at_seq, a, b FROM _sync_forks ORDER BY origin, at_seq, id"
        )
    ]


def freeze_points(conn: sqlite3.Connection) -> dict[str, int]:
    """Per forked origin, the last position of its feed that stands (the lowest proof)."""
    return dict(conn.execute("SELECT origin, min(at_seq) FROM _sync_forks GROUP BY origin"))


def find(conn: sqlite3.Connection, seg: Segment) -> ForkProof | None:
    """A proof from ``seg`` (checked) and a stored segment of its origin it disagrees with,
    the one with the lowest last common point; None if it agrees with every one."""
    best: ForkProof | None = None
    for (blob,) in conn.execute(
        "SELECT blob FROM _sync_segments WHERE origin = ? AND first_seq <= ? AND last_seq >= ? "
        "ORDER BY first_seq",
        (seg.origin, seg.last_seq + 1, seg.first_seq - 1),
    ).fetchall():
        other = Segment.decode(blob)
        if other.head == seg.head and other.first_seq == seg.first_seq:
            continue
        proof = make(seg, other)
        if proof is not None and (best is None or proof.at_seq < best.at_seq):
            best = proof
    return best
