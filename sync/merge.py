"""Merge and apply (SPEC.md section "Merge and apply").

Per cell (table, row, column) the change with the highest ``(hlc, origin)`` wins on every copy.
The row's existence is the pseudo-column ``~``: an insert writes 0, a delete writes 1 (a
tombstone), and every column change also counts as an implicit 0 at its own clock, so a row is
alive iff the newest of (its insert, its column changes, its delete) is not the delete. The
losing value of a concurrent write is kept as a conflict record.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from .encoding import Value
from .feeds import TOMBSTONE, Entry, Segment
from .trust import Signer


class ReadView(Protocol):
    """What a policy may read: the row as it stands with the incoming changes laid over it.

    ``cache`` is a dict the policy may use to remember lookups while one segment is judged.
    """

    cache: dict[Any, Any]

    def row(self, table: str, row_id: str) -> dict[str, Any] | None: ...

    def before(self, table: str, row_id: str) -> dict[str, Any] | None: ...

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


#: policy(signer, table, row_id, incoming values, view) -> None to allow, or a reason to refuse.
Policy = Callable[[Signer, str, str, dict[str, Value], ReadView], str | None]


def allow_all(
    signer: Signer, table: str, row_id: str, values: dict[str, Value], view: ReadView
) -> str | None:
    """The permissive default policy: every certified signer may write everything."""
    return None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Cell(NamedTuple):
    """The winning write of one cell."""

    value: Value
    hlc: int
    origin: str


@dataclass
class Refusal:
    origin: str
    first_seq: int
    last_seq: int
    table: str | None
    row_id: str | None
    code: str
    reason: str


@dataclass
class MergeOutcome:
    applied: int = 0
    refused: list[Refusal] = field(default_factory=list)
    refused_changes: int = 0
    conflicts: int = 0
    max_hlc: int = 0


class _View:
    def __init__(
        self,
        conn: sqlite3.Connection,
        pks: dict[str, str],
        overlay: dict[tuple[str, str], dict[str, Value]],
    ) -> None:
        self.conn = conn
        self.pks = pks
        self.overlay = overlay
        self.cache: dict[Any, Any] = {}

    def before(self, table: str, row_id: str) -> dict[str, Any] | None:
        """The row as stored, without the incoming values."""
        pk = self.pks.get(table, "id")
        cur = self.conn.execute(f"SELECT * FROM {_q(table)} WHERE {_q(pk)} = ?", (row_id,))
        names = [d[0] for d in cur.description]
        found = cur.fetchone()
        return dict(zip(names, found, strict=True)) if found else None

    def row(self, table: str, row_id: str) -> dict[str, Any] | None:
        """The row with the incoming values laid over it (None once deleted)."""
        pk = self.pks.get(table, "id")
        row = self.before(table, row_id)
        extra = self.overlay.get((table, row_id))
        if extra:
            if extra.get(TOMBSTONE) == 1:
                return None
            row = dict(row or {pk: row_id})
            row.update({k: v for k, v in extra.items() if k != TOMBSTONE})
        return row

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if head not in {"SELECT", "WITH"}:
            raise ValueError(f"policy views are read-only; refused statement {sql[:40]!r}")
        return list(self.conn.execute(sql, tuple(params)).fetchall())


class Merger:
    """Applies verified, in-order segments to the cells and the app tables, in bulk."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        tracked: dict[str, tuple[str, list[str]]],
        policy: Policy,
        seen_of: Callable[[str, int], dict[str, int]],
        now_hlc: int,
    ) -> None:
        self.conn = conn
        self.tracked = tracked
        self.policy = policy
        self.seen_of = seen_of
        self.now_hlc = now_hlc

    def _load_cells(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str, str], Cell]:
        by_table: dict[str, list[str]] = {}
        for t, r in keys:
            by_table.setdefault(t, []).append(r)
        cells: dict[tuple[str, str, str], Cell] = {}
        for t, rows in by_table.items():
            for i in range(0, len(rows), 500):
                chunk = rows[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for row_id, col, value, hlc, origin in self.conn.execute(
                    "SELECT row_id, col, value, hlc, origin FROM _sync_cells "
                    f"WHERE tbl = ? AND row_id IN ({marks})",
                    (t, *chunk),
                ):
                    cells[(t, row_id, col)] = Cell(value, hlc, origin)
        return cells

    def apply(self, seg: Segment, signer: Signer) -> MergeOutcome:
        out = MergeOutcome()
        entries = seg.entries()
        origin = seg.origin
        rows: dict[tuple[str, str], list[Entry]] = {}
        max_hlc = out.max_hlc
        for e in entries:
            rows.setdefault((e.table, e.row_id), []).append(e)
            if e.hlc > max_hlc:
                max_hlc = e.hlc
        out.max_hlc = max_hlc
        overlay: dict[tuple[str, str], dict[str, Value]] = {
            k: {e.col: e.value for e in es} for k, es in rows.items()
        }
        pks = {t: pk for t, (pk, _cols) in self.tracked.items()}
        view = _View(self.conn, pks, overlay)
        accepted: list[Entry] = []
        for (table, row_id), es in rows.items():
            if table not in self.tracked:
                reason = f"table {table!r} is not tracked on this site"
                code = "untracked_table"
            else:
                try:
                    reason_or_none = self.policy(
                        signer, table, row_id, overlay[(table, row_id)], view
                    )
                except Exception as exc:  # a failing policy refuses, it does not crash import
                    reason_or_none = f"policy failed: {type(exc).__name__}: {exc}"
                if reason_or_none is None:
                    accepted.extend(es)
                    continue
                reason, code = reason_or_none, "out_of_scope"
            out.refused.append(
                Refusal(origin, seg.first_seq, seg.last_seq, table, row_id, code, reason)
            )
            out.refused_changes += len(es)
        if not accepted:
            return out
        if out.refused:
            accepted.sort(key=lambda e: e.seq)
        else:
            accepted = list(entries)  # already in feed order
        touched_rows = {(e.table, e.row_id) for e in accepted}
        cells = self._load_cells(touched_rows)
        changed: dict[tuple[str, str, str], Cell] = {}
        conflicts: list[tuple[Any, ...]] = []
        seg_seen = seg.seen
        implicit: dict[tuple[str, str], int] = {}
        for e in accepted:
            key = (e.table, e.row_id, e.col)
            cur = cells.get(key)
            if cur is None or (e.hlc, origin) > (cur.hlc, cur.origin):
                new = Cell(e.value, e.hlc, origin)
                if (
                    cur is not None
                    and e.col != TOMBSTONE
                    and cur.origin != origin
                    and cur.value != e.value
                    and seg_seen.get(cur.origin, 0) < cur.hlc
                ):
                    conflicts.append((key, new, cur))
                cells[key] = changed[key] = new
            elif (
                e.col != TOMBSTONE
                and cur.origin != origin
                and cur.value != e.value
                and (e.hlc, origin) != (cur.hlc, cur.origin)
                and self.seen_of(cur.origin, cur.hlc).get(origin, 0) < e.hlc
            ):
                conflicts.append((key, cur, Cell(e.value, e.hlc, origin)))
            if e.col != TOMBSTONE:
                rk = (e.table, e.row_id)
                if implicit.get(rk, -1) < e.hlc:
                    implicit[rk] = e.hlc
        # every column change is also an implicit "alive" write at its clock (Rule 2); the
        # newest one per row decides, whatever the order
        for (t, r), h in implicit.items():
            tkey = (t, r, TOMBSTONE)
            tcur = cells.get(tkey)
            if tcur is None or (h, origin) > (tcur.hlc, tcur.origin):
                cells[tkey] = changed[tkey] = Cell(0, h, origin)
        out.applied += len(accepted)
        self.conn.executemany(
            "INSERT OR REPLACE INTO _sync_cells (tbl, row_id, col, value, hlc, origin) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(k[0], k[1], k[2], c.value, c.hlc, c.origin) for k, c in changed.items()],
        )
        if conflicts:
            self.conn.executemany(
                "INSERT INTO _sync_conflicts (tbl, row_id, col, kept_value, kept_hlc, "
                "kept_origin, lost_value, lost_hlc, lost_origin, detected_hlc) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        k[0],
                        k[1],
                        k[2],
                        w.value,
                        w.hlc,
                        w.origin,
                        lo.value,
                        lo.hlc,
                        lo.origin,
                        self.now_hlc,
                    )
                    for k, w, lo in conflicts
                ],
            )
            out.conflicts += len(conflicts)
        self._materialize({(k[0], k[1]) for k in changed}, cells)
        return out

    def _materialize(
        self, rows: set[tuple[str, str]], cells: dict[tuple[str, str, str], Cell]
    ) -> None:
        by_row: dict[tuple[str, str], dict[str, Value]] = {}
        for (t, r, c), cell in cells.items():
            if (t, r) in rows:
                by_row.setdefault((t, r), {})[c] = cell.value
        upserts: dict[tuple[str, tuple[str, ...]], list[tuple[Any, ...]]] = {}
        deletes: dict[str, list[tuple[str]]] = {}
        for (t, r), vals in by_row.items():
            pk, columns = self.tracked[t]
            if vals.get(TOMBSTONE) == 0:
                cols = tuple(c for c in columns if c in vals)
                upserts.setdefault((t, cols), []).append((r, *(vals[c] for c in cols)))
            else:
                deletes.setdefault(t, []).append((r,))
        for t, ids in deletes.items():
            pk = self.tracked[t][0]
            self._park_children(t, [i[0] for i in ids])
            self.conn.executemany(f"DELETE FROM {_q(t)} WHERE {_q(pk)} = ?", ids)
        for (t, cols), values in upserts.items():
            pk = self.tracked[t][0]
            existing = self._existing(t, pk, [v[0] for v in values])
            inserts = [v for v in values if v[0] not in existing]
            updates = [(*v[1:], v[0]) for v in values if v[0] in existing]
            if inserts:
                names = ", ".join(_q(c) for c in (pk, *cols))
                marks = ", ".join("?" * (len(cols) + 1))
                self.conn.executemany(f"INSERT INTO {_q(t)} ({names}) VALUES ({marks})", inserts)
            if updates and cols:
                sets = ", ".join(f"{_q(c)} = ?" for c in cols)
                self.conn.executemany(f"UPDATE {_q(t)} SET {sets} WHERE {_q(pk)} = ?", updates)

    def _children(self, parent: str) -> list[tuple[str, str, str]]:
        """(child table, child pk, fk column) of tracked tables referencing ``parent``."""
        out = []
        for child, (pk, _cols) in self.tracked.items():
            for fk in self.conn.execute(f"PRAGMA foreign_key_list({_q(child)})"):
                if fk[2] == parent:
                    out.append((child, pk, fk[3]))
        return out

    def _park(self, table: str, pk: str, ids: list[Any]) -> None:
        """Take rows out of the app table (their cells stay) until their parent exists."""
        if not ids:
            return
        self._park_children(table, ids)
        self.conn.executemany(
            "INSERT OR IGNORE INTO _sync_parked (tbl, row_id) VALUES (?, ?)",
            [(table, i) for i in ids],
        )
        self.conn.executemany(f"DELETE FROM {_q(table)} WHERE {_q(pk)} = ?", [(i,) for i in ids])

    def _park_children(self, parent: str, parent_ids: list[Any]) -> None:
        for child, cpk, col in self._children(parent):
            found: list[Any] = []
            for i in range(0, len(parent_ids), 500):
                chunk = parent_ids[i : i + 500]
                marks = ",".join("?" * len(chunk))
                found.extend(
                    r[0]
                    for r in self.conn.execute(
                        f"SELECT {_q(cpk)} FROM {_q(child)} WHERE {_q(col)} IN ({marks})", chunk
                    )
                )
            self._park(child, cpk, found)

    def settle_foreign_keys(self) -> None:
        """Bring back parked rows whose parents exist now; park rows whose parents do not.

        Run once per import, before commit, so the app tables always satisfy their foreign
        keys while the cells keep every value.
        """
        parked = self.conn.execute("SELECT tbl, row_id FROM _sync_parked").fetchall()
        if parked:
            self.conn.execute("DELETE FROM _sync_parked")
            keys = [(t, r) for t, r in parked if t in self.tracked]
            cells = self._load_cells(keys)
            self._materialize(set(keys), cells)
        for _round in range(8):
            orphans: dict[str, list[Any]] = {}
            for table, (pk, _cols) in self.tracked.items():
                for row in self.conn.execute(f"PRAGMA foreign_key_check({_q(table)})"):
                    found = self.conn.execute(
                        f"SELECT {_q(pk)} FROM {_q(table)} WHERE rowid = ?", (row[1],)
                    ).fetchone()
                    if found:
                        orphans.setdefault(table, []).append(found[0])
            if not orphans:
                return
            for table, ids in orphans.items():
                self._park(table, self.tracked[table][0], sorted(set(ids)))

    def _existing(self, table: str, pk: str, ids: list[Any]) -> set[Any]:
        found: set[Any] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self.conn.execute(
                    f"SELECT {_q(pk)} FROM {_q(table)} WHERE {_q(pk)} IN ({marks})", chunk
                )
            )
        return found


def seen_json(seen: dict[str, int]) -> str:
    return json.dumps(seen, sort_keys=True, separators=(",", ":"))
