"""Every synchronised column has a domain (issue 20): a tampered laptop writes, raw into its own
file, a value outside one column's domain (+inf or 1e308 where money goes, a date in year 9999,
a bidi override in a name, text past its cap) and exports. The city and Phòng Văn hóa - Xã hội
refuse that row alone with the reason in words naming the column; their tables stay as they
were, `integrity_check` stays ok, and the laptop's next honest bundle applies (``attack``)."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.domain import value_domains as vd
from cchc.texts.errors import describe
from cchc.texts.sync import column_name, rejection_reason
from tests.integration.hostile_world import World, build_in, copied_world, led_by
from tests.integration.test_hostile_laptop import attack


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_in(tmp_path_factory.mktemp("domains"))


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[World]:
    yield from copied_world(template, tmp_path)


def _candidates(domain: vd.Domain) -> list[object]:
    """Values outside the domain, the most hostile first; the first one the table's own CHECK
    lets through is the one written."""
    if domain.kind == "money":
        return [float("inf"), 1e308, 10**13 + 1, 1.5, "mười triệu"]
    if domain.kind == "percent":
        return [50.5, float("inf"), 101, "năm mươi"]
    if domain.kind == "percent_real":
        return [float("inf"), 101, -1, "năm mươi"]
    if domain.kind in ("count", "size", "stt", "revision", "year"):
        return [1e308, float("inf"), 10**12, 2.5, "nhiều"]
    if domain.kind == "flag":
        return [2, float("inf")]
    if domain.kind == "date":
        return ["9999-12-31", "1899-01-01", "31/12/2026", 20261231]
    if domain.kind == "timestamp":
        return ["9999-12-31T23:59:59+07:00", "hôm qua"]
    if domain.kind == "blob":
        return ["không phải tệp", 12345]
    if domain.kind == "hex":
        return ["\u202e" + "ab" * 10, "G" * 128, "ab" * 65]
    return ["\u202egnp.exe", "Phòng\u200b Tài chính", "x" * (domain.cap + 1)]


#: Columns whose CHECK constraint alone keeps every out-of-domain value out of the file.
SCHEMA_GUARDED = {
    "tasks.status",
    "tasks.origin",
    "reports.scope",
    "reports.status",
    "report_sections.area",
    "report_figures.par_index",
    "report_figures.par_index_previous",
    "report_figures.service_satisfaction",
    "amendments.action",
    "amendments.status",
    "plan_files.body",  # the trigger that writes the plan's rows reads it: no JSON, no row
}
#: Tables whose trigger reads a column as it is written, so SQLite refuses a malformed value.
_TRIGGER_REFUSES: dict[str, tuple[type[Exception], ...]] = {
    "plan_files": (sqlite3.OperationalError,)
}

#: A published plan as a member might forge one, valid but for the column under attack.
PLAN_ROW: dict[str, object] = {
    "year": 2027,
    "number": "01/QĐ-UBND",
    "zone": "Xã Đông Hà",
    "source": "[plan]\nnumber = '01/QĐ-UBND'\n",
    "source_sha256": "ab" * 32,
    "body": "{}",
    "carried": "[]",
    "loaded_at": "2026-12-20T09:00:00+07:00",
    "loaded_by": "Kẻ giả mạo",
}

COLUMNS = [(t, c, d) for t, cols in vd.DOMAINS.items() for c, d in cols.items()]


def test_every_column_the_engine_tracks_has_a_stated_domain_and_a_hostile_case(
    template: Path,
) -> None:
    """The list above is the domains' own; this reads what the engine really tracks on a laptop
    of the hostile world (``_sync_tracked``: every table and column its triggers capture) and
    fails naming any column without a stated domain, so a migration that adds a synchronised
    column cannot leave it to the catch-all rule nor out of the attack above."""
    conn = sqlite3.connect(template / "tc.sqlite")
    try:
        tracked = conn.execute("SELECT tbl, pk, columns FROM _sync_tracked").fetchall()
    finally:
        conn.close()
    from cchc.services.sync_policy import TRACKED_TABLES

    assert sorted(t for t, _pk, _cols in tracked) == sorted(TRACKED_TABLES)
    columns = {(t, c) for t, pk, cols in tracked for c in json.loads(cols) if c != pk}
    attacked = {(t, c) for t, c, _d in COLUMNS}
    assert sorted(columns - attacked) == []
    assert sorted(attacked - columns) == []  # no stale domain names a column no longer there


def _target(world: World, conn: sqlite3.Connection, table: str) -> str | None:
    """A row of ``table`` on the tampered laptop: not one of its own tasks (its next honest
    change is on that one)."""
    own = led_by(world.tc, "tai_chinh")
    row = conn.execute(f"SELECT id FROM {table} WHERE id != ? ORDER BY id LIMIT 1", (own,))
    found = row.fetchone()
    return None if found is None else str(found[0])


@pytest.mark.parametrize(
    ("table", "column", "domain"), COLUMNS, ids=[f"{t}.{c}" for t, c, _ in COLUMNS]
)
def test_a_value_outside_its_columns_domain_is_refused_by_every_copy(
    world: World, table: str, column: str, domain: vd.Domain
) -> None:
    statement, params = None, None
    with world.tampering("tc") as conn:
        row_id = _target(world, conn, table) if table != "plan_files" else "plan-forged"
        if row_id is None:
            pytest.fail(f"the hostile world holds no {table} row to tamper with")
        for bad in _candidates(domain):
            assert vd.judge(table, column, bad) is not None, bad
            if table == "plan_files":  # the world holds none: the tamperer writes one whole
                row = dict(PLAN_ROW, **{column: bad})
                sql = (
                    f"INSERT INTO plan_files (id, {', '.join(row)}) VALUES (?, "
                    + ", ".join("?" for _ in row)
                    + ")"
                )
                args, target = (row_id, *row.values()), row_id
            elif table == "history":  # append-only: the tamperer adds a row instead
                new_id = uuid.uuid4().hex
                cols = [r[1] for r in conn.execute("PRAGMA table_info(history)") if r[1] != "id"]
                sql = (
                    f"INSERT INTO history (id, {', '.join(cols)}) SELECT ?, "
                    + ", ".join("?" if c == column else c for c in cols)
                    + " FROM history WHERE id = ?"
                )
                args: tuple = (new_id, bad, row_id)
                target = new_id
            else:
                sql, args, target = (
                    f"UPDATE {table} SET {column} = ? WHERE id = ?",
                    (bad, row_id),
                    row_id,
                )
            try:
                conn.execute("SAVEPOINT probe")
                conn.execute(sql, args)
                conn.execute("ROLLBACK TO probe")
                conn.execute("RELEASE probe")
            except (sqlite3.IntegrityError, *_TRIGGER_REFUSES.get(table, ())):
                conn.execute("ROLLBACK TO probe")
                conn.execute("RELEASE probe")
                continue
            statement, params = sql, args
            break
    if statement is None:
        # the table's own CHECK already refuses every out-of-domain value, on every copy
        assert f"{table}.{column}" in SCHEMA_GUARDED
        return
    refused = attack(world, [statement], [params])
    assert [(t, r) for t, r, _ in refused] == [(table, target)]
    if table == "plan_files":  # a member's published plan is refused whatever its values hold
        return
    assert f"mục “{column_name(column)}”" in rejection_reason("out_of_scope", refused[0][2])


@pytest.mark.parametrize(
    ("sql", "value", "column"),
    [
        ("UPDATE budgets SET estimate = ? WHERE task_id = ?", float("inf"), "estimate"),
        ("UPDATE budgets SET spent = ? WHERE task_id = ?", 1e308, "spent"),
        ("UPDATE tasks SET done_on = ? WHERE id = ?", "9999-12-31", "done_on"),
        ("UPDATE task_updates SET note = ? WHERE task_id = ?", "ghi chú \u202e", "note"),
    ],
)
def test_this_laptops_own_commit_guard_refuses_the_same_values(
    world: World, sql: str, value: object, column: str
) -> None:
    """One rule: what every other copy refuses, the laptop's own commit guard refuses before it
    is recorded, with the same reason, and nothing is written."""
    from cchc.services.exchange import ChangeRefused
    from cchc.store.uow import transaction

    ws = world.tc
    task = led_by(ws, "tai_chinh")
    before = ws.db.conn.execute(f"SELECT {column} FROM {sql.split()[1]}").fetchall()
    with pytest.raises(ChangeRefused) as caught, transaction(ws.db):
        ws.db.conn.execute(sql, (value, task))
    assert f"mục “{column_name(column)}”" in describe(caught.value)
    assert ws.db.conn.execute(f"SELECT {column} FROM {sql.split()[1]}").fetchall() == before
