"""The SQL of reports, budgets and amendments: each statement written once here."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from cchc.domain.value_domains import MAX_STT, judge, readable_row

TABLES = frozenset(
    {"reports", "report_sections", "report_tasks", "report_figures", "budgets", "amendments"}
)


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [readable_row(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]


def _table(name: str) -> str:
    if name not in TABLES:
        raise ValueError(f"not a reports table: {name}")
    return name


def insert(conn: sqlite3.Connection, table: str, row: Mapping[str, Any]) -> None:
    """Insert one row; column names come from the services, never from user input."""
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO {_table(table)} ({names}) VALUES ({marks})", tuple(row.values()))


def update(conn: sqlite3.Connection, table: str, row_id: str, values: Mapping[str, Any]) -> None:
    """Set the given columns of one row."""
    columns = ", ".join(f"{name} = ?" for name in values)
    conn.execute(f"UPDATE {_table(table)} SET {columns} WHERE id = ?", (*values.values(), row_id))


def report(conn: sqlite3.Connection, report_id: str) -> dict[str, Any] | None:
    rows = _dicts(
        conn.execute(
            "SELECT r.*, u.code AS unit_code, u.name AS unit_name FROM reports r"
            " LEFT JOIN units u ON u.id = r.unit_id WHERE r.id = ?",
            (report_id,),
        )
    )
    return rows[0] if rows else None


def report_ids_with_prefix(conn: sqlite3.Connection, prefix: str) -> list[str]:
    return [r[0] for r in conn.execute("SELECT id FROM reports WHERE id LIKE ? || '%'", (prefix,))]


def reports(
    conn: sqlite3.Connection,
    *,
    period: str | None = None,
    scope: str | None = None,
    unit_id: str | None = None,
) -> list[dict[str, Any]]:
    """Reports filtered as asked, by period, unit and revision."""
    sql = (
        "SELECT r.*, u.code AS unit_code, u.name AS unit_name FROM reports r"
        " LEFT JOIN units u ON u.id = r.unit_id WHERE 1 = 1"
    )
    args: list[Any] = []
    if period is not None:
        sql += " AND r.period = ?"
        args.append(period)
    if scope is not None:
        sql += " AND r.scope = ?"
        args.append(scope)
    if unit_id is not None:
        sql += " AND r.unit_id = ?"
        args.append(unit_id)
    sql += " ORDER BY r.period_end, r.period, r.scope, u.rowid, r.revision, r.created_at"
    return _dicts(conn.execute(sql, args))


def superseded_by(conn: sqlite3.Connection, report_id: str) -> str | None:
    row = conn.execute("SELECT id FROM reports WHERE supersedes = ?", (report_id,)).fetchone()
    return None if row is None else str(row[0])


def sections(conn: sqlite3.Connection, report_id: str) -> list[dict[str, Any]]:
    return _dicts(
        conn.execute(
            "SELECT * FROM report_sections WHERE report_id = ? ORDER BY rowid", (report_id,)
        )
    )


def task_lines(conn: sqlite3.Connection, report_id: str) -> list[dict[str, Any]]:
    return _dicts(
        conn.execute(
            "SELECT rt.*, t.stt, t.area, t.content, t.subitems, t.lead_text, t.lead_unit_id, t.timeframe,"
            " t.due, t.product, t.origin FROM report_tasks rt JOIN tasks t ON t.id = rt.task_id"
            " WHERE rt.report_id = ? ORDER BY t.stt IS NULL, t.stt, t.created_at, t.id",
            (report_id,),
        )
    )


def figures(conn: sqlite3.Connection, report_id: str) -> dict[str, Any] | None:
    rows = _dicts(
        conn.execute(
            "SELECT * FROM report_figures WHERE report_id = ? ORDER BY rowid LIMIT 1", (report_id,)
        )
    )
    return rows[0] if rows else None


def delete_children(conn: sqlite3.Connection, report_id: str) -> None:
    """Remove a draft's sections, task lines and figures before it is rebuilt."""
    for table in ("report_sections", "report_tasks", "report_figures"):
        conn.execute(f"DELETE FROM {table} WHERE report_id = ?", (report_id,))


