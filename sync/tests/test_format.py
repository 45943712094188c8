"""Format: every damaged, cut, future or foreign bundle is refused by name, nothing applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.errors import (
    NotABundle,
    SyncError,
    Truncated,
    UnknownCapability,
    UnknownMajorVersion,
)
from sync.format import MAGIC, Bundle, decode_bundle, encode_bundle
from sync.tests.netkit import Site, network


def small_bundle(tmp_path: Path) -> tuple[Site, Site, bytes]:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title, progress) VALUES ('t1', 'Plan', 10)")
    return a, b, a.engine.export_bundle()


def state(site: Site) -> tuple:
    return (
        site.snapshot(),
        site.engine.vector(),
        site.conn.execute("SELECT count(*) FROM _sync_segments").fetchone(),
        site.conn.execute("SELECT count(*) FROM _sync_certs").fetchone(),
        site.conn.execute("SELECT count(*) FROM _sync_peers").fetchone(),
    )


def test_every_single_byte_flip_is_refused_with_nothing_applied(tmp_path: Path) -> None:
    _a, b, bundle = small_bundle(tmp_path)
    before = state(b)
    for pos in range(len(bundle)):
        damaged = bytearray(bundle)
        damaged[pos] ^= 0x01 if pos % 2 else 0x80
        with pytest.raises(SyncError):
            b.engine.import_bundle(bytes(damaged))
    assert state(b) == before
    assert b.engine.import_bundle(bundle).applied == 5


def test_every_truncation_is_refused_with_nothing_applied(tmp_path: Path) -> None:
    _a, b, bundle = small_bundle(tmp_path)
    before = state(b)
    for cut in range(len(bundle)):
        with pytest.raises(SyncError):
            b.engine.import_bundle(bundle[:cut])
    assert state(b) == before


def test_a_bundle_cut_before_its_signature_says_it_is_truncated(tmp_path: Path) -> None:
    _a, b, bundle = small_bundle(tmp_path)
    with pytest.raises(Truncated, match="the bundle is cut short|data ends inside"):
        b.engine.import_bundle(bundle[:-70])


def test_an_unknown_major_version_is_refused_by_name(tmp_path: Path) -> None:
    _a, b, bundle = small_bundle(tmp_path)
    future = bundle[:8] + bytes([2, 0]) + bundle[10:]
    with pytest.raises(UnknownMajorVersion, match=r"version 2\.0: major version 2 is not supp"):
        b.engine.import_bundle(future)
    assert b.rows() == []


def test_an_unknown_minor_version_is_read(tmp_path: Path) -> None:
    a, b, _bundle = small_bundle(tmp_path)
    import sync.format as fmt

    old = fmt.MINOR
    fmt.MINOR = 7
    try:
        newer = a.engine.export_bundle()
    finally:
        fmt.MINOR = old
    assert newer[9] == 7
    assert b.engine.import_bundle(newer).applied == 5


def test_an_unknown_required_capability_is_refused_by_name(tmp_path: Path) -> None:
    a, b, bundle = small_bundle(tmp_path)
    parsed, _signed, _sig = decode_bundle(bundle)
    parsed.caps = ["zlib", "zstd-dictionary"]
    forged = encode_bundle(parsed, a.engine.key)
    with pytest.raises(UnknownCapability, match="requires capability 'zstd-dictionary'"):
        b.engine.import_bundle(forged)
    assert b.rows() == []


def test_something_that_is_not_a_bundle_is_refused_without_quoting_its_bytes(
    tmp_path: Path,
) -> None:
    _a, b, _bundle = small_bundle(tmp_path)
    with pytest.raises(NotABundle, match="does not start with the bundle magic") as info:
        b.engine.import_bundle(b"PK\x03\x04 a zip file")
    assert "PK" not in str(info.value) and "zip" not in str(info.value)


def test_a_replayed_bundle_from_the_past_changes_nothing(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'v1')")
    old = a.engine.export_bundle()
    b.engine.import_bundle(old)
    a.exec("UPDATE tasks SET title = 'v2' WHERE id = 't1'")
    b.engine.import_bundle(a.engine.export_bundle(b.id))
    replay = b.engine.import_bundle(old)
    assert (replay.applied, replay.duplicate) == (0, 5)
    assert b.rows() == [("t1", None, "v2", None, None)]


def test_an_empty_bundle_round_trips(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    data = a.engine.export_bundle()
    assert data.startswith(MAGIC)
    parsed, _s, _sig = decode_bundle(data)
    assert isinstance(parsed, Bundle) and parsed.segments == []
    assert b.engine.import_bundle(data).applied == 0


def test_every_single_byte_flip_of_an_encrypted_bundle_is_refused(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    b.engine.import_bundle(a.engine.export_bundle())
    a.engine.import_bundle(b.engine.export_bundle())  # a learns b's encryption key
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'sealed')")
    bundle = a.engine.export_bundle(b.id, encrypt_to=b.id)
    before = state(b)
    for pos in range(0, len(bundle)):
        damaged = bytearray(bundle)
        damaged[pos] ^= 0x04
        with pytest.raises(SyncError):
            b.engine.import_bundle(bytes(damaged))
    assert state(b) == before
    assert b.engine.import_bundle(bundle).applied == 5


def test_a_body_declaring_a_huge_size_is_refused_before_decompressing() -> None:
    from sync.errors import TooLarge
    from sync.feeds import CODEC_ZLIB, MAX_BODY, decompress

    with pytest.raises(TooLarge, match=f"above the limit {MAX_BODY}"):
        decompress(CODEC_ZLIB, b"x", MAX_BODY + 1)
