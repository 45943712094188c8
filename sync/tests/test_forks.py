"""A laptop that signs two histories under one feed (a cloned laptop, or one restored from an old
backup together with its key folder) is frozen at the last point both histories share, on every
copy, and never makes anyone wait for it (SPEC.md section 4a, "Forks")."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sync import Engine
from sync.engine import cells_snapshot
from sync.format import decode_bundle

from .netkit import Site, network, open_conn
from .test_convergence import apply_edit


def clone(site: Site, tmp: Path, name: str) -> Site:
    """A second laptop holding the same database and the same key folder (the same feed)."""
    path = tmp / f"{name}.sqlite"
    dst = sqlite3.connect(path)
    site.conn.backup(dst)
    dst.close()
    keys = tmp / f"{name}.keys"
    shutil.copytree(tmp / f"{site.name}.keys", keys)
    conn = open_conn(path)
    return Site(name, path, conn, Engine(conn, keys))


def send(src: Site, dst: Site) -> None:
    dst.engine.import_bundle(src.engine.export_bundle(dst.id))


def held(site: Site) -> list[tuple[str, int, int]]:
    return site.conn.execute(
        "SELECT origin, first_seq, last_seq FROM _sync_segments WHERE state = 'held'"
    ).fetchall()


def _forked_world(tmp_path: Path) -> tuple[Site, Site, Site, Site, Site]:
    """m forks: its one branch reaches the PVHCC laptop p, the other the city, which writes on
    top of it; l (leadership) follows the city."""
    city, (p, m, lead) = network(tmp_path, 3)
    m.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u1', 'shared past')")
    for dst in (city, p, lead):
        send(m, dst)
    twin = clone(m, tmp_path, "twin")
    m.exec("INSERT INTO tasks (id, unit, title) VALUES ('a1', 'u1', 'branch A')")
    send(m, p)
    twin.exec("INSERT INTO tasks (id, unit, title) VALUES ('b1', 'u1', 'branch B')")
    send(twin, city)
    city.exec("UPDATE tasks SET progress = 50 WHERE id = 't1'")  # the city had seen branch B
    send(city, lead)
    lead.exec("UPDATE tasks SET note = 'leadership read it' WHERE id = 't1'")
    send(lead, city)
    return city, p, m, twin, lead


def test_a_fork_never_holds_the_honest_work_of_others_and_every_copy_ends_frozen_alike(
    tmp_path: Path,
) -> None:
    city, p, m, twin, lead = _forked_world(tmp_path)
    # the city's and the leadership's honest work reaches p, which holds branch A of m
    send(city, p)
    # full exchanges among the honest copies
    honest = [city, p, lead]
    for _ in range(3):
        for src in honest:
            for dst in honest:
                if src is not dst:
                    send(src, dst)
    for s in honest:
        assert held(s) == [], s.name
    first = city.snapshot()
    for s in honest[1:]:
        assert s.snapshot() == first, s.name
        assert cells_snapshot(s.conn) == cells_snapshot(city.conn), s.name
    # m stands only up to the shared past: neither branch is applied anywhere
    ids = [r[0] for r in city.rows()]
    assert ids == ["t1"]
    assert city.rows()[0][3:] == (50, "leadership read it")
    for s in honest:
        assert s.engine.status()["forked"] == {m.id: 5}, s.name


def test_the_proof_of_a_fork_travels_and_freezes_a_copy_that_saw_only_one_branch(
    tmp_path: Path,
) -> None:
    city, p, m, twin, lead = _forked_world(tmp_path)
    send(p, city)  # branch A reaches the city: the city holds both, a proof
    result = city.engine.import_bundle(p.engine.export_bundle(city.id))
    assert city.engine.status()["forked"] == {m.id: 5}
    del result
    bundle = decode_bundle(city.engine.export_bundle(lead.id))[0]
    assert len(bundle.forks) == 1
    # lead only ever saw branch B: the proof alone freezes it there and takes branch B back
    assert [r[0] for r in lead.rows()] == ["b1", "t1"]
    back = lead.engine.import_bundle(city.engine.export_bundle(lead.id))
    assert back.taken_back > 0
    assert "two different histories" in " ".join(r.reason for r in back.rejections)
    assert [r[0] for r in lead.rows()] == ["t1"]
    assert lead.engine.status()["forked"] == {m.id: 5}
    # and nothing m signs beyond the fork is accepted any more, from either laptop
    m.exec("INSERT INTO tasks (id, unit, title) VALUES ('a2', 'u1', 'later on A')")
    later = lead.engine.import_bundle(m.engine.export_bundle(lead.id))
    assert later.applied == 0
    assert {r.code for r in later.rejections} == {"feed_forked"}
    assert [r[0] for r in lead.rows()] == ["t1"]


def test_a_laptop_restored_with_its_key_folder_is_frozen_not_waited_for(tmp_path: Path) -> None:
    city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u0', 'before the backup')")
    send(a, city)
    saved = clone(a, tmp_path, "a-backup")  # the backup: database and key folder
    a.exec("INSERT INTO tasks (id, unit, title) VALUES ('t2', 'u0', 'after the backup')")
    send(a, city)
    city.exec("UPDATE tasks SET progress = 10 WHERE id = 't2'")  # the city builds on it
    send(city, b)
    saved.conn.close()
    restored_conn = open_conn(saved.path)
    restored = Site(
        "a-backup", saved.path, restored_conn, Engine(restored_conn, saved.engine.keys.path)
    )
    restored.exec("INSERT INTO tasks (id, unit, title) VALUES ('t9', 'u0', 'second history')")
    send(restored, b)  # b learns of the second history: a proof
    assert b.engine.status()["forked"] == {a.id: 5}
    send(b, city)
    send(city, b)
    for s in (city, b):
        assert held(s) == [], s.name
    assert city.snapshot() == b.snapshot()
    # a's t2 (beyond the fork) is taken back; the city's own write on it stays (Rule 2)
    assert city.rows() == [
        ("t1", "u0", "before the backup", None, None),
        ("t2", None, None, 10, None),
    ]
    # the city's own honest work still flows both ways
    city.exec("UPDATE tasks SET note = 'still flowing' WHERE id = 't1'")
    assert b.engine.import_bundle(city.engine.export_bundle(b.id)).applied > 0


EXAMPLES = int(os.environ.get("SYNC_PBT_EXAMPLES", 100 if os.environ.get("CI") else 20))
_edit = st.tuples(
    st.just("edit"),
    st.integers(0, 4),  # 0 city, 1–2 honest laptops, 3 the forking laptop, 4 its twin
    st.sampled_from(["s1", "r1", "r2"]),
    st.sampled_from(["title", "progress", "delete", "update"]),
    st.one_of(st.none(), st.integers(-3, 3), st.text("ab", max_size=2)),
)
_send = st.tuples(st.just("send"), st.integers(0, 4), st.integers(0, 2), st.booleans())
_deliver = st.tuples(st.just("deliver"), st.integers(0, 50), st.integers(0, 2))
_script = st.lists(st.one_of(_edit, _send, _deliver), min_size=1, max_size=30)


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(ops=_script)
def test_whatever_the_forking_laptop_sends_the_honest_copies_end_the_same_and_hold_nothing(
    ops: list[tuple],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        city, (a, b, m) = network(Path(tmp), 3)
        m.exec("INSERT INTO tasks (id, unit, title) VALUES ('s1', 'u2', 'shared past')")
        city.engine.import_bundle(m.engine.export_bundle(city.id))
        twin = clone(m, Path(tmp), "twin")
        sites = [city, a, b, m, twin]
        honest = sites[:3]
        # the two branches exist from the start; the script decides who gets which, and when
        m.exec("UPDATE tasks SET title = 'branch A' WHERE id = 's1'")
        twin.exec("UPDATE tasks SET progress = 7 WHERE id = 's1'")
        bag: list[tuple[int, bytes]] = [
            (3, m.engine.export_bundle(city.id)),
            (4, twin.engine.export_bundle(city.id)),
        ]
        city.engine.import_bundle(bag[1][1])  # branch B reaches the city, the city works on it
        city.exec("UPDATE tasks SET note = 'the city saw branch B' WHERE id = 's1'")
        for op in ops:
            if op[0] == "edit":
                _, i, row, what, value = op
                apply_edit(sites[i], row, what, value)
            elif op[0] == "send":
                _, i, j, delta = op
                bag.append((i, sites[i].engine.export_bundle(sites[j].id if delta else None)))
            elif bag:
                _, k, j = op
                sender, data = bag[k % len(bag)]
                if j != sender:
                    result = honest[j].engine.import_bundle(data)
                    if any(r.code == "feed_forked" for r in result.rejections):
                        event("a fork was found")
                    if result.taken_back:
                        event("a copy took back a branch")
        for _ in range(3):
            for src in honest:
                for dst in honest:
                    if src is not dst:
                        send(src, dst)
        for s in honest:
            assert held(s) == [], s.name
        forked = {s.engine.status()["forked"].get(m.id) for s in honest}
        assert len(forked) == 1
        if forked != {None}:
            event("the honest copies ended frozen")
        for s in honest[1:]:
            assert s.snapshot() == city.snapshot(), s.name
            assert cells_snapshot(s.conn) == cells_snapshot(city.conn), s.name
        for s in sites:
            s.conn.close()


def test_a_laptop_signing_many_branches_leaves_one_proof_per_copy(tmp_path: Path) -> None:
    city, (m,) = network(tmp_path, 1)
    m.exec("INSERT INTO tasks (id, unit, title) VALUES ('t1', 'u0', 'shared past')")
    send(m, city)
    twins = [clone(m, tmp_path, f"twin{i}") for i in range(4)]
    for i, twin in enumerate(twins):
        twin.exec("UPDATE tasks SET progress = ? WHERE id = 't1'", i)
        city.engine.import_bundle(twin.engine.export_bundle(city.id))
    assert city.conn.execute("SELECT count(*) FROM _sync_forks").fetchone() == (1,)
    assert city.engine.status()["forked"] == {m.id: 5}
    assert len(decode_bundle(city.engine.export_bundle())[0].forks) == 1


def test_once_the_forking_laptop_is_revoked_no_copy_keeps_or_sends_a_proof_of_its_fork(
    tmp_path: Path,
) -> None:
    """The revocation decides which history stands (section 4a): a proof the city found before
    it revoked is dropped there, so copies that learn of the revocation first end alike."""
    city, p, m, _twin, lead = _forked_world(tmp_path)
    send(p, city)  # branch A reaches the city: it holds a proof and freezes m
    assert city.engine.status()["forked"] == {m.id: 5}
    city.engine.revoke(m.id)
    assert city.engine.status()["forked"] == {}
    assert decode_bundle(city.engine.export_bundle(lead.id))[0].forks == []
    honest = [city, p, lead]
    for _ in range(3):
        for src in honest:
            for dst in honest:
                if src is not dst:
                    send(src, dst)
    for s in honest:
        assert s.engine.status()["forked"] == {}, s.name
        assert held(s) == [], s.name
        assert s.snapshot() == city.snapshot(), s.name
        assert cells_snapshot(s.conn) == cells_snapshot(city.conn), s.name
    assert [r[0] for r in city.rows()] == ["t1"]
