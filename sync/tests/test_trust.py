"""Trust: only certified, unrevoked, in-scope signers apply; a person checks the root."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync import Signer
from sync.errors import (
    NotRoot,
    RootFingerprintMismatch,
    ScopeWidened,
    SignerRevoked,
    SignerUntrusted,
    SiteTaken,
)
from sync.signing import SigningKey
from sync.tests.netkit import network, open_site
from sync.trust import Certificate, TrustView


def only_own_unit(signer: Signer, table, row_id, values, view) -> str | None:
    """Test policy: a unit site may write tasks of its own units only."""
    if signer.role == "city":
        return None
    row = view.row(table, row_id) or {}
    unit = values.get("unit", row.get("unit"))
    if signer.covers_unit(str(unit)):
        return None
    return f"unit {unit!r} is outside the signer's scope {list(signer.scope)!r}"


def test_installing_a_root_with_a_misread_fingerprint_is_refused(tmp_path: Path) -> None:
    city = open_site(tmp_path, "city")
    city.engine.init_root()
    a = open_site(tmp_path, "a")
    ident = a.engine.identity()
    trust = city.engine.certify(
        ident["site_id"], bytes.fromhex(ident["public_key"]), ["u1"], "unit"
    )
    right = city.engine.root_fingerprint()
    assert right is not None
    with pytest.raises(RootFingerprintMismatch, match="'0000-1111' that was read out") as exc:
        a.engine.install_trust(trust, "0000-1111")
    # the right fingerprint is never shown, or the phone check would be copied from the screen
    assert right not in str(exc.value)
    assert right.replace("-", "") not in repr(exc.value.params)
    assert a.engine.root_fingerprint() is None


def test_only_the_root_site_can_certify(tmp_path: Path) -> None:
    _city, (a,) = network(tmp_path, 1)
    with pytest.raises(NotRoot, match=f"site '{a.id}' does not hold the root key"):
        a.engine.certify("x" * 32, b"\x01" * 32, ["u1"], "unit")


def test_a_bundle_from_an_uncertified_site_is_refused_and_nothing_applied(tmp_path: Path) -> None:
    _city, (a,) = network(tmp_path, 1)
    stranger = open_site(tmp_path, "stranger")
    stranger.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'forged')")
    with pytest.raises(SignerUntrusted, match="has no certificate chaining to the root"):
        a.engine.import_bundle(stranger.engine.export_bundle())
    assert a.rows() == []


def test_a_revoked_sites_changes_are_refused_with_the_reason(tmp_path: Path) -> None:
    city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'before revocation')")
    b.engine.import_bundle(a.engine.export_bundle())
    city.engine.revoke(a.id)
    b.engine.import_bundle(city.engine.export_bundle(b.id))  # carries the revocation
    a.exec("INSERT INTO tasks (id, title) VALUES ('t2', 'after revocation')")
    with pytest.raises(SignerRevoked, match=f"of site '{a.id}' has been revoked"):
        b.engine.import_bundle(a.engine.export_bundle(b.id))
    # t1 never reached the city, so it is past the revocation's cutoff: b took it back
    assert b.rows() == [] == city.rows()


def test_a_relayed_segment_of_a_revoked_site_is_rejected_but_the_rest_applies(
    tmp_path: Path,
) -> None:
    city, (a, b, c) = network(tmp_path, 3)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'by A')")
    b.engine.import_bundle(a.engine.export_bundle())
    b.exec("INSERT INTO tasks (id, title) VALUES ('t2', 'by B')")
    city.engine.revoke(a.id)
    c.engine.import_bundle(city.engine.export_bundle())
    relay = b.engine.export_bundle()  # B does not know of the revocation yet
    result = c.engine.import_bundle(relay)
    assert result.rejected == 5
    assert result.rejections[0].code == "signer_revoked"
    assert [r[0] for r in c.rows()] == ["t2"]
    assert c.engine.rejections()[0]["code"] == "signer_revoked"


def test_an_out_of_scope_change_is_refused_logged_and_the_rest_applied(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2, policy=only_own_unit)  # a: u0, b: u1
    a.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u0', 'mine')")
    a.exec("INSERT INTO tasks (id, unit, title) VALUES ('t2', 'u1', 'not mine')")
    result = b.engine.import_bundle(a.engine.export_bundle())
    assert (result.applied, result.rejected) == (5, 5)
    (why,) = result.rejections
    assert (why.code, why.table, why.row_id) == ("out_of_scope", "tasks", "t2")
    assert why.reason == "unit 'u1' is outside the signer's scope ['u0']"
    assert [r[0] for r in b.rows()] == ["t1"]
    assert b.engine.rejections()[0]["reason"] == why.reason


def test_a_certificate_chain_cannot_widen_scope(tmp_path: Path) -> None:
    root = SigningKey.from_seed(b"\x01" * 32)
    mid = SigningKey.from_seed(b"\x02" * 32)
    leaf = SigningKey.from_seed(b"\x03" * 32)
    c1 = Certificate.issue(root, site="m", key=mid.public, role="city", scope=["u1"], issued=1)
    c2 = Certificate.issue(
        mid, site="l", key=leaf.public, role="unit", scope=["u1", "u2"], issued=2
    )
    view = TrustView(root.public, [c1, c2])
    with pytest.raises(ScopeWidened, match=r"widens scope with \['u2'\]"):
        view.signer(leaf.public)
    ok = Certificate.issue(mid, site="l", key=leaf.public, role="unit", scope=["u1"], issued=3)
    view.add_cert(ok)
    assert view.signer(leaf.public).scope == ("u1",)


def test_a_unit_key_may_not_issue_certificates(tmp_path: Path) -> None:
    root = SigningKey.from_seed(b"\x01" * 32)
    unit = SigningKey.from_seed(b"\x02" * 32)
    other = SigningKey.from_seed(b"\x03" * 32)
    c1 = Certificate.issue(root, site="u", key=unit.public, role="unit", scope=["u1"], issued=1)
    c2 = Certificate.issue(unit, site="o", key=other.public, role="unit", scope=["u1"], issued=2)
    view = TrustView(root.public, [c1])
    added, refused = view.add_certs([c2])
    assert added == []
    assert refused == [
        "certificate for site 'o' was issued by site 'u' of role 'unit'; only the root and role "
        "'city' may certify"
    ]
    with pytest.raises(SignerUntrusted, match="has no certificate chaining to the root"):
        view.signer(other.public)


def test_a_rotated_key_keeps_the_feed_going_once_certified(tmp_path: Path) -> None:
    city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'old key')")
    b.engine.import_bundle(a.engine.export_bundle())
    # a site id belongs to one key: the new key is certified as a key change, which revokes the
    # old key at what the city holds of the feed, so the city takes the feed in first
    city.engine.import_bundle(a.engine.export_bundle(city.id))
    a.engine.rotate_key()
    ident = a.engine.identity()
    data = city.engine.certify(
        a.id, bytes.fromhex(ident["public_key"]), ["u0"], "unit", replace_key=True
    )
    fp = city.engine.root_fingerprint()
    assert fp is not None
    a.engine.install_trust(data, fp)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t2', 'new key')")
    r = b.engine.import_bundle(a.engine.export_bundle(b.id))
    assert r.applied == 5
    assert [x[0] for x in b.rows()] == ["t1", "t2"]


def test_a_policy_that_crashes_refuses_the_row_instead_of_failing_the_import(
    tmp_path: Path,
) -> None:
    def broken(signer, table, row_id, values, view):
        raise KeyError("lead_unit_id")

    _city, (a, b) = network(tmp_path, 2, policy=broken)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'x')")
    result = b.engine.import_bundle(a.engine.export_bundle())
    assert result.rejected == 5
    assert result.rejections[0].reason == "policy failed: KeyError: 'lead_unit_id'"
    assert b.rows() == []


def test_a_site_id_belongs_to_one_key_and_a_request_naming_another_laptops_id_is_refused(
    tmp_path: Path,
) -> None:
    city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u0', 'the real laptop')")
    city.engine.import_bundle(a.engine.export_bundle(city.id))
    intruder = open_site(tmp_path, "intruder")
    key = bytes.fromhex(intruder.engine.identity()["public_key"])
    before = city.engine.trust_file()
    with pytest.raises(SiteTaken) as info:
        city.engine.certify(a.id, key, ["u0"], "unit")  # a's site id, public in every bundle
    assert info.value.params["fingerprint"] == a.engine.identity()["fingerprint"]
    assert info.value.params["units"] == ["u0"]
    assert city.engine.trust_file() == before  # nothing certified, nothing revoked
    # the real laptop's work still flows to the city
    a.exec("UPDATE tasks SET progress = 10 WHERE id = 't1'")
    assert city.engine.import_bundle(a.engine.export_bundle(city.id)).applied > 0
    # re-certifying the same key (a new scope) is no key change
    ident = a.engine.identity()
    city.engine.certify(a.id, bytes.fromhex(ident["public_key"]), ["u0", "u1"], "unit")
    del b
