"""The SQL of tasks, their updates, documents and history: each statement written once here."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from cchc.domain.value_domains import readable_row

_TASK_SELECT = (
    "SELECT t.*, a.title AS area_title, u.name AS lead_name, u.code AS lead_code,"
    " c.stt AS carried_from_stt, c.plan_year AS carried_from_year"
    " FROM tasks t LEFT JOIN areas a ON a.code = t.area AND a.plan_year IS t.plan_year"
    " JOIN units u ON u.id = t.lead_unit_id LEFT JOIN tasks c ON c.id = t.carried_from"
)
#: A task and the tasks of earlier years it carries over (their history and evidence are its).
_CHAIN = (
    "(WITH RECURSIVE chain(id) AS (SELECT ? UNION SELECT t.carried_from FROM tasks t"
    " JOIN chain ON t.id = chain.id WHERE t.carried_from IS NOT NULL) SELECT id FROM chain)"
)
#: A task's year: its plan's, or for a row rebuilt without one, the first plan's.
_TASK_YEAR = "coalesce(t.plan_year, (SELECT min(year) FROM plan))"


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [readable_row(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]


def all_tasks(conn: sqlite3.Connection, year: int | None = None) -> list[dict[str, Any]]:
    """Every task (of the plan of `year` when given), plan rows first in their order, then
    added tasks by creation."""
    order = " ORDER BY t.stt IS NULL, t.stt, t.created_at, t.id"
    if year is None:
        return _dicts(conn.execute(_TASK_SELECT + order))
    return _dicts(conn.execute(_TASK_SELECT + f" WHERE {_TASK_YEAR} = ?" + order, (year,)))


def task_by_id(conn: sqlite3.Connection, task_id: str) -> dict[str, Any] | None:
    rows = _dicts(conn.execute(_TASK_SELECT + " WHERE t.id = ?", (task_id,)))
    return rows[0] if rows else None


def task_by_stt(
    conn: sqlite3.Connection, stt: int, year: int | None = None
) -> dict[str, Any] | None:
    """Row `stt` of the plan of `year` (of the latest plan when not given)."""
    if year is None:
        found = conn.execute("SELECT max(year) FROM plan").fetchone()
        year = None if found is None else found[0]
    rows = _dicts(
        conn.execute(_TASK_SELECT + f" WHERE t.stt = ? AND {_TASK_YEAR} IS ?", (stt, year))
    )
    return rows[0] if rows else None


def task_ids_with_prefix(conn: sqlite3.Connection, prefix: str) -> list[str]:
    cursor = conn.execute("SELECT id FROM tasks WHERE id LIKE ? || '%'", (prefix,))
    return [str(r[0]) for r in cursor.fetchall()]


def all_units(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return _dicts(conn.execute("SELECT * FROM units ORDER BY rowid"))


def unit_name(conn: sqlite3.Connection, code: str) -> str | None:
    row = conn.execute("SELECT name FROM units WHERE code = ?", (code,)).fetchone()
    return None if row is None else str(row[0])


def all_areas(conn: sqlite3.Connection, year: int | None = None) -> list[dict[str, Any]]:
    """The areas of the plan of `year` (of the latest plan when not given)."""
    return _dicts(
        conn.execute(
            "SELECT * FROM areas WHERE plan_year IS coalesce(?, (SELECT max(year) FROM plan))"
            " ORDER BY position",
            (year,),
        )
    )


def update_task_columns(conn: sqlite3.Connection, task_id: str, values: Mapping[str, Any]) -> None:
    """Set the given columns; the names come from the service, never from user input."""
    columns = ", ".join(f"{name} = ?" for name in values)
    conn.execute(f"UPDATE tasks SET {columns} WHERE id = ?", (*values.values(), task_id))


def insert_row(conn: sqlite3.Connection, table: str, row: Mapping[str, Any]) -> None:
    """Insert one row into one of this module's tables."""
    if table not in {"tasks", "task_updates", "documents", "history"}:
        raise ValueError(f"not a task table: {table}")
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values()))


def insert_history(conn: sqlite3.Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    for row in rows:
        insert_row(conn, "history", row)


def updates_of(conn: sqlite3.Connection, task_id: str) -> list[dict[str, Any]]:
    return _dicts(
        conn.execute(
            "SELECT tu.*, u.name AS unit_name FROM task_updates tu"
            " LEFT JOIN units u ON u.id = tu.unit_id WHERE tu.task_id IN "
            + _CHAIN
            + " ORDER BY tu.created_at, tu.id",
            (task_id,),
        )
    )


def documents_of(conn: sqlite3.Connection, task_id: str) -> list[dict[str, Any]]:
    return _dicts(
        conn.execute(
            "SELECT * FROM documents WHERE task_id IN " + _CHAIN + " ORDER BY date, created_at, id",
            (task_id,),
        )
    )


def history_of(conn: sqlite3.Connection, task_id: str) -> list[dict[str, Any]]:
    return _dicts(
        conn.execute(
            "SELECT * FROM history WHERE task_id IN " + _CHAIN + " ORDER BY at, rowid", (task_id,)
        )
    )
