"""A certified laptop that has been tampered with (issue 9): Phòng Tài chính's laptop writes raw
rows straight into its own SQLite file (its capture triggers still record them), exports, and
the city and Phòng Văn hóa - Xã hội import. Each attack is refused row by row with a reason;
the receiving copies' application tables stay exactly as they were, `integrity_check` stays ok,
and the next honest bundle from the same laptop still applies."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.domain.errors import InvalidInput
from cchc.services import exchange
from cchc.services import tasks as task_service
from cchc.services.attachments import materialize
from cchc.texts.sync import rejection_reason
from tests.integration.hostile_world import (
    World,
    app_tables,
    build_in,
    copied_world,
    integrity,
    led_by,
    one,
    send,
    unit_id,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_in(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[World]:
    yield from copied_world(template, tmp_path)


def attack(world: World, sql: list[str], params: list[tuple] | None = None) -> list[tuple]:
    """Run the tamperer's statements on tc's own file, export, and import at the city and at
    Phòng Văn hóa - Xã hội; assert each copy refuses with reasons and stays as it was. Returns
    the (table, row_id, reason) refusals the city logged."""
    with world.tampering("tc") as conn:
        for i, statement in enumerate(sql):
            conn.execute(statement, (params or [()] * len(sql))[i])
    bundle = exchange.export_bundle(world.tc)
    refusals: list[tuple] = []
    for receiver in (world.city, world.vhxh):
        before = app_tables(receiver)
        result = exchange.import_bytes(receiver, bundle)
        assert result.rejected > 0, "the attack was not refused"
        assert all(r.reason for r in result.rejections)
        assert app_tables(receiver) == before
        assert integrity(receiver) == "ok"
        if receiver is world.city:
            refusals = [
                (r.table, r.row_id, rejection_reason(r.code, r.reason)) for r in result.rejections
            ]
    honest_afterwards(world)
    return refusals


def honest_afterwards(world: World) -> None:
    """The same laptop's next ordinary change still applies everywhere."""
    task = led_by(world.city, "tai_chinh")
    progress = int(one(world.city, "SELECT progress FROM tasks WHERE id = ?", task)) + 5
    task_service.update_task(world.tc, task, progress=progress, status="in_progress", by="Minh")
    bundle = exchange.export_bundle(world.tc)
    for receiver in (world.city, world.vhxh):
        result = exchange.import_bytes(receiver, bundle)
        assert result.rejected == 0, [r.reason for r in result.rejections]
        assert result.applied > 0
        assert one(receiver, "SELECT progress FROM tasks WHERE id = ?", task) == progress


def test_another_units_budget_cannot_be_repointed_nor_its_allocation_raised(world: World) -> None:
    vp_task, tc_task = led_by(world.tc, "vp_ubnd"), led_by(world.tc, "tai_chinh")
    budget = one(world.tc, "SELECT id FROM budgets WHERE task_id = ?", vp_task)
    refused = attack(
        world,
        ["UPDATE budgets SET task_id = ?, approved = 999000000 WHERE id = ?"],
        [(tc_task, budget)],
    )
    assert [(t, r) for t, r, _ in refused] == [("budgets", budget)]
    assert "mục “nhiệm vụ” của kinh phí" in refused[0][2]  # task_id, in words
    assert one(world.city, "SELECT approved FROM budgets WHERE id = ?", budget) == 75_000_000


def test_another_units_report_cannot_be_repointed_or_rewritten(world: World) -> None:
    report = one(world.tc, "SELECT id FROM reports WHERE scope = 'unit'")
    section = one(world.tc, "SELECT id FROM report_sections WHERE report_id = ?", report)
    refused = attack(
        world,
        [
            "UPDATE reports SET unit_id = ?, status = 'draft' WHERE id = ?",
            "UPDATE report_sections SET text = 'Không làm gì cả.' WHERE id = ?",
        ],
        [(unit_id(world.tc, "tai_chinh"), report), (section,)],
    )
    assert {(t, r) for t, r, _ in refused} == {("reports", report), ("report_sections", section)}


def test_a_decided_amendment_cannot_be_repointed_or_sent_back(world: World) -> None:
    amendment = one(world.tc, "SELECT id FROM amendments")
    refused = attack(
        world,
        [
            "UPDATE amendments SET unit_id = ?, status = 'forwarded', decision_number = NULL, "
            "decision_date = NULL WHERE id = ?"
        ],
        [(unit_id(world.tc, "tai_chinh"), amendment)],
    )
    assert [(t, r) for t, r, _ in refused] == [("amendments", amendment)]
    assert one(world.city, "SELECT decision_number FROM amendments") == "45/QĐ-UBND"


