"""Authority changes win over what their writer did not see (SPEC section 12), at the engine.

The city hands a task from unit 0 to unit 1 while two laptops of unit 0, not knowing it, write
updates of it (the second after it saw the first). Every copy ends refusing both updates,
whether it received them before the hand-over (then it takes them back: ``overruled``) or after;
the laptops that wrote them take them back too; every copy holds the same rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sync import ReadView, Signer, TableSpec

from .netkit import Site, certify, open_site


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


def _rank(signer: Signer) -> int:
    return 1 if signer.role == "city" else 0


def _world(tmp: Path) -> tuple[Site, Site, Site, Site, Site]:
    """The city, two laptops of unit 0 (a, b) and two bystanders (x, y), all with the task."""
    city = open_site(tmp, "city")
    city.engine.init_root()
    sites = [city]
    for name, unit in (("a", "u0"), ("b", "u0"), ("x", "u2"), ("y", "u3")):
        s = open_site(tmp, name)
        certify(city, s, [unit])
        sites.append(s)
    for s in sites:
        s.engine.track(TableSpec("tasks", judged=("unit",)))
        s.engine.set_policy(_lead_guard)
        s.engine.set_authority(_rank)
    city.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u0', 'task')")
    base = city.engine.export_bundle()
    for s in sites[1:]:
        s.engine.import_bundle(base)
    return city, sites[1], sites[2], sites[3], sites[4]


def test_updates_written_without_knowing_of_a_hand_over_are_refused_on_every_copy(
    tmp_path: Path,
) -> None:
    city, a, b, x, y = _world(tmp_path)
    a.exec("INSERT INTO updates (id, task_id, body) VALUES ('up1', 't1', 'done half')")
    b.engine.import_bundle(a.engine.export_bundle(b.id))
    b.exec("INSERT INTO updates (id, task_id, body) VALUES ('up2', 't1', 'after up1')")
    from_b = b.engine.export_bundle(x.id)  # carries a's segment too
    city.exec("UPDATE tasks SET unit = 'u1' WHERE id = 't1'")
    from_city = city.engine.export_bundle(x.id)

    first = x.engine.import_bundle(from_b)  # before the hand-over: both stand here, for now
    assert first.rejections == []
    assert [r[0] for r in x.rows("updates")] == ["up1", "up2"]
    back = x.engine.import_bundle(from_city)  # the hand-over arrives: both are taken back
    assert sorted((r.code, r.row_id) for r in back.rejections) == [
        ("overruled", "up1"),
        ("overruled", "up2"),
    ]
    assert back.taken_back == 2 * 3  # each update: its existence and two columns
    assert x.rows("updates") == []

    y.engine.import_bundle(from_city)  # the other order: refused as they arrive
    refused = y.engine.import_bundle(from_b)
    assert sorted((r.code, r.row_id) for r in refused.rejections) == [
        ("out_of_scope", "up1"),
        ("out_of_scope", "up2"),
    ]
    assert x.snapshot() == y.snapshot()
    assert y.rows()[0][1] == "u1"

    # the laptops that wrote them learn of the hand-over and take their own updates back
    for s in (a, b):
        got = s.engine.import_bundle(city.engine.export_bundle(s.id))
        assert got.taken_back > 0, s.name
        assert {r.code for r in got.rejections} == {"overruled"}
        assert s.snapshot() == x.snapshot(), s.name
    for s in (city, a, b, x, y):
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert s.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_an_update_that_saw_the_hand_over_stands_everywhere(tmp_path: Path) -> None:
    """What the new lead writes after the hand-over, and what the old lead wrote before the
    city moved the task (the city had seen it), both stand: only concurrency is overruled."""
    city, a, _b, x, _y = _world(tmp_path)
    a.exec("INSERT INTO updates (id, task_id, body) VALUES ('up1', 't1', 'before')")
    city.engine.import_bundle(a.engine.export_bundle(city.id))
    city.exec("UPDATE tasks SET unit = 'u1' WHERE id = 't1'")
    result = x.engine.import_bundle(city.engine.export_bundle(x.id))
    assert result.rejections == [] and result.taken_back == 0
    assert [r[0] for r in x.rows("updates")] == ["up1"]
    assert x.snapshot() == city.snapshot()
