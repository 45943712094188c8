"""A certified member turned hostile: it writes raw rows into its own database, signs
certificates it has no right to sign, pushes its clock to the limit. Each attack is refused on
the receiving copies, the refusal is logged, the database stays sound, and the next honest bundle
from the same laptop still applies (SPEC.md section 6a, "Threat model")."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

import sync.hlc as hlcmod
from sync.format import decode_bundle, encode_bundle
from sync.merge import ReadView
from sync.trust import Certificate, Signer

from .netkit import Site, certify, network, open_site

BIG = 2**63 - 1


def _sound(site: Site) -> None:
    assert site.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert site.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def _forged_bundle(site: Site, **changes: Any) -> bytes:
    """What a laptop running altered software sends: its honest bundle with parts replaced,
    signed with its own (certified) key."""
    bundle, _signed, _sig = decode_bundle(site.engine.export_bundle())
    return encode_bundle(dataclasses.replace(bundle, **changes), site.engine.key)


def test_a_unit_cannot_certify_anyone_and_its_forged_certificates_are_neither_kept_nor_relayed(
    tmp_path: Path,
) -> None:
    city, (fin, vhxh) = network(tmp_path, 2)
    vhxh.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u1', 'kế hoạch')")
    city.engine.import_bundle(vhxh.engine.export_bundle())
    # Phòng Tài chính's laptop signs certificates for the city's and vhxh's keys, dated far
    # in the future, with itself as issuer
    forged = [
        Certificate.issue(
            fin.engine.key,
            site=victim.id,
            key=bytes.fromhex(victim.engine.identity()["public_key"]),
            role="unit",
            scope=["u0"],
            issued=issued,
        )
        for victim, issued in ((city, BIG), (vhxh, hlcmod.now()))
    ]
    before = dict(city.conn.execute("SELECT key, body FROM _sync_certs").fetchall())
    result = city.engine.import_bundle(_forged_bundle(fin, certs=forged))
    assert [r.code for r in result.rejections] == ["certificate_refused"] * 2
    reasons = [r.reason for r in result.rejections]
    assert "is dated after this site's clock bound" in reasons[0]
    assert "only the root and role 'city' may certify" in reasons[1]
    assert dict(city.conn.execute("SELECT key, body FROM _sync_certs").fetchall()) == before
    # the city relays nothing of them, and the victims still trust each other
    relayed, _s, _g = decode_bundle(city.engine.export_bundle())
    assert all(c.issuer != fin.engine.key.public for c in relayed.certs)
    vhxh.exec("UPDATE tasks SET progress = 50 WHERE id = 't1'")
    assert city.engine.import_bundle(vhxh.engine.export_bundle(city.id)).applied == 1
    assert city.rows()[0][3] == 50
    vhxh.engine.import_bundle(city.engine.export_bundle(vhxh.id))
    _sound(city)


def test_a_certificate_from_the_root_outranks_any_other_for_the_same_key(tmp_path: Path) -> None:
    city, (a,) = network(tmp_path, 1)
    office = open_site(tmp_path, "office")
    certify(city, office, ["*"], role="city")
    # a city-role laptop may certify, but what it signs never replaces the root's own word
    a_key = bytes.fromhex(a.engine.identity()["public_key"])
    wider = Certificate.issue(
        office.engine.key,
        site=a.id,
        key=a_key,
        role="unit",
        scope=["u0", "u9"],
        issued=hlcmod.now(),
    )
    city.engine.import_bundle(_forged_bundle(office, certs=[wider]))
    assert city.engine.signer_of(a.id, a_key).scope == ("u0",)


def test_a_clock_at_the_limit_is_refused_per_row_never_adopted_and_the_feed_goes_on(
    tmp_path: Path,
) -> None:
    city, (a,) = network(tmp_path, 1)
    a.exec("INSERT INTO tasks (id, unit, title) VALUES ('ok', 'u0', 'honest')")
    a.exec("UPDATE _sync_state SET hlc = ?", 2**63 - 8)
    a.exec("INSERT INTO tasks (id, unit, title) VALUES ('evil', 'u0', 'clock at the limit')")
    clock_before = city.engine._hlc()
    result = city.engine.import_bundle(a.engine.export_bundle())
    assert [r[0] for r in city.rows()] == ["ok"]
    assert {(r.code, r.row_id) for r in result.rejections} == {("clock_invalid", "evil")}
    assert city.engine._hlc() < hlcmod.LIMIT
    assert city.engine._hlc() >= clock_before
    # the city still exports and another site still imports from it
    b = open_site(tmp_path, "b")
    certify(city, b, ["u0"])
    assert b.engine.import_bundle(city.engine.export_bundle()).applied >= 5
    _sound(city)


def test_a_clock_ahead_of_the_receiver_is_held_then_applied_when_the_receiver_catches_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    city, (a,) = network(tmp_path, 1)
    day = 24 * 3600 * 1000
    real_now = hlcmod.now
    a.exec("UPDATE _sync_state SET hlc = ?", real_now() + (day << hlcmod.SHIFT))
    a.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u0', 'from tomorrow')")
    result = city.engine.import_bundle(a.engine.export_bundle())
    assert (result.applied, result.held) == (0, 5)
    assert result.notes[0].code == "clock_ahead"
    assert result.clock_ahead_ms > 20 * 3600 * 1000
    assert city.engine._hlc() < real_now() + (2 * hlcmod.MAX_SKEW_MS << hlcmod.SHIFT)
    assert city.rows() == []
    # a day later the city's clock has caught up: the held segment applies at the next import
    monkeypatch.setattr(hlcmod, "now", lambda: real_now() + (day << hlcmod.SHIFT))
    b = open_site(tmp_path, "b")
    certify(city, b, ["u0"])
    later = city.engine.import_bundle(b.engine.export_bundle())
    assert later.applied == 5
    assert [r[0] for r in city.rows()] == ["t1"]


def _parent_guard(
    signer: Signer, table: str, row_id: str, values: dict[str, Any], view: ReadView
) -> str | None:
    """Units write tasks of their own unit; updates of tasks of their unit."""
    if signer.role == "city":
        return None
    if table == "tasks":
        for row in (view.before(table, row_id), view.row(table, row_id)):
            if row is not None and not signer.covers_unit(str(row.get("unit"))):
                return f"task of unit {row.get('unit')!r}"
        return None
    task = view.row("tasks", str((view.row(table, row_id) or {}).get("task_id")))
    if task is None or not signer.covers_unit(str(task.get("unit"))):
        return "update of a task outside the signer's units"
    return None


def test_a_refused_row_never_vouches_for_the_rows_after_it(tmp_path: Path) -> None:
    city, (a, b) = network(tmp_path, 2, policy=_parent_guard)
    b.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u1', 'of unit 1')")
    city.engine.import_bundle(b.engine.export_bundle())
    a.engine.import_bundle(city.engine.export_bundle(a.id))
    # unit 0 claims the task (refused), then writes an update that is in scope only if the
    # claim had been accepted
    a.engine.set_policy(lambda *args: None)  # its own checks switched off
    a.exec("UPDATE tasks SET unit = 'u0' WHERE id = 't1'")
    a.exec("INSERT INTO updates (id, task_id, body) VALUES ('up1', 't1', 'cut the budget')")
    result = city.engine.import_bundle(a.engine.export_bundle(city.id))
    assert {(r.table, r.row_id) for r in result.rejections} == {
        ("tasks", "t1"),
        ("updates", "up1"),
    }
    assert city.rows() == [("t1", "u1", "of unit 1", None, None)]
    assert city.rows("updates") == []
    _sound(city)


def test_a_value_that_breaks_a_rule_of_its_table_is_refused_alone(tmp_path: Path) -> None:
    city, (a,) = network(tmp_path, 1)
    city.exec(
        "CREATE TRIGGER no_secret BEFORE INSERT ON updates WHEN NEW.body = 'x' "
        "BEGIN SELECT RAISE(ABORT, 'append-only'); END"
    )
    a.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u0', 'a')")
    a.exec("INSERT INTO updates (id, task_id, body) VALUES ('bad', 't1', 'x')")
    a.exec("INSERT INTO updates (id, task_id, body) VALUES ('good', 't1', 'y')")
    result = city.engine.import_bundle(a.engine.export_bundle())
    assert [(r.code, r.row_id) for r in result.rejections] == [("constraint_failed", "bad")]
    assert "append-only" in result.rejections[0].reason
    assert [r[0] for r in city.rows("updates")] == ["good"]
    # the feed goes on: the next honest bundle from the same laptop applies
    a.exec("UPDATE tasks SET progress = 10 WHERE id = 't1'")
    assert city.engine.import_bundle(a.engine.export_bundle(city.id)).applied == 1
    assert city.rows()[0][3] == 10
    _sound(city)


def _units_never_insert_strict(
    signer: Signer, table: str, row_id: str, values: dict[str, Any], view: ReadView
) -> str | None:
    if table == "strict" and signer.role != "city" and view.before(table, row_id) is None:
        return "only the city creates these rows"
    return None


def test_a_row_whose_first_cells_were_refused_is_parked_and_the_import_goes_on(
    tmp_path: Path,
) -> None:
    """A later origin's accepted change to a row whose insert was refused here cannot build
    the row (a NOT NULL column has no cell): the row waits as cells, the rest applies."""
    from sync import TableSpec

    strict = "CREATE TABLE strict (id TEXT PRIMARY KEY, owner TEXT NOT NULL, state TEXT)"
    city, (a, c) = network(tmp_path, 2)
    for s in (city, a, c):
        s.exec(strict)
        s.engine.track(TableSpec("strict"))
    c.engine.set_policy(_units_never_insert_strict)
    a.exec("INSERT INTO strict (id, owner, state) VALUES ('s1', 'u0', 'proposed')")
    city.engine.import_bundle(a.engine.export_bundle())
    city.exec("UPDATE strict SET state = 'decided' WHERE id = 's1'")
    city.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u0', 'other row')")
    result = c.engine.import_bundle(city.engine.export_bundle())
    assert [(r.table, r.row_id) for r in result.rejections] == [("strict", "s1")]
    assert c.rows("strict") == []
    assert [r[0] for r in c.rows()] == ["t1"]
    assert c.conn.execute("SELECT tbl, row_id FROM _sync_parked").fetchall() == [("strict", "s1")]
    _sound(c)


def _lead_guard(
    signer: Signer, table: str, row_id: str, values: dict[str, Any], view: ReadView
) -> str | None:
    """The city moves tasks between units; a unit writes updates of the tasks its unit leads."""
    if signer.role == "city" or table == "tasks":
        return None if signer.role == "city" else "only the city writes tasks"
    task = view.row("tasks", str((view.row(table, row_id) or {}).get("task_id")))
    if task is None or not signer.covers_unit(str(task.get("unit"))):
        return "update of a task outside the signer's units"
    return None


def test_a_change_is_judged_as_its_writer_saw_the_row_so_every_order_gives_one_verdict(
    tmp_path: Path,
) -> None:
    """Unit 0 reports on its task while the city, concurrently, hands the task to unit 1. The
    report was written when unit 0 led the task: every copy accepts it, whichever of the two
    changes it receives first."""
    from sync import TableSpec

    city, (a, x, y) = network(tmp_path, 3, policy=_lead_guard)
    for s in (city, a, x, y):
        s.engine.track(TableSpec("tasks", judged=("unit",)))
    city.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u0', 'task')")
    base = city.engine.export_bundle()
    for s in (a, x, y):
        s.engine.import_bundle(base)
    a.exec("INSERT INTO updates (id, task_id, body) VALUES ('up1', 't1', 'done half')")
    from_a = a.engine.export_bundle(city.id)
    city.exec("UPDATE tasks SET unit = 'u1' WHERE id = 't1'")
    from_city = city.engine.export_bundle(x.id)
    x.engine.import_bundle(from_a)
    x.engine.import_bundle(from_city)
    y.engine.import_bundle(from_city)
    result = y.engine.import_bundle(from_a)
    assert result.rejections == []
    assert x.snapshot() == y.snapshot()
    assert y.rows("updates") == [("up1", "t1", "done half")]
    assert y.rows()[0][1] == "u1"
    # an update unit 0 writes after it learned of the hand-over is refused everywhere
    a.engine.import_bundle(city.engine.export_bundle(a.id))
    a.engine.set_policy(lambda *args: None)
    a.exec("INSERT INTO updates (id, task_id, body) VALUES ('up2', 't1', 'too late')")
    late = a.engine.export_bundle()
    assert [r.row_id for r in x.engine.import_bundle(late).rejections] == ["up2"]
    assert [r.row_id for r in y.engine.import_bundle(late).rejections] == ["up2"]
