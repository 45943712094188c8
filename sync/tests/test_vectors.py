"""Every test vector in sync/testdata: rebuilt byte for byte, and imported with the outcome its
`expect:` line names."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from sync import Engine
from sync.engine import TRUST_MAGIC
from sync.errors import SyncError
from sync.format import decode_bundle, encode_bundle
from sync.signing import ENC_KEY_FILE, KeyDir, fingerprint
from sync.tests.netkit import APP_SCHEMA, open_conn

DATA = Path(__file__).resolve().parent.parent / "testdata"
_spec = importlib.util.spec_from_file_location("sync_vectors_generate", DATA / "generate.py")
assert _spec is not None and _spec.loader is not None
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)

FILES = sorted(p for p in DATA.iterdir() if p.is_file() and "_" in p.name and p.suffix == "")


def test_the_directory_holds_exactly_the_generated_cases() -> None:
    assert [p.name for p in FILES] == sorted(generate.cases())


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_vector_file_is_what_the_generator_makes(path: Path) -> None:
    header, data = generate.cases()[path.name]
    assert path.read_bytes() == generate.render(header, data)


def fresh_site(tmp_path: Path, header: dict[str, str]) -> Engine:
    keys = KeyDir(tmp_path / "keys")
    if "recipient_x25519" in header:
        keys._write(ENC_KEY_FILE, bytes.fromhex(header["recipient_x25519"]))
    conn = open_conn(tmp_path / "site.sqlite")
    conn.executescript(APP_SCHEMA)
    engine = Engine(conn, keys.path)
    from sync import TableSpec

    engine.track(TableSpec("tasks"))
    root = bytes.fromhex(header["root"])
    trust = TRUST_MAGIC + b"\n" + json.dumps({"root": root.hex(), "certs": []}).encode()
    engine.install_trust(trust, fingerprint(root))
    return engine


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_vector_imports_with_the_expected_outcome(tmp_path: Path, path: Path) -> None:
    header, data = generate.parse(path.read_bytes())
    engine = fresh_site(tmp_path, header)
    if header["expect"] == "success":
        result = engine.import_bundle(data)
        assert result.applied == int(header["applied"])
        assert result.held == int(header.get("held", "0"))
        assert result.rejected == int(header.get("rejected", "0"))
    else:
        with pytest.raises(SyncError) as info:
            engine.import_bundle(data)
        assert info.value.code == header["expect"], str(info.value)
        assert engine.conn.execute("SELECT count(*) FROM tasks").fetchone() == (0,)


@pytest.mark.parametrize("name", ["bundle_valid", "bundle_valid_two_segments"])
def test_a_valid_vector_decodes_and_re_encodes_to_the_same_bytes(name: str) -> None:
    _header, data = generate.parse((DATA / name).read_bytes())
    bundle, _signed, _sig = decode_bundle(data)
    assert encode_bundle(bundle, generate.SITE) == data


def test_the_encrypted_vector_decrypts_and_re_encrypts_to_the_same_bytes() -> None:
    header, data = generate.parse((DATA / "bundle_valid_encrypted").read_bytes())
    bundle, _signed, _sig = decode_bundle(data, decrypt_with=generate.RECIPIENT_X)
    again = encode_bundle(
        bundle,
        generate.SITE,
        encrypt_to=bytes.fromhex(generate.x25519_public(generate.RECIPIENT_X).hex()),
        ephemeral=generate.EPHEMERAL_X,
        nonce=generate.NONCE,
    )
    assert again == data
    assert header["expect"] == "success"


def test_the_sealed_vector_opens_for_each_recipient_and_re_seals_to_the_same_bytes() -> None:
    _header, data = generate.parse((DATA / "bundle_valid_sealed_two").read_bytes())
    for reader in (generate.RECIPIENT_X, generate.CITY_X):
        bundle, _signed, _sig = decode_bundle(data, decrypt_with=reader)
        assert bundle.recipients == [generate.RECIPIENT_ID, generate.CITY_ID]
        assert len(bundle.segments) == 1
    again = encode_bundle(
        bundle,
        generate.SITE,
        seal_to=generate.sealed_readers(),
        ephemeral=generate.EPHEMERAL_X,
        nonce=generate.NONCE,
        content_key=generate.CONTENT_KEY,
    )
    assert again == data
