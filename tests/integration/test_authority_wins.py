"""Authority changes win over what their writer did not see (issue 18, SPEC section 12).

A certified member laptop edits its own SQLite file and seals with a stale ``seen`` (the one of
its previous segment: it claims it never learned of the decisions that reached it since). Each
attack was seen to succeed before the rule (the city, the leadership and other laptops applied
it); now every copy refuses it, a copy that applied it before the decision reached it takes it
back, and an honest laptop that was offline while its task moved learns why its change went.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.services import amendments as amendment_service
from cchc.services import exchange
from cchc.services import tasks as task_service
from cchc.texts.sync import rejection_reason
from tests.integration.hostile_world import (
    World,
    app_tables,
    build_in,
    copied_world,
    integrity,
    one,
    send,
    unit_id,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_in(tmp_path_factory.mktemp("authority"))


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[World]:
    yield from copied_world(template, tmp_path)


def led_task(world: World, unit_code: str) -> tuple[str, str]:
    """(id, stt) of the first task ``unit_code`` leads."""
    row = world.city.db.conn.execute(
        "SELECT t.id, t.stt FROM tasks t JOIN units u ON u.id = t.lead_unit_id "
        "WHERE u.code = ? ORDER BY t.stt LIMIT 1",
        (unit_code,),
    ).fetchone()
    assert row is not None
    return str(row[0]), str(row[1])


def everyone_exchanges(world: World) -> None:
    for a, b in ((world.city, world.tc), (world.city, world.vhxh)):
        send(a, b)
        send(b, a)


def proposal_of(world: World, stt: str, *, lead: str | None = None) -> str:
    """Phòng Tài chính proposes a change to task ``stt`` and Phòng Văn hóa - Xã hội forwards it;
    every copy holds the forwarded proposal. Returns the amendment's id."""
    proposal = amendment_service.propose(
        world.tc,
        unit="tai_chinh",
        action="change",
        task=stt,
        lead=lead,
        content=None if lead else "Nội dung mới",
        reason="Phân công lại",
        by="Minh",
    )
    send(world.tc, world.vhxh)
    amendment_service.forward(world.vhxh, proposal.id, by="Hà")
    send(world.vhxh, world.city)
    everyone_exchanges(world)
    return proposal.id


def decide(world: World, amendment: str, *, approve: bool) -> None:
    amendment_service.decide(
        world.city,
        amendment,
        approve=approve,
        number="60/QĐ-UBND",
        date="20/04/2026",  # the proposal's day: a decision is never dated before it
        by="Sở Nội vụ",
    )


def stale_bundle(world: World, name: str, sql: list[str], params: list[tuple]) -> bytes:
    """The tamperer's statements on laptop ``name``'s own file, sealed with the ``seen`` of its
    previous segment (it claims it has learned nothing since), then the file put back."""
    ws = getattr(world, name)
    site = str(exchange.identity(ws)["site_id"])
    with world.tampering(name) as conn:
        last = conn.execute(
            "SELECT seen FROM _sync_segments WHERE origin = ? ORDER BY first_seq DESC LIMIT 1",
            (site,),
        ).fetchone()
        seen = json.loads(last[0]) if last else {}
        real = conn.execute("SELECT origin, applied_hlc FROM _sync_feeds").fetchall()
        for origin, _h in real:
            if origin != site:
                conn.execute(
                    "UPDATE _sync_feeds SET applied_hlc = ? WHERE origin = ?",
                    (seen.get(origin, 0), origin),
                )
        for statement, p in zip(sql, params, strict=True):
            conn.execute(statement, p)
        try:
            data = exchange.export_bundle(ws)
        finally:
            conn.executemany(
                "UPDATE _sync_feeds SET applied_hlc = ? WHERE origin = ?",
                [(h, o) for o, h in real],
            )
    return data


def refused_everywhere(world: World, data: bytes, table: str, row_id: str) -> list[str]:
    """Every other copy refuses the row, its tables unchanged; the reasons the city gave."""
    reasons: list[str] = []
    for receiver in (world.city, world.vhxh, world.tc):
        if exchange.identity(receiver)["site_id"] == _sender(data):
            continue
        before = app_tables(receiver)
        result = exchange.import_bytes(receiver, data)
        mine = [r for r in result.rejections if (r.table, r.row_id) == (table, row_id)]
        assert mine, f"the attack on {table} {row_id} was applied"
        assert app_tables(receiver) == before
        assert integrity(receiver) == "ok"
        if receiver is world.city:
            reasons = [rejection_reason(r.code, r.reason) for r in mine]
    return reasons


def _sender(data: bytes) -> str:
    from sync.format import decode_bundle

    return decode_bundle(data)[0].sender


def test_a_task_whose_lead_a_decision_moved_cannot_be_marked_done_by_its_old_lead(
    world: World,
) -> None:
    task, stt = led_task(world, "tai_chinh")
    decide(world, proposal_of(world, stt, lead="vp_ubnd"), approve=True)
    everyone_exchanges(world)
    assert one(world.tc, "SELECT lead_unit_id FROM tasks WHERE id = ?", task) == unit_id(
        world.tc, "vp_ubnd"
    )
    data = stale_bundle(
        world,
        "tc",
        ["UPDATE tasks SET status = 'done', progress = 100 WHERE id = ?"],
        [(task,)],
    )
    reasons = refused_everywhere(world, data, "tasks", task)
    assert any("Văn phòng" in r for r in reasons), reasons  # who leads it now, in words
    assert one(world.city, "SELECT progress FROM tasks WHERE id = ?", task) != 100


