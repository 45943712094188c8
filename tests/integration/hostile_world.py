"""A small zone of real laptops for attack tests: real databases, real keys, real bundles.

The city holds the root; Phòng Tài chính's laptop (``tc``) is certified for its unit as
``finance``; Phòng Văn hóa - Xã hội's laptop (``vhxh``) is the consolidator. The world is built once and copied for each test
(database files and key folders), so each test starts from the same honest history:

- the city recorded a budget for a task Văn phòng UBND đặc khu leads (estimate 80M, allocated
  75M by decision 52/QĐ-UBND) and one for the task Phòng Tài chính leads (estimate only), and
  one for task 1 (Phòng Văn hóa - Xã hội);
- the city attached evidence (a document and its file) to a Văn phòng UBND task;
- the city opened and submitted Văn phòng UBND's Q1 report;
- Phòng Văn hóa - Xã hội proposed dropping task 6 and forwarded it; the city approved it
  (45/QĐ-UBND);
- Phòng Tài chính noted progress on its own task;
- every laptop holds all of it.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc.services import amendments as amendment_service
from cchc.services import budget as budget_service
from cchc.services import exchange
from cchc.services import reports as report_service
from cchc.services import tasks as task_service
from cchc.services.sync_policy import TRACKED_TABLES
from cchc.services.workspace import Workspace
from tests.integration.worlds import certify_laptop

NOW = "2026-04-20T09:00:00+07:00"
NAMES = ("city", "tc", "vhxh")


TC_ROLE = "finance"


def clock() -> Any:
    import datetime as dt

    moment = dt.datetime.fromisoformat(NOW)
    return lambda: moment


def open_ws(path: Path) -> Workspace:
    return Workspace.open(path, clock=clock())


def send(src: Workspace, dst: Workspace) -> exchange.ImportResult:
    return exchange.import_bytes(dst, exchange.export_bundle(src))


def one(ws: Workspace, sql: str, *params: Any) -> Any:
    row = ws.db.conn.execute(sql, params).fetchone()
    return None if row is None else row[0]


def led_by(ws: Workspace, unit_code: str) -> str:
    return str(
        one(
            ws,
            "SELECT t.id FROM tasks t JOIN units u ON u.id = t.lead_unit_id WHERE u.code = ? "
            "ORDER BY t.stt LIMIT 1",
            unit_code,
        )
    )


def unit_id(ws: Workspace, code: str) -> str:
    return str(one(ws, "SELECT id FROM units WHERE code = ?", code))


def app_tables(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every synchronised application table, row by row, in key order."""
    return {
        t: ws.db.conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TRACKED_TABLES
    }


def integrity(ws: Workspace) -> str:
    return str(one(ws, "PRAGMA integrity_check"))


def build(folder: Path, evidence: Path) -> None:
    """Create the world's databases and keys in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    city = open_ws(folder / "city.sqlite")
    fp = exchange.init_root(city)["root_fingerprint"]
    sites = {"city": city}
    for name, unit, role in (("tc", "tai_chinh", TC_ROLE), ("vhxh", "vhxh", "consolidator")):
        ws = open_ws(folder / f"{name}.sqlite")
        certify_laptop(city, ws, unit, role, folder / f"{name}.trust", fp)
        sites[name] = ws
    vp_task, tc_task, vhxh_task = (led_by(city, u) for u in ("vp_ubnd", "tai_chinh", "vhxh"))
    budget_service.set_budget(
        city, vp_task, estimate="80000000", sent_on="20/02/2026", by="Sở Nội vụ"
    )
    budget_service.set_budget(
        city, vp_task, approved="75000000", approved_on="25/03/2026", by="Sở Nội vụ"
    )
    city.db.conn.execute(
        "UPDATE budgets SET decision_number = '52/QĐ-UBND', decision_date = '2026-03-25' "
        "WHERE task_id = ?",
        (vp_task,),
    )
    budget_service.set_budget(city, tc_task, estimate="30000000", by="Sở Nội vụ")
    budget_service.set_budget(city, vhxh_task, estimate="12000000", by="Sở Nội vụ")
    task_service.update_task(
        city,
        vp_task,
        note="Kế hoạch đã ban hành",
        by="Sở Nội vụ",
        evidence=task_service.Evidence(
            file=evidence, doc_type="Kế hoạch", number="12/KH-UBND", date="10/01/2026"
        ),
    )
    report = report_service.new_report(city, unit="vp_ubnd", period="2026-Q1", by="Sở Nội vụ")
    report_service.set_report(city, report.id, sections={"I": "Đã ban hành kế hoạch."})
    report_service.submit_report(city, report.id, by="Sở Nội vụ")
    for name in ("tc", "vhxh"):
        send(city, sites[name])
    vhxh = sites["vhxh"]
    proposal = amendment_service.propose(
        vhxh, unit="vhxh", action="drop", task="6", reason="Thành phố hủy", by="Hà"
    )
    amendment_service.forward(vhxh, proposal.id, by="Hà")
    send(vhxh, city)
    send(vhxh, sites["tc"])
    task_service.update_task(sites["tc"], tc_task, note="Đang lập dự toán chi tiết", by="Minh")
    send(sites["tc"], city)
    amendment_service.decide(
        city, proposal.id, approve=True, number="45/QĐ-UBND", date="20/04/2026", by="Sở Nội vụ"
    )
    for name in ("tc", "vhxh"):
        send(city, sites[name])
        send(sites[name], city)
    for ws in sites.values():
        ws.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        ws.close()


@dataclass
class World:
    folder: Path
    city: Workspace
    tc: Workspace
    vhxh: Workspace

    def raw(self, name: str) -> sqlite3.Connection:
        """A plain SQLite connection to a laptop's file, as a tamperer would open it (the
        capture triggers still record what it writes)."""
        conn = sqlite3.connect(self.folder / f"{name}.sqlite", isolation_level=None)
        return conn

    @contextmanager
    def tampering(self, name: str) -> Iterator[sqlite3.Connection]:
        conn = self.raw(name)
        try:
            yield conn
        finally:
            conn.close()

    def close(self) -> None:
        for ws in (self.city, self.tc, self.vhxh):
            ws.close()


def build_in(folder: Path) -> Path:
    """The hostile world built in ``folder / "world"``, with the plan's evidence file beside
    it: the template each test copies."""
    evidence = folder / "ke-hoach.pdf"
    evidence.write_bytes(b"%PDF-1.4 ke hoach 12/KH-UBND\n")
    build(folder / "world", evidence)
    return folder / "world"


def copied_world(template: Path, tmp_path: Path) -> Iterator[World]:
    """A fresh copy of the template for one test, closed after it (a fixture's body)."""
    found = copy_world(template, tmp_path / "world")
    yield found
    found.close()


def copy_world(template: Path, dest: Path) -> World:
    shutil.copytree(template, dest)
    return World(
        folder=dest,
        city=open_ws(dest / "city.sqlite"),
        tc=open_ws(dest / "tc.sqlite"),
        vhxh=open_ws(dest / "vhxh.sqlite"),
    )
