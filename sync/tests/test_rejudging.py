"""Verdicts are a function of the set of signed changes, also across take-backs and trust
changes (SPEC.md sections 6 and 12): a change judged again, after a take-back or a change of a
signer's role, gets on every copy the verdict a copy that never had the taken-back change gives.

Three ranks: the city (root), the leadership (moves tasks) and units (write updates of the
tasks their unit leads). The task's ``unit`` is the judged column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sync import ReadView, Signer, TableSpec
from sync.engine import cells_snapshot

from .netkit import Site, certify, open_site

RANKS = {"city": 2, "leadership": 1}


def _guard(
    signer: Signer, table: str, row_id: str, values: dict[str, Any], view: ReadView
) -> str | None:
    """The city and the leadership write tasks; a unit writes updates of its unit's tasks."""
    if signer.role in RANKS:
        return None
    if table == "tasks":
        return "only the city and the leadership write tasks"
    task = view.row("tasks", str((view.row(table, row_id) or {}).get("task_id")))
    if task is None or not signer.covers_unit(str(task.get("unit"))):
        return "update of a task outside the signer's units"
    return None


def _rank(signer: Signer) -> int:
    return RANKS.get(signer.role, 0)


def _world(tmp: Path, *names: tuple[str, str, str]) -> dict[str, Site]:
    city = open_site(tmp, "city")
    city.engine.init_root()
    sites = {"city": city}
    for name, unit, role in names:
        s = open_site(tmp, name)
        certify(city, s, [unit], role)
        sites[name] = s
    for s in sites.values():
        s.engine.track(TableSpec("tasks", judged=("unit",)))
        s.engine.set_policy(_guard)
        s.engine.set_authority(_rank)
    city.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u0', 'task')")
    base = city.engine.export_bundle()
    for name, s in sites.items():
        if name != "city":
            s.engine.import_bundle(base)
    return sites


def _same(*sites: Site) -> None:
    first = sites[0]
    for s in sites[1:]:
        assert s.snapshot() == first.snapshot(), s.name
        assert cells_snapshot(s.conn) == cells_snapshot(first.conn), s.name
    for s in sites:
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert s.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_change_applied_again_after_a_take_back_is_not_judged_by_a_decision_that_saw_it(
    tmp_path: Path,
) -> None:
    """The leadership moves the task after it saw the unit's update; the unit's laptop is then
    revoked, and the leadership's copy takes the update back until the rest of the named history
    arrives. Applied again, the update is judged as its writer saw it: the move came after it
    (its writer had seen the update), so it does not forbid it, as on the city."""
    w = _world(tmp_path, ("m", "u0", "unit"), ("lead", "*", "leadership"))
    city, m, lead = w["city"], w["m"], w["lead"]
    m.exec("INSERT INTO updates (id, task_id, body) VALUES ('up1', 't1', 'before the move')")
    lead.engine.import_bundle(m.engine.export_bundle(lead.id))
    lead.exec("UPDATE tasks SET unit = 'u1' WHERE id = 't1'")  # it saw up1
    lead.engine.seal()
    m.exec("INSERT INTO updates (id, task_id, body) VALUES ('up2', 't1', 'not seen')")
    city.engine.import_bundle(m.engine.export_bundle(city.id))  # up1 and up2
    city.engine.revoke(m.id)  # names the head after up2, which the leadership lacks
    fp = city.engine.root_fingerprint()
    assert fp is not None
    lead.engine.install_trust(city.engine.trust_file(), fp)  # up1 cannot be linked yet
    assert lead.rows("updates") == []
    city.engine.import_bundle(lead.engine.export_bundle(city.id))
    lead.engine.import_bundle(city.engine.export_bundle(lead.id))
    assert [r[0] for r in city.rows("updates")] == ["up1"]  # up2 had not seen the move
    _same(city, lead)