def test_a_unit_cannot_set_its_approved_amendment_back_to_proposed(world: World) -> None:
    _task, stt = led_task(world, "tai_chinh")
    amendment = proposal_of(world, stt)
    decide(world, amendment, approve=True)
    everyone_exchanges(world)
    data = stale_bundle(
        world, "tc", ["UPDATE amendments SET status = 'proposed' WHERE id = ?"], [(amendment,)]
    )
    refused_everywhere(world, data, "amendments", amendment)
    for ws in (world.city, world.vhxh):
        assert one(ws, "SELECT status FROM amendments WHERE id = ?", amendment) == "approved"


def test_the_consolidator_cannot_send_a_rejected_amendment_back_to_forwarded(
    world: World,
) -> None:
    _task, stt = led_task(world, "tai_chinh")
    amendment = proposal_of(world, stt)
    decide(world, amendment, approve=False)
    everyone_exchanges(world)
    data = stale_bundle(
        world,
        "vhxh",
        ["UPDATE amendments SET status = 'forwarded' WHERE id = ?"],
        [(amendment,)],
    )
    refused_everywhere(world, data, "amendments", amendment)
    assert one(world.city, "SELECT status FROM amendments WHERE id = ?", amendment) == "rejected"


def test_a_budget_cannot_be_made_for_a_task_its_unit_no_longer_leads(world: World) -> None:
    task, stt = led_task(world, "tai_chinh")
    decide(world, proposal_of(world, stt, lead="vp_ubnd"), approve=True)
    everyone_exchanges(world)
    data = stale_bundle(
        world,
        "tc",
        [
            "INSERT INTO budgets (id, task_id, estimate, updated_by, updated_at) "
            "VALUES ('b-stale', ?, 990000000, 'Minh', '2026-04-20T02:00:00+00:00')"
        ],
        [(task,)],
    )
    refused_everywhere(world, data, "budgets", "b-stale")
    assert one(world.city, "SELECT count(*) FROM budgets WHERE id = 'b-stale'") == 0


def test_a_copy_that_applied_a_change_before_the_decision_takes_it_back(world: World) -> None:
    """Phòng Tài chính's laptop marks its task done and hands it to Phòng Văn hóa - Xã hội
    before the decision moving the task reaches either of them: Phòng Văn hóa - Xã hội applies
    it, then learns of the decision and takes it back; every copy ends the same, and the laptop
    that wrote it learns why (the reason in words)."""
    task, stt = led_task(world, "tai_chinh")
    amendment = proposal_of(world, stt, lead="vp_ubnd")
    decide(world, amendment, approve=True)  # only the city knows of it yet
    task_service.update_task(world.tc, task, progress=100, status="done", by="Minh")
    applied = send(world.tc, world.vhxh)
    assert applied.rejected == 0 and applied.applied > 0
    assert one(world.vhxh, "SELECT progress FROM tasks WHERE id = ?", task) == 100

    back = send(world.city, world.vhxh)
    assert back.taken_back > 0
    assert {r.code for r in back.rejections if r.row_id == task} == {"overruled"}
    assert one(world.vhxh, "SELECT progress FROM tasks WHERE id = ?", task) != 100
    refused = send(world.tc, world.city)
    assert any(r.table == "tasks" and r.row_id == task for r in refused.rejections)
    learned = send(world.city, world.tc)  # the honest laptop that was offline
    told = [r for r in learned.rejections if r.row_id == task]
    assert [r.code for r in told] == ["overruled"]
    words = rejection_reason(told[0].code, told[0].reason)
    assert words.startswith("Đã gỡ thay đổi này vì có quyết định") and "Văn phòng" in words
    everyone_exchanges(world)
    assert app_tables(world.tc) == app_tables(world.city) == app_tables(world.vhxh)
    assert one(world.city, "SELECT progress FROM tasks WHERE id = ?", task) != 100


def test_a_writers_seen_may_not_go_back_along_its_own_feed(world: World) -> None:
    """A segment claiming to have seen less than the segment before it in the same feed is
    refused whole, with a reason, on every copy; the next honest segment still applies."""
    task, _stt = led_task(world, "tai_chinh")
    with world.tampering("tc") as conn:
        real = conn.execute("SELECT origin, applied_hlc FROM _sync_feeds").fetchall()
        conn.execute("UPDATE _sync_feeds SET applied_hlc = 0")
        conn.execute("UPDATE tasks SET progress = 55 WHERE id = ?", (task,))
        try:
            data = exchange.export_bundle(world.tc)
        finally:
            conn.executemany(
                "UPDATE _sync_feeds SET applied_hlc = ? WHERE origin = ?",
                [(h, o) for o, h in real],
            )
    for receiver in (world.city, world.vhxh):
        before = app_tables(receiver)
        result = exchange.import_bytes(receiver, data)
        assert [r.code for r in result.rejections] == ["seen_backwards"]
        assert result.rejections[0].reason
        assert app_tables(receiver) == before
    task_service.update_task(world.tc, task, progress=60, status="in_progress", by="Minh")
    for receiver in (world.city, world.vhxh):
        assert send(world.tc, receiver).rejected == 0
        assert one(receiver, "SELECT progress FROM tasks WHERE id = ?", task) == 60
