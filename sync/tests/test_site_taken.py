"""A site id belongs to one key on every copy, not only where certificates are issued (SPEC.md
section 6): a certificate for a site id another key holds, issued by a ``city`` laptop whose
software was altered, is refused on import and on installing a trust file, logged, and never
relayed; the real laptop's work keeps flowing. A key change the root makes (revoking the old
key) still goes through."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync import Engine, TableSpec
from sync.errors import SignerUntrusted
from sync.trust import Certificate, TrustView

from .netkit import TRACKED, Site, certify, network, open_site


def _forged(city_laptop: Site, site_id: str, key: bytes) -> Certificate:
    """What altered software on a ``city`` laptop signs: a certificate for another laptop's id."""
    return Certificate.issue(
        city_laptop.engine.key,
        site=site_id,
        key=key,
        role="unit",
        scope=["u0"],
        issued=city_laptop.engine._tick(),
    )


def _altered(city_laptop: Site, forged: Certificate, drop: bytes | None = None) -> None:
    """Altered software: the laptop's view holds (and so sends) the forged certificate, and not
    the certificate of key ``drop``."""
    honest = city_laptop.engine._trust

    def view() -> TrustView:
        v = honest()
        v.certs[forged.key] = forged
        v.certs.pop(drop or b"", None)
        return v

    city_laptop.engine._trust = view  # type: ignore[method-assign]


def _intruder_world(tmp: Path) -> tuple[Site, Site, Site, Site, bytes, Certificate]:
    city, (a, b) = network(tmp, 2)
    c2 = open_site(tmp, "c2")
    certify(city, c2, ["*"], "city")
    a.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u0', 'the real laptop')")
    b.engine.import_bundle(a.engine.export_bundle(b.id))
    b.engine.import_bundle(city.engine.export_bundle(b.id))  # c2's certificate
    intruder = open_site(tmp, "intruder")
    key = bytes.fromhex(intruder.engine.identity()["public_key"])
    return city, a, b, c2, key, _forged(c2, a.id, key)


def test_a_certificate_for_a_site_id_another_key_holds_is_refused_on_import(
    tmp_path: Path,
) -> None:
    _city, a, b, c2, key, forged = _intruder_world(tmp_path)
    _altered(c2, forged)
    got = b.engine.import_bundle(c2.engine.export_bundle(b.id))
    refused = [r for r in got.rejections if r.code == "certificate_refused"]
    assert len(refused) == 1 and "already certified to another key" in refused[0].reason
    assert b.conn.execute("SELECT count(*) FROM _sync_certs WHERE key = ?", (key,)).fetchone() == (
        0,
    )
    with pytest.raises(SignerUntrusted):
        b.engine._trust().signer(key, a.id)
    # never relayed; the real laptop's work keeps flowing
    assert forged.body not in b.engine.export_bundle()
    a.exec("UPDATE tasks SET progress = 10 WHERE id = 't1'")
    assert b.engine.import_bundle(a.engine.export_bundle(b.id)).applied > 0


def test_a_trust_file_carrying_such_a_certificate_installs_without_it(tmp_path: Path) -> None:
    city, a, b, c2, key, forged = _intruder_world(tmp_path)
    _altered(c2, forged)
    fp = city.engine.root_fingerprint()
    assert fp is not None
    b.engine.install_trust(c2.engine.trust_file(), fp)
    with pytest.raises(SignerUntrusted):
        b.engine._trust().signer(key, a.id)
    assert b.conn.execute("SELECT count(*) FROM _sync_certs WHERE key = ?", (key,)).fetchone() == (
        0,
    )


def test_whichever_arrives_first_the_roots_holder_of_a_site_id_stands(tmp_path: Path) -> None:
    """A copy that got the forged certificate before the root's own one for the real laptop
    drops it when the root's arrives: the holder is a function of the set of certificates."""
    city, a, _b, c2, key, forged = _intruder_world(tmp_path)
    late = open_site(tmp_path, "late")
    certify(city, late, ["u9"])
    # the late copy hears of the forged certificate first (with c2's chain), then of a's
    _altered(c2, forged)
    data = c2.engine.export_bundle(late.id)
    c2.conn.execute("DELETE FROM _sync_certs WHERE key = ?", (a.engine.key.public,))
    late.engine.import_bundle(c2.engine.export_bundle(late.id))
    late.engine.import_bundle(data)
    with pytest.raises(SignerUntrusted):
        late.engine._trust().signer(key, a.id)
    assert late.engine._trust().signer(a.engine.key.public, a.id).site == a.id


def test_the_roots_key_change_still_replaces_the_old_key_everywhere(tmp_path: Path) -> None:
    city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u0', 'old key')")
    b.engine.import_bundle(a.engine.export_bundle(b.id))
    city.engine.import_bundle(a.engine.export_bundle(city.id))
    a.engine.rotate_key()
    new = bytes.fromhex(a.engine.identity()["public_key"])
    city.engine.certify(a.id, new, ["u0"], "unit", replace_key=True)
    b.engine.import_bundle(city.engine.export_bundle(b.id))
    assert b.engine._trust().signer(new, a.id).site == a.id


def test_what_a_key_signed_before_it_lost_the_site_id_is_taken_back(tmp_path: Path) -> None:
    """A copy that took the forged certificate, and the intruder's work under the real laptop's
    id with it, before it heard of the root's certificate for that id, takes the work back
    when it does: it ends as a copy that had the root's certificate first."""
    city, a, _b, c2, key, forged = _intruder_world(tmp_path)
    intruder = open_site(tmp_path, "intruder")
    intruder.conn.execute("UPDATE _sync_state SET site_id = ?", (a.id,))
    intruder = Site(
        "intruder", intruder.path, intruder.conn, Engine(intruder.conn, tmp_path / "intruder.keys")
    )
    for t in TRACKED:
        intruder.engine.track(TableSpec(t))
    assert intruder.engine.key.public == key and intruder.id == a.id
    _altered(c2, forged)
    fp = city.engine.root_fingerprint()
    assert fp is not None
    trust = c2.engine.trust_file()  # the root, c2's chain and the forged certificate
    late = open_site(tmp_path, "late")
    certify(city, late, ["u9"])
    late.conn.execute("DELETE FROM _sync_certs WHERE key = ?", (a.engine.key.public,))
    intruder.engine.install_trust(trust, fp)
    _altered(intruder, forged, drop=a.engine.key.public)
    intruder.exec("INSERT INTO tasks (id, unit, title) VALUES ('x1', 'u0', 'the intruder')")
    got = late.engine.import_bundle(intruder.engine.export_bundle(late.id))
    assert got.applied > 0 and [r[0] for r in late.rows()] == ["x1"]
    back = late.engine.import_bundle(city.engine.export_bundle(late.id))  # a's root certificate
    assert back.taken_back > 0
    assert any("lost the site id" in r.reason for r in back.rejections)
    assert late.rows() == []
    with pytest.raises(SignerUntrusted):
        late.engine._trust().signer(key, a.id)
