"""What the Đồng bộ screen and the dashboard show of synchronisation: peers and their
certificates, and when this laptop last exchanged with each of them.

The exchange itself is `cchc.services.exchange`, which remembers each successful exchange in
`local_settings` (per laptop, never synchronised) whether the app or the command line made it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc.domain.dates import island_moment
from cchc.services import exchange
from cchc.services.periods import period_name
from cchc.services.task_text import task_ref
from cchc.services.workspace import Workspace
from cchc.texts.sync import UNKNOWN_LAPTOP
from sync import reading
from sync.signing import fingerprint
from sync.transport import reachable as hub_reachable
from sync.trust import Certificate

LOG_PREFIX = exchange.EXCHANGE_LOG_PREFIX
EXPORT_KEY = "sync_last_export"
HUB_URL_KEY = "sync_hub_url"


@dataclass(frozen=True)
class PeerView:
    """A laptop this one knows through a certificate: who it speaks for, its key fingerprint."""

    site_id: str
    role: str
    units: list[str]  # unit names ("*" shown as every unit)
    fingerprint: str
    revoked: bool
    me: bool
    last_at: str | None  # ISO time of the last exchange with it, if this laptop recorded one
    last_how: str | None  # "import", "push", "pull"


@dataclass(frozen=True)
class ExchangeView:
    """One line of "last exchanged with …": the peer's name, when and how."""

    site_id: str
    name: str
    at: str
    how: str


def unit_names(ws: Workspace, codes: Sequence[str]) -> list[str]:
    names = {
        code: name for code, name in ws.db.conn.execute("SELECT code, name FROM units").fetchall()
    }
    return ["*" if c == "*" else names.get(c, c) for c in codes]


def _log(ws: Workspace) -> dict[str, dict[str, str]]:
    rows = ws.db.conn.execute(
        "SELECT key, value FROM local_settings WHERE key LIKE ?", (LOG_PREFIX + "%",)
    ).fetchall()
    out: dict[str, dict[str, str]] = {}
    for key, value in rows:
        try:
            out[key[len(LOG_PREFIX) :]] = json.loads(value)
        except ValueError:
            continue
    return out


def _certificates(ws: Workspace) -> list[Certificate]:
    exchange.open_engine(ws)  # creates the engine's tables on a fresh database
    return reading.certificates(ws.db.conn)


def peers(ws: Workspace) -> list[PeerView]:
    """Every certified laptop (newest certificate per site), this one first."""
    me = exchange.identity(ws)["site_id"]
    revoked = reading.revoked_keys(ws.db.conn)
    latest: dict[str, Certificate] = {}
    for cert in _certificates(ws):
        latest[cert.site] = cert
    log = _log(ws)
    out = [
        PeerView(
            site_id=cert.site,
            role=cert.role,
            units=unit_names(ws, cert.scope),
            fingerprint=fingerprint(cert.key),
            revoked=cert.key in revoked,
            me=cert.site == me,
            last_at=log.get(cert.site, {}).get("at"),
            last_how=log.get(cert.site, {}).get("how"),
        )
        for cert in latest.values()
    ]
    out.sort(key=lambda p: (not p.me, p.role != "city", p.site_id))
    return out


def peer_name(peer: PeerView | None, site_id: str, city_label: str) -> str:
    """A laptop as people name it: its units (or the city), never its site id."""
    if peer is None:
        return UNKNOWN_LAPTOP
    if peer.role == "city" or "*" in peer.units:
        return city_label
    return ", ".join(peer.units) or UNKNOWN_LAPTOP


def reader_names(ws: Workspace, sites: Sequence[str]) -> str:
    """The laptops a bundle is sealed to, as people name them ("Phòng Văn hóa - Xã hội (máy
    tổng hợp), Thành phố"), each once, never a site id."""
    from cchc.texts.roles import ROLE_NAMES

    known = {p.site_id: p for p in peers(ws)}
    names: list[str] = []
    for site in sites:
        name = peer_name(known.get(site), site, ROLE_NAMES["city"])
        if name not in names:
            names.append(name)
    return ", ".join(names)


def export_readers(ws: Workspace) -> list[str]:
    """Who a bundle written from the Đồng bộ screen (USB or e-mail) is sealed to by default;
    empty: it would go in the clear (no trust file installed yet)."""
    engine = exchange.open_engine(ws)
    return exchange.carried_recipients(engine, None, None, True)


def sealed_for(ws: Workspace) -> str:
    """The names of the laptops a bundle written from the screen opens for; "" when it would
    go in the clear."""
    readers = export_readers(ws)
    return reader_names(ws, readers) if readers else ""


def last_exchanges(ws: Workspace, city_label: str) -> list[ExchangeView]:
    """When this laptop last exchanged with each peer, newest first."""
    known = {p.site_id: p for p in peers(ws)}
    out = [
        ExchangeView(
            site_id=site,
            name=peer_name(known.get(site), site, city_label),
            at=entry.get("at", ""),
            how=entry.get("how", ""),
        )
        for site, entry in _log(ws).items()
    ]
    out.sort(key=lambda e: e.at, reverse=True)
    return out


