"""Byzantine schedules (issue 18): convergence is a property of the set of signed changes.

Five copies with the plan's roles (the city, Văn phòng UBND đặc khu as the leadership, Phòng Văn
hóa - Xã hội as the consolidator, Phòng Tài chính as finance, Trung tâm PVHCC as a unit) do the
plan's procedures honestly, while one or two of the member laptops are also hostile: they write
raw rows into their own SQLite file and seal them with a forged ``seen`` (stale: the one of their
previous segment; or empty), or replay old bundles. Bundles go direct or through the city,
duplicated, reordered or lost. The world starts where the leadership has just decided three
amendments (moving a task of Trung tâm PVHCC to Văn phòng UBND, approving one of Phòng Tài
chính's, rejecting one of Trung tâm PVHCC's) and only the city has heard of them, so the forged
changes race the decisions that forbid them.

After a final exchange among the honest copies:
- every honest copy is byte-for-byte identical in every application table;
- no forged change that a decision forbids stands on any honest copy (the decision was made
  before the forgery, so no copy may accept it, whatever it received first);
- nothing an honest site signed is held anywhere honest.

Two more attacks make the member itself dishonest beyond its rows:
- a forked feed: a second copy of the laptop (its database and its key folder) signs a different
  segment under the same sequence; each branch is sent to a different copy;
- a stolen key: the root revokes the member at a random moment (the cutoff and head are those of
  the city's copy), while a thief keeps the key and signs a different history afterwards, from
  the laptop as it is now or from an old backup of it. Nothing the thief signed may stand on any
  honest copy. (That the honest copies also end holding the same proofs of forks is checked by
  deterministic schedules the property found, kept as tests below.)

``ATTACKS`` is the hook for more attacks: a function of the world, the attacker and a number,
recording what it forged.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cchc.domain.errors import CchcError
from cchc.services import amendments, exchange
from cchc.services.workspace import Workspace
from sync.errors import SignerRevoked
from tests.integration.test_procedures_converge import PROCEDURES
from tests.integration.worlds import NOW, World, certified_net, tables

pytestmark = pytest.mark.slow

#: (laptop, unit, role); the city is the root. Members that may turn hostile: tthcc, tc, vhxh.
LAPTOPS = (
    ("vp", "vp_ubnd", "leadership"),
    ("vhxh", "vhxh", "consolidator"),
    ("tc", "tai_chinh", "finance"),
    ("tthcc", "tthcc", "unit"),
)
MEMBERS = ("tthcc", "tc", "vhxh")


def _open(path: Path) -> Workspace:
    return Workspace.open(path, clock=lambda: NOW)


def _led(ws: Workspace, unit: str) -> tuple[str, str]:
    row = ws.db.conn.execute(
        "SELECT t.id, t.stt FROM tasks t JOIN units u ON u.id = t.lead_unit_id WHERE u.code = ? "
        "ORDER BY t.stt LIMIT 1",
        (unit,),
    ).fetchone()
    return str(row[0]), str(row[1])


def _exchange(sites: dict[str, Workspace], a: str, b: str) -> None:
    exchange.import_bytes(sites[b], exchange.export_bundle(sites[a]))


def _build(folder: Path) -> dict[str, str]:
    """The template world; returns the ids the attacks aim at."""
    sites = certified_net(folder, LAPTOPS)
    try:
        for name, _u, _r in LAPTOPS:
            _exchange(sites, "city", name)
        moved, moved_stt = _led(sites["city"], "tthcc")
        _tc_task, tc_stt = _led(sites["city"], "tai_chinh")
        move = amendments.propose(
            sites["tthcc"], unit="tthcc", action="change", task=moved_stt, lead="vp_ubnd",
            reason="Phân công lại", by="An",
        )  # fmt: skip
        drop = amendments.propose(
            sites["tthcc"], unit="tthcc", action="drop", task=moved_stt, reason="Không cần",
            by="An",
        )  # fmt: skip
        own = amendments.propose(
            sites["tc"], unit="tai_chinh", action="change", task=tc_stt,
            content="Nội dung điều chỉnh", reason="Cho rõ", by="Minh",
        )  # fmt: skip
        for name in ("tthcc", "tc"):
            _exchange(sites, name, "vhxh")
        for a in (move, drop, own):
            amendments.forward(sites["vhxh"], a.id, by="Hà")
        for name in ("vhxh", "tthcc", "tc"):
            _exchange(sites, name, "city")
        for name, _u, _r in LAPTOPS:
            _exchange(sites, "city", name)
        for a, approve in ((move, True), (drop, False), (own, True)):
            amendments.decide(
                sites["vp"], a.id, approve=approve, number="45/QĐ-UBND", date="20/03/2026",
                by="Lãnh đạo",
            )  # fmt: skip
        _exchange(sites, "vp", "city")  # only the city has heard of the decisions
        return {"moved": moved, "rejected": drop.id, "approved": own.id}
    finally:
        for ws in sites.values():
            ws.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            ws.close()


@dataclass
class Byzantine(World):
    folder: Path = Path()
    targets: dict[str, str] = field(default_factory=dict)
    attackers: tuple[str, ...] = ()
    #: (attacker site id, clock) of every forged change that a decision forbids
    forged: set[tuple[str, int]] = field(default_factory=set)
    #: bundles each attacker exported, for replays
    sent_by: dict[str, list[bytes]] = field(default_factory=dict)
    taken_back: int = 0
    #: the template folder (the laptops as they were before the schedule: old backups)
    source: Path = Path()
    #: members whose feed was forked / revoked by the root
    forked: set[str] = field(default_factory=set)
    revoked: set[str] = field(default_factory=set)
    #: bundles a thief signed after the revocation, and each forked branch's bundles
    thief_bundles: list[bytes] = field(default_factory=list)
    #: second copies of the laptops (twins and thieves), closed at the end
    extra: list[Workspace] = field(default_factory=list)

    def deliver(self, data: bytes, dst: str) -> None:
        try:
            result = exchange.import_bytes(self.sites[dst], data)
        except SignerRevoked as err:
            # refused whole, and only ever a bundle of a revoked member (or its thief)
            assert any(self.site_id(m) in str(err) for m in self.revoked), err
            event("a copy refused a whole bundle signed with a revoked key")
            return
        self.taken_back += result.taken_back
        if result.applied and any(data is t for t in self.thief_bundles):
            event("a thief's change applied on an honest copy (before being taken back)")

    def send(self, src: str, dst: str) -> None:
        data = exchange.export_bundle(self.sites[src], self.site_id(dst))
        if src in self.attackers:
            self.sent_by.setdefault(src, []).append(data)
        self.in_flight.append((data, dst))

    def honest(self) -> list[str]:
        return [n for n in self.sites if n not in self.attackers]


def _forge(w: Byzantine, name: str, sql: str, params: tuple[Any, ...], empty: bool) -> bool:
    """Write ``sql`` into ``name``'s own file and seal it with a forged ``seen``: the one of its
    previous segment (stale), or none at all (empty)."""
    ws = w.sites[name]
    site = w.site_id(name)
    conn = sqlite3.connect(w.folder / f"{name}.sqlite", isolation_level=None)
    last = conn.execute(
        "SELECT seen FROM _sync_segments WHERE origin = ? ORDER BY first_seq DESC LIMIT 1",
        (site,),
    ).fetchone()
    seen: dict[str, int] = {} if empty or last is None else json.loads(last[0])
    real = conn.execute("SELECT origin, applied_hlc FROM _sync_feeds").fetchall()
    mark = conn.execute("SELECT coalesce(max(n), 0) FROM _sync_pending").fetchone()[0]
    conn.execute("BEGIN")
    try:
        for origin, _h in real:
            if origin != site:
                conn.execute(
                    "UPDATE _sync_feeds SET applied_hlc = ? WHERE origin = ?",
                    (seen.get(origin, 0), origin),
                )
        conn.execute(sql, params)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    clocks = conn.execute("SELECT hlc FROM _sync_pending WHERE n > ?", (mark,)).fetchall()
    try:
        exchange.export_bundle(ws)  # seals, with the forged vector
    finally:
        conn.executemany(
            "UPDATE _sync_feeds SET applied_hlc = ? WHERE origin = ?", [(h, o) for o, h in real]
        )
        conn.close()
    w.forged |= {(site, int(h)) for (h,) in clocks}
    event("forged seen: " + ("empty" if empty else "stale"))
    return True


def _done_after_move(w: Byzantine, name: str, pick: int) -> bool:
    return _forge(
        w, name, "UPDATE tasks SET status = 'done', progress = 100 WHERE id = ?",
        (w.targets["moved"],), pick % 2 == 1,
    )  # fmt: skip


def _budget_after_move(w: Byzantine, name: str, pick: int) -> bool:
    return _forge(
        w, name,
        "INSERT INTO budgets (id, task_id, estimate, updated_by, updated_at) VALUES "
        "(?, ?, 990000000, 'An', '2026-03-20T02:00:00+00:00')",
        (f"forged-{pick}-{len(w.forged)}", w.targets["moved"]), pick % 2 == 1,
    )  # fmt: skip


def _unapprove(w: Byzantine, name: str, pick: int) -> bool:
    return _forge(
        w, name, "UPDATE amendments SET status = 'proposed' WHERE id = ?",
        (w.targets["approved"],), pick % 2 == 1,
    )  # fmt: skip


def _unreject(w: Byzantine, name: str, pick: int) -> bool:
    return _forge(
        w, name, "UPDATE amendments SET status = 'forwarded' WHERE id = ?",
        (w.targets["rejected"],), pick % 2 == 1,
    )  # fmt: skip


def _replay(w: Byzantine, name: str, pick: int) -> bool:
    old = w.sent_by.get(name)
    if old:
        honest = w.honest()
        w.in_flight.append((old[pick % len(old)], honest[pick % len(honest)]))
    return bool(old)


def _second_copy(w: Byzantine, name: str, tag: str, old: bool) -> Workspace:
    """Another laptop holding ``name``'s database and key folder (the same feed): a copy of the
    laptop as it is now, or (``old``) an old backup of it taken before the schedule."""
    path = w.folder / f"{name}-{tag}.sqlite"
    if old:
        shutil.copy(w.source / f"{name}.sqlite", path)
        shutil.copytree(w.source / f"{name}.sqlite.keys", exchange.key_dir_for(path))
    else:
        dst = sqlite3.connect(path)
        w.sites[name].db.conn.backup(dst)
        dst.close()
        shutil.copytree(
            exchange.key_dir_for(w.folder / f"{name}.sqlite"), exchange.key_dir_for(path)
        )
    ws = _open(path)
    w.extra.append(ws)
    return ws


def _own_task(ws: Workspace, unit: str, pick: int) -> str:
    rows = ws.db.conn.execute(
        "SELECT t.id FROM tasks t JOIN units u ON u.id = t.lead_unit_id WHERE u.code = ? "
        "ORDER BY t.stt",
        (unit,),
    ).fetchall()
    if not rows:
        rows = ws.db.conn.execute("SELECT id FROM tasks ORDER BY stt").fetchall()
    return str(rows[pick % len(rows)][0])


def _fork(w: Byzantine, name: str, pick: int) -> bool:
    """The laptop and a copy of it (database and key folder) each sign a different segment
    under the same sequence; one branch goes to one honest copy, the other to another."""
    if name in w.forked or name in w.revoked:
        return False
    twin = _second_copy(w, name, "twin", old=False)
    unit = w.units[name]
    for ws, progress in ((w.sites[name], 10 + pick % 40), (twin, 60 + pick % 40)):
        ws.db.conn.execute(
            "UPDATE tasks SET progress = ? WHERE id = ?", (progress, _own_task(ws, unit, pick))
        )
    honest = w.honest()
    first = honest[pick % len(honest)]
    second = honest[(pick + 1 + pick // 7 % (len(honest) - 1)) % len(honest)]
    w.in_flight.append((exchange.export_bundle(w.sites[name], w.site_id(first)), first))
    w.in_flight.append((exchange.export_bundle(twin, w.site_id(second)), second))
    w.forked.add(name)
    event("fork: branches to " + ("the city" if "city" in (first, second) else "two laptops"))
    return True


def _revoke_and_steal(w: Byzantine, name: str, pick: int) -> bool:
    """The root revokes the member (cutoff and head from the city's copy); a thief keeps the
    key and, afterwards, signs a different history (from the laptop now, or an old backup).
    A member that forked its feed may be revoked too; the fork-then-revoke schedules the
    property found are kept below as tests."""
    if name in w.revoked:
        return False
    exchange.revoke(w.sites["city"], w.site_id(name))
    w.revoked.add(name)
    if name in w.forked:
        event("a member that forked its feed is revoked too")
    old = pick % 2 == 1
    thief = _second_copy(w, name, "thief", old=old)
    unit = w.units[name]
    task = _own_task(thief, unit, pick)
    thief.db.conn.execute(
        "INSERT INTO budgets (id, task_id, estimate, updated_by, updated_at) VALUES "
        "(?, ?, 770000000, 'Kẻ trộm', '2026-03-20T02:00:00+00:00')",
        (f"thief-{name}-{pick}", task),
    )
    thief.db.conn.execute("UPDATE tasks SET progress = 99 WHERE id = ?", (task,))
    honest = w.honest()
    for k in range(1 + pick % 2):
        dst = honest[(pick + k) % len(honest)]
        data = exchange.export_bundle(thief, w.site_id(dst))
        w.thief_bundles.append(data)
        w.in_flight.append((data, dst))
    event("revoked, the thief signs from " + ("an old backup" if old else "the laptop now"))
    return True


#: attack -> (what it does, the member that may carry it out); sync-forks adds forks here
ATTACKS: dict[str, tuple[Callable[[Byzantine, str, int], bool], str]] = {
    "done after the lead moved": (_done_after_move, "tthcc"),
    "budget for a task no longer led": (_budget_after_move, "tthcc"),
    "own approved amendment back to proposed": (_unapprove, "tc"),
    "rejected amendment back to forwarded": (_unreject, "vhxh"),
    "replay an old bundle (tthcc)": (_replay, "tthcc"),
    "replay an old bundle (tc)": (_replay, "tc"),
    "replay an old bundle (vhxh)": (_replay, "vhxh"),
    **{f"fork its own feed ({m})": (_fork, m) for m in MEMBERS},
    **{f"revoked while a thief keeps the key ({m})": (_revoke_and_steal, m) for m in MEMBERS},
}

step = st.one_of(
    st.tuples(st.just("do"), st.sampled_from(sorted(PROCEDURES)), st.integers(0, 99)),
    st.tuples(st.just("attack"), st.integers(0, 99), st.integers(0, 99)),
    st.tuples(st.just("attack"), st.integers(0, 99), st.integers(0, 99)),
    st.tuples(st.just("send"), st.integers(0, 4), st.integers(0, 4), st.booleans()),
    st.tuples(st.just("carry"), st.integers(0, 99), st.sampled_from(["once", "twice", "lose"])),
)


def _run(w: Byzantine, action: tuple[Any, ...]) -> None:
    names = list(w.sites)
    if action[0] == "do":
        _kind, proc, pick = action
        fn, who = PROCEDURES[proc]
        doers = [n for n in names if n != "city"] if who == "unit" else [who]
        doers = [n for n in doers if n in w.sites]
        if doers:
            # declined, or refused by the shared rule: nothing written
            with contextlib.suppress(CchcError):
                fn(w, doers[pick % len(doers)], pick)
    elif action[0] == "attack":
        _kind, which, pick = action
        mine = [a for a in sorted(ATTACKS) if ATTACKS[a][1] in w.attackers]
        name = mine[which % len(mine)]
        fn, who = ATTACKS[name]
        if fn(w, who, pick):
            event(f"attack fired: {name}")
    elif action[0] == "send":
        _kind, a, b, via_city = action
        src, dst = names[a % len(names)], names[b % len(names)]
        if src == dst:
            return
        if via_city and "city" not in (src, dst):
            w.send(src, "city")
            w.deliver(*w.in_flight.pop())
            w.send("city", dst)
        else:
            w.send(src, dst)
    elif w.in_flight:
        _kind, i, how = action
        data, dst = w.in_flight[i % len(w.in_flight)]
        if how != "twice":
            w.in_flight.pop(i % len(w.in_flight))
        if how != "lose":
            w.deliver(data, dst)


def _settle(w: Byzantine) -> None:
    """What is in flight arrives; then rounds through the city among the honest copies."""
    honest = w.honest()
    for data, dst in w.in_flight:
        if dst in honest:
            w.deliver(data, dst)
    w.in_flight.clear()
    for _round in range(3):
        for name in honest:
            if name != "city":
                w.deliver(exchange.export_bundle(w.sites[name], w.site_id("city")), "city")
        for name in honest:
            if name != "city":
                w.deliver(exchange.export_bundle(w.sites["city"], w.site_id(name)), name)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("byzantine") / "world"
    folder.mkdir()
    targets = _build(folder)
    yield folder, targets


@settings(
    max_examples=int(os.environ.get("CCHC_BYZANTINE_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    attackers=st.sampled_from(
        [("tthcc",), ("tc",), ("vhxh",), ("tthcc", "tc"), ("tthcc", "vhxh"), ("tc", "vhxh")]
    ),
    actions=st.lists(step, min_size=6, max_size=18),
)
def test_honest_copies_holding_the_same_signed_changes_hold_the_same_rows(
    template: tuple[Path, dict[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
    attackers: tuple[str, ...],
    actions: list[tuple[Any, ...]],
) -> None:
    _play(*template, tmp_path_factory, attackers, actions)


def _play(
    source: Path,
    targets: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory | _Tmp,
    attackers: tuple[str, ...],
    actions: list[tuple[Any, ...]],
    frozen_alike: bool = False,
) -> None:
    """Run ``actions`` in a fresh copy of the template world, settle, check the end state; with
    ``frozen_alike`` also that every honest copy holds the same proofs of forks."""
    folder = tmp_path_factory.mktemp("run") / "world"
    shutil.copytree(source, folder)
    sites = {"city": _open(folder / "city.sqlite")}
    for name, _u, _r in LAPTOPS:
        sites[name] = _open(folder / f"{name}.sqlite")
    units = {"city": "*", **{n: u for n, u, _r in LAPTOPS}}
    w = Byzantine(sites, units, folder=folder, targets=targets, attackers=attackers, source=source)
    try:
        for action in actions:
            _run(w, action)
        _settle(w)
        if w.taken_back:
            event("a copy took back what it had applied before a decision")
        honest = w.honest()
        city = tables(w.sites["city"])
        frozen = exchange.open_engine(w.sites["city"]).status()["forked"]
        if frozen:
            event("the honest copies ended with a feed frozen by a fork")
        honest_ids = [w.site_id(n) for n in honest]
        marks = ",".join("?" * len(honest_ids))
        for name in honest:
            conn = w.sites[name].db.conn
            assert tables(w.sites[name]) == city, f"{name} differs from the city"
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            standing = {
                (o, h) for o, h in conn.execute("SELECT origin, hlc FROM _sync_cells").fetchall()
            }
            assert not (standing & w.forged), f"a forged change stands on {name}"
            stolen = conn.execute("SELECT id FROM budgets WHERE id LIKE 'thief-%'").fetchall()
            assert stolen == [], f"what a thief signed after the revocation stands on {name}"
            if frozen_alike:
                assert exchange.open_engine(w.sites[name]).status()["forked"] == frozen, name
            held = conn.execute(
                f"SELECT origin, first_seq FROM _sync_segments WHERE state = 'held' "
                f"AND origin IN ({marks})",
                honest_ids,
            ).fetchall()
            assert held == [], f"{name} holds honest segments {held}"
    finally:
        for ws in [*w.sites.values(), *w.extra]:
            ws.close()


class _Tmp:
    """Fresh folders under ``tmp_path``, for the deterministic schedules run outside hypothesis."""

    def __init__(self, base: Path) -> None:
        self.base, self.n = base, 0

    def mktemp(self, name: str) -> Path:
        self.n += 1
        path = self.base / f"{name}{self.n}"
        path.mkdir()
        return path


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_each_attack_alone_leaves_the_honest_copies_alike(
    template: tuple[Path, dict[str, str]],
    tmp_path: Path,
    attack: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "event", lambda *_a: None)
    who = ATTACKS[attack][1]
    mine = [a for a in sorted(ATTACKS) if ATTACKS[a][1] == who]
    _play(*template, _Tmp(tmp_path), (who,), [("attack", mine.index(attack), 0)])


#: found by the property above: the member forks its feed, is revoked, and its thief signs from
#: an old backup; the city ends holding a proof of the fork that Trung tâm PVHCC never gets
FORK_THEN_THIEF = [
    ("attack", 65, 83), ("carry", 91, "once"), ("carry", 87, "once"), ("carry", 98, "twice"),
    ("send", 3, 2, True), ("send", 0, 4, False), ("attack", 74, 35), ("send", 2, 2, False),
    ("attack", 5, 12), ("send", 0, 4, False), ("carry", 39, "once"), ("do", "report", 0),
    ("send", 0, 4, False), ("send", 2, 4, False), ("attack", 32, 65), ("do", "assign", 29),
    ("do", "estimate", 56), ("attack", 11, 43),
]  # fmt: skip


def test_every_honest_copy_ends_holding_the_proof_of_a_fork_the_city_holds(
    template: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "event", lambda *_a: None)
    _play(*template, _Tmp(tmp_path), ("tc",), FORK_THEN_THIEF, frozen_alike=True)


#: found by the property: Trung tâm PVHCC writes, forks its feed (one branch to Văn phòng UBND,
#: the other to Phòng Văn hóa - Xã hội), then is revoked while a thief signs from the laptop now
FORK_THEN_REVOKED = [
    ("do", "allocate", 0), ("attack", 57, 35), ("carry", 0, "once"), ("send", 3, 0, False),
    ("carry", 1, "once"), ("attack", 44, 0),
]  # fmt: skip


def test_a_forked_member_revoked_afterwards_leaves_the_honest_copies_alike(
    template: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "event", lambda *_a: None)
    _play(*template, _Tmp(tmp_path), ("tthcc",), FORK_THEN_REVOKED)


#: found by the property: Trung tâm PVHCC forks with one branch to the city, which freezes it;
#: then it is revoked (a thief signs from an old backup): the revocation, not the proof, decides
FORK_TO_CITY_THEN_REVOKED = [
    ("do", "allocate", 0), ("do", "estimate", 0), ("do", "allocate", 0), ("attack", 12, 2),
    ("carry", 1, "once"), ("attack", 44, 1),
]  # fmt: skip


def test_a_member_forked_to_the_city_then_revoked_leaves_the_honest_copies_alike(
    template: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "event", lambda *_a: None)
    _play(*template, _Tmp(tmp_path), ("tthcc", "tc"), FORK_TO_CITY_THEN_REVOKED, frozen_alike=True)


#: found by the property after the two fixes above (and failing before them too): Phòng Văn hóa -
#: Xã hội forks (one branch to the city) and is revoked; Văn phòng UBND takes back the other
#: branch, then applies the named one again after its own decision on the amendment stands.
#: The decision's writer had seen the forward, so it does not forbid it (it came after it); it
#: was counted as an authority change the forward had not seen. Whether this schedule splits the
#: copies depended on the drawn site ids and timing; ``sync/tests/test_rejudging.py`` shows the
#: same at the engine, deterministically.
FORK_THEN_REVOKED_AFTER_DECISION = [
    ("do", "allocate", 0), ("do", "allocate", 41), ("do", "allocate", 0), ("attack", 1, 52),
    ("carry", 1, "once"), ("attack", 7, 0),
]  # fmt: skip


def test_a_named_history_applied_again_after_a_take_back_is_judged_as_its_writer_saw_it(
    template: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "event", lambda *_a: None)
    _play(*template, _Tmp(tmp_path), ("tc", "vhxh"), FORK_THEN_REVOKED_AFTER_DECISION)
