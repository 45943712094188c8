"""The plan's roles and procedures (seed lines 179, 207–211, 229): each role's laptop is offered
exactly its steps, refuses the others before writing anything, and what it does write is
accepted by the sync policy on every other copy.

- budget: the lead unit estimates and sends → Phòng Tài chính appraises and submits → UBND đặc
  khu's leadership decides the allocation (or Phòng Tài chính records it, with the decision's
  number and date) → Phòng Tài chính checks the spending;
- amendments: a unit proposes → Phòng Văn hóa - Xã hội forwards → the leadership (or the city)
  decides, and an approval changes the task.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cchc.domain.errors import InvalidInput
from cchc.domain.roles import ROLES, Action, allows
from cchc.services import amendments as am
from cchc.services import budget as bs
from cchc.services import exchange
from cchc.services import tasks as ts
from cchc.services.permissions import laptop_authority
from cchc.services.sync_policy import plan_policy
from cchc.services.workspace import Workspace
from sync import Signer
from tests.integration.worlds import certify_laptop

NOW = dt.datetime.fromisoformat("2026-04-20T09:00:00+07:00")


def open_ws(path: Path) -> Workspace:
    return Workspace.open(path, clock=lambda: NOW)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    found = open_ws(tmp_path / "one.sqlite")
    yield found
    found.close()


def task_led_by(ws: Workspace, code: str) -> str:
    return str(
        ws.db.conn.execute(
            "SELECT t.id FROM tasks t JOIN units u ON u.id = t.lead_unit_id WHERE u.code = ? "
            "ORDER BY t.stt LIMIT 1",
            (code,),
        ).fetchone()[0]
    )


def dump(ws: Workspace) -> list[Any]:
    return [
        ws.db.conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
        for t in ("tasks", "budgets", "amendments", "history")
    ]


# ---------------------------------------------------------------------- one rule, by role


def test_every_role_is_offered_exactly_its_procedures() -> None:
    table = {role: {a for a in Action if allows(role, a, in_scope=False)} for role in ROLES}
    assert table["city"] == set(Action)
    assert table["leadership"] == {
        Action.TASK_ADD,
        Action.BUDGET_ALLOCATE,
        Action.AMENDMENT_DECIDE,
    }
    assert table["finance"] == {
        Action.BUDGET_APPRAISE,
        Action.BUDGET_ALLOCATE,
        Action.BUDGET_CHECK,
    }
    assert table["consolidator"] == {Action.AMENDMENT_FORWARD, Action.REPORT_CONSOLIDATE}
    assert table["unit"] == set()
    for role in ROLES:  # every role acts as a unit for the units in its scope
        assert allows(role, Action.BUDGET_ESTIMATE, in_scope=True)
        assert allows(role, Action.AMENDMENT_PROPOSE, in_scope=True)


def test_without_a_certificate_the_unit_setting_implies_the_role(ws: Workspace) -> None:
    assert laptop_authority(ws).source == "unset"
    for code, role in (
        ("tai_chinh", "finance"),
        ("vp_ubnd", "leadership"),
        ("vhxh", "consolidator"),
        ("tthcc", "unit"),
        ("so_noi_vu", "city"),
    ):
        ws.set_setting("unit_code", code)
        found = laptop_authority(ws)
        assert (found.role, found.source) == (role, "unit_setting")


def test_the_budget_procedure_step_by_step_on_laptops_set_to_their_units(
    ws: Workspace,
) -> None:
    task = task_led_by(ws, "tthcc")
    ws.set_setting("unit_code", "tthcc")
    bs.set_budget(ws, task, estimate="20.000.000", sent_on="20/02/2026", by="Cường")
    for step in (
        lambda: bs.appraise(ws, task, amount="18000000", on="01/03/2026", by="Cường"),
        lambda: bs.allocate(
            ws, task, amount="1", decision_number="52/QĐ-UBND", decision_date="25/03/2026"
        ),
        lambda: bs.set_budget(ws, task, approved="999000000", by="Cường"),
        lambda: bs.check_spending(ws, task, on="01/04/2026", note="x", by="Cường"),
    ):
        before = dump(ws)
        with pytest.raises(InvalidInput):
            step()
        assert dump(ws) == before

    ws.set_setting("unit_code", "tai_chinh")
    line = bs.appraise(
        ws,
        task,
        amount="18.000.000",
        on="01/03/2026",
        note="Giảm chi hội nghị",
        submitted_on="05/03/2026",
        by="Minh",
    )
    assert (line.appraised, line.appraised_on, line.submitted_on) == (
        18_000_000,
        "2026-03-01",
        "2026-03-05",
    )
    with pytest.raises(InvalidInput) as refused:
        bs.set_budget(ws, task, approved="18000000", by="Minh")
    assert refused.value.key == "budget_use_allocate"
    with pytest.raises(InvalidInput) as refused:
        bs.allocate(ws, task, amount="18000000", decision_number="52", decision_date="25/03/2026")
    assert refused.value.key == "decision_number"

    ws.set_setting("unit_code", "vp_ubnd")  # UBND đặc khu's office: its leadership decides
    with pytest.raises(InvalidInput):
        bs.appraise(ws, task, amount="1", on="01/03/2026", by="Lan")
    line = bs.allocate(
        ws,
        task,
        amount="17.500.000",
        decision_number="52/QĐ-UBND",
        decision_date="25/03/2026",
        by="Lan",
    )
    assert (line.approved, line.decision_number, line.decision_date, line.allocated_by) == (
        17_500_000,
        "52/QĐ-UBND",
        "2026-03-25",
        "Lan",
    )
    ws.set_setting("unit_code", "tai_chinh")
    line = bs.check_spending(ws, task, on="15/04/2026", note="Chi đúng dự toán", by="Minh")
    assert line.spending_check_note == "Chi đúng dự toán"


def test_only_the_leadership_or_the_city_decides_an_amendment(ws: Workspace) -> None:
    ws.set_setting("unit_code", "vhxh")
    prop = am.propose(ws, unit="vhxh", action="drop", task="5", reason="Đã lồng ghép", by="Hà")
    with pytest.raises(InvalidInput) as refused:
        am.propose(ws, unit="tthcc", action="drop", task="11", reason="x", by="Hà")
    assert refused.value.key == "not_permitted"
    am.forward(ws, prop.id, by="Hà")
    before = dump(ws)
    with pytest.raises(InvalidInput) as refused:  # the consolidator forwards, never decides
        am.decide(ws, prop.id, approve=True, number="45/QĐ-UBND", date="20/04/2026", by="Hà")
    assert refused.value.key == "not_permitted"
    assert dump(ws) == before
    ws.set_setting("unit_code", "vp_ubnd")
    done = am.decide(ws, prop.id, approve=True, number="45/QĐ-UBND", date="20/04/2026", by="Lan")
    assert (done.status, done.decision_number) == ("approved", "45/QĐ-UBND")


# ---------------------------------------------------------------------- the policy, by role


class View:
    """A policy view on a real database: the stored row, with this segment's rows over it."""

    def __init__(self, ws: Workspace, overlay: dict[tuple[str, str], dict[str, Any]]) -> None:
        self.conn = ws.db.conn
        self.overlay = overlay
        self.cache: dict[Any, Any] = {}

    def before(self, table: str, row_id: str) -> dict[str, Any] | None:
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        found = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], found, strict=True)) if found else None

    def row(self, table: str, row_id: str) -> dict[str, Any] | None:
        extra = self.overlay.get((table, row_id))
        if extra is None:
            return self.before(table, row_id)
        return {**(self.before(table, row_id) or {"id": row_id}), **extra}

    def last(self, table: str, row_id: str) -> dict[str, Any] | None:
        extra = {k: v for k, v in self.overlay.get((table, row_id), {}).items() if k != "~"}
        found = self.before(table, row_id)
        return {**(found or {"id": row_id}), **extra} if (found or extra) else None

    def query(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        return list(self.conn.execute(sql, tuple(params)).fetchall())

    def incoming(self, table: str) -> list[str]:
        return [r for t, r in self.overlay if t == table]


def judge(ws: Workspace, role: str, scope: tuple[str, ...], rows: dict) -> dict[tuple, Any]:
    """The policy's answer for each row of one segment from a signer of ``role``."""
    signer = Signer(site="s", key=b"k", role=role, scope=scope)
    view = View(ws, rows)
    return {k: plan_policy(signer, k[0], k[1], v, view) for k, v in rows.items()}


def test_the_policy_takes_each_budget_step_from_its_role_only(ws: Workspace) -> None:
    task = task_led_by(ws, "tthcc")
    bs.set_budget(ws, task, estimate="20000000", by="Cường")
    budget = str(ws.db.conn.execute("SELECT id FROM budgets").fetchone()[0])
    key = ("budgets", budget)
    appraisal = {"appraised": 18_000_000, "appraised_on": "2026-03-01", "appraised_by": "Minh"}
    allocation = {"approved": 17_500_000, "approved_on": "2026-03-25"}
    decision = {"decision_number": "52/QĐ-UBND", "decision_date": "2026-03-25"}
    assert judge(ws, "finance", ("tai_chinh",), {key: appraisal})[key] is None
    assert judge(ws, "unit", ("tthcc",), {key: appraisal})[key] is not None
    assert judge(ws, "leadership", ("vp_ubnd",), {key: appraisal})[key] is not None
    assert judge(ws, "finance", ("tai_chinh",), {key: allocation})[key] is not None
    assert judge(ws, "finance", ("tai_chinh",), {key: {**allocation, **decision}})[key] is None
    assert judge(ws, "leadership", ("vp_ubnd",), {key: {**allocation, **decision}})[key] is None
    assert judge(ws, "unit", ("tthcc",), {key: {**allocation, **decision}})[key] is not None
    assert judge(ws, "consolidator", ("vhxh",), {key: {**allocation, **decision}})[key]
    assert judge(ws, "unit", ("tthcc",), {key: {"spent": 5_000_000}})[key] is None
    assert judge(ws, "finance", ("tai_chinh",), {key: {"spent": 5_000_000}})[key] is not None


def test_the_policy_lets_the_leadership_change_a_task_only_as_a_decision_says(
    ws: Workspace,
) -> None:
    prop = am.propose(
        ws, unit="vhxh", action="change", task="5", timeframe="Quý IV/2026", reason="x", by="Hà"
    )
    am.forward(ws, prop.id, by="Hà")
    task = str(prop.task_id)
    decided = {
        "status": "approved",
        "decision_number": "45/QĐ-UBND",
        "decision_date": "2026-04-15",
        "decided_by": "Lan",
        "decided_at": "2026-04-15T02:00:00+00:00",
    }
    new_time = {"timeframe": "Quý IV/2026", "due": "2026-12-31", "deadline_kind": "quarter"}
    segment = {("amendments", prop.id): decided, ("tasks", task): new_time}
    assert set(judge(ws, "leadership", ("vp_ubnd",), segment).values()) == {None}
    assert judge(ws, "consolidator", ("vhxh",), segment)[("amendments", prop.id)] is not None
    alone = {("tasks", task): new_time}  # no decision in the segment: refused
    assert judge(ws, "leadership", ("vp_ubnd",), alone)[("tasks", task)] is not None
    other = {("amendments", prop.id): decided, ("tasks", task): {"content": "Khác"}}
    assert judge(ws, "leadership", ("vp_ubnd",), other)[("tasks", task)] is not None
    assert (
        judge(ws, "unit", ("vhxh",), {("tasks", task): {"progress": 10}})[("tasks", task)] is None
    )


# ---------------------------------------------------------------------- across laptops


@pytest.fixture
def zone(tmp_path: Path) -> Iterator[dict[str, Workspace]]:
    city = open_ws(tmp_path / "city.sqlite")
    fp = exchange.init_root(city)["root_fingerprint"]
    sites = {"city": city}
    try:
        for name, unit, role in (
            ("tthcc", "tthcc", "unit"),
            ("tc", "tai_chinh", "finance"),
            ("vp", "vp_ubnd", "leadership"),
            ("vhxh", "vhxh", "consolidator"),
        ):
            laptop = open_ws(tmp_path / f"{name}.sqlite")
            sites[name] = laptop
            certify_laptop(city, laptop, unit, role, tmp_path / f"{name}.trust", fp)
        yield sites
    finally:
        for laptop in sites.values():
            laptop.close()


def relay(sites: dict[str, Workspace], origin: str) -> None:
    """``origin`` → city → every other laptop; nothing an honest role wrote is refused."""
    order = [origin, "city"] if origin != "city" else ["city"]
    for src in order:
        for name, dst in sites.items():
            if name != src:
                result = exchange.import_bytes(dst, exchange.export_bundle(sites[src]))
                assert result.rejected == 0, [r.reason for r in result.rejections]


def test_the_plans_procedures_sync_between_the_roles_laptops(
    zone: dict[str, Workspace],
) -> None:
    relay(zone, "city")
    task = task_led_by(zone["city"], "tthcc")
    bs.set_budget(zone["tthcc"], task, estimate="20000000", sent_on="20/02/2026", by="Cường")
    relay(zone, "tthcc")
    bs.appraise(zone["tc"], task, amount="18000000", on="01/03/2026", submitted_on="05/03/2026")
    relay(zone, "tc")
    bs.allocate(
        zone["vp"], task, amount="17500000", decision_number="52/QĐ-UBND",
        decision_date="25/03/2026", by="Lan",
    )  # fmt: skip
    relay(zone, "vp")
    bs.check_spending(zone["tc"], task, on="15/04/2026", note="Chi đúng", by="Minh")
    relay(zone, "tc")
    prop = am.propose(
        zone["vhxh"], unit="vhxh", action="change", task="5", timeframe="Quý IV/2026",
        reason="Chờ tài liệu", by="Hà",
    )  # fmt: skip
    am.forward(zone["vhxh"], prop.id, by="Hà")
    relay(zone, "vhxh")
    am.decide(zone["vp"], prop.id, approve=True, number="45/QĐ-UBND", date="20/04/2026", by="Lan")
    relay(zone, "vp")
    for laptop in zone.values():
        (line,) = [x for x in bs.show_budget(laptop).lines if x.task_id == task]
        assert (line.appraised, line.approved, line.spending_check_note) == (
            18_000_000,
            17_500_000,
            "Chi đúng",
        )
        assert am.get_amendment(laptop, prop.id).status == "approved"
        assert ts.get_task(laptop, "5").timeframe == "Quý IV/2026"
