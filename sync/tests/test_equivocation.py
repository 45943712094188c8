"""Where two signed segments of one feed part ways (SPEC.md section 4a): exact when they agree
somewhere both fix the chain, a bound above the split when they never do, and no proof at all
when they agree, share no position, or two keys signed them."""

from __future__ import annotations

from sync.equivocation import fork_point, make, pair_id
from sync.feeds import ZERO_HASH, Entry, Segment, chain, seal
from sync.signing import SigningKey

KEY = SigningKey.from_seed(bytes(range(1, 33)))
OTHER = SigningKey.from_seed(bytes(range(33, 65)))
CLOCK = 1_767_225_600_000 << 16


def history(tag: str, n: int, split: int = 0) -> list[Entry]:
    """Entries 1..n; from position ``split + 1`` on (if ``split``), values carry ``tag``."""
    return [
        Entry(i, CLOCK + i, "tasks", "t1", "title", tag if split and i > split else f"v{i}")
        for i in range(1, n + 1)
    ]


def segment(entries: list[Entry], first: int, last: int, key: SigningKey = KEY) -> Segment:
    run = [e for e in entries if first <= e.seq <= last]
    prev = chain(ZERO_HASH, [e for e in entries if e.seq < first])
    seg = seal(key, "site", run, prev, {})
    return Segment.decode(seg.encode())  # as a reader holds it, its chain checked on demand


def test_segments_that_agree_up_to_a_point_give_that_point_exactly() -> None:
    a, b = history("A", 10, split=6), history("B", 10, split=6)
    # different boundaries around the split: 3..9 and 5..10
    assert fork_point(segment(a, 3, 9), segment(b, 5, 10)) == 6
    assert fork_point(segment(a, 7, 10), segment(b, 7, 8)) == 6  # same start after the split


def test_segments_that_disagree_everywhere_they_overlap_give_a_bound_above_the_split() -> None:
    a, b = history("A", 10, split=2), history("B", 10, split=2)
    at = fork_point(segment(a, 6, 10), segment(b, 8, 10))
    assert at is not None and 2 <= at == 6  # disagree already at 7 (b's prev): split <= 6


def test_no_proof_from_one_history_from_no_shared_position_or_from_two_keys() -> None:
    a, b = history("A", 10, split=4), history("B", 10, split=4)
    same = history("A", 10, split=4)
    assert fork_point(segment(a, 1, 5), segment(same, 3, 10)) is None  # re-cut, one history
    assert fork_point(segment(a, 1, 3), segment(b, 6, 10)) is None  # 0..3 and 5..10 share none
    assert fork_point(segment(a, 5, 10), segment(b, 5, 10, OTHER)) is None  # two keys
    assert make(segment(a, 5, 10), segment(b, 5, 10)) is not None


def test_a_proof_has_one_name_whatever_the_order_of_its_segments() -> None:
    a, b = history("A", 6, split=3), history("B", 6, split=3)
    x, y = segment(a, 4, 6), segment(b, 4, 6)
    p, q = make(x, y), make(y, x)
    assert p is not None and q is not None
    assert p.id == q.id == pair_id(x, y) == pair_id(y, x)
    assert (p.a.encode(), p.b.encode()) == (q.a.encode(), q.b.encode())
    assert p.at_seq == 3
