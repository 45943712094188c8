"""The plan's own procedures, done honestly by laptops with the plan's roles, in random
interleavings, carried directly or relayed by the city, with duplicates, reorders and lost
bundles sent again: every import succeeds, nothing an honest role wrote is refused, and every
copy ends identical, whatever the site ids (issue: procedures must sync in any order)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cchc.domain.errors import CchcError
from cchc.services import amendments, budget, exchange, reports
from cchc.services import tasks as task_svc
from tests.integration.worlds import LAPTOPS, World, open_world, tables


def _led_task(w: World, name: str, pick: int) -> str | None:
    rows = (
        w.sites[name]
        .db.conn.execute(
            "SELECT t.id FROM tasks t JOIN units u ON u.id = t.lead_unit_id WHERE u.code = ? "
            "ORDER BY t.id",
            (w.units[name],),
        )
        .fetchall()
    )
    return str(rows[pick % len(rows)][0]) if rows else None


def _progress(w: World, name: str, pick: int) -> None:
    task = _led_task(w, name, pick)
    if task is not None:
        task_svc.update_task(
            w.sites[name], task, progress=10 + pick % 80, status="in_progress", by="Cán bộ"
        )


def _report(w: World, name: str, pick: int) -> None:
    ws = w.sites[name]
    period = ("2026-01", "2026-02", "2026-Q1")[pick % 3]
    made = reports.new_report(ws, unit=w.units[name], period=period, by="Cán bộ")
    n = str(pick % 50)
    reports.set_report(
        ws,
        made.id,
        fields={
            "received_direct": n,
            "carried_over": "0",
            "received_online_full": "0",
            "received_online_partial": "0",
            "received_postal": "0",
            "resolved_early": "0",
            "resolved_on_time": n,
            "resolved_late": "0",
            "pending_within_time": "0",
            "pending_overdue": "0",
            "returned": "0",
            "withdrawn": "0",
        },
    )
    reports.submit_report(ws, made.id, by="Cán bộ")


def _consolidate(w: World, name: str, pick: int) -> None:
    reports.consolidate(w.sites[name], period=("2026-01", "2026-02", "2026-Q1")[pick % 3])


def _estimate(w: World, name: str, pick: int) -> None:
    task = _led_task(w, name, pick)
    if task is not None:
        budget.set_budget(
            w.sites[name], task, estimate=str(1_000_000 * (1 + pick % 9)), sent_on="20/02/2026"
        )


def _propose(w: World, name: str, pick: int) -> None:
    task = _led_task(w, name, pick)
    if task is not None:
        amendments.propose(
            w.sites[name],
            unit=w.units[name],
            action="drop",
            task=task,
            reason="Không còn phù hợp",
            by="Cán bộ",
        )


def _forward(w: World, name: str, pick: int) -> None:
    for a in amendments.list_amendments(w.sites[name]):
        if a.status == "proposed":
            amendments.forward(w.sites[name], a.id, by="Cán bộ tổng hợp")
            return


def _decide(w: World, name: str, pick: int) -> None:
    for a in amendments.list_amendments(w.sites[name]):
        if a.status == "forwarded":
            amendments.decide(
                w.sites[name],
                a.id,
                approve=pick % 2 == 0,
                number=f"{40 + pick % 9}/QĐ-UBND",
                date="20/03/2026",
                by="Lãnh đạo",
            )
            return


def _budget_line(w: World, name: str, pick: int) -> str | None:
    rows = w.sites[name].db.conn.execute("SELECT task_id FROM budgets ORDER BY id").fetchall()
    return str(rows[pick % len(rows)][0]) if rows else None


def _appraise(w: World, name: str, pick: int) -> None:
    task = _budget_line(w, name, pick)
    if task is not None:
        budget.appraise(
            w.sites[name], task, amount=str(900_000 * (1 + pick % 9)), on="10/03/2026", by="TC"
        )


def _allocate(w: World, name: str, pick: int) -> None:
    task = _budget_line(w, name, pick)
    if task is not None:
        budget.allocate(
            w.sites[name],
            task,
            amount=str(800_000 * (1 + pick % 9)),
            decision_number=f"{60 + pick % 9}/QĐ-UBND",
            decision_date="15/03/2026",
            by="TC",
        )


def _assign(w: World, name: str, pick: int) -> None:
    lead = [u for n, u in w.units.items() if n != "city"][pick % (len(w.units) - 1)]
    task_svc.add_task(
        w.sites[name],
        content=f"Nhiệm vụ thành phố giao số {pick}",
        lead=lead,
        partners=[],
        due="30/06/2026",
        timeframe=None,
        source_number=f"{100 + pick}/UBND-NC",
        source_date="02/03/2026",
        source_issuer="UBND thành phố Hải Phòng",
        by="Văn phòng Thành phố",
    )


#: procedure -> who may do it ("unit": any unit laptop)
PROCEDURES: dict[str, tuple[Callable[[World, str, int], None], str]] = {
    "progress": (_progress, "unit"),
    "report": (_report, "unit"),
    "consolidate": (_consolidate, "vhxh"),
    "estimate": (_estimate, "unit"),
    "propose": (_propose, "unit"),
    "forward": (_forward, "vhxh"),
    "decide": (_decide, "vp"),
    "appraise": (_appraise, "tc"),
    "allocate": (_allocate, "tc"),
    "assign": (_assign, "city"),
}

step = st.one_of(
    st.tuples(st.just("do"), st.sampled_from(sorted(PROCEDURES)), st.integers(0, 99)),
    st.tuples(st.just("send"), st.integers(0, 4), st.integers(0, 4), st.booleans()),
    st.tuples(st.just("carry"), st.integers(0, 99), st.sampled_from(["once", "twice", "lose"])),
    st.tuples(st.just("round"), st.permutations(range(5))),
)


def _run(w: World, action: tuple) -> None:
    names = list(w.sites)
    if action[0] == "do":
        _kind, proc, pick = action
        fn, who = PROCEDURES[proc]
        doers = [n for n in names if n != "city"] if who == "unit" else [who]
        doers = [n for n in doers if n in w.sites] or (["city"] if proc == "decide" else [])
        if not doers:
            return
        name = doers[pick % len(doers)]
        try:
            fn(w, name, pick)
            event(f"{proc}: done")
        except exchange.ChangeRefused as err:  # an honest role's procedure must never be
            w.refused.append(f"{name} {proc}: {err.params}")  # refused by the shared rule
        except CchcError as err:  # the app declined (nothing to consolidate yet…): honest
            event(f"{proc}: declined ({err.key})")
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
    elif action[0] == "round":  # everyone to the city, then the city to everyone, in an order
        order = [names[i] for i in action[1] if i < len(names) and names[i] != "city"]
        for name in order:
            w.deliver(exchange.export_bundle(w.sites[name], w.site_id("city")), "city")
        for name in order:
            w.deliver(exchange.export_bundle(w.sites["city"], w.site_id(name)), name)
    elif w.in_flight:
        _kind, i, how = action
        data, dst = w.in_flight[i % len(w.in_flight)]
        if how != "twice":
            w.in_flight.pop(i % len(w.in_flight))
        if how != "lose":
            w.deliver(data, dst)


def _settle(w: World) -> None:
    """What is lost is sent again: rounds through the city until nothing moves."""
    for data, dst in w.in_flight:
        w.deliver(data, dst)
    w.in_flight.clear()
    for _round in range(3):
        for name in w.sites:
            if name != "city":
                w.deliver(exchange.export_bundle(w.sites[name], w.site_id("city")), "city")
        for name in w.sites:
            if name != "city":
                w.deliver(exchange.export_bundle(w.sites["city"], w.site_id(name)), name)


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("CCHC_PROPERTY_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    laptops=st.integers(2, 4),
    ids=st.lists(
        st.text("0123456789abcdef", min_size=32, max_size=32), min_size=5, max_size=5, unique=True
    ),
    actions=st.lists(step, min_size=8, max_size=30),
)
def test_honest_procedures_in_any_order_converge_with_nothing_refused(
    tmp_path_factory, laptops: int, ids: list[str], actions: list[tuple]
) -> None:
    tmp = tmp_path_factory.mktemp("world")
    names = [n for n, _u, _r in LAPTOPS][:laptops]
    w = open_world(tmp, names, ids)
    try:
        for action in actions:
            _run(w, action)
        _settle(w)
        assert w.refused == []
        city = tables(w.sites["city"])
        for name, ws in w.sites.items():
            assert tables(ws) == city, f"{name} differs from the city"
            assert ws.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        for ws in w.sites.values():
            ws.close()


def _amendment_world(tmp: Path, city_first: bool) -> World:
    """City, Phòng Văn hóa - Xã hội and Phòng Tài chính, the city's site id sorting before
    (or after) the proposer's."""
    low, high = "0" * 31 + "1", "f" * 31 + "e"
    ids = [low, high, "8" * 32] if city_first else [high, low, "8" * 32]
    return open_world(tmp, ["vhxh", "tc"], ids)


