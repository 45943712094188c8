"""Hostile files against the engine's limits (SPEC.md section 7, "Limits"): each attack is a
bundle signed by a certified site, as a tampered laptop would make it. Each must be refused with
`too_large` before the memory it aims at is allocated (the resource attacks run in a child with
a 512 MiB address space), leave the database intact and unchanged, and let the next honest
bundle from the same site apply."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sync import limits
from sync.errors import NotABundle, SyncError, TooLarge
from sync.feeds import CODEC_ZLIB, decompress
from sync.format import OPTIONAL_BIT, decode_bundle, encode_bundle
from sync.tests.attacks import (
    MiB,
    bomb,
    deep_header,
    integrity,
    resign,
    with_header,
    with_segments,
    zeros_deflated,
)
from sync.tests.capped import run_capped
from sync.tests.netkit import Site, network


def _honest(tmp_path: Path) -> tuple[Site, Site, bytes]:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u0', 'Rà soát')")
    a.exec("INSERT INTO updates (id, task_id, body) VALUES ('u1', 't1', 'ghi chú')")
    return a, b, a.engine.export_bundle()


def _refused_in_child(tmp_path: Path, b: Site, attack: bytes, code: str = "too_large") -> str:
    """Import `attack` at b in a capped child; check the refusal and that b is unchanged."""
    before = b.snapshot(), b.engine.vector()
    path = tmp_path / "attack.cchc"
    path.write_bytes(attack)
    got = run_capped("sync.tests.attacks:import_file", str(tmp_path), b.name, str(path))
    assert got.get("code") == code, got
    assert integrity(b.conn) == "ok"
    assert (b.snapshot(), b.engine.vector()) == before
    return str(got["message"])


def _next_honest_bundle_applies(b: Site, honest: bytes) -> None:
    result = b.engine.import_bundle(honest)
    assert result.applied > 0 and result.rejected == 0
    assert b.rows() != []


def test_a_signed_segment_declaring_a_huge_body_is_refused_before_decompressing(
    tmp_path: Path,
) -> None:
    a, b, honest = _honest(tmp_path)
    # 500 MiB of zeros in about half a megabyte: under the old 512 MiB limit, over the new one
    attack = with_segments(honest, a.engine.key, lambda s: [bomb(s, 500 * MiB, 500 * MiB)])
    assert len(attack) < MiB
    message = _refused_in_child(tmp_path, b, attack)
    assert str(limits.MAX_SEGMENT_BODY) in message
    _next_honest_bundle_applies(b, honest)


def test_a_signed_segment_that_inflates_past_its_declared_size_stops_there(
    tmp_path: Path,
) -> None:
    a, b, honest = _honest(tmp_path)
    attack = with_segments(honest, a.engine.key, lambda s: [bomb(s, 1000, 300 * MiB)])
    message = _refused_in_child(tmp_path, b, attack)
    assert "more than the 1000 bytes it declares" in message
    _next_honest_bundle_applies(b, honest)


def test_segments_each_under_the_limit_but_together_over_it_are_refused_unopened(
    tmp_path: Path,
) -> None:
    a, b, honest = _honest(tmp_path)
    many = limits.MAX_BUNDLE_BODY // limits.MAX_SEGMENT_BODY + 1
    attack = with_segments(
        honest,
        a.engine.key,
        lambda s: [bomb(s, limits.MAX_SEGMENT_BODY, 1) for _ in range(many)],
    )
    message = _refused_in_child(tmp_path, b, attack)
    assert str(limits.MAX_BUNDLE_BODY) in message
    _next_honest_bundle_applies(b, honest)


def test_a_header_of_a_hundred_thousand_nested_arrays_is_refused_not_a_crash(
    tmp_path: Path,
) -> None:
    a, b, honest = _honest(tmp_path)
    attack = with_header(honest, deep_header(honest, 100_000), a.engine.key)
    message = _refused_in_child(tmp_path, b, attack)
    assert f"deeper than {limits.MAX_JSON_DEPTH}" in message
    _next_honest_bundle_applies(b, honest)


def test_a_bundle_above_the_size_limit_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync import format as bundle_format

    _a, b, honest = _honest(tmp_path)
    monkeypatch.setattr(bundle_format, "MAX_BUNDLE_BYTES", len(honest) - 1)
    with pytest.raises(TooLarge, match=f"above the limit {len(honest) - 1}"):
        b.engine.import_bundle(honest)
    monkeypatch.undo()
    _next_honest_bundle_applies(b, honest)


def test_a_header_nested_exactly_to_the_limit_is_read(tmp_path: Path) -> None:
    a, b, honest = _honest(tmp_path)
    # the header object is one level, the arrays the rest; unknown header fields are ignored
    at_limit = with_header(honest, deep_header(honest, limits.MAX_JSON_DEPTH - 1), a.engine.key)
    _next_honest_bundle_applies(b, at_limit)


def test_a_bundle_of_more_sections_than_the_limit_is_refused_while_reading_them(
    tmp_path: Path,
) -> None:
    a, b, honest = _honest(tmp_path)
    header_end = honest.index(b"}", 10) + 1
    filler = bytes([OPTIONAL_BIT | 1, 0]) * (limits.MAX_SECTIONS + 1)
    attack = resign(honest[:header_end] + filler, a.engine.key)
    message = _refused_in_child(tmp_path, b, attack)
    assert f"more than {limits.MAX_SECTIONS} sections" in message
    _next_honest_bundle_applies(b, honest)


def test_a_segment_claiming_more_entries_than_the_limit_is_refused_before_decoding(
    tmp_path: Path,
) -> None:
    from dataclasses import replace

    a, b, honest = _honest(tmp_path)
    attack = with_segments(
        honest,
        a.engine.key,
        lambda s: [replace(s, last_seq=s.first_seq + limits.MAX_SEGMENT_ENTRIES)],
    )
    with pytest.raises(TooLarge, match=f"above the limit {limits.MAX_SEGMENT_ENTRIES}"):
        b.engine.import_bundle(attack)
    assert integrity(b.conn) == "ok" and b.rows() == []
    _next_honest_bundle_applies(b, honest)


def test_a_body_claiming_more_entries_than_its_bytes_can_hold_is_refused() -> None:
    from sync.feeds import decode_columns

    with pytest.raises(SyncError, match="cannot fit"):
        decode_columns(b"\x80\x80\x04\x00", 1, 65536, bytes(32))


def test_decompression_never_produces_more_than_the_declared_size_plus_one() -> None:
    body = zeros_deflated(8 * MiB)
    with pytest.raises(TooLarge, match="more than the 4096 bytes"):
        decompress(CODEC_ZLIB, body, 4096)
    assert decompress(CODEC_ZLIB, body, 8 * MiB) == bytes(8 * MiB)


def test_an_xz_body_asking_for_a_huge_dictionary_is_refused(tmp_path: Path) -> None:
    from sync.feeds import CODEC_LZMA
    from sync.tests.attacks import xz_asking_for

    assert decompress(CODEC_LZMA, xz_asking_for(16, b"x" * 100), 100) == b"x" * 100
    with pytest.raises(SyncError) as info:
        decompress(CODEC_LZMA, xz_asking_for(37, b"x" * 100), 100)  # a 1.5 GiB dictionary
    assert info.value.code == "malformed"


def test_a_private_key_file_given_as_a_bundle_is_refused_without_quoting_it(
    tmp_path: Path,
) -> None:
    _a, b, _honest_bundle = _honest(tmp_path)
    secret = (tmp_path / "site0.keys" / "site.ed25519").read_bytes()
    with pytest.raises(NotABundle) as info:
        b.engine.import_bundle(secret)
    text = str(info.value)
    for shown in (repr(secret[:8]), secret[:8].hex(), repr(secret[:4])[2:-1]):
        assert shown not in text
    assert "bundle magic" in text


def test_no_format_error_quotes_the_bytes_it_refused(tmp_path: Path) -> None:
    a, b, honest = _honest(tmp_path)
    marker = "SECRET-áđ-0123456789"
    header = deep_header(honest, 1).replace(b'"zz":[]', f'"zz":"{marker}" '.encode())
    cases = [
        with_header(honest, header, a.engine.key),  # not canonical JSON
        with_header(honest, b"[" + marker.encode() + b"]", a.engine.key),  # not JSON
        with_header(honest, f'["{marker}"]'.encode(), a.engine.key),  # not an object
    ]
    for attack in cases:
        with pytest.raises(SyncError) as info:
            b.engine.import_bundle(attack)
        assert marker not in str(info.value) and "SECRET" not in str(info.value)
    decode_bundle(honest)  # and the honest bundle still reads


def _one_entry_body(hlc: bytes, value: bytes) -> bytes:
    strings = b"".join(bytes([len(s)]) + s for s in (b"tasks", b"t1", b"progress"))
    return b"\x01\x03" + strings + hlc + b"\x00\x01\x02" + value


def test_numbers_past_64_bits_in_a_body_are_malformed_not_a_crash() -> None:
    # found by the fuzz run: a clock of 2^70 reached struct.pack in the chain hash
    from sync.feeds import decode_columns

    huge = b"\xff" * 9 + b"\x7f"  # a 10-byte varint, about 2^70
    cases = {
        "clock": _one_entry_body(huge, b"\x00"),
        "integer": _one_entry_body(b"\x02", b"\x01" + huge),
    }
    for what, body in cases.items():
        with pytest.raises(SyncError, match="64-bit range") as info:
            decode_columns(body, 1, 1, bytes(32))
        assert info.value.code == "malformed", what
    cols, _head = decode_columns(_one_entry_body(b"\x02", b"\x01\x50"), 1, 1, bytes(32))
    assert cols.values == [40] and cols.hlcs == [1]


def test_sequence_numbers_and_acknowledgements_past_63_bits_are_malformed(
    tmp_path: Path,
) -> None:
    from dataclasses import replace

    from sync.format import _decode_acks

    a, b, honest = _honest(tmp_path)
    with pytest.raises(SyncError, match="64-bit range"):
        _decode_acks(b"\x01\x01a" + b"\xff" * 9 + b"\x01")  # 2^64 - 1
    attack = with_segments(
        honest, a.engine.key, lambda s: [replace(s, first_seq=1 << 63, last_seq=1 << 63)]
    )
    with pytest.raises(SyncError, match="64-bit range"):
        b.engine.import_bundle(attack)
    assert integrity(b.conn) == "ok" and b.rows() == []
    _next_honest_bundle_applies(b, honest)


def test_a_json_text_above_its_length_limit_is_refused_unparsed(tmp_path: Path) -> None:
    a, b, honest = _honest(tmp_path)
    big = deep_header(honest, 1).replace(
        b'"zz":[]', b'"zz":"' + b"x" * limits.MAX_JSON_BYTES + b'"'
    )
    with pytest.raises(TooLarge, match=f"above the limit {limits.MAX_JSON_BYTES}"):
        b.engine.import_bundle(with_header(honest, big, a.engine.key))
    _next_honest_bundle_applies(b, honest)


@pytest.mark.timeout(60)
def test_the_depth_scan_stays_linear_on_a_header_of_escaped_quotes(tmp_path: Path) -> None:
    # a scan retrying from every quote would take hours on this: each start runs to the end
    a, b, honest = _honest(tmp_path)
    header = b'{"zz":"' + b'\\"' * (limits.MAX_JSON_BYTES // 2 - 8)
    with pytest.raises(SyncError) as info:
        b.engine.import_bundle(with_header(honest, header, a.engine.key))
    assert info.value.code == "malformed"
    _next_honest_bundle_applies(b, honest)


def test_a_bundle_of_more_certificates_than_the_limit_is_refused_before_checking_them(
    tmp_path: Path,
) -> None:
    a, b, honest = _honest(tmp_path)
    bundle, _signed, _sig = decode_bundle(honest)
    flood = [bundle.certs[0]] * (limits.MAX_TRUST_ITEMS + 1)
    attack = encode_bundle(dataclasses.replace(bundle, certs=flood), a.engine.key)
    before = b.snapshot(), b.engine.vector()
    with pytest.raises(TooLarge, match=f"more than {limits.MAX_TRUST_ITEMS}"):
        b.engine.import_bundle(attack)
    assert integrity(b.conn) == "ok"
    assert (b.snapshot(), b.engine.vector()) == before
    _next_honest_bundle_applies(b, honest)
