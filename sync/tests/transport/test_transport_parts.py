"""Numbered parts: any order, separate imports, corruption refused by name, cleanup after use."""

from __future__ import annotations

import hashlib
import os
import random
import struct
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.transport import (
    HashMismatch,
    InvalidPartSize,
    NotABundle,
    PartCorrupt,
    PartsMissing,
    PartStore,
    UnknownVersion,
    gather,
    is_part,
    parse_part,
    part_name,
    split,
    write_bundle,
    write_parts,
)
from sync.transport.parts import HEADER_SIZE, MIN_PART_SIZE


def test_parts_respect_the_size_cap_and_are_named_in_order(tmp_path: Path) -> None:
    data = os.urandom(50_000)
    paths = write_parts(tmp_path, data, 8_000, prefix="daoA")
    sha8 = hashlib.sha256(data).hexdigest()[:8]
    assert [p.name for p in paths] == [f"daoA-{sha8}.part{i:03d}-of-007.cchc" for i in range(1, 8)]
    assert all(p.stat().st_size <= 8_000 for p in paths)
    assert sorted(tmp_path.iterdir()) == sorted(paths)


def test_part_name_widens_beyond_999_parts() -> None:
    assert part_name("x", "ab" * 32, 5, 1200) == "x-abababab.part0005-of-1200.cchc"


def test_parts_imported_in_separate_runs_report_missing_then_assemble_and_clean_up(
    tmp_path: Path,
) -> None:
    data = os.urandom(30_000)
    (tmp_path / "out").mkdir()
    paths = write_parts(tmp_path / "out", data, 7_000)
    order = [3, 0, 4, 1, 2]
    for n, i in enumerate(order[:-1], start=1):
        store = PartStore(tmp_path / "staging")  # a fresh object per import, as a new run would
        result = store.add(paths[i].read_bytes(), str(paths[i]))
        assert result.status == "staged" and result.bundle is None
        assert len(result.missing) == len(paths) - n
    (waiting,) = PartStore(tmp_path / "staging").status()
    assert waiting.missing == [3]
    assert waiting.missing_names == [paths[2].name]
    with pytest.raises(PartsMissing) as info:
        PartStore(tmp_path / "staging").assemble(waiting.bundle_sha256)
    assert info.value.params["missing"] == [3]
    last = PartStore(tmp_path / "staging").add(paths[2].read_bytes(), str(paths[2]))
    assert last.status == "complete" and last.bundle == data
    assert list((tmp_path / "staging").iterdir()) == []


def test_a_part_given_twice_is_a_duplicate_and_counted_once(tmp_path: Path) -> None:
    blobs = split(os.urandom(5_000), 2_000)
    store = PartStore(tmp_path)
    assert store.add(blobs[0]).status == "staged"
    again = store.add(blobs[0])
    assert again.status == "duplicate" and again.missing == [2, 3]


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(min_value=1, max_value=20_000),
    part_size=st.integers(min_value=MIN_PART_SIZE, max_value=6_000),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_any_order_with_duplicates_rebuilds_the_exact_bundle(
    size: int, part_size: int, seed: int
) -> None:
    rng = random.Random(seed)
    data = rng.randbytes(size)
    blobs = split(data, part_size)
    delivery = blobs + rng.sample(blobs, k=min(len(blobs), rng.randint(0, 3)))
    rng.shuffle(delivery)
    with tempfile.TemporaryDirectory() as tmp:
        store = PartStore(tmp)
        assembled = [r.bundle for r in map(store.add, delivery) if r.status == "complete"]
        assert assembled and all(b == data for b in assembled)


def test_every_single_byte_flip_of_a_part_is_refused_and_nothing_staged(tmp_path: Path) -> None:
    (blob, *_rest) = split(os.urandom(3_000), MIN_PART_SIZE)
    store = PartStore(tmp_path)
    for pos in range(len(blob)):
        bad = bytearray(blob)
        bad[pos] ^= 0x41
        with pytest.raises((PartCorrupt, NotABundle)) as info:
            store.add(bytes(bad), f"flip{pos}.cchc")
        assert f"flip{pos}.cchc" in str(info.value)
    assert store.status() == [] and list(tmp_path.iterdir()) == []


def test_truncated_part_is_refused_as_corrupt_naming_the_file(tmp_path: Path) -> None:
    blob = split(os.urandom(3_000), 2_000)[0]
    for cut in (10, HEADER_SIZE - 1, HEADER_SIZE + 5, len(blob) - 1):
        with pytest.raises(PartCorrupt) as info:
            PartStore(tmp_path).add(blob[:cut], "stick/b.part001-of-002.cchc")
        assert "stick/b.part001-of-002.cchc" in str(info.value)
        assert info.value.params["reason"] == "truncated"


