"""Import: idempotent, held across gaps, all-or-nothing, acknowledged deltas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sync.tests.netkit import exchange, network


def test_importing_the_same_bundle_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'Plan')")
    bundle = a.engine.export_bundle()
    first = b.engine.import_bundle(bundle)
    before = b.snapshot(), b.engine.vector()
    second = b.engine.import_bundle(bundle)
    assert (first.applied, first.duplicate) == (5, 0)
    assert (second.applied, second.duplicate, second.held, second.rejected) == (0, 5, 0, 0)
    assert (b.snapshot(), b.engine.vector()) == before


def test_a_segment_after_a_gap_is_held_then_applied_when_the_gap_fills(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'first')")
    first = a.engine.export_bundle(b.id)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t2', 'second')")
    second = a.engine.export_bundle(since={a.id: 5})
    r2 = b.engine.import_bundle(second)
    assert (r2.applied, r2.held) == (0, 5)
    assert b.rows() == []
    assert b.engine.status()["held"] == [{"origin": a.id, "first_seq": 6, "last_seq": 10}]
    r1 = b.engine.import_bundle(first)
    assert (r1.applied, r1.held) == (10, 0)
    assert [r[0] for r in b.rows()] == ["t1", "t2"]
    assert b.engine.status()["held"] == []


def test_a_delta_for_a_peer_holds_only_what_it_has_not_acknowledged(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    for i in range(200):
        a.exec(
            "INSERT INTO tasks (id, title, note) VALUES (?, ?, ?)", f"t{i}", f"task {i}", "x" * 50
        )
    exchange(a, b)
    a.exec("UPDATE tasks SET progress = 100 WHERE id = 't7'")
    full = a.engine.export_bundle()
    delta = a.engine.export_bundle(b.id)
    assert len(delta) < 2048 < len(full)
    r = b.engine.import_bundle(delta)
    assert (r.applied, r.duplicate) == (1, 0)
    assert a.rows() == b.rows()


def test_every_bundle_acknowledges_what_its_sender_holds(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'Plan')")
    b.engine.import_bundle(a.engine.export_bundle(b.id))
    a.engine.import_bundle(b.engine.export_bundle(a.id))
    assert a.engine.status()["peers"][b.id][a.id] == 5


def test_a_relay_carries_another_sites_segments_and_authorship_survives(tmp_path: Path) -> None:
    city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'written on A')")
    b.engine.import_bundle(a.engine.export_bundle())
    city.engine.import_bundle(b.engine.export_bundle())  # A's feed relayed by B
    assert city.rows() == a.rows()
    (origin,) = {o for (o,) in city.conn.execute("SELECT origin FROM _sync_cells")}
    assert origin == a.id


def test_three_sites_converge_through_pairwise_exchanges(tmp_path: Path) -> None:
    city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'A')")
    b.exec("INSERT INTO tasks (id, title) VALUES ('t2', 'B')")
    city.exec("INSERT INTO tasks (id, title) VALUES ('t3', 'city')")
    exchange(a, city)
    exchange(b, city)
    exchange(a, city)
    assert a.snapshot() == b.snapshot() == city.snapshot()
    assert len(a.rows()) == 3


def test_an_encrypted_bundle_opens_only_for_its_recipient(tmp_path: Path) -> None:
    import pytest

    from sync.errors import DecryptionFailed

    _city, (a, b, c) = network(tmp_path, 3)
    b.engine.import_bundle(a.engine.export_bundle())  # b learns a's certificate
    a.engine.import_bundle(b.engine.export_bundle())  # a learns b's encryption key
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'secret plan')")
    sealed = a.engine.export_bundle(b.id, encrypt_to=b.id)
    assert b"secret plan" not in sealed
    with pytest.raises(DecryptionFailed, match=f"encrypted to site '{b.id}'"):
        c.engine.import_bundle(sealed)
    assert c.rows() == []
    assert b.engine.import_bundle(sealed).applied == 5
    assert b.rows() == [("t1", None, "secret plan", None, None)]


def test_a_bundle_sealed_to_two_sites_opens_for_each_and_tells_a_third_it_is_not_one(
    tmp_path: Path,
) -> None:
    import pytest

    from sync.errors import DecryptionFailed
    from sync.format import CAP_ENCRYPTION_MULTI, decode_bundle

    city, (a, b, c) = network(tmp_path, 3)
    a.engine.import_bundle(city.engine.export_bundle())  # a holds every certificate
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'secret plan')")
    sealed = a.engine.export_bundle(encrypt_to=[b.id, city.id])
    assert b"secret plan" not in sealed
    with pytest.raises(DecryptionFailed) as refused:
        c.engine.import_bundle(sealed)
    assert "not to this site" in str(refused.value)
    assert b.id in str(refused.value) and city.id in str(refused.value)
    assert c.rows() == []
    with pytest.raises(DecryptionFailed, match="no key to open it"):
        decode_bundle(sealed)
    for reader in (b, city):
        assert reader.engine.import_bundle(sealed).applied == 5
        assert reader.rows() == [("t1", None, "secret plan", None, None)]
    opened, _signed, _sig = decode_bundle(sealed, decrypt_with=[b.engine.enc_key])
    assert CAP_ENCRYPTION_MULTI in opened.caps
    assert sorted(opened.recipients) == sorted([b.id, city.id])


def test_a_bundle_sealed_to_one_site_stays_in_the_single_recipient_format(
    tmp_path: Path,
) -> None:
    """One reader: format 1.0 (capability x25519-chacha20poly1305), which a copy of the
    engine from before several recipients still opens."""
    from sync.format import CAP_ENCRYPTION, CAP_ENCRYPTION_MULTI, peek_header

    city, (a,) = network(tmp_path, 1)
    sealed = a.engine.export_bundle(encrypt_to=[city.id])
    required = peek_header(sealed)["required"]
    assert CAP_ENCRYPTION in required and CAP_ENCRYPTION_MULTI not in required  # type: ignore[operator]
    assert city.engine.import_bundle(sealed).rejected == 0


def test_sealing_to_a_site_without_a_known_key_is_refused_naming_it(tmp_path: Path) -> None:
    import pytest

    from sync.errors import UnknownSite

    city, (a,) = network(tmp_path, 1)
    with pytest.raises(UnknownSite, match="'nowhere'"):
        a.engine.export_bundle(encrypt_to=[city.id, "nowhere"])


def test_certificates_travel_until_the_peer_reports_holding_the_same_set(tmp_path: Path) -> None:
    from sync.format import decode_bundle

    _city, (a, b) = network(tmp_path, 2)
    first, _s, _g = decode_bundle(a.engine.export_bundle(b.id))
    assert len(first.certs) == 2  # the city's and a's, from a's trust file
    b.engine.import_bundle(a.engine.export_bundle(b.id))
    a.engine.import_bundle(b.engine.export_bundle(a.id))  # b's header names the set it holds
    later, _s, _g = decode_bundle(a.engine.export_bundle(b.id))
    # both now hold the city's, a's and b's certificates: only a's own chain still travels
    assert [c.site for c in later.certs] == [a.id]
    assert later.trust_digest != first.trust_digest


def test_a_delta_bundle_carried_to_another_site_by_mistake_is_still_checked_there(
    tmp_path: Path,
) -> None:
    _city, (a, b, c) = network(tmp_path, 3)
    b.engine.import_bundle(a.engine.export_bundle(b.id))
    a.engine.import_bundle(b.engine.export_bundle(a.id))  # a knows b holds its trust set
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'Kế hoạch')")
    meant_for_b = a.engine.export_bundle(b.id)
    result = c.engine.import_bundle(meant_for_b)  # c never saw a's certificate before
    assert (result.applied, result.rejected) == (5, 0)
    assert c.rows() == [("t1", None, "Kế hoạch", None, None)]


def test_a_site_certified_without_an_encryption_key_receives_to_its_derived_key(
    tmp_path: Path,
) -> None:
    from sync.signing import SigningKey, ed25519_to_x25519_public, x25519_public
    from sync.tests.netkit import open_site

    key = SigningKey.from_seed(bytes(range(32)))
    assert x25519_public(key.x25519()) == ed25519_to_x25519_public(key.public)

    city, (a,) = network(tmp_path, 1)
    b = open_site(tmp_path, "b")
    ident = b.engine.identity()
    trust = city.engine.certify(
        ident["site_id"], bytes.fromhex(ident["public_key"]), ["u1"], "unit"
    )
    fp = city.engine.root_fingerprint()
    assert fp is not None
    b.engine.install_trust(trust, fp)
    a.engine.import_bundle(city.engine.export_bundle())  # a learns b's certificate (no enc key)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'for b only')")
    sealed = a.engine.export_bundle(encrypt_to=b.id)
    assert b"for b only" not in sealed
    assert b.engine.import_bundle(sealed).applied == 5


def test_a_large_import_gets_a_page_cache_while_it_runs_and_gives_the_connection_its_own_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sync.engine_state as engine_state
    from sync import merge

    _city, (a, b) = network(tmp_path, 2)
    b.conn.execute("PRAGMA cache_size = -3000")
    during: list[int] = []

    def watching(signer: Any, table: str, row_id: str, values: Any, view: Any) -> str | None:
        during.append(int(b.conn.execute("PRAGMA cache_size").fetchone()[0]))
        return None

    b.engine.set_policy(watching)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'Plan')")
    b.engine.import_bundle(a.engine.export_bundle())  # 5 changes: below the bulk mark
    assert during == [-3000]
    monkeypatch.setattr(engine_state, "BULK_CHANGES", 5)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t2', 'More')")
    r = b.engine.import_bundle(a.engine.export_bundle(b.id))
    assert r.applied == 5
    assert during[1:] == [-engine_state.BULK_CACHE_KIB]
    assert b.conn.execute("PRAGMA cache_size").fetchone()[0] == -3000

    def failing(*_args: Any) -> None:
        raise RuntimeError("the disk broke mid-import")

    monkeypatch.setattr(merge.Merger, "_materialize", failing)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t3', 'x')")
    before = b.snapshot()
    with pytest.raises(RuntimeError):
        b.engine.import_bundle(a.engine.export_bundle(b.id))
    assert b.snapshot() == before
    assert b.conn.execute("PRAGMA cache_size").fetchone()[0] == -3000
