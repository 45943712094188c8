"""A small network of real sites for tests: SQLite files, key directories, a city root."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync import Engine, TableSpec
from sync.merge import Policy

APP_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY,
    unit TEXT,
    title TEXT,
    progress INTEGER,
    note TEXT
);
CREATE TABLE IF NOT EXISTS updates (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    body TEXT
);
"""
TRACKED = ("tasks", "updates")


def open_conn(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


@dataclass
class Site:
    name: str
    path: Path
    conn: sqlite3.Connection
    engine: Engine

    @property
    def id(self) -> str:
        return self.engine.site_id

    def rows(self, table: str = "tasks") -> list[tuple[Any, ...]]:
        return self.conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        return {t: self.rows(t) for t in TRACKED}

    def exec(self, sql: str, *params: Any) -> None:
        self.conn.execute(sql, params)


def open_site(tmp: Path, name: str) -> Site:
    path = tmp / f"{name}.sqlite"
    conn = open_conn(path)
    conn.executescript(APP_SCHEMA)
    engine = Engine(conn, tmp / f"{name}.keys")
    for t in TRACKED:
        engine.track(TableSpec(t))
    return Site(name, path, conn, engine)


def certify(city: Site, site: Site, units: list[str], role: str = "unit") -> None:
    ident = site.engine.identity()
    trust = city.engine.certify(
        ident["site_id"],
        bytes.fromhex(ident["public_key"]),
        units,
        role,
        bytes.fromhex(ident["enc_key"]),
    )
    fp = city.engine.root_fingerprint()
    assert fp is not None
    site.engine.install_trust(trust, fp)


def network(tmp: Path, n: int, policy: Policy | None = None) -> tuple[Site, list[Site]]:
    """A city (root) and ``n`` unit sites, each certified for unit ``u<i>``."""
    city = open_site(tmp, "city")
    city.engine.init_root()
    sites = []
    for i in range(n):
        s = open_site(tmp, f"site{i}")
        certify(city, s, [f"u{i}"])
        if policy is not None:
            s.engine.set_policy(policy)
        sites.append(s)
    if policy is not None:
        city.engine.set_policy(policy)
    return city, sites


def exchange(a: Site, b: Site) -> None:
    """a sends everything b lacks, then b answers (acknowledging)."""
    b.engine.import_bundle(a.engine.export_bundle(b.id))
    a.engine.import_bundle(b.engine.export_bundle(a.id))
