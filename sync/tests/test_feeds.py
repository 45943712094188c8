"""Feeds: the columnar body round-trips any SQLite values, and its fast chain equals the
reference chain of SPEC.md section 4."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.feeds import (
    ZERO_HASH,
    Entry,
    chain,
    columns_of,
    decode_columns,
    encode_columns,
    entries_of,
    seal,
)
from sync.signing import SigningKey

values = st.one_of(
    st.none(),
    st.integers(-(1 << 63), (1 << 63) - 1),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.binary(max_size=20),
)
rows = st.lists(
    st.tuples(
        st.integers(0, 1 << 40),
        st.sampled_from(["tasks", "updates"]),
        st.text(min_size=1, max_size=8),
        st.sampled_from(["~", "title", "progress", "ghi_chú"]),
        values,
    ),
    min_size=1,
    max_size=30,
)


def numbered(raw: list[tuple], first: int = 1) -> list[Entry]:
    return [Entry(first + i, h, t, r, c, v) for i, (h, t, r, c, v) in enumerate(raw)]


@pytest.mark.slow
@settings(max_examples=200)
@given(raw=rows, first=st.integers(1, 1 << 40))
def test_a_body_decodes_to_the_entries_it_was_made_from(raw: list[tuple], first: int) -> None:
    entries = numbered(raw, first)
    body, head = encode_columns(columns_of(entries), first, ZERO_HASH)
    cols, head_back = decode_columns(body, first, first + len(entries) - 1, ZERO_HASH)
    assert entries_of(cols, first) == entries
    assert head == head_back == chain(ZERO_HASH, entries)


@settings(max_examples=100)
@given(raw=rows)
def test_the_sealed_head_is_the_reference_chain_of_the_entries(raw: list[tuple]) -> None:
    entries = numbered(raw)
    seg = seal(SigningKey.from_seed(b"\x05" * 32), "site", entries, ZERO_HASH, {})
    assert seg.head == chain(ZERO_HASH, entries)
    seg._entries = seg._columns = None  # decode the stored body again, checking the chain
    assert seg.entries() == entries


def test_a_body_with_its_strings_in_another_order_decodes_to_the_same_entries() -> None:
    from sync.encoding import encode_value, lp, varint

    entries = numbered([(5, "tasks", "t1", "~", 0), (5, "tasks", "t1", "title", "Rà soát")])
    strings = ["title", "~", "t1", "tasks"]  # not first-use order, as an older writer made
    ix = {s: i for i, s in enumerate(strings)}
    body = (
        varint(len(entries))
        + varint(len(strings))
        + b"".join(lp(s.encode()) for s in strings)
        + varint(10)  # zigzag(5)
        + varint(0)
        + b"".join(varint(ix[e.table]) for e in entries)
        + b"".join(varint(ix[e.row_id]) for e in entries)
        + b"".join(varint(ix[e.col]) for e in entries)
        + b"".join(encode_value(e.value) for e in entries)
    )
    cols, head = decode_columns(body, 1, 2, ZERO_HASH)
    assert entries_of(cols, 1) == entries
    assert head == chain(ZERO_HASH, entries)