def last_export(ws: Workspace) -> dict[str, str] | None:
    raw = ws.setting(EXPORT_KEY)
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


# ---- the exchange, remembered ---------------------------------------------------------------


def export_folder(ws: Workspace, folder: Path, *, part_size: int | None = None) -> list[Path]:
    paths = exchange.export_to(ws, folder, part_size=part_size)
    ws.set_setting(
        EXPORT_KEY, json.dumps({"at": ws.now_iso(), "where": str(folder), "how": "folder"})
    )
    return paths


def import_files(ws: Workspace, paths: Sequence[Path]) -> exchange.ImportReport:
    return exchange.import_paths(ws, paths)


def write_emails(
    ws: Workspace, *, to: str, folder: Path, letter_size: int | None
) -> list[tuple[Path, int]]:
    """The e-mail files written, each with its size in bytes (none above ``letter_size``)."""
    written = exchange.write_email(ws, to=to, out=folder, letter_size=letter_size)
    ws.set_setting(
        EXPORT_KEY, json.dumps({"at": ws.now_iso(), "where": str(folder), "how": "email"})
    )
    return [(p, p.stat().st_size) for p in written]


def push(ws: Workspace, url: str, fingerprint: str | None = None) -> dict[str, Any]:
    """Send to the hub; `fingerprint` (of its TLS certificate), when typed, is remembered."""
    set_hub_url(ws, url)
    return exchange.push(ws, url, fingerprint=fingerprint or None)


def pull(ws: Workspace, url: str, fingerprint: str | None = None) -> dict[str, Any]:
    set_hub_url(ws, url)
    return exchange.pull(ws, url, fingerprint=fingerprint or None)


def hub_fingerprint(ws: Workspace, url: str) -> str | None:
    """The hub certificate fingerprint this laptop pins for `url`, as people write it."""
    from sync.transport.tls import display_fingerprint

    saved = exchange.hub_fingerprint(ws, url) if url else None
    return display_fingerprint(saved) if saved else None


#: Rows people know by the task or the report they belong to: (parent table, its column here).
_PARENTS = {
    "task_updates": ("tasks", "task_id"),
    "documents": ("tasks", "task_id"),
    "budgets": ("tasks", "task_id"),
    "amendments": ("tasks", "task_id"),
    "report_sections": ("reports", "report_id"),
    "report_tasks": ("reports", "report_id"),
    "report_figures": ("reports", "report_id"),
}


def _which(ws: Workspace, table: str, row_id: str) -> str | None:
    conn = ws.db.conn
    if table == "tasks":
        row = conn.execute("SELECT stt, content FROM tasks WHERE id = ?", (row_id,)).fetchone()
        return None if row is None else task_ref(row[0], str(row[1]))
    if table == "reports":
        row = conn.execute(
            "SELECT r.period, u.name FROM reports r LEFT JOIN units u ON u.id = r.unit_id "
            "WHERE r.id = ?",
            (row_id,),
        ).fetchone()
        if row is None:
            return None
        return f"{period_name(str(row[0]))} {row[1] or ''}".strip()
    if table in _PARENTS:
        parent, column = _PARENTS[table]
        found = conn.execute(f"SELECT {column} FROM {table} WHERE id = ?", (row_id,)).fetchone()
        return None if found is None or found[0] is None else _which(ws, parent, str(found[0]))
    return None


def row_label(ws: Workspace, table: str, row_id: str) -> tuple[str, str]:
    """What a synchronised row is, for people: (kind, which), e.g. ("tasks", "4"); a task by its
    row or its content, a report by its period and unit, a row of either by the one it belongs
    to; never a raw id (a row this laptop no longer holds is named by its kind only)."""
    return table, _which(ws, table, row_id) or ""


def site_names(ws: Workspace, city_label: str) -> dict[str, str]:
    """Each known site's name as people say it (its units, or the city)."""
    return {p.site_id: peer_name(p, p.site_id, city_label) for p in peers(ws)}


def hub_url(ws: Workspace) -> str | None:
    """The hub address last used on this laptop."""
    return ws.setting(HUB_URL_KEY)


def set_hub_url(ws: Workspace, url: str) -> None:
    ws.set_setting(HUB_URL_KEY, url.strip())


def reachable(url: str) -> bool:
    """Whether a hub answers at `url` (a short ping; no data is sent, so neither its certificate
    nor plain http is judged here: push and pull check them before sending anything)."""
    return bool(url) and hub_reachable(url, timeout=3.0, insecure_http=True, verify_tls=False)


def local_time(iso_value: str) -> dt.datetime | None:
    """An ISO time as island time (Asia/Ho_Chi_Minh)."""
    return island_moment(iso_value)
