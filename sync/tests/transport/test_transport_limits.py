"""Hostile files against the carriers' limits (TRANSPORT.md "Limits"): parts that lie about their
count, staged sets that can never complete, mail nested thousands deep, links, pipes and huge
files in an import folder. Each is refused with its own reason, never quoting its bytes, and
never stops the honest files beside it; the memory attacks run under a capped address space."""

from __future__ import annotations

import hashlib
import os
import struct
import time
from pathlib import Path

import pytest

from sync.tests.capped import run_capped
from sync.transport import (
    InvalidPartSize,
    PartCorrupt,
    PartStore,
    gather,
    inbox,
    parse_part,
    parts,
    sha256_hex,
    split,
    write_atomic,
    write_parts,
)
from sync.transport.email import MAX_MIME_CONTAINERS, extract_parts_from_bytes
from sync.transport.errors import TooLarge
from sync.transport.files import bundle_file_name
from sync.transport.parts import HEADER_SIZE, MAX_PARTS, MIN_PART_SIZE


def _forge(index: int, count: int, size: int, payload: bytes, sha: bytes | None = None) -> bytes:
    bsha = sha or hashlib.sha256(b"claimed").digest()
    head = struct.pack(">8sHHIIQ32sI", b"CCHCPRT1", 1, 0, index, count, size, bsha, len(payload))
    return head + hashlib.sha256(head + payload).digest() + payload


def _honest_folder(tmp_path: Path) -> tuple[Path, bytes, bytes]:
    folder = tmp_path / "stick"
    folder.mkdir()
    whole = os.urandom(3_000)
    write_atomic(folder / bundle_file_name("dao", whole), whole)
    in_parts = os.urandom(5_000)
    write_parts(folder, in_parts, 2_000, prefix="dao")
    return folder, whole, in_parts


def _gather_capped(tmp_path: Path, *paths: Path) -> dict:
    return run_capped(
        "sync.tests.attacks:gather_folder", str(tmp_path / "staging"), *map(str, paths)
    )


def test_a_204_byte_part_claiming_4294967295_parts_allocates_nothing_and_blocks_nothing(
    tmp_path: Path,
) -> None:
    folder, whole, in_parts = _honest_folder(tmp_path)
    attack = _forge(1, 0xFFFFFFFF, 0xFFFFFFFF * 108, b"\xdd" * 108)
    assert len(attack) == 204
    (folder / "evil.part001-of-4294967295.cchc").write_bytes(attack)
    got = _gather_capped(tmp_path, folder)
    assert sorted(got["bundles"]) == sorted([sha256_hex(whole), sha256_hex(in_parts)])
    code, message = got["refused"]["evil.part001-of-4294967295.cchc"]
    assert code == "too_large" and "evil.part001" in message
    assert got["waiting"] == []
    # the next import runs as if the attack never came
    again = gather([folder], PartStore(tmp_path / "staging"))
    assert {b.sha256 for b in again.bundles} == {sha256_hex(whole), sha256_hex(in_parts)}
    assert again.waiting == []


def test_a_part_whose_length_does_not_fit_its_count_and_size_is_refused() -> None:
    room = MIN_PART_SIZE - HEADER_SIZE
    cases = [
        _forge(1, 3, 10 * room, b"x" * room),  # ten rooms' worth cannot be three parts
        _forge(1, 2, 2 * room, b"x" * (room - 1)),  # a part before the last is a whole room
        _forge(2, 2, 2 * room, b"x" * (room + 1)),  # the last part is longer than the first
        _forge(1, 1, room + 5, b"x" * room),  # a single part carries the whole bundle
    ]
    for blob in cases:
        with pytest.raises(PartCorrupt, match="cannot be part"):
            parse_part(blob, "forged.cchc")
    assert parse_part(_forge(2, 2, 2 * room - 7, b"x" * (room - 7)), "ok.cchc").index == 2


