"""Worlds of real laptops for sync tests: the city (root) and units with the plan's roles, each a
seeded SQLite copy with a site id chosen by the test, exchanging real bundles."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from cchc.services import exchange
from cchc.services.sync_policy import TRACKED_TABLES
from cchc.services.workspace import Workspace

NOW = dt.datetime.fromisoformat("2026-03-20T09:00:00+07:00")
#: (laptop, unit code, certified role); the city is always there.
LAPTOPS = (
    ("vhxh", "vhxh", "consolidator"),
    ("tc", "tai_chinh", "finance"),
    ("tthcc", "tthcc", "unit"),
    ("vp", "vp_ubnd", "leadership"),
)


@dataclass
class World:
    sites: dict[str, Workspace]
    units: dict[str, str]
    in_flight: list[tuple[bytes, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def site_id(self, name: str) -> str:
        return str(exchange.identity(self.sites[name])["site_id"])

    def deliver(self, data: bytes, dst: str) -> None:
        result = exchange.import_bytes(self.sites[dst], data)
        self.refused += [f"{dst}: {r.table} {r.row_id}: {r.reason}" for r in result.rejections]
        self.refused += [f"{dst}: held: {n.reason}" for n in result.notes]

    def send(self, src: str, dst: str) -> None:
        self.in_flight.append((exchange.export_bundle(self.sites[src], self.site_id(dst)), dst))


def template(tmp: Path) -> Path:
    """One seeded database, copied for every laptop of every example (loading the plan is the
    slow part)."""
    path = tmp / "template.sqlite"
    if not path.exists():
        Workspace.open(path, clock=lambda: NOW).close()
    return path


def open_world(tmp: Path, names: list[str], ids: list[str]) -> World:
    seeded = template(tmp.parent)
    sites: dict[str, Workspace] = {}
    for name, site_id in zip(["city", *names], ids, strict=False):
        path = tmp / f"{name}.sqlite"
        shutil.copy(seeded, path)
        with sqlite3.connect(path) as conn:  # a new laptop, with the site id drawn
            conn.execute("UPDATE _sync_state SET site_id = ?", (site_id,))
        sites[name] = Workspace.open(path, clock=lambda: NOW)
    city = sites["city"]
    fp = exchange.init_root(city)["root_fingerprint"]
    units = {"city": "*"}
    for name, unit, role in LAPTOPS:
        if name not in sites:
            continue
        certify_laptop(city, sites[name], unit, role, tmp / f"{name}.trust", fp)
        units[name] = unit
    return World(sites, units)


def tables(ws: Workspace) -> dict[str, list[tuple]]:
    return {
        t: ws.db.conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TRACKED_TABLES
    }


def certify_laptop(
    city: Workspace, laptop: Workspace, unit: str, role: str, out: Path, root_fp: str
) -> None:
    """The city certifies ``laptop`` for ``unit`` with ``role`` (trust file at ``out``), and
    the laptop installs it, checking the root's fingerprint ``root_fp``."""
    ident = exchange.identity(laptop)
    trust = exchange.certify(
        city,
        site_id=ident["site_id"],
        public_key=ident["public_key"],
        units=[unit],
        role=role,
        out=out,
    )
    exchange.install_trust(laptop, trust, root_fp)


def certified_net(
    folder: Path, laptops: tuple[tuple[str, str, str], ...], now: dt.datetime = NOW
) -> dict[str, Workspace]:
    """The city (root) and each ``(name, unit, role)`` laptop opened in ``folder`` at the moment
    ``now`` and certified; the caller closes them."""
    city = Workspace.open(folder / "city.sqlite", clock=lambda: now)
    fp = exchange.init_root(city)["root_fingerprint"]
    sites = {"city": city}
    try:
        for name, unit, role in laptops:
            sites[name] = Workspace.open(folder / f"{name}.sqlite", clock=lambda: now)
            certify_laptop(city, sites[name], unit, role, folder / f"{name}.trust", fp)
    except BaseException:
        for ws in sites.values():
            ws.close()
        raise
    return sites