def units(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return _dicts(conn.execute("SELECT * FROM units ORDER BY rowid"))


def lead_unit_ids(conn: sqlite3.Connection, year: int | None = None) -> set[str]:
    """The units leading a task (of the plan of `year` when given)."""
    if year is None:
        return {r[0] for r in conn.execute("SELECT DISTINCT lead_unit_id FROM tasks")}
    cursor = conn.execute(
        "SELECT DISTINCT lead_unit_id FROM tasks"
        " WHERE coalesce(plan_year, (SELECT min(year) FROM plan)) = ?",
        (year,),
    )
    return {r[0] for r in cursor}


def plan_header(conn: sqlite3.Connection, year: int | None = None) -> dict[str, Any] | None:
    """The decision of the plan of `year`; of the latest plan when not given, or when no plan
    covers that year (a period before the first plan)."""
    rows = _dicts(
        conn.execute("SELECT * FROM plan ORDER BY year = ? DESC, year DESC LIMIT 1", (year,))
    )
    return rows[0] if rows else None


def targets(conn: sqlite3.Connection, year: int | None = None) -> list[dict[str, Any]]:
    """The targets of the plan of `year` (of the latest plan when not given)."""
    return _dicts(
        conn.execute(
            "SELECT * FROM targets WHERE plan_year IS coalesce(?, (SELECT max(year) FROM plan))"
            " ORDER BY rowid",
            (year,),
        )
    )


def budgets(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return _dicts(
        conn.execute(
            "SELECT b.*, t.stt, t.area, t.content, t.lead_unit_id, u.name AS unit_name,"
            " u.code AS unit_code FROM budgets b JOIN tasks t ON t.id = b.task_id"
            " JOIN units u ON u.id = t.lead_unit_id"
            " ORDER BY t.stt IS NULL, t.stt, t.created_at, b.rowid"
        )
    )


def budget_of(conn: sqlite3.Connection, task_id: str) -> dict[str, Any] | None:
    rows = _dicts(
        conn.execute("SELECT * FROM budgets WHERE task_id = ? ORDER BY rowid LIMIT 1", (task_id,))
    )
    return rows[0] if rows else None


def amendments(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return _dicts(
        conn.execute(
            "SELECT a.*, u.name AS unit_name, t.stt AS task_stt, t.content AS task_content,"
            " t.timeframe AS task_timeframe, t.lead_text AS task_lead, t.product AS task_product"
            " FROM amendments a JOIN units u ON u.id = a.unit_id"
            " LEFT JOIN tasks t ON t.id = a.task_id ORDER BY a.proposed_at, a.rowid"
        )
    )


def amendment_ids_with_prefix(conn: sqlite3.Connection, prefix: str) -> list[str]:
    cursor = conn.execute("SELECT id FROM amendments WHERE id LIKE ? || '%'", (prefix,))
    return [r[0] for r in cursor]


def dropped_task_ids(conn: sqlite3.Connection) -> set[str]:
    """Tasks an approved amendment dropped from the plan."""
    cursor = conn.execute(
        "SELECT task_id FROM amendments WHERE action = 'drop' AND status = 'approved'"
    )
    return {r[0] for r in cursor}


def max_stt(conn: sqlite3.Connection, year: int | None = None) -> int:
    """The highest row number of the plan of `year` (of any plan when not given)."""
    row = conn.execute(
        "SELECT MAX(stt) FROM tasks WHERE stt BETWEEN 1 AND ? AND (? IS NULL OR plan_year = ?)",
        (MAX_STT, year, year),
    )
    return int(row.fetchone()[0] or 0)


def product_dates(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """The dates (ISO) of every task's evidence documents, by task id, oldest first."""
    out: dict[str, list[str]] = {}
    for task_id, date in conn.execute("SELECT task_id, date FROM documents ORDER BY date, rowid"):
        if judge("documents", "date", date) is None:  # one an older copy let in is left out
            out.setdefault(task_id, []).append(date)
    return out


# ---- what is typed on screen and not yet saved (report_drafts, never synced) ---------------------


def draft_fields(conn: sqlite3.Connection, report_id: str) -> dict[str, str]:
    rows = conn.execute(
        "SELECT field, text FROM report_drafts WHERE report_id = ? ORDER BY field", (report_id,)
    )
    return {str(field): str(text) for field, text in rows.fetchall()}


def keep_draft_field(
    conn: sqlite3.Connection, report_id: str, field: str, text: str, now: str
) -> None:
    conn.execute(
        "INSERT INTO report_drafts (report_id, field, text, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (report_id, field) DO UPDATE SET text = excluded.text, "
        "updated_at = excluded.updated_at",
        (report_id, field, text, now),
    )


def drop_draft(conn: sqlite3.Connection, report_id: str) -> None:
    conn.execute("DELETE FROM report_drafts WHERE report_id = ?", (report_id,))