def test_splitting_into_more_parts_than_the_limit_is_refused_at_export() -> None:
    room = MIN_PART_SIZE - HEADER_SIZE
    with pytest.raises(InvalidPartSize, match=f"more than {MAX_PARTS}"):
        split(bytes(room * MAX_PARTS + 1), MIN_PART_SIZE)
    assert len(split(bytes(room * MAX_PARTS), MIN_PART_SIZE)) == MAX_PARTS


def test_a_staged_set_with_an_impossible_count_left_on_disk_never_blocks_an_import(
    tmp_path: Path,
) -> None:
    folder, whole, in_parts = _honest_folder(tmp_path)
    planted = tmp_path / "staging" / f"{'ab' * 32}-4294967295"
    planted.mkdir(parents=True)
    (planted / "meta.json").write_text('{"count": 4294967295, "size": 999, "prefix": "x"}')
    (planted / "00000001.part").write_bytes(b"x" * 204)
    broken = tmp_path / "staging" / f"{'cd' * 32}-2"
    broken.mkdir()
    (broken / "meta.json").write_text("[" * 100_000)
    got = _gather_capped(tmp_path, folder)
    assert sorted(got["bundles"]) == sorted([sha256_hex(whole), sha256_hex(in_parts)])
    assert got["waiting"] == [] and not planted.exists() and not broken.exists()


def test_a_staged_set_untouched_past_the_expiry_age_is_dropped_at_the_next_import(
    tmp_path: Path,
) -> None:
    data = os.urandom(5_000)
    first = split(data, 2_000)[0]
    store = PartStore(tmp_path / "staging")
    store.add(first)
    assert [s.count for s in store.status()] == [3]
    old = time.time() - parts.STAGED_MAX_AGE - 60
    for p in (tmp_path / "staging").rglob("*"):
        os.utime(p, (old, old))
    got = gather([], store)
    assert got.waiting == [] and store.status() == []


def test_staging_holds_a_bounded_number_of_sets_dropping_the_oldest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parts, "MAX_STAGED_SETS", 3)
    store = PartStore(tmp_path / "staging")
    bundles = [os.urandom(3_000) for _ in range(5)]
    for n, data in enumerate(bundles):
        store.add(split(data, 2_000)[0])
        for p in (tmp_path / "staging").glob(f"{sha256_hex(data)}-*/*"):
            os.utime(p, (1_000_000 + n, 1_000_000 + n))
    held = {s.bundle_sha256 for s in store.status()}
    assert held == {sha256_hex(d) for d in bundles[-3:]}


def test_staging_holds_a_bounded_number_of_declared_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parts, "MAX_STAGED_BYTES", 7_000)
    store = PartStore(tmp_path / "staging")
    a, b = os.urandom(4_000), os.urandom(4_000)
    store.add(split(a, 2_000)[0])
    store.add(split(b, 2_000)[0])
    assert [s.bundle_sha256 for s in store.status()] == [sha256_hex(b)]


def _nested_mail(depth: int) -> bytes:
    lines = [b"From: a@b.vn", b"To: c@d.vn", b"Subject: x", b"MIME-Version: 1.0"]
    for i in range(depth):
        lines += [
            f'Content-Type: multipart/mixed; boundary="b{i}"'.encode(),
            b"",
            f"--b{i}".encode(),
        ]
    lines += [b"Content-Type: text/plain", b"", b"hello"]
    for i in reversed(range(depth)):
        lines.append(f"--b{i}--".encode())
    return b"\r\n".join(lines) + b"\r\n"


def test_mail_nested_5000_deep_is_refused_and_the_bundles_beside_it_still_arrive(
    tmp_path: Path,
) -> None:
    folder, whole, in_parts = _honest_folder(tmp_path)
    (folder / "deep.eml").write_bytes(_nested_mail(5_000))
    found = gather([folder], PartStore(tmp_path / "staging"))
    assert {b.sha256 for b in found.bundles} == {sha256_hex(whole), sha256_hex(in_parts)}
    [refused] = found.refused
    assert refused.error.code == "too_large" and "deep.eml" in str(refused.error)


