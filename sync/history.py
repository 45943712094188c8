"""Which history of a revoked key's feed stands up to its cutoff (SPEC.md section 6,
"Revocation and its cutoff").

A revocation names the head of the site's feed at its cutoff (``h[upto]``) as the root held it.
A segment the revoked key signed that ends at or before the cutoff stands only if it lies on
that history: a chain of segments leads from it to the named head. Whoever holds the key after
the revocation (a thief) cannot sign a segment that hashes to that head, so a different history
numbered below the cutoff never stands anywhere, whatever order things arrive in.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import NamedTuple

from .trust import TrustView


class Link(NamedTuple):
    """A segment as far as the chain goes: where it starts and ends, and its two hashes."""

    origin: str
    first_seq: int
    last_seq: int
    prev: bytes
    head: bytes
    signer: bytes


def proven(view: TrustView, links: Iterable[Link]) -> set[tuple[str, int, bytes]]:
    """The chain points ``(origin, position, hash)`` that lie on a history some revocation
    fixes: its named head, and walking back over the given segments, every ``prev`` of a
    segment whose ``head`` is already on it."""
    fixed = [r for r in view.revoked.values() if r.head is not None and r.upto]
    if not fixed:
        return set()
    good = {(r.site, r.upto, r.head) for r in fixed if r.head is not None}
    sites = {r.site for r in fixed}
    # positions only go down along a walk: one pass from the highest end suffices
    for link in sorted(
        (x for x in links if x.origin in sites), key=lambda x: x.last_seq, reverse=True
    ):
        if (link.origin, link.last_seq, link.head) in good:
            good.add((link.origin, link.first_seq - 1, link.prev))
    return good


def stands(view: TrustView, link: Link, good: set[tuple[str, int, bytes]]) -> bool:
    """False for a segment of a revoked key below its cutoff that is not on the fixed history
    (as far as the segments given to ``proven`` show); True for every other segment."""
    rev = view.revoked.get(link.signer)
    if rev is None or not rev.fixes(link.last_seq):
        return True
    return (link.origin, link.last_seq, link.head) in good


def stored_links(conn: sqlite3.Connection) -> list[Link]:
    return [
        Link(*row)
        for row in conn.execute(
            "SELECT origin, first_seq, last_seq, prev, head, signer FROM _sync_segments"
        )
    ]


def not_standing(
    conn: sqlite3.Connection, view: TrustView, extra: Iterable[Link] = ()
) -> set[tuple[str, int]]:
    """Stored segments ``(origin, first_seq)`` off the history a revocation fixes, judged with
    the stored segments and ``extra`` ones (a bundle's, checked)."""
    links = stored_links(conn)
    good = proven(view, [*links, *extra])
    return {(x.origin, x.first_seq) for x in links if not stands(view, x, good)}
