"""Capture (SPEC.md section "Capture"): the engine's tables and the triggers on tracked tables.

Every INSERT, UPDATE and DELETE on a tracked table is recorded by SQLite triggers, so no write
path (the app, a script, the sqlite3 shell) escapes. A trigger ticks the clock, appends the
column-level changes to ``_sync_pending`` (this site's not-yet-sealed feed entries) and records
the new winning cell in ``_sync_cells``. Capture is off while ``_sync_state.capture_off`` is
non-zero; the engine sets it only inside a transaction, so other connections never see it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .errors import TableNotTrackable
from .feeds import TOMBSTONE
from .hlc import SQL_NOW

SCHEMA = """
CREATE TABLE IF NOT EXISTS _sync_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    site_id TEXT NOT NULL,
    hlc INTEGER NOT NULL,
    capture_off INTEGER NOT NULL DEFAULT 0,
    last_seq INTEGER NOT NULL DEFAULT 0,
    head BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS _sync_pending (
    n INTEGER PRIMARY KEY,
    hlc INTEGER NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col TEXT NOT NULL,
    value,
    old
);
CREATE TABLE IF NOT EXISTS _sync_cells (
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col TEXT NOT NULL,
    value,
    hlc INTEGER NOT NULL,
    origin TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id, col)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS _sync_tracked (
    tbl TEXT PRIMARY KEY,
    pk TEXT NOT NULL,
    columns TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS _sync_segments (
    origin TEXT NOT NULL,
    first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    first_hlc INTEGER NOT NULL,
    last_hlc INTEGER NOT NULL,
    signer BLOB NOT NULL,
    head BLOB NOT NULL,
    prev BLOB NOT NULL,
    seen TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('applied', 'held')),
    blob BLOB NOT NULL,
    PRIMARY KEY (origin, first_seq)
);
CREATE INDEX IF NOT EXISTS _sync_segments_hlc ON _sync_segments (origin, last_hlc);
CREATE TABLE IF NOT EXISTS _sync_feeds (
    origin TEXT PRIMARY KEY,
    applied_seq INTEGER NOT NULL,
    applied_hlc INTEGER NOT NULL,
    head BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS _sync_peers (
    peer TEXT NOT NULL,
    origin TEXT NOT NULL,
    acked_seq INTEGER NOT NULL,
    PRIMARY KEY (peer, origin)
);
CREATE TABLE IF NOT EXISTS _sync_peer_trust (
    peer TEXT PRIMARY KEY,
    digest TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS _sync_conflicts (
    id INTEGER PRIMARY KEY,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col TEXT NOT NULL,
    kept_value,
    kept_hlc INTEGER NOT NULL,
    kept_origin TEXT NOT NULL,
    lost_value,
    lost_hlc INTEGER NOT NULL,
    lost_origin TEXT NOT NULL,
    detected_hlc INTEGER NOT NULL,
    resolved TEXT
);
CREATE TABLE IF NOT EXISTS _sync_rejections (
    id INTEGER PRIMARY KEY,
    at_hlc INTEGER NOT NULL,
    origin TEXT NOT NULL,
    first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    tbl TEXT,
    row_id TEXT,
    code TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS _sync_versions (
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col TEXT NOT NULL,
    hlc INTEGER NOT NULL,
    origin TEXT NOT NULL,
    value,
    PRIMARY KEY (tbl, row_id, col, hlc, origin)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS _sync_reads (
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    first_seq INTEGER NOT NULL,
    PRIMARY KEY (tbl, row_id, origin, first_seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS _sync_base (
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col TEXT NOT NULL,
    value,
    PRIMARY KEY (tbl, row_id, col)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS _sync_parked (
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS _sync_root (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    public_key BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS _sync_certs (
    key BLOB PRIMARY KEY,
    site TEXT NOT NULL,
    issued INTEGER NOT NULL,
    body BLOB NOT NULL,
    sig BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS _sync_revocations (
    key BLOB PRIMARY KEY,
    body BLOB NOT NULL,
    sig BLOB NOT NULL
);
"""


#: Columns added to the engine's tables since their first version: (table, column, declaration).
#: ``Engine`` adds the missing ones when it opens an older database.
ADDED_COLUMNS = (
    ("_sync_pending", "old", "old"),
    ("_sync_tracked", "version", "version INTEGER NOT NULL DEFAULT 1"),
    ("_sync_tracked", "judged", "judged TEXT NOT NULL DEFAULT '[]'"),
)
#: The capture triggers' version: 2 records each updated column's previous value (``old``), so
#: this site's own changes are judged against the row as it stood, as imports are; 3 keeps the
#: versions of judged columns; 4 keeps a deleted row's last values with its tombstone; 5 keeps
#: a row's values from before the first change of it (its base, ``_sync_base``).
TRIGGER_VERSION = 5


@dataclass(frozen=True)
class TableSpec:
    """A table the app asks the engine to track: its name, its TEXT primary key column, and the
    columns its policy judges other rows by (``judged``: an owner that can change, a status).

    Every accepted value of a judged column is kept (``_sync_versions``), so a change is judged
    against the value its writer had seen, not one written concurrently elsewhere: the verdict is
    the same on every copy whatever the order of delivery.
    """

    name: str
    pk: str = "id"
    judged: tuple[str, ...] = ()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def table_columns(conn: sqlite3.Connection, spec: TableSpec) -> list[str]:
    """The columns other than the primary key; refuse tables the engine cannot track."""
    info = conn.execute(f"PRAGMA table_info({_q(spec.name)})").fetchall()
    if not info:
        raise TableNotTrackable(f"table {spec.name!r} does not exist", table=spec.name)
    pk = [row for row in info if row[5]]
    if len(pk) != 1 or pk[0][1] != spec.pk:
        raise TableNotTrackable(
            f"table {spec.name!r} must have the single primary key column {spec.pk!r}, "
            f"found {[row[1] for row in pk]!r}",
            table=spec.name,
        )
    if spec.name.startswith("_sync_"):
        raise TableNotTrackable(f"table {spec.name!r} belongs to the engine", table=spec.name)
    cols = [row[1] for row in info if not row[5]]
    if TOMBSTONE in cols:
        raise TableNotTrackable(f"table {spec.name!r} has a column named {TOMBSTONE!r}")
    return cols


#: Upsert, not INSERT OR REPLACE: an outer INSERT OR IGNORE would override a trigger's OR REPLACE.
UPSERT = (
    " ON CONFLICT (tbl, row_id, col) DO UPDATE SET value = excluded.value, "
    "hlc = excluded.hlc, origin = excluded.origin"
)


def trigger_sql(spec: TableSpec, columns: list[str]) -> list[str]:
    """DROP and CREATE statements for the three capture triggers of one table."""
    t, pk = spec.name, spec.pk
    base = f"_sync_{t}"
    when = "(SELECT capture_off FROM _sync_state WHERE id = 1) = 0"
    tick = f"UPDATE _sync_state SET hlc = max(hlc + 1, {SQL_NOW}) WHERE id = 1;"

    def record(rows: str) -> str:
        return (
            f"INSERT INTO _sync_pending (hlc, tbl, row_id, col, value, old) "
            f"SELECT s.hlc, {_lit(t)}, NEW.{_q(pk)}, v.col, v.val, v.old "
            f"FROM _sync_state s, ({rows}) v WHERE s.id = 1 ORDER BY v.pos;\n"
            f"INSERT INTO _sync_cells (tbl, row_id, col, value, hlc, origin) "
            f"SELECT {_lit(t)}, NEW.{_q(pk)}, v.col, v.val, s.hlc, s.site_id "
            f"FROM _sync_state s, ({rows}) v WHERE s.id = 1{UPSERT};"
        )

    ins_rows = " UNION ALL ".join(
        [f"SELECT 0 AS pos, {_lit(TOMBSTONE)} AS col, 0 AS val, NULL AS old"]
        + [f"SELECT {i + 1}, {_lit(c)}, NEW.{_q(c)}, NULL" for i, c in enumerate(columns)]
    )
    upd_rows = " UNION ALL ".join(
        f"SELECT {i + 1} AS pos, {_lit(c)} AS col, NEW.{_q(c)} AS val, OLD.{_q(c)} AS old "
        f"WHERE NEW.{_q(c)} IS NOT OLD.{_q(c)}"
        for i, c in enumerate(columns)
    )

    def versions(cols: list[str], row: str) -> str:
        """Keep each written value of a judged column, and the value it replaced the first
        time (the base, clock 0: what every site loaded, such as the plan)."""
        out = ""
        for c in cols:
            if row == "OLD":
                out += (
                    f"INSERT OR IGNORE INTO _sync_versions (tbl, row_id, col, hlc, origin, value) "
                    f"SELECT {_lit(t)}, OLD.{_q(pk)}, {_lit(c)}, 0, '', OLD.{_q(c)} "
                    f"WHERE NEW.{_q(c)} IS NOT OLD.{_q(c)} AND NOT EXISTS (SELECT 1 FROM "
                    f"_sync_versions v WHERE v.tbl = {_lit(t)} AND v.row_id = OLD.{_q(pk)} "
                    f"AND v.col = {_lit(c)});\n"
                )
            cond = f" AND NEW.{_q(c)} IS NOT OLD.{_q(c)}" if row == "OLD" else ""
            out += (
                f"INSERT OR REPLACE INTO _sync_versions (tbl, row_id, col, hlc, origin, value) "
                f"SELECT {_lit(t)}, NEW.{_q(pk)}, {_lit(c)}, s.hlc, s.site_id, NEW.{_q(c)} "
                f"FROM _sync_state s WHERE s.id = 1{cond};\n"
            )
        return out

    # the row as it stood before any change of it was recorded (what every site loaded, such as
    # the plan): the value a cell falls back to when the only changes of it are taken back
    base_rows = " UNION ALL ".join(
        [f"SELECT {_lit(TOMBSTONE)} AS col, 0 AS val"]
        + [f"SELECT {_lit(c)}, OLD.{_q(c)}" for c in columns]
    )
    keep_base = (
        f"INSERT OR IGNORE INTO _sync_base (tbl, row_id, col, value) "
        f"SELECT {_lit(t)}, OLD.{_q(pk)}, v.col, v.val FROM ({base_rows}) v "
        f"WHERE NOT EXISTS (SELECT 1 FROM _sync_cells WHERE tbl = {_lit(t)} "
        f"AND row_id = OLD.{_q(pk)} AND col = {_lit(TOMBSTONE)});"
    )
    judged = [c for c in spec.judged if c in columns]
    stmts = [f"DROP TRIGGER IF EXISTS {_q(base + suffix)}" for suffix in ("_ins", "_upd", "_del")]
    stmts.append(
        f"CREATE TRIGGER {_q(base + '_ins')} AFTER INSERT ON {_q(t)} WHEN {when} BEGIN\n"
        f"{tick}\n{record(ins_rows)}\n{versions(judged, 'NEW')}END"
    )
    upd_body = (
        f"SELECT RAISE(ABORT, 'sync: the primary key of a tracked table cannot change') "
        f"WHERE NEW.{_q(pk)} IS NOT OLD.{_q(pk)};\n{tick}\n{keep_base}\n"
    )
    if columns:
        upd_body += record(upd_rows) + "\n" + versions(judged, "OLD")
    if columns:
        changed = " OR ".join(f"NEW.{_q(c)} IS NOT OLD.{_q(c)}" for c in columns)
        upd_body += (
            f"INSERT INTO _sync_cells (tbl, row_id, col, value, hlc, origin) "
            f"SELECT {_lit(t)}, NEW.{_q(pk)}, {_lit(TOMBSTONE)}, 0, s.hlc, s.site_id "
            f"FROM _sync_state s WHERE s.id = 1 AND ({changed}){UPSERT};"
        )
    stmts.append(
        f"CREATE TRIGGER {_q(base + '_upd')} AFTER UPDATE ON {_q(t)} WHEN {when} BEGIN\n"
        f"{upd_body}\nEND"
    )
    # a deleted row's last values, as JSON in ``old`` of its tombstone (blobs left out), so this
    # site's own deletion is judged by the row as it stood, as the other copies judge it
    as_json = ", ".join(
        f"{_lit(c)}, CASE WHEN typeof(NEW.{_q(c)}) = 'blob' THEN NULL ELSE NEW.{_q(c)} END"
        for c in [pk, *columns]
    )
    del_rows = f"SELECT 0 AS pos, {_lit(TOMBSTONE)} AS col, 1 AS val, json_object({as_json}) AS old"
    stmts.append(
        f"CREATE TRIGGER {_q(base + '_del')} AFTER DELETE ON {_q(t)} WHEN {when} BEGIN\n"
        f"{tick}\n{keep_base}\n" + record(del_rows).replace("NEW.", "OLD.") + "\nEND"
    )
    return stmts