def test_an_amendment_sent_back_without_repointing_is_refused_as_a_transition(
    world: World,
) -> None:
    amendment = one(world.tc, "SELECT id FROM amendments")
    refused = attack(
        world,
        ["UPDATE amendments SET status = 'forwarded', decision_number = NULL WHERE id = ?"],
        [(amendment,)],
    )
    assert [(t, r) for t, r, _ in refused] == [("amendments", amendment)]
    assert "quyết định" in refused[0][2]


def test_a_refused_lead_change_vouches_for_nothing_after_it(world: World) -> None:
    """One segment: task 1's lead := Phòng Tài chính (refused), then rows that would be in scope
    only had it been accepted: a budget cut, a progress update signed with another unit's
    officer, a history line claiming to be UBND đặc khu."""
    task1 = one(world.tc, "SELECT id FROM tasks WHERE stt = 1")
    tc_unit = unit_id(world.tc, "tai_chinh")
    refused = attack(
        world,
        [
            "UPDATE tasks SET lead_unit_id = ?, lead_text = 'Phòng Tài chính' WHERE id = ?",
            "UPDATE budgets SET estimate = 1 WHERE task_id = ?",
            "INSERT INTO task_updates (id, task_id, date, unit_id, officer, status, progress, "
            "note, created_at) VALUES ('u1', ?, '2026-04-20', ?, 'Hà', 'in_progress', 5, "
            "'cắt kinh phí', '2026-04-20T02:00:00+00:00')",
            "INSERT INTO history (id, task_id, at, actor, action, field, old_value, new_value) "
            "VALUES ('h1', ?, '2026-04-20T02:00:00+00:00', 'UBND đặc khu', 'updated', "
            "'lead', 'Phòng Văn hóa - Xã hội', 'Phòng Tài chính')",
        ],
        [(tc_unit, task1), (task1,), (task1, tc_unit), (task1,)],
    )
    assert {t for t, _r, _ in refused} == {"tasks", "budgets", "task_updates", "history"}


def test_a_history_line_may_not_claim_another_unit_as_its_actor(world: World) -> None:
    """Even on the laptop's own task, the actor must be one of its officers, not a unit."""
    task = led_by(world.tc, "tai_chinh")
    refused = attack(
        world,
        [
            "INSERT INTO history (id, task_id, at, actor, action) VALUES "
            "('h2', ?, '2026-04-20T02:00:00+00:00', 'UBND đặc khu', 'approved')",
            "INSERT INTO task_updates (id, task_id, date, unit_id, officer, note, created_at) "
            "VALUES ('u2', ?, '2026-04-20', ?, 'Minh', 'x', '2026-04-20T02:00:00+00:00')",
        ],
        [(task,), (task, unit_id(world.tc, "vp_ubnd"))],
    )
    assert {(t, r) for t, r, _ in refused} == {("history", "h2"), ("task_updates", "u2")}


def test_another_units_evidence_is_never_deleted(world: World) -> None:
    doc, sha = world.tc.db.conn.execute("SELECT id, sha256 FROM documents").fetchone()
    refused = attack(
        world,
        [
            "PRAGMA foreign_keys = OFF",
            "DELETE FROM attachment_blobs WHERE id = ?",
            "DELETE FROM documents WHERE id = ?",
        ],
        [(), (sha,), (doc,)],
    )
    assert {(t, r) for t, r, _ in refused} == {("attachment_blobs", sha), ("documents", doc)}
    assert materialize(world.city.db.conn, world.city.attachments_dir, sha).is_file()


def test_own_tasks_plan_fields_change_only_by_a_decided_amendment(world: World) -> None:
    task = led_by(world.tc, "tai_chinh")
    refused = attack(
        world,
        ["UPDATE tasks SET content = 'Không cần làm', due = '2027-12-31' WHERE id = ?"],
        [(task,)],
    )
    assert [(t, r) for t, r, _ in refused] == [("tasks", task)]
    assert "(nội dung, hạn hoàn thành)" in refused[0][2]  # content and due, in words


def test_own_budgets_allocation_is_not_the_units_to_set(world: World) -> None:
    task = led_by(world.tc, "tai_chinh")
    refused = attack(
        world,
        ["UPDATE budgets SET approved = 500000000, approved_on = '2026-04-01' WHERE task_id = ?"],
        [(task,)],
    )
    assert [t for t, _r, _ in refused] == ["budgets"]


