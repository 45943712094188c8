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

``ATTACKS`` is the hook for more attacks (a forked feed, a stolen key): a function of the world,
the attacker and a number, recording what it forged.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
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
                sites["vp"], a.id, approve=approve, number="45/QĐ-UBND", date="18/03/2026",
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

    def deliver(self, data: bytes, dst: str) -> None:
        result = exchange.import_bytes(self.sites[dst], data)
        self.taken_back += result.taken_back

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


#: attack -> (what it does, the member that may carry it out); sync-forks adds forks here
ATTACKS: dict[str, tuple[Callable[[Byzantine, str, int], bool], str]] = {
    "done after the lead moved": (_done_after_move, "tthcc"),
    "budget for a task no longer led": (_budget_after_move, "tthcc"),
    "own approved amendment back to proposed": (_unapprove, "tc"),
    "rejected amendment back to forwarded": (_unreject, "vhxh"),
    "replay an old bundle (tthcc)": (_replay, "tthcc"),
    "replay an old bundle (tc)": (_replay, "tc"),
    "replay an old bundle (vhxh)": (_replay, "vhxh"),
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
    source, targets = template
    folder = tmp_path_factory.mktemp("run") / "world"
    shutil.copytree(source, folder)
    sites = {"city": _open(folder / "city.sqlite")}
    for name, _u, _r in LAPTOPS:
        sites[name] = _open(folder / f"{name}.sqlite")
    units = {"city": "*", **{n: u for n, u, _r in LAPTOPS}}
    w = Byzantine(sites, units, folder=folder, targets=targets, attackers=attackers)
    try:
        for action in actions:
            _run(w, action)
        _settle(w)
        if w.taken_back:
            event("a copy took back what it had applied before a decision")
        honest = w.honest()
        city = tables(w.sites["city"])
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
            held = conn.execute(
                f"SELECT origin, first_seq FROM _sync_segments WHERE state = 'held' "
                f"AND origin IN ({marks})",
                honest_ids,
            ).fetchall()
            assert held == [], f"{name} holds honest segments {held}"
    finally:
        for ws in w.sites.values():
            ws.close()