def test_mail_nested_to_the_limit_is_parsed() -> None:
    with pytest.raises(Exception) as info:
        extract_parts_from_bytes(_nested_mail(MAX_MIME_CONTAINERS), "ok.eml")
    assert getattr(info.value, "code", "") == "not_a_bundle"  # read, and holds no bundle


def test_mail_of_thousands_of_parts_is_refused_before_parsing() -> None:
    body = b"".join(b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n" for _ in range(5_000))
    raw = b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n' + body + b"--b--\r\n"
    with pytest.raises(TooLarge, match="part boundaries"):
        extract_parts_from_bytes(raw, "many.eml")


def test_a_link_in_an_import_folder_is_skipped_with_a_reason_and_never_read(
    tmp_path: Path,
) -> None:
    folder, whole, in_parts = _honest_folder(tmp_path)
    secret = tmp_path / "site.ed25519"
    secret.write_bytes(b"\xdd\x01PRIVATE-KEY-BYTES" + os.urandom(16))
    (folder / "key.cchc").symlink_to(secret)
    (folder / "dir.cchc").symlink_to(tmp_path)
    found = gather([folder], PartStore(tmp_path / "staging"))
    assert {b.sha256 for b in found.bundles} == {sha256_hex(whole), sha256_hex(in_parts)}
    refused = {Path(r.source).name: r.error for r in found.refused}
    assert set(refused) == {"key.cchc", "dir.cchc"}
    for err in refused.values():
        assert err.code == "unsafe_file" and "symbolic link" in str(err)
        assert "PRIVATE" not in str(err) and "\\xdd" not in str(err)
    # named directly, a link is refused the same way
    direct = gather([folder / "key.cchc"], PartStore(tmp_path / "staging"))
    assert [r.error.code for r in direct.refused] == ["unsafe_file"]


def test_a_pipe_named_like_a_bundle_is_refused_without_waiting_on_it(tmp_path: Path) -> None:
    folder, whole, _in_parts = _honest_folder(tmp_path)
    os.mkfifo(folder / "pipe.cchc")
    started = time.monotonic()
    found = gather([folder, folder / "pipe.cchc"], PartStore(tmp_path / "staging"))
    assert time.monotonic() - started < 30
    assert sha256_hex(whole) in {b.sha256 for b in found.bundles}
    assert [r.error.code for r in found.refused] == ["unsafe_file", "unsafe_file"]


def test_a_file_above_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    folder, whole, in_parts = _honest_folder(tmp_path)
    with (folder / "huge.cchc").open("wb") as f:  # sparse: 4 GiB that take no disk
        f.truncate(4 * 1024**3)
    with (folder / "huge.eml").open("wb") as f:
        f.truncate(inbox.MAX_EML_BYTES + 1)
    got = _gather_capped(tmp_path, folder)
    assert sorted(got["bundles"]) == sorted([sha256_hex(whole), sha256_hex(in_parts)])
    assert got["refused"]["huge.cchc"][0] == "too_large"
    assert got["refused"]["huge.eml"][0] == "too_large"


def test_one_import_reads_a_bounded_number_of_files_and_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    for n in range(5):
        data = os.urandom(4_000)
        write_atomic(folder / f"b{n}.cchc", data)
    monkeypatch.setattr(inbox, "MAX_IMPORT_FILES", 3)
    found = gather([folder], PartStore(tmp_path / "s1"))
    assert len(found.bundles) == 3
    assert sorted(Path(r.source).name for r in found.refused) == ["b3.cchc", "b4.cchc"]
    assert all(r.error.code == "too_large" for r in found.refused)

    monkeypatch.setattr(inbox, "MAX_IMPORT_FILES", 100)
    monkeypatch.setattr(inbox, "MAX_IMPORT_BYTES", 10_000)
    found = gather([folder], PartStore(tmp_path / "s2"))
    assert len(found.bundles) == 2 and len(found.refused) == 3
    assert "import it again" in str(found.refused[0].error)