def test_a_document_naming_a_path_instead_of_a_hash_is_refused_and_never_opened(
    world: World,
) -> None:
    task = led_by(world.tc, "tai_chinh")
    refused = attack(
        world,
        [
            "INSERT INTO documents (id, task_id, doc_type, number, date, title, sha256, "
            "file_name, size, added_by, created_at) VALUES ('d1', ?, 'Kế hoạch', '1/KH-TC', "
            "'2026-04-01', '', '/etc/hostname', 'hostname', 10, 'Minh', "
            "'2026-04-20T02:00:00+00:00')"
        ],
        [(task,)],
    )
    assert [(t, r) for t, r, _ in refused] == [("documents", "d1")]
    with pytest.raises(InvalidInput):
        materialize(world.tc.db.conn, world.tc.attachments_dir, "/etc/hostname")


def test_a_history_update_is_refused_and_does_not_abort_the_import(world: World) -> None:
    """Even a line of its own task's history, written by the laptop itself."""
    line = one(world.tc, "SELECT id FROM history WHERE actor = 'Minh'")
    assert line is not None
    refused = attack(
        world,
        [
            "DROP TRIGGER history_no_update",
            "UPDATE history SET actor = 'Minh', new_value = 'sửa lại' WHERE id = ?",
        ],
        [(), (line,)],
    )
    assert [(t, r) for t, r, _ in refused] == [("history", line)]


def test_an_unreferenced_or_oversized_blob_is_refused(world: World) -> None:
    data = b"x" * 1000
    sha = hashlib.sha256(data).hexdigest()
    refused = attack(
        world,
        ["INSERT INTO attachment_blobs (id, size, data) VALUES (?, ?, ?)"],
        [(sha, len(data), data)],
    )
    assert [(t, r) for t, r, _ in refused] == [("attachment_blobs", sha)]


def test_deleting_a_task_or_budget_is_the_citys_alone(world: World) -> None:
    task = led_by(world.tc, "tai_chinh")
    budget = one(world.tc, "SELECT id FROM budgets WHERE task_id = ?", task)
    refused = attack(
        world,
        ["PRAGMA foreign_keys = OFF", "DELETE FROM budgets WHERE id = ?"],
        [(), (budget,)],
    )
    assert [(t, r) for t, r, _ in refused] == [("budgets", budget)]


def test_a_value_failing_a_check_is_refused_alone(world: World) -> None:
    task = led_by(world.tc, "tai_chinh")
    refused = attack(
        world,
        ["PRAGMA ignore_check_constraints = ON", "UPDATE tasks SET progress = 150 WHERE id = ?"],
        [(), (task,)],
    )
    assert [(t, r) for t, r, _ in refused] == [("tasks", task)]


def test_a_lost_laptops_work_that_reached_one_copy_only_is_taken_back_there_when_revoked(
    world: World,
) -> None:
    """Phòng Tài chính's laptop is lost after its last sync with the city; its new work reached
    Phòng Văn hóa - Xã hội only. The city revokes it: what the city held stands, the rest is
    taken back on Phòng Văn hóa - Xã hội's copy (the seeded task row returns to its values),
    and the two copies are the same again."""
    city_before = app_tables(world.city)
    task = led_by(world.city, "tai_chinh")
    task_service.update_task(
        world.tc, task, progress=90, status="in_progress", note="Sau khi mất máy", by="Minh"
    )
    applied = exchange.import_bytes(world.vhxh, exchange.export_bundle(world.tc))
    assert applied.applied > 0 and applied.rejected == 0
    assert one(world.vhxh, "SELECT progress FROM tasks WHERE id = ?", task) == 90

    exchange.revoke(world.city, str(exchange.identity(world.tc)["site_id"]))
    back = send(world.city, world.vhxh)
    assert back.taken_back == applied.applied
    assert [r.code for r in back.rejections] == ["taken_back"]
    assert app_tables(world.vhxh) == app_tables(world.city) == city_before
    # the copy that took it back relays nothing of it, and its own next change still applies
    send(world.vhxh, world.city)
    assert app_tables(world.city) == city_before
    vhxh_task = led_by(world.city, "vhxh")
    task_service.update_task(world.vhxh, vhxh_task, progress=30, status="in_progress", by="Hà")
    assert send(world.vhxh, world.city).applied > 0
    assert app_tables(world.vhxh) == app_tables(world.city)
    for ws in (world.city, world.vhxh):
        assert integrity(ws) == "ok"
