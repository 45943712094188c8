"""Sync on real workspaces through the exchange service: the plan's policy (a unit writes the
tasks it leads, partners add updates, the city writes anything; refusals logged with a
Vietnamese reason), encryption to the city, and numbered parts imported one at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.domain.errors import InvalidInput
from cchc.services import exchange
from cchc.services import tasks as svc
from cchc.services.workspace import Workspace
from cchc.texts.errors import describe
from cchc.texts.sync import rejection_reason
from tests.integration.worlds import certified_net

NOW = dt.datetime.fromisoformat("2026-03-20T09:00:00+07:00")


@pytest.fixture
def net(tmp_path: Path) -> Iterator[dict[str, Workspace]]:
    sites = certified_net(
        tmp_path,
        (("vp", "vp_ubnd", "unit"), ("tc", "tai_chinh", "unit"), ("vhxh", "vhxh", "consolidator")),
        NOW,
    )
    yield sites
    for ws in sites.values():
        ws.close()


def send(src: Workspace, dst: Workspace):
    """Everything src holds, imported by dst; returns dst's import result."""
    return exchange.import_bytes(dst, exchange.export_bundle(src))


def task_row(ws: Workspace, task_id: str) -> dict:
    cur = ws.db.conn.execute("SELECT * FROM tasks WHERE id = ?", (task_id,))
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def led_by(ws: Workspace, unit_code: str) -> str:
    return str(
        ws.db.conn.execute(
            "SELECT t.id FROM tasks t JOIN units u ON u.id = t.lead_unit_id "
            "WHERE u.code = ? ORDER BY t.stt LIMIT 1",
            (unit_code,),
        ).fetchone()[0]
    )


def test_a_unit_site_writes_the_tasks_it_leads(net: dict[str, Workspace]) -> None:
    task = led_by(net["vp"], "vp_ubnd")
    svc.update_task(net["vp"], task, progress=40, status="in_progress", by="Lan")
    result = send(net["vp"], net["city"])
    assert result.rejected == 0 and result.applied > 0
    assert task_row(net["city"], task)["progress"] == 40
    assert net["city"].db.conn.execute(
        "SELECT count(*) FROM task_updates WHERE task_id = ?", (task,)
    ).fetchone() == (1,)


def test_a_unit_site_cannot_write_a_task_another_unit_leads(net: dict[str, Workspace]) -> None:
    task = led_by(net["vp"], "vhxh")
    before = task_row(net["city"], task)["progress"]  # row 1 is done by the decision: 100
    with pytest.raises(InvalidInput):  # the laptop itself refuses, as every other copy does
        svc.update_task(net["vp"], task, progress=90, status="in_progress", by="Lan")
    net["vp"].db.conn.execute(  # written behind the app's back: the other copies refuse it
        "UPDATE tasks SET progress = 90, status = 'in_progress' WHERE id = ?", (task,)
    )
    result = send(net["vp"], net["city"])
    assert result.rejected > 0 and result.applied == 0
    reasons = {rejection_reason(r.code, r.reason) for r in result.rejections}
    assert (
        "nhiệm vụ do đơn vị Phòng Văn hóa - Xã hội chủ trì, ngoài phạm vi Văn phòng Ủy ban nhân dân "
        "đặc khu của máy gửi" in reasons
    )
    assert task_row(net["city"], task)["progress"] == before
    logged = exchange.status(net["city"])["rejections"]
    assert logged == len(result.rejections)


def test_a_partner_unit_adds_updates_but_does_not_edit_the_task(
    net: dict[str, Workspace],
) -> None:
    added = svc.add_task(
        net["city"],
        content="Số hoá hồ sơ lưu trữ",
        lead="vp_ubnd",
        partners=["tai_chinh"],
        due="30/06/2026",
        timeframe=None,
        source_number="12/UBND",
        source_date="01/03/2026",
        source_issuer="UBND đặc khu",
        by="Sở Nội vụ",
    )
    send(net["city"], net["tc"])
    assert task_row(net["tc"], added.id)["content"] == "Số hoá hồ sơ lưu trữ"
    with pytest.raises(InvalidInput):
        svc.update_task(net["tc"], added.id, progress=20, status="in_progress", by="Minh")
    svc.update_task(net["tc"], added.id, note="Đã rà soát danh mục", by="Minh")
    net["tc"].db.conn.execute("UPDATE tasks SET progress = 20 WHERE id = ?", (added.id,))
    result = send(net["tc"], net["city"])
    refused = {(r.table, r.row_id) for r in result.rejections}
    assert refused == {("tasks", added.id)}
    assert task_row(net["city"], added.id)["progress"] == 0
    updates = (
        net["city"]
        .db.conn.execute("SELECT officer FROM task_updates WHERE task_id = ?", (added.id,))
        .fetchall()
    )
    assert updates == [("Minh",)]


def test_the_city_writes_anything_and_units_accept_it(net: dict[str, Workspace]) -> None:
    task = led_by(net["city"], "vhxh")
    svc.update_task(net["city"], task, progress=10, status="in_progress", by="Sở Nội vụ")
    result = send(net["city"], net["vp"])
    assert result.rejected == 0
    assert task_row(net["vp"], task)["progress"] == 10


def test_the_private_keys_live_beside_the_database_not_in_it(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    keys = exchange.key_dir_for(tmp_path / "vp.sqlite")
    assert keys == tmp_path / "vp.sqlite.keys"
    assert (keys / "site.ed25519").stat().st_mode & 0o777 == 0o600
    seed_hex = (keys / "site.ed25519").read_text().strip()
    net["vp"].db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = (tmp_path / "vp.sqlite").read_bytes()
    assert bytes.fromhex(seed_hex) not in raw and seed_hex.encode() not in raw


def test_a_bundle_encrypted_to_the_city_opens_there_and_nowhere_else(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    city, vp, tc = net["city"], net["vp"], net["tc"]
    exchange.import_bytes(vp, exchange.export_bundle(city))  # vp learns the city's keys
    task = led_by(vp, "vp_ubnd")
    svc.update_task(vp, task, progress=35, status="in_progress", by="Lan")
    city_id = exchange.identity(city)["site_id"]
    (path,) = exchange.export_to(vp, tmp_path / "usb", encrypt_to=city_id)
    assert b"Lan" not in path.read_bytes()
    refused = exchange.import_paths(tc, [path])
    assert refused.rejected
    assert refused.files[0].error_code == "decryption_failed"
    assert "mã hóa cho máy khác" in describe(refused.files[0].error or Exception())
    report = exchange.import_paths(city, [path])
    assert not report.rejected
    assert task_row(city, task)["progress"] == 35


def test_parts_imported_one_at_a_time_apply_when_the_last_arrives(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    city, vp = net["city"], net["vp"]
    task = led_by(vp, "vp_ubnd")
    svc.update_task(vp, task, progress=55, status="in_progress", by="Lan")
    parts = exchange.export_to(vp, tmp_path / "mail", part_size=1024)
    assert len(parts) >= 2
    for part in parts[:-1]:
        report = exchange.import_paths(city, [part])
        assert not report.rejected
        assert report.waiting and report.waiting[0]["missing"]
        assert task_row(city, task)["progress"] == 0
    last = exchange.import_paths(city, [parts[-1]])
    assert last.waiting == []
    assert last.files[0].result is not None and last.files[0].result.applied > 0
    assert task_row(city, task)["progress"] == 55
    again = exchange.import_paths(city, parts)
    assert not again.rejected
    assert sum(f.result.applied for f in again.files if f.result) == 0
