"""The exchange service over the city's hub and by file/e-mail: confidential by default.

Real workspaces, a real hub on 127.0.0.1 (uvicorn in a thread) driven by `exchange.Hub`, real
keys and certificates issued by the city's root.
"""

from __future__ import annotations

import datetime as dt
import http.client
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cchc.domain.errors import CchcError
from cchc.services import exchange
from cchc.services import tasks as svc
from cchc.services.workspace import Workspace
from sync.transport import HubServer, extract_parts, make_self_signed, pull
from sync.transport.tls import BadFingerprint, display_fingerprint

NOW = dt.datetime.fromisoformat("2026-03-20T09:00:00+07:00")


def open_ws(path: Path) -> Workspace:
    return Workspace.open(path, clock=lambda: NOW)


@pytest.fixture
def net(tmp_path: Path) -> Iterator[dict[str, Workspace]]:
    city = open_ws(tmp_path / "city.sqlite")
    fp = exchange.init_root(city)["root_fingerprint"]
    sites = {"city": city}
    for name, unit in (("vp", "vp_ubnd"), ("tc", "tai_chinh")):
        ws = open_ws(tmp_path / f"{name}.sqlite")
        ident = exchange.identity(ws)
        trust = exchange.certify(
            city,
            site_id=ident["site_id"],
            public_key=ident["public_key"],
            units=[unit],
            role="unit",
            out=tmp_path / f"{name}.trust",
            enc_key=ident["enc_key"],
        )
        exchange.install_trust(ws, trust, fp)
        sites[name] = ws
    yield sites
    for ws in sites.values():
        ws.close()


def led_by(ws: Workspace, unit_code: str) -> str:
    return str(
        ws.db.conn.execute(
            "SELECT t.id FROM tasks t JOIN units u ON u.id = t.lead_unit_id "
            "WHERE u.code = ? ORDER BY t.stt LIMIT 1",
            (unit_code,),
        ).fetchone()[0]
    )


def progress(ws: Workspace, task: str) -> int:
    return int(ws.db.conn.execute("SELECT progress FROM tasks WHERE id = ?", (task,)).fetchone()[0])


received: list[bytes] = []  # what the hub was given to import, as it arrived


@pytest.fixture
def hub(net: dict[str, Workspace], tmp_path: Path) -> Iterator[HubServer]:
    city_hub = exchange.Hub(net["city"].path)
    received.clear()

    def on_bundle(path: Path, sender: str) -> dict[str, Any]:
        received.append(path.read_bytes())
        return city_hub.on_bundle(path, sender)

    server = HubServer(
        on_bundle,
        city_hub.bundle_for,
        city_hub.check_key,
        tmp_path / "hub-data",
        site_id=exchange.identity(net["city"])["site_id"],
    ).start()
    yield server
    server.close()