def _forge(
    index: int, count: int, size: int, bundle_sha: bytes, payload: bytes, v: int = 1
) -> bytes:
    head = struct.pack(
        ">8sHHIIQ32sI", b"CCHCPRT1", v, 0, index, count, size, bundle_sha, len(payload)
    )
    return head + hashlib.sha256(head + payload).digest() + payload


def test_a_part_of_an_unknown_format_version_is_refused_by_name() -> None:
    blob = _forge(1, 1, 3, hashlib.sha256(b"abc").digest(), b"abc", v=2)
    with pytest.raises(UnknownVersion) as info:
        parse_part(blob, "future.cchc")
    assert info.value.params["version"] == 2 and "future.cchc" in str(info.value)


def test_well_formed_parts_that_do_not_hash_to_the_bundle_are_refused_and_dropped(
    tmp_path: Path,
) -> None:
    claimed = hashlib.sha256(b"the real bundle").digest()
    store = PartStore(tmp_path)
    room = MIN_PART_SIZE - HEADER_SIZE
    store.add(_forge(1, 2, 2 * room, claimed, b"a" * room))
    with pytest.raises(HashMismatch):
        store.add(_forge(2, 2, 2 * room, claimed, b"x" * room))
    assert store.status() == []


def test_parts_disagreeing_on_bundle_size_are_refused(tmp_path: Path) -> None:
    sha = hashlib.sha256(b"abcdef").digest()
    store = PartStore(tmp_path)
    store.add(_forge(1, 2, 1900, sha, b"a" * 1000))
    with pytest.raises(PartCorrupt) as info:
        store.add(_forge(2, 2, 2000, sha, b"d" * 1000), "odd.cchc")
    assert info.value.params["reason"] == "disagrees with staged parts"


def test_same_bundle_split_two_ways_does_not_mix_and_both_are_cleaned(tmp_path: Path) -> None:
    data = os.urandom(10_000)
    small, large = split(data, 2_000), split(data, 4_000)
    store = PartStore(tmp_path)
    store.add(small[0])
    store.add(small[1])
    results = [store.add(b) for b in large]
    assert results[-1].status == "complete" and results[-1].bundle == data
    assert store.status() == []


def test_prune_drops_only_old_staged_bundles(tmp_path: Path) -> None:
    store = PartStore(tmp_path)
    store.add(split(os.urandom(3_000), 2_000)[0])
    assert store.prune(older_than=3600) == []
    assert len(store.prune(older_than=0)) == 1 and store.status() == []


@pytest.mark.parametrize("bad", [0, 96, MIN_PART_SIZE - 1, True, 2**31 + 1, "4096"])
def test_out_of_range_part_size_is_refused_quoting_it(bad: int) -> None:
    with pytest.raises(InvalidPartSize) as info:
        split(b"data", bad)
    assert repr(bad) in str(info.value)


def test_empty_data_and_foreign_bytes_are_not_bundles() -> None:
    with pytest.raises(NotABundle):
        split(b"", 4096)
    assert not is_part(b"PK\x03\x04 a zip file")
    with pytest.raises(NotABundle):
        parse_part(b"PK\x03\x04 a zip file", "x.zip")


def test_write_bundle_writes_one_file_or_parts_that_gather_back(tmp_path: Path) -> None:
    data = os.urandom(5_000)
    (whole,) = write_bundle(tmp_path / "a", data, prefix="dao")
    assert whole.name == f"dao-{hashlib.sha256(data).hexdigest()[:8]}.cchc"
    assert whole.read_bytes() == data
    parts = write_bundle(tmp_path / "b", data, prefix="dao", part_size=2_000)
    assert len(parts) == 3
    found = gather([tmp_path / "b"], PartStore(tmp_path / "staging"))
    assert [b.data for b in found.bundles] == [data]
    with pytest.raises(NotABundle):
        write_bundle(tmp_path / "c", b"")


def test_a_staged_part_damaged_on_disk_is_dropped_and_can_be_imported_again(
    tmp_path: Path,
) -> None:
    data = os.urandom(5_000)
    blobs = split(data, 2_000)
    store = PartStore(tmp_path)
    store.add(blobs[0])
    store.add(blobs[1])
    (staged,) = [p for p in tmp_path.rglob("00000001.part")]
    staged.write_bytes(staged.read_bytes()[:-1] + b"!")
    last = store.add(blobs[2])
    assert last.status != "complete" and last.missing == [1]
    assert store.missing(last.bundle_sha256) == [1]
    assert store.add(blobs[0]).bundle == data
