"""One rule, enforced once: a change a laptop writes is accepted by its own commit guard if and
only if every other copy accepts it on import. Random writes by random roles: what the laptop
commits, the city and another laptop accept; what it refuses, written straight into its file
instead (as a tampered laptop would), the others refuse."""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cchc.services import exchange
from cchc.services.workspace import Workspace
from cchc.store.uow import transaction
from tests.integration.worlds import World, open_world, tables

TABLES = ("tasks", "task_updates", "documents", "history", "budgets", "reports", "amendments")
ROLES_OF = {"vhxh": "consolidator", "tc": "finance", "tthcc": "unit"}


def _columns(ws: Workspace, table: str) -> list[tuple[str, str, bool]]:
    """(name, declared type, NOT NULL) of a table's columns other than the key."""
    return [
        (r[1], str(r[2]).upper(), bool(r[3]))
        for r in ws.db.conn.execute(f"PRAGMA table_info({table})")
        if not r[5]
    ]


def _value(ws: Workspace, name: str, kind: str, pick: int) -> Any:
    conn = ws.db.conn
    if name.endswith("unit_id") or name == "unit_id":
        units = [r[0] for r in conn.execute("SELECT id FROM units ORDER BY code")]
        return units[pick % len(units)]
    if name == "partner_unit_ids":
        units = [r[0] for r in conn.execute("SELECT id FROM units ORDER BY code")]
        return json.dumps(units[pick % len(units) : pick % len(units) + 1])
    if name in ("task_id",):
        tasks = [r[0] for r in conn.execute("SELECT id FROM tasks ORDER BY id")]
        return tasks[pick % len(tasks)]
    if name == "report_id":
        reports = [r[0] for r in conn.execute("SELECT id FROM reports ORDER BY id")]
        return reports[pick % len(reports)] if reports else None
    choices: dict[str, list[Any]] = {
        "status": [
            "not_started",
            "in_progress",
            "done",
            "draft",
            "submitted",
            "proposed",
            "forwarded",
            "approved",
            "rejected",
        ],  # fmt: skip
        "scope": ["unit", "zone"],
        "action": ["add", "change", "drop"],
        "origin": ["plan", "city", "zone"],
        "sha256": ["a" * 64, "/etc/hostname"],
    }
    if name in choices:
        return choices[name][pick % len(choices[name])]
    if "INT" in kind or "REAL" in kind:
        return [0, 5, 50, 100, 999_000_000][pick % 5]
    if name.endswith(("_on", "_date", "date", "due")):
        return ["2026-03-01", "2026-06-30"][pick % 2]
    return f"giá trị {pick}"


write = st.tuples(
    st.sampled_from(sorted(ROLES_OF)),
    st.sampled_from(TABLES),
    st.sampled_from(["insert", "update", "delete"]),
    st.integers(0, 999),
    st.integers(0, 999),
)


def _do(ws: Workspace, table: str, op: str, pick: int, pick2: int) -> str | None:
    """One write through the app's transaction (guarded); the row id written, or None."""
    conn = ws.db.conn
    ids = [r[0] for r in conn.execute(f"SELECT id FROM {table} ORDER BY id")]
    cols = _columns(ws, table)
    if op == "insert":
        row_id = uuid.UUID(int=pick * 1000 + pick2).hex
        values = {n: _value(ws, n, k, pick + i) for i, (n, k, _nn) in enumerate(cols)}
        names = ", ".join(["id", *values])
        marks = ", ".join("?" * (len(values) + 1))
        sql, params = f"INSERT INTO {table} ({names}) VALUES ({marks})", [row_id, *values.values()]
    elif not ids:
        return None
    elif op == "update":
        row_id = ids[pick % len(ids)]
        name, kind, _nn = cols[pick2 % len(cols)]
        sql = f"UPDATE {table} SET {name} = ? WHERE id = ?"
        params = [_value(ws, name, kind, pick2), row_id]
    else:
        row_id = ids[pick % len(ids)]
        sql, params = f"DELETE FROM {table} WHERE id = ?", [row_id]
    with transaction(ws.db):
        conn.execute(sql, params)
    return str(row_id)


def _raw(ws: Workspace, table: str, op: str, pick: int, pick2: int) -> str | None:
    """The same write straight into the file, past the app's guard."""
    guard = getattr(ws.db, "_cchc_commit_guard", None)
    ws.db._cchc_commit_guard = None  # type: ignore[attr-defined]
    try:
        return _do(ws, table, op, pick, pick2)
    finally:
        ws.db._cchc_commit_guard = guard  # type: ignore[attr-defined]


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("CCHC_PROPERTY_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    writes=st.lists(write, min_size=1, max_size=6),
    ids=st.lists(
        st.text("0123456789abcdef", min_size=32, max_size=32), min_size=4, max_size=4, unique=True
    ),
)
def test_a_change_is_accepted_here_if_and_only_if_every_other_copy_accepts_it(
    tmp_path_factory, writes: list[tuple], ids: list[str]
) -> None:
    tmp = tmp_path_factory.mktemp("rule")
    w: World = open_world(tmp, ["vhxh", "tc", "tthcc"], ids)
    try:
        city_id = w.site_id("city")
        for name in ("vhxh", "tc", "tthcc"):  # every copy starts level
            w.deliver(exchange.export_bundle(w.sites["city"], w.site_id(name)), name)
        for laptop, table, op, pick, pick2 in writes:
            ws = w.sites[laptop]
            try:
                row_id = _do(ws, table, op, pick, pick2)
            except exchange.ChangeRefused:
                event(f"{ROLES_OF[laptop]} {op} {table}: refused here")
                try:
                    row_id = _raw(ws, table, op, pick, pick2)
                except sqlite3.IntegrityError:
                    return
                data = exchange.export_bundle(ws, city_id)
                for other in ("city", *(n for n in ROLES_OF if n != laptop)):
                    result = exchange.import_bytes(w.sites[other], data)
                    assert (table, row_id) in {(r.table, r.row_id) for r in result.rejections}, (
                        f"{laptop} refused its own {op} of {table} {row_id}, {other} accepted it"
                    )
                return  # the laptop now holds what nobody accepts: this world ends here
            except sqlite3.IntegrityError:
                event(f"{op} {table}: the table's own rules refused it")
                continue
            if row_id is None:
                continue
            event(f"{ROLES_OF[laptop]} {op} {table}: accepted here")
            data = exchange.export_bundle(ws, city_id)
            for other in ("city", *(n for n in ROLES_OF if n != laptop)):
                result = exchange.import_bytes(w.sites[other], data)
                assert result.rejections == [], (
                    f"{laptop} committed {op} of {table} {row_id}; {other} refused: "
                    f"{[r.reason for r in result.rejections]}"
                )
        city = tables(w.sites["city"])
        for name in ROLES_OF:
            w.deliver(exchange.export_bundle(w.sites["city"], w.site_id(name)), name)
            assert tables(w.sites[name]) == city
    finally:
        for ws in w.sites.values():
            ws.close()