def test_export_and_email_to_a_known_peer_are_encrypted_unless_asked_not_to(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    vp, tc, city = net["vp"], net["tc"], net["city"]
    city_id = exchange.identity(city)["site_id"]
    task = led_by(vp, "vp_ubnd")
    svc.update_task(vp, task, progress=45, status="in_progress", by="Nguyễn Thị Lan")
    (sealed,) = exchange.export_to(vp, tmp_path / "usb", peer=city_id)
    refused = exchange.import_paths(tc, [sealed])
    assert refused.files[0].error_code == "decryption_failed"
    mails = exchange.write_email(
        vp, to="vanphong@haiphong.gov.vn", out=tmp_path / "mail", peer=city_id
    )
    for eml in mails:
        for part in extract_parts(eml):
            assert "Nguyễn Thị Lan".encode() not in part
    assert exchange.import_paths(tc, mails).rejected
    (plain,) = exchange.export_to(vp, tmp_path / "plain", peer=city_id, encrypt=False)
    assert not exchange.import_paths(tc, [plain]).files[0].error_code  # readable, if refused
    assert not exchange.import_paths(city, mails).rejected
    assert progress(city, task) == 45


def test_islands_push_and_pull_through_the_hub_and_strangers_get_nothing(
    net: dict[str, Workspace], hub: HubServer, tmp_path: Path
) -> None:
    vp, tc, city = net["vp"], net["tc"], net["city"]
    task = led_by(vp, "vp_ubnd")
    svc.update_task(vp, task, progress=70, status="in_progress", by="Lan")
    pushed = exchange.push(vp, hub.url)
    assert pushed["applied"] > 0 and progress(city, task) == 70
    # even the first push, before any exchange, went sealed to the city the hub named
    assert b'"enc":' in received[0][:1000] and b"Lan" not in received[0]
    pulled = exchange.pull(tc, hub.url)
    assert pulled["applied"] > 0 and progress(tc, task) == 70
    # what came, counted as officers count it, under the laptop that wrote it
    assert pulled["arrivals"] == {exchange.identity(vp)["site_id"]: {"task_updates": 1}}
    # a second push from vp goes encrypted to the city, whose site id it learnt from the first
    svc.update_task(vp, task, progress=80, status="in_progress", by="Lan")
    assert exchange.push(vp, hub.url)["applied"] > 0 and progress(city, task) == 80
    host, port = hub.address
    conn = http.client.HTTPConnection(host, port, timeout=5)
    conn.request("GET", "/v1/outbox")
    resp = conn.getresponse()
    assert resp.status == 401 and b"Lan" not in resp.read()
    conn.close()
    # what the hub prepared for tc is encrypted to tc: vp cannot read it
    svc.update_task(city, task, progress=90, status="in_progress", by="Sở")
    got = pull(hub.url, exchange.client_identity(exchange.open_engine(tc)), tmp_path / "tc.cchc")
    assert got.path is not None
    assert exchange.import_paths(vp, [got.path]).files[0].error_code == "decryption_failed"


def test_a_laptop_pins_the_hub_certificate_and_remembers_it(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    vp, city = net["vp"], net["city"]
    fp = make_self_signed(tmp_path / "hub.crt", tmp_path / "hub.key", ["127.0.0.1"])
    city_hub = exchange.Hub(city.path)
    with HubServer(
        city_hub.on_bundle,
        city_hub.bundle_for,
        city_hub.check_key,
        tmp_path / "hub-tls",
        tls_cert=tmp_path / "hub.crt",
        tls_key=tmp_path / "hub.key",
    ) as server:
        task = led_by(vp, "vp_ubnd")
        svc.update_task(vp, task, progress=33, status="in_progress", by="Lan")
        with pytest.raises(BadFingerprint):  # a typo is refused before anything is sent
            exchange.push(vp, server.url, fingerprint="AB:CD")
        assert exchange.hub_fingerprint(vp, server.url) is None
        assert exchange.push(vp, server.url, fingerprint=fp)["applied"] > 0
        assert exchange.hub_fingerprint(vp, server.url) == fp
        again = exchange.pull(vp, server.url)  # no fingerprint given: the pin was remembered
        assert again["rejected"] == 0 and again["sender"] == exchange.identity(city)["site_id"]
    assert progress(city, task) == 33


def test_the_trust_file_can_carry_the_hubs_address_and_fingerprint(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    city = net["city"]
    fp = make_self_signed(tmp_path / "hub.crt", tmp_path / "hub.key", ["127.0.0.1"])
    laptop = open_ws(tmp_path / "new.sqlite")
    try:
        ident = exchange.identity(laptop)
        kwargs: dict[str, Any] = {
            "site_id": ident["site_id"],
            "public_key": ident["public_key"],
            "units": ["vp_ubnd"],
            "role": "unit",
        }
        with pytest.raises(CchcError):  # an address without its fingerprint is refused
            exchange.certify(city, out=tmp_path / "x.trust", hub_url="https://hub:8443", **kwargs)
        trust = exchange.certify(
            city,
            out=tmp_path / "new.trust",
            hub_url="https://127.0.0.1:8443/",
            hub_fingerprint=display_fingerprint(fp),
            **kwargs,
        )
        root_fp = exchange.status(city)["root_fingerprint"]
        out = exchange.install_trust(laptop, trust, root_fp)
        assert out["hub_url"] == "https://127.0.0.1:8443"
        assert exchange.hub_fingerprint(laptop, "https://127.0.0.1:8443") == fp
        assert laptop.setting("sync_hub_url") == "https://127.0.0.1:8443"
    finally:
        laptop.close()
