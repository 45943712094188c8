"""One statement of who may write what (``domain.roles.GRANTS``): what a laptop is offered is
exactly what every other copy's policy accepts from it.

The screens and the CLI offer a procedure when ``permissions.Authority.may`` (and, for a row with
a status, ``domain.roles.takes_step``) say so; the sync policy, which the commit guard applies to
this laptop's own changes, judges the rows that procedure writes. Hypothesis draws a role, how
the signer's scope stands to the row (it leads the task, partners on it, or neither), the
procedure and the row's status, and the two answers must be the same: nothing is offered that
would bounce, and nothing the policy would take is withheld.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.domain.roles import GRANTS, ROLES, Action, takes_step
from cchc.services import amendments as am
from cchc.services import budget as bs
from cchc.services import reports as rs
from cchc.services import tasks as ts
from cchc.services.permissions import Authority
from cchc.services.sync_policy import plan_policy
from cchc.services.workspace import Workspace
from sync import Signer
from tests.integration.test_plan_roles import View

NOW = dt.datetime.fromisoformat("2026-04-20T09:00:00+07:00")
RELATIONS = ("lead", "partner", "other")
DECIDED = {
    "status": "approved",
    "decision_number": "45/QĐ-UBND",
    "decision_date": "2026-04-20",
    "decided_by": "Lan",
    "decided_at": "2026-04-20T02:00:00+00:00",
}


def _open(path: Path) -> Workspace:
    return Workspace.open(path, clock=lambda: NOW)


def _ids(ws: Workspace, table: str) -> set[str]:
    return {str(r[0]) for r in ws.db.conn.execute(f"SELECT id FROM {table}")}


def _row(ws: Workspace, table: str, row_id: str) -> dict[str, Any]:
    cur = ws.db.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
    found = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], found, strict=True))


@dataclass
class World:
    """A real database with a task T (lead L, partner P; unit O takes no part), its budget,
    amendments in each status, and the rows each procedure that makes a row would make."""

    ws: Workspace
    units: dict[str, str]  # relation -> unit code
    unit_ids: dict[str, str]  # unit code -> id
    task: str
    budget: str
    amendment: dict[str, str]  # status -> id
    made: dict[Action, tuple[str, str, dict[str, Any]]]  # action -> (table, id, new row)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("one-statement")
    ws = _open(tmp / "base.sqlite")
    conn = ws.db.conn
    unit_ids = {str(r[1]): str(r[0]) for r in conn.execute("SELECT id, code FROM units")}
    code_of = {v: k for k, v in unit_ids.items()}
    task_row = conn.execute(
        "SELECT t.id, t.stt, t.lead_unit_id, t.partner_unit_ids FROM tasks t "
        "JOIN units u ON u.id = t.lead_unit_id "
        "WHERE t.partner_unit_ids LIKE '[\"%' AND u.role = 'unit' ORDER BY t.stt LIMIT 1"
    ).fetchone()
    task, lead = str(task_row[0]), code_of[str(task_row[2])]
    partner_codes = [code_of[i] for i in json.loads(task_row[3]) if i in code_of]
    partner = next(c for c in partner_codes if c != lead)
    other = next(
        str(r[0])
        for r in conn.execute("SELECT code FROM units WHERE role = 'unit' ORDER BY code")
        if str(r[0]) not in {lead, *partner_codes}
    )
    bs.set_budget(ws, task, estimate="20000000", by="Cường")
    budget = str(conn.execute("SELECT id FROM budgets").fetchone()[0])
    other_task = conn.execute(
        "SELECT stt FROM tasks WHERE id <> ? AND stt IS NOT NULL ORDER BY stt LIMIT 1", (task,)
    ).fetchone()[0]
    amendment: dict[str, str] = {}
    for status in ("proposed", "forwarded", "approved"):
        prop = am.propose(
            ws,
            unit=lead,
            action="change",
            task=str(other_task),
            product="Báo cáo kết quả",
            reason="Điều chỉnh sản phẩm",
            by="Hà",
        )
        if status != "proposed":
            am.forward(ws, prop.id, by="Hà")
        if status == "approved":
            am.decide(ws, prop.id, approve=True, number="45/QĐ-UBND", date="20/04/2026", by="Lan")
        amendment[status] = prop.id
    ws.close()

    # the rows a procedure makes, made by the services on a copy (same plan, same ids)
    shutil.copy(tmp / "base.sqlite", tmp / "scratch.sqlite")
    scratch = _open(tmp / "scratch.sqlite")
    makers: dict[Action, tuple[str, Callable[[], object]]] = {
        Action.TASK_NOTES: (
            "task_updates",
            lambda: ts.update_task(scratch, task, note="Đã họp triển khai", by="Lan"),
        ),
        Action.TASK_ADD: (
            "tasks",
            lambda: ts.add_task(
                scratch,
                content="Rà soát thủ tục hành chính mới",
                lead=lead,
                partners=[],
                due="30/06/2026",
                timeframe=None,
                source_number="12/KH-UBND",
                source_date="05/01/2026",
                source_issuer="UBND đặc khu Bạch Long Vĩ",
                origin="zone",
                by="Lan",
            ),
        ),
        Action.AMENDMENT_PROPOSE: (
            "amendments",
            lambda: am.propose(
                scratch,
                unit=lead,
                action="change",
                task=str(task_row[1]),
                product="Kế hoạch",
                reason="Đổi sản phẩm",
                by="Hà",
            ),
        ),
        Action.REPORT_WRITE: (
            "reports",
            lambda: rs.new_report(scratch, unit=lead, period="2026-Q1", by="Lan"),
        ),
        Action.REPORT_CONSOLIDATE: (
            "reports",
            lambda: rs.consolidate(scratch, period="2026-Q1", by="Hà"),
        ),
    }
    made: dict[Action, tuple[str, str, dict[str, Any]]] = {}
    for action, (table, make) in makers.items():
        before = _ids(scratch, table)
        make()
        (new,) = _ids(scratch, table) - before
        row = {k: v for k, v in _row(scratch, table, new).items() if k != "id"}
        made[action] = (table, new, {**row, "~": 0})
    scratch.close()

    ws = _open(tmp / "base.sqlite")
    yield World(
        ws,
        {"lead": lead, "partner": partner, "other": other},
        unit_ids,
        task,
        budget,
        amendment,
        made,
    )
    ws.close()


def _write(w: World, action: Action, relation: str, status: str) -> tuple[str, str, dict]:
    """The row the procedure writes, from a signer whose one unit stands as ``relation``."""
    if action in w.made:
        table, row_id, values = w.made[action]
        if table == "task_updates":  # a note is recorded for the unit that writes it
            values = {**values, "unit_id": w.unit_ids[w.units[relation]]}
        return table, row_id, values
    at = f"{NOW.date().isoformat()}T02:00:00+00:00"
    writes: dict[Action, tuple[str, str, dict[str, Any]]] = {
        Action.TASK_PROGRESS: ("tasks", w.task, {"progress": 40, "updated_at": at}),
        Action.TASK_PLAN: ("tasks", w.task, {"product": "Kế hoạch mới"}),
        Action.BUDGET_ESTIMATE: ("budgets", w.budget, {"spent": 5_000_000}),
        Action.BUDGET_APPRAISE: (
            "budgets",
            w.budget,
            {"appraised": 18_000_000, "appraised_on": "2026-03-01", "appraised_by": "Minh"},
        ),
        Action.BUDGET_ALLOCATE: (
            "budgets",
            w.budget,
            {
                "approved": 17_500_000,
                "approved_on": "2026-03-25",
                "decision_number": "52/QĐ-UBND",
                "decision_date": "2026-03-25",
            },
        ),
        Action.BUDGET_CHECK: (
            "budgets",
            w.budget,
            {"spending_checked_on": "2026-04-01", "spending_check_note": "Chi đúng dự toán"},
        ),
        Action.AMENDMENT_FORWARD: (
            "amendments",
            w.amendment[status],
            {"status": "forwarded", "forwarded_by": "Hà", "forwarded_at": at},
        ),
        Action.AMENDMENT_DECIDE: ("amendments", w.amendment[status], DECIDED),
    }
    return writes[action]


def _units_concerned(w: World, action: Action) -> tuple[str, ...]:
    """The row's units the statement names for ``action``: the task's lead, its lead and
    partners, or the row's own unit (the lead's, in this world)."""
    unit = GRANTS[action].unit
    if unit == "involved":
        return (w.units["lead"], w.units["partner"])
    return (w.units["lead"],) if unit else ()


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(
    role=st.sampled_from(ROLES),
    relation=st.sampled_from(RELATIONS),
    action=st.sampled_from(list(Action)),
    status=st.sampled_from(("proposed", "forwarded", "approved")),
)
def test_what_a_laptop_is_offered_is_exactly_what_the_policy_accepts(
    world: World, role: str, relation: str, action: Action, status: str
) -> None:
    scope = (world.units[relation],)
    authority = Authority(role=role, scope=scope, source="certificate")
    state = status if action in (Action.AMENDMENT_FORWARD, Action.AMENDMENT_DECIDE) else None
    offered = authority.may(action, *_units_concerned(world, action))
    if state is not None and role != "city":  # the city may do anything, in any status
        offered = offered and takes_step(action, state)
    table, row_id, values = _write(world, action, relation, status)
    signer = Signer(site="s", key=b"k", role=role, scope=scope)
    view = View(world.ws, {(table, row_id): values})
    refused = plan_policy(signer, table, row_id, values, view)
    assert offered == (refused is None), (role, relation, action, state, refused)


def test_the_world_offers_each_procedure_to_someone_and_withholds_it_from_someone(
    world: World,
) -> None:
    """The property above is not met by a policy that takes nothing or everything: each
    procedure is both accepted and refused for some role and relation."""
    for action in Action:
        verdicts = set()
        for role in ROLES:
            for relation in RELATIONS:
                scope = (world.units[relation],)
                table, row_id, values = _write(world, action, relation, "forwarded")
                signer = Signer(site="s", key=b"k", role=role, scope=scope)
                view = View(world.ws, {(table, row_id): values})
                verdicts.add(plan_policy(signer, table, row_id, values, view) is None)
        assert verdicts == {True, False}, action