def _relay(w: World, src: str, dst: str) -> None:
    w.send(src, dst)
    w.deliver(*w.in_flight.pop())


@pytest.mark.parametrize("city_first", [True, False], ids=["city-id-first", "city-id-last"])
def test_a_decided_amendment_relayed_by_the_city_applies_on_a_third_laptop(
    tmp_path: Path, city_first: bool
) -> None:
    w = _amendment_world(tmp_path, city_first)
    try:
        vhxh, city, tc = w.sites["vhxh"], w.sites["city"], w.sites["tc"]
        task = _led_task(w, "vhxh", 5)
        assert task is not None
        proposal = amendments.propose(
            vhxh, unit="vhxh", action="drop", task=task, reason="Không còn phù hợp", by="Bình"
        )
        amendments.forward(vhxh, proposal.id, by="Bình")
        _relay(w, "vhxh", "city")
        amendments.decide(
            city, proposal.id, approve=True, number="45/QĐ-UBND", date="20/03/2026", by="Lãnh đạo"
        )
        # Phòng Tài chính hears of it only through the city, which relays vhxh's segments too
        _relay(w, "city", "tc")
        assert w.refused == []
        assert amendments.get_amendment(tc, proposal.id).status == "approved"
        assert tables(tc) == tables(city)
        # and every later bundle from the city still applies
        task_svc.update_task(city, task_svc.list_tasks(city)[0].id, note="Tiếp tục", by="TP")
        _relay(w, "city", "tc")
        assert w.refused == []
        assert tables(tc) == tables(city)
    finally:
        for ws in w.sites.values():
            ws.close()
