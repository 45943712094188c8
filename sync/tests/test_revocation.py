"""A revoked laptop: what the root held of it stands everywhere, what it signed after the root's
cutoff is refused everywhere, and a copy that had applied it before the revocation arrived takes
it back, so every copy ends the same (SPEC.md section 6, "Revocation")."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sync.engine import cells_snapshot
from sync.errors import SignerRevoked
from sync.format import decode_bundle

from .netkit import Site, network
from .test_convergence import apply_edit


def _seed(*sites: Site) -> None:
    """The same rows loaded on every copy without capture, as the plan is."""
    for s in sites:
        with s.engine.capture_suppressed():
            s.exec("INSERT INTO tasks (id, unit, title, progress) VALUES ('s1', 'u0', 'seeded', 0)")
            s.exec("INSERT INTO tasks (id, unit, title, progress) VALUES ('s2', 'u0', 'kept', 0)")


def _sound(site: Site) -> None:
    assert site.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert site.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def _same(*sites: Site) -> None:
    first = sites[0]
    for s in sites[1:]:
        assert s.snapshot() == first.snapshot(), s.name
        assert cells_snapshot(s.conn) == cells_snapshot(first.conn), s.name
    for s in sites:
        _sound(s)


def test_a_copy_that_applied_a_revoked_laptops_later_work_takes_it_back_and_ends_as_the_city(
    tmp_path: Path,
) -> None:
    city, (a, b, m) = network(tmp_path, 3)
    _seed(city, a, b, m)
    # m's first work reaches the city before the laptop is lost: it stands everywhere
    m.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u2', 'before the loss')")
    city.engine.import_bundle(m.engine.export_bundle(city.id))
    # an honest laptop writes a seeded row first
    a.exec("UPDATE tasks SET note = 'honest note' WHERE id = 's1'")
    b.engine.import_bundle(a.engine.export_bundle(b.id))
    # then m (stolen) writes over seeded rows, a new row and its own earlier row, and only b gets it
    m.exec("UPDATE tasks SET progress = 99, note = 'forged' WHERE id = 's1'")
    m.exec("DELETE FROM tasks WHERE id = 's2'")
    m.exec("INSERT INTO tasks (id, unit, title) VALUES ('t2', 'u2', 'after the loss')")
    m.exec("UPDATE tasks SET title = 'rewritten' WHERE id = 't1'")
    b.engine.import_bundle(m.engine.export_bundle(b.id))
    assert b.conn.execute("SELECT note FROM tasks WHERE id = 's1'").fetchone() == ("forged",)

    city.engine.revoke(m.id)
    # b relays m's later segments to the city before it knows: the city refuses them
    relayed = city.engine.import_bundle(b.engine.export_bundle(city.id))
    assert {r.code for r in relayed.rejections} == {"signer_revoked"}
    # the revocation reaches b: b takes back what it had applied of m after the cutoff
    back = b.engine.import_bundle(city.engine.export_bundle(b.id))
    assert back.taken_back > 0
    assert [r.code for r in back.rejections] == ["taken_back"]
    assert "taken back" in back.rejections[0].reason
    assert b.rows() == [
        ("s1", "u0", "seeded", 0, "honest note"),
        ("s2", "u0", "kept", 0, None),
        ("t1", "u2", "before the loss", None, None),
    ]
    exchange_all = [(a, city), (city, a), (b, a), (a, b), (city, b), (b, city)]
    for src, dst in exchange_all:
        dst.engine.import_bundle(src.engine.export_bundle(dst.id))
    _same(city, a, b)
    # nothing of m's later work travels any more, and the next honest change still applies
    cutoff = city.engine.vector()[m.id]
    for seg in decode_bundle(b.engine.export_bundle())[0].segments:
        assert seg.origin != m.id or seg.last_seq <= cutoff
    a.exec("UPDATE tasks SET progress = 40 WHERE id = 's1'")
    assert b.engine.import_bundle(a.engine.export_bundle(b.id)).applied > 0
    assert city.engine.import_bundle(b.engine.export_bundle(city.id)).applied > 0
    _same(city, b)


def test_a_later_honest_write_over_a_revoked_value_survives_the_take_back(tmp_path: Path) -> None:
    city, (a, m) = network(tmp_path, 2)
    _seed(city, a, m)
    m.exec("UPDATE tasks SET progress = 99 WHERE id = 's1'")
    m.exec("UPDATE tasks SET title = 'only by m' WHERE id = 's2'")
    a.engine.import_bundle(m.engine.export_bundle(a.id))
    a.exec("UPDATE tasks SET progress = 50 WHERE id = 's1'")  # after m's, on a
    b_note = "written by the city, unaware of m"
    city.exec("UPDATE tasks SET title = ? WHERE id = 's2'", b_note)
    a.engine.import_bundle(city.engine.export_bundle(a.id))
    assert [c.lost_value for c in a.engine.conflicts()] == ["only by m"]
    city.engine.revoke(m.id)
    a.engine.import_bundle(city.engine.export_bundle(a.id))
    assert a.rows() == [("s1", "u0", "seeded", 50, None), ("s2", "u0", b_note, 0, None)]
    assert a.engine.conflicts() == []  # the conflict with a taken-back change is closed
    city.engine.import_bundle(a.engine.export_bundle(city.id))
    _same(city, a)


def test_the_take_back_also_comes_with_a_trust_file_and_parks_the_children_of_taken_rows(
    tmp_path: Path,
) -> None:
    city, (a, m) = network(tmp_path, 2)
    _seed(city, a, m)
    m.exec("INSERT INTO tasks (id, unit, title) VALUES ('t9', 'u1', 'made by m')")
    a.engine.import_bundle(m.engine.export_bundle(a.id))
    a.exec("INSERT INTO updates (id, task_id, body) VALUES ('w1', 't9', 'a reply')")
    city.engine.revoke(m.id)
    fp = city.engine.root_fingerprint()
    assert fp is not None
    a.engine.install_trust(city.engine.trust_file(), fp)
    assert [r[0] for r in a.rows()] == ["s1", "s2"]
    assert a.rows("updates") == []  # parked, its cells kept, until its parent comes back
    assert [r["code"] for r in a.engine.rejections()] == ["taken_back"]  # and it is on record
    _sound(a)
    city.engine.import_bundle(a.engine.export_bundle(city.id))
    assert city.snapshot() == a.snapshot()
    _sound(city)


def test_what_a_revoked_key_signed_up_to_the_cutoff_still_applies_where_it_had_not_arrived(
    tmp_path: Path,
) -> None:
    city, (a, m) = network(tmp_path, 2)
    m.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u1', 'reached the city')")
    city.engine.import_bundle(m.engine.export_bundle(city.id))
    m.exec("INSERT INTO tasks (id, unit, title) VALUES ('t2', 'u1', 'after')")
    late = m.engine.export_bundle()
    city.engine.revoke(m.id)
    a.engine.import_bundle(city.engine.export_bundle(a.id))  # revocation and m's first segment
    assert [r[0] for r in a.rows()] == ["t1"]
    with pytest.raises(SignerRevoked):  # m itself is revoked: its own bundle is refused whole
        a.engine.import_bundle(late)
    _same(city, a)


EXAMPLES = int(os.environ.get("SYNC_PBT_EXAMPLES", 80 if os.environ.get("CI") else 25))

edit = st.tuples(
    st.just("edit"),
    st.integers(0, 3),  # site; 3 is the laptop that will be lost
    st.sampled_from(["s1", "s2", "r1", "r2"]),
    st.sampled_from(["title", "progress", "delete", "update"]),
    st.one_of(st.none(), st.integers(-3, 3), st.text("ab", max_size=2)),
)
send = st.tuples(st.just("send"), st.integers(0, 3), st.integers(0, 3), st.booleans())
deliver = st.tuples(st.just("deliver"), st.integers(0, 50), st.integers(0, 3))
revoke = st.tuples(st.just("revoke"))
# the lost laptop writes and hands its bundle straight to one honest copy
leak = st.tuples(st.just("leak"), edit, st.integers(0, 2))
script = st.lists(st.one_of(edit, send, deliver, revoke, leak), min_size=1, max_size=30)


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(ops=script)
def test_whenever_the_revocation_arrives_the_honest_copies_end_the_same(ops: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        city, units = network(Path(tmp), 3)
        sites = [city, *units]
        lost = sites[3]
        _seed(*sites)
        bag: list[tuple[int, bytes]] = []
        revoked = False
        for op in ops:
            if op[0] == "edit":
                _, i, row, what, value = op
                apply_edit(sites[i], row, what, value)
            elif op[0] == "send":
                _, i, j, delta = op
                bag.append((i, sites[i].engine.export_bundle(sites[j].id if delta else None)))
            elif op[0] == "leak":
                _, (_e, _i, row, what, value), j = op
                apply_edit(lost, row, what, value)
                with contextlib.suppress(SignerRevoked):
                    sites[j].engine.import_bundle(lost.engine.export_bundle(sites[j].id))
            elif op[0] == "revoke":
                if not revoked:
                    city.engine.revoke(lost.id)
                    revoked = True
            elif bag:
                _, k, j = op
                sender, data = bag[k % len(bag)]
                if j != sender:
                    # the lost laptop's own bundle is refused whole once its receiver knows
                    with contextlib.suppress(SignerRevoked):
                        if sites[j].engine.import_bundle(data).taken_back:
                            event("a copy took back what it had applied")
        if not revoked:
            city.engine.revoke(lost.id)
        honest = sites[:3]
        for _ in range(2):
            for i in range(3):
                src, dst = honest[i], honest[(i + 1) % 3]
                if dst.engine.import_bundle(src.engine.export_bundle()).taken_back:
                    event("a copy took back what it had applied")
        _same(*honest)
        for s in sites:
            s.conn.close()


def _thief(tmp_path: Path, m: Site, name: str) -> Site:
    """Whoever took the laptop: its key folder, and a database from before any of its work."""
    from .test_forks import clone

    return clone(m, tmp_path, name)


def test_a_thief_cannot_write_a_new_past_below_the_cutoff_even_if_it_arrives_first(
    tmp_path: Path,
) -> None:
    city, (a, b, m) = network(tmp_path, 3)
    thief = _thief(tmp_path, m, "thief")  # taken before m's genuine work, with m's key
    for i in range(3):  # the genuine history: it reaches the city
        m.exec("INSERT INTO tasks (id, unit, title) VALUES (?, 'u2', 'genuine')", f"g{i}")
        city.engine.import_bundle(m.engine.export_bundle(city.id))
    cutoff = city.engine.vector()[m.id]
    # the thief signs a different, shorter history under the same numbers; b gets it first
    thief.exec("INSERT INTO tasks (id, unit, title) VALUES ('x1', 'u2', 'forged past')")
    b.engine.import_bundle(thief.engine.export_bundle(b.id))
    assert [r[0] for r in b.rows()] == ["x1"]
    relayed = b.engine.export_bundle(a.id)  # b passes the forged past on, unaware
    city.engine.revoke(m.id)
    revs = decode_bundle(city.engine.export_bundle())[0].revocations
    assert [r.upto for r in revs] == [cutoff] and revs[0].head is not None
    # the revocation reaches b with the genuine history: the forged one is taken back
    back = b.engine.import_bundle(city.engine.export_bundle(b.id))
    assert back.taken_back == 5
    assert [r[0] for r in b.rows()] == ["g0", "g1", "g2"]
    # a copy that learns of the revocation first never takes the forged past
    a.engine.import_bundle(city.engine.export_bundle(a.id))
    forged = a.engine.import_bundle(relayed)
    assert forged.applied == 0 and forged.rejected == 5
    assert {r.code for r in forged.rejections} == {"signer_revoked"}
    for src, dst in [(a, b), (b, a), (city, a), (a, city), (b, city), (city, b)]:
        dst.engine.import_bundle(src.engine.export_bundle(dst.id))
    _same(city, a, b)
    assert [r[0] for r in city.rows()] == ["g0", "g1", "g2"]


def test_a_copy_that_held_part_of_the_genuine_history_gets_it_back_once_all_of_it_arrives(
    tmp_path: Path,
) -> None:
    city, (a, m) = network(tmp_path, 2)
    m.exec("INSERT INTO tasks (id, unit, title) VALUES ('g0', 'u1', 'first')")
    city.engine.import_bundle(m.engine.export_bundle(city.id))
    a.engine.import_bundle(m.engine.export_bundle(a.id))  # a holds 1..5
    m.exec("INSERT INTO tasks (id, unit, title) VALUES ('g1', 'u1', 'second')")
    city.engine.import_bundle(m.engine.export_bundle(city.id))  # the city holds 1..10
    city.engine.revoke(m.id)
    fp = city.engine.root_fingerprint()
    assert fp is not None
    # the revocation alone: a cannot yet tell its 1..5 is on the named history
    a.engine.install_trust(city.engine.trust_file(), fp)
    a.engine.import_bundle(city.engine.export_bundle(a.id))
    assert [r[0] for r in a.rows()] == ["g0", "g1"]
    _same(city, a)


def test_a_copy_that_took_back_a_whole_feed_is_sent_the_genuine_history_again(
    tmp_path: Path,
) -> None:
    """A take-back that empties an origin's feed removes it from the copy's vector; the peers
    must read that as "acknowledged nothing" (SPEC.md section 9), not keep the old number."""
    city, (b, m) = network(tmp_path, 2)
    thief = _thief(tmp_path, m, "thief")
    m.exec("INSERT INTO tasks (id, unit, title) VALUES ('g0', 'u1', 'genuine')")
    city.engine.import_bundle(m.engine.export_bundle(city.id))
    # the thief's forged past, longer than the genuine one, reaches b first
    thief.exec("INSERT INTO tasks (id, unit, title) VALUES ('x1', 'u1', 'forged')")
    thief.exec("INSERT INTO tasks (id, unit, title) VALUES ('x2', 'u1', 'forged')")
    b.engine.import_bundle(thief.engine.export_bundle(b.id))
    forged_seq = b.engine.vector()[m.id]
    assert forged_seq > city.engine.vector()[m.id]
    # b tells the city what it holds (its vector), without relaying the forged segments
    city.engine.import_bundle(b.engine.export_bundle(city.id, since={m.id: forged_seq}))
    city.engine.revoke(m.id)
    back = b.engine.import_bundle(city.engine.export_bundle(b.id))
    assert back.taken_back > 0 and m.id not in b.engine.vector()
    for _ in range(2):
        city.engine.import_bundle(b.engine.export_bundle(city.id))
        b.engine.import_bundle(city.engine.export_bundle(b.id))
    assert [r[0] for r in b.rows()] == ["g0"]
    _same(city, b)