def test_changes_made_before_a_trust_file_took_back_what_they_saw_are_sealed_with_that_view(
    tmp_path: Path,
) -> None:
    """A site seals before every import, and so before a trust file's revocation takes back
    what its unsealed changes were made after: their ``seen`` stays exact, so the leadership's
    move does not, on the city, overrule the update it was made after."""
    w = _world(tmp_path, ("m", "u0", "unit"), ("lead", "*", "leadership"))
    city, m, lead = w["city"], w["m"], w["lead"]
    m.exec("INSERT INTO updates (id, task_id, body) VALUES ('up1', 't1', 'before the move')")
    lead.engine.import_bundle(m.engine.export_bundle(lead.id))
    lead.exec("UPDATE tasks SET unit = 'u1' WHERE id = 't1'")  # it saw up1; not sealed yet
    m.exec("INSERT INTO updates (id, task_id, body) VALUES ('up2', 't1', 'not seen')")
    city.engine.import_bundle(m.engine.export_bundle(city.id))
    city.engine.revoke(m.id)
    fp = city.engine.root_fingerprint()
    assert fp is not None
    lead.engine.install_trust(city.engine.trust_file(), fp)
    got = city.engine.import_bundle(lead.engine.export_bundle(city.id))
    assert [(r.code, r.row_id) for r in got.rejections] == [("overruled", "up2")]
    lead.engine.import_bundle(city.engine.export_bundle(lead.id))
    assert [r[0] for r in city.rows("updates")] == ["up1"]
    _same(city, lead)


def test_a_change_refused_because_of_a_revoked_leaders_move_is_accepted_once_it_is_taken_back(
    tmp_path: Path,
) -> None:
    """A stolen leadership laptop moves the task away from unit 0 after the root's cutoff; a
    copy that applied the move refuses unit 0's concurrent update by it. When the revocation
    takes the move back, the update is judged again and stands there, as on the city, which
    never had the move."""
    w = _world(tmp_path, ("m", "u0", "unit"), ("boss", "*", "leadership"), ("x", "u2", "unit"))
    city, m, boss, x = w["city"], w["m"], w["boss"], w["x"]
    boss.exec("UPDATE tasks SET unit = 'u1' WHERE id = 't1'")
    x.engine.import_bundle(boss.engine.export_bundle(x.id))
    m.exec("INSERT INTO updates (id, task_id, body) VALUES ('up1', 't1', 'in scope')")
    refused = x.engine.import_bundle(m.engine.export_bundle(x.id))
    assert [(r.code, r.row_id) for r in refused.rejections] == [("out_of_scope", "up1")]
    city.engine.revoke(boss.id)  # the city never had the move: nothing of it stands
    city.engine.import_bundle(m.engine.export_bundle(city.id))
    assert [r[0] for r in city.rows("updates")] == ["up1"]
    back = x.engine.import_bundle(city.engine.export_bundle(x.id))
    assert back.taken_back > 0
    city.engine.import_bundle(x.engine.export_bundle(city.id))
    x.engine.import_bundle(city.engine.export_bundle(x.id))
    assert [r[0] for r in x.rows("updates")] == ["up1"]
    assert x.rows()[0][1] == "u0"
    _same(city, x)


def test_a_certificate_reissued_with_another_role_rejudges_what_its_key_signed_before(
    tmp_path: Path,
) -> None:
    """A unit laptop writes a task (only the city and the leadership may); a copy refuses it.
    The root then certifies the same key with role leadership: every copy judges the key's
    segments by the certificate that stands, so the copy that refused the task takes it, as a
    copy that received the new certificate first does."""
    w = _world(tmp_path, ("p", "u0", "unit"), ("x", "u2", "unit"), ("y", "u3", "unit"))
    city, p, x, y = w["city"], w["p"], w["x"], w["y"]
    p.exec("INSERT INTO tasks (id, unit, title) VALUES ('t9', 'u0', 'by p')")
    from_p = p.engine.export_bundle()
    refused = x.engine.import_bundle(from_p)
    assert [(r.code, r.row_id) for r in refused.rejections] == [("out_of_scope", "t9")]
    ident = p.engine.identity()
    city.engine.certify(p.id, bytes.fromhex(ident["public_key"]), ["*"], "leadership")
    y.engine.import_bundle(city.engine.export_bundle(y.id))  # the new role first
    assert y.engine.import_bundle(from_p).rejections == []
    x.engine.import_bundle(city.engine.export_bundle(x.id))  # the new role after
    assert [r[0] for r in x.rows()] == ["t1", "t9"]
    _same(x, y)
    # and back: the root demotes the key again; what it signed as leadership is refused now
    city.engine.certify(p.id, bytes.fromhex(ident["public_key"]), ["u0"], "unit")
    for s in (x, y):
        s.engine.import_bundle(city.engine.export_bundle(s.id))
        assert [r[0] for r in s.rows()] == ["t1"], s.name
    _same(x, y)
