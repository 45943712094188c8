"""Certification without the command line: the laptop saves its key request file, the city
certifies it from that file, the laptop installs the certificate; hostile request files are
refused before anything is certified, and no file is ever written over another."""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.domain.errors import InvalidInput
from cchc.services import certification, exchange, overview
from cchc.services.workspace import Workspace
from cchc.texts.errors import describe
from tests.integration.worlds import NOW, template


def _laptop(tmp: Path, name: str) -> Workspace:
    path = tmp / f"{name}.sqlite"
    shutil.copy(template(tmp.parent), path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE _sync_state SET site_id = ?", (uuid.uuid4().hex,))
    return Workspace.open(path, clock=lambda: NOW)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Workspace, Workspace, str]]:
    city = _laptop(tmp_path, "city")
    root = exchange.init_root(city)["root_fingerprint"]
    laptop = _laptop(tmp_path, "tc")
    overview.set_local_profile(laptop, "tai_chinh", "Nguyễn Văn A")
    yield city, laptop, root
    city.close()
    laptop.close()


def test_a_laptop_is_certified_from_its_request_file_alone(
    pair: tuple[Workspace, Workspace, str], tmp_path: Path
) -> None:
    city, laptop, root = pair
    usb = tmp_path / "usb"
    usb.mkdir()
    assert not certification.is_certified(laptop)

    request_file = certification.save_key_request(laptop, usb)
    request = certification.read_key_request(request_file)
    assert request.unit_code == "tai_chinh"
    assert request.officer == "Nguyễn Văn A"
    assert request.fingerprint == exchange.identity(laptop)["fingerprint"]

    trust = certification.certify_request(city, request, usb)
    exchange.install_trust(laptop, trust, root)

    st = certification.standing(laptop)
    assert st.certified
    assert st.role == "finance"  # the plan's role of Phòng Tài chính, by default
    assert st.units == ["Phòng Tài chính"]


def test_an_uncertified_laptop_still_shows_its_unit_and_the_role_it_will_get(
    pair: tuple[Workspace, Workspace, str],
) -> None:
    _, laptop, _ = pair
    st = certification.standing(laptop)
    assert not st.certified
    assert st.unit_set
    assert st.role == "finance"
    assert st.units == ["Phòng Tài chính"]


def test_saving_the_request_twice_never_overwrites_the_first_file(
    pair: tuple[Workspace, Workspace, str], tmp_path: Path
) -> None:
    _, laptop, _ = pair
    first = certification.save_key_request(laptop, tmp_path)
    first.write_bytes(first.read_bytes() + b"kept")
    second = certification.save_key_request(laptop, tmp_path)
    assert second != first
    assert first.read_bytes().endswith(b"kept")


def _tampered(request_file: Path, **changes: str) -> Path:
    data = request_file.read_bytes()
    magic = certification.KEY_REQUEST_MAGIC
    body = json.loads(data[len(magic) :])
    body.update(changes)
    out = request_file.with_name("tampered" + certification.KEY_REQUEST_SUFFIX)
    out.write_bytes(magic + json.dumps(body).encode())
    return out


@pytest.mark.parametrize(
    "attack",
    ["swapped_key", "not_hex", "extra_field", "no_mark", "too_big", "not_json"],
)
def test_a_hostile_request_file_is_refused_without_quoting_it_and_certifies_nothing(
    pair: tuple[Workspace, Workspace, str], tmp_path: Path, attack: str
) -> None:
    city, laptop, _ = pair
    good = certification.save_key_request(laptop, tmp_path)
    magic = certification.KEY_REQUEST_MAGIC
    bad = tmp_path / ("bad" + certification.KEY_REQUEST_SUFFIX)
    if attack == "swapped_key":  # another key under the fingerprint read out by phone
        bad = _tampered(good, public_key="ab" * 32)
    elif attack == "not_hex":
        bad = _tampered(good, site_id="'; DROP TABLE units; --")
    elif attack == "extra_field":
        bad = _tampered(good, role="city")
    elif attack == "no_mark":
        bad.write_bytes(good.read_bytes()[len(magic) :])
    elif attack == "too_big":
        bad.write_bytes(magic + b"{" + b" " * certification.MAX_KEY_REQUEST_BYTES + b"}")
    else:
        bad.write_bytes(magic + b"\xff\xfe{{{")
    certs_before = city.db.conn.execute("SELECT count(*) FROM _sync_certs").fetchone()
    with pytest.raises(InvalidInput) as caught:
        certification.read_key_request(bad)
    text = describe(caught.value)
    assert bad.name in text
    assert "DROP" not in text and "abab" not in text
    assert city.db.conn.execute("SELECT count(*) FROM _sync_certs").fetchone() == certs_before
    assert city.db.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_certifying_asks_for_a_unit_when_the_request_names_none(
    tmp_path: Path, pair: tuple[Workspace, Workspace, str]
) -> None:
    city, _, _ = pair
    fresh = _laptop(tmp_path, "fresh")
    try:
        request = certification.key_request(fresh)
    finally:
        fresh.close()
    assert request.unit_code is None
    with pytest.raises(InvalidInput) as caught:
        certification.certify_request(city, request, tmp_path)
    assert caught.value.key == "certify_unit_missing"
    path = certification.certify_request(city, request, tmp_path, unit_code="cong_an")
    assert path.name.startswith("chung-nhan-cong_an-")


def test_only_units_that_run_a_laptop_are_offered_as_this_laptops_unit(
    pair: tuple[Workspace, Workspace, str],
) -> None:
    city, laptop, _ = pair
    offered = {u.name for u in certification.laptop_units(laptop)}
    assert {"Phòng Văn hóa - Xã hội", "Phòng Tài chính", "Công an đặc khu"} <= offered
    for never in ("Sở Nội vụ", "Ủy ban nhân dân thành phố", "Các đơn vị có liên quan"):
        assert never not in offered
    assert "Sở Nội vụ" in {u.name for u in certification.laptop_units(city)}


def test_a_request_naming_another_laptops_site_id_is_refused_and_says_which_laptop_holds_it(
    pair: tuple[Workspace, Workspace, str], tmp_path: Path
) -> None:
    city, laptop, root = pair
    usb = tmp_path / "usb"
    usb.mkdir()
    real = certification.read_key_request(certification.save_key_request(laptop, usb))
    exchange.install_trust(laptop, certification.certify_request(city, real, usb), root)
    intruder = _laptop(tmp_path, "intruder")
    try:
        ident = exchange.identity(intruder)
        # the site id is public in every bundle; the key is the intruder's own
        forged = certification.KeyRequest(
            site_id=real.site_id,
            public_key=ident["public_key"],
            enc_key=ident["enc_key"],
            fingerprint=ident["fingerprint"],
            unit_code="tai_chinh",
        )
        files_before = sorted(p.name for p in usb.iterdir())
        with pytest.raises(InvalidInput) as info:
            certification.certify_request(city, forged, usb)
        text = describe(info.value)
        assert real.fingerprint in text and "Phòng Tài chính" in text
        assert real.site_id in text
        assert sorted(p.name for p in usb.iterdir()) == files_before  # no certificate written
        # the real laptop's key still stands at the city: nothing was revoked or replaced
        city_engine = exchange.open_engine(city)
        assert city_engine.signer_of(real.site_id, bytes.fromhex(real.public_key)).scope == (
            "tai_chinh",
        )
    finally:
        intruder.close()
