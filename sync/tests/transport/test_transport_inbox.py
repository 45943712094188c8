"""gather: what an import is pointed at becomes whole bundles, refusals and waiting parts."""

from __future__ import annotations

import os
from pathlib import Path

from sync.transport import (
    PartStore,
    gather,
    sha256_hex,
    write_atomic,
    write_emails,
    write_parts,
)
from sync.transport.files import bundle_file_name


def test_a_folder_mixing_bundles_parts_mail_and_junk_is_sorted_out(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    whole = os.urandom(5_000)
    split_bundle = os.urandom(9_000)
    mailed = os.urandom(4_000)
    write_atomic(stick / bundle_file_name("dao", whole), whole)
    parts = write_parts(stick, split_bundle, 2_000, prefix="dao")
    parts[1].unlink()  # one part has not come yet
    write_emails(stick, mailed, to="a@b.vn", sender="c@d.vn", part_size=2_000)
    (stick / "notes.txt").write_text("ignored: not a bundle name")
    (stick / "empty.cchc").write_bytes(b"")
    corrupt = bytearray(parts[2].read_bytes())
    corrupt[-1] ^= 1
    (stick / "bad.part009-of-009.cchc").write_bytes(bytes(corrupt))

    found = gather([stick], PartStore(tmp_path / "staging"))

    assert sorted(b.sha256 for b in found.bundles) == sorted(
        [sha256_hex(whole), sha256_hex(mailed)]
    )
    assert {b.sha256: b.data for b in found.bundles}[sha256_hex(whole)] == whole
    refused = {Path(r.source).name: r.error.code for r in found.refused}
    assert refused == {"empty.cchc": "not_a_bundle", "bad.part009-of-009.cchc": "part_corrupt"}
    (waiting,) = found.waiting
    assert waiting.bundle_sha256 == sha256_hex(split_bundle)
    assert waiting.missing_names == [parts[1].name]

    # the missing part arrives in a later, separate import
    late = tmp_path / "late"
    late.mkdir()
    again = write_parts(late, split_bundle, 2_000, prefix="dao")
    found2 = gather([again[1]], PartStore(tmp_path / "staging"))
    assert [b.data for b in found2.bundles] == [split_bundle] and found2.waiting == []


def test_the_same_bundle_given_twice_in_one_import_is_returned_once(tmp_path: Path) -> None:
    data = os.urandom(3_000)
    a = write_atomic(tmp_path / "a.cchc", data)
    b = write_atomic(tmp_path / "b.cchc", data)
    parts = write_parts(tmp_path, data, 1_500)
    found = gather([a, b, *parts], PartStore(tmp_path / "staging"))
    assert [x.source for x in found.bundles] == [str(a)]
    assert sorted(found.duplicates) == sorted([str(b), *map(str, parts)])
    assert found.waiting == []


def test_unreadable_path_is_refused_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "gone.cchc"
    found = gather([missing], PartStore(tmp_path / "staging"))
    assert [(r.source, r.error.code) for r in found.refused] == [(str(missing), "not_a_bundle")]
    assert "gone.cchc" in str(found.refused[0].error)


def test_upper_case_names_saved_by_windows_mail_clients_are_read(tmp_path: Path) -> None:
    data = os.urandom(2_000)
    (eml,) = write_emails(tmp_path / "mail", data, to="a@b.vn")
    eml.rename(eml.with_name("THU-DONG-BO.EML"))
    found = gather([tmp_path / "mail"], PartStore(tmp_path / "staging"))
    assert [b.data for b in found.bundles] == [data] and found.refused == []
