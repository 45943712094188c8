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
from itertools import chain, compress, islice, pairwise, repeat
from operator import itemgetter, le, ne, not_
from typing import Any, NamedTuple, Protocol

from .encoding import Value
from .feeds import TOMBSTONE, Segment
from .hlc import LIMIT
from .trust import Signer


class ReadView(Protocol):
    """What a policy may read: the row as it stands with the incoming changes laid over it.

    ``cache`` is a dict the policy may use to remember lookups while one segment is judged.
    """

    cache: dict[Any, Any]

    def row(self, table: str, row_id: str) -> dict[str, Any] | None: ...

    def before(self, table: str, row_id: str) -> dict[str, Any] | None: ...

    def last(self, table: str, row_id: str) -> dict[str, Any] | None: ...

    def incoming(self, table: str) -> list[str]: ...

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


#: policy(signer, table, row_id, incoming values, view) -> None to allow, or a reason to refuse.
Policy = Callable[[Signer, str, str, dict[str, Value], ReadView], str | None]


def allow_all(
    signer: Signer, table: str, row_id: str, values: dict[str, Value], view: ReadView
) -> str | None:
    """The permissive default policy: every certified signer may write everything."""
    return None


CellKey = tuple[str, str, str]


def _saw(seg: Segment, hlc: int, origin: str) -> bool:
    """Whether the writer of ``seg`` had seen the change made at ``hlc`` by ``origin``."""
    return origin == seg.origin or hlc <= seg.seen.get(origin, 0)


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
    #: rows whose judged columns the verdicts read, and rows whose judged columns it wrote
    reads: set[tuple[str, str]] = field(default_factory=set)
    authority_rows: set[tuple[str, str]] = field(default_factory=set)


class _View:
    def __init__(
        self,
        conn: sqlite3.Connection,
        pks: dict[str, str],
        overlay: dict[tuple[str, str], dict[str, Value]],
        befores: dict[tuple[str, str], dict[str, Any] | None] | None = None,
        writer: Segment | None = None,
        judged: dict[str, tuple[str, ...]] | None = None,
        authority: Authority | None = None,
        override: dict[CellKey, Value] | None = None,
    ) -> None:
        self.conn = conn
        self.pks = pks
        self.overlay = overlay
        self.befores = befores or {}
        self.writer = writer
        self.judged = judged or {}
        self.cache: dict[Any, Any] = {}
        self.authority = authority
        self.override = override or {}
        #: the row being judged, the rows whose judged columns its verdict read, and the values
        #: of those columns written by a higher authority the writer had not seen
        self.current: tuple[str, str] | None = None
        self.reads: set[tuple[str, str]] = set()
        self.alternatives: dict[tuple[str, str], set[tuple[CellKey, Any]]] = {}

    def _as_writer_saw(self, table: str, row_id: str, row: dict[str, Any]) -> dict[str, Any]:
        """Judged columns as the segment's writer had them: where the winning value here was
        written concurrently (its writer had not seen it), the newest value it had seen."""
        seg = self.writer
        if seg is None:
            return row
        for col in self.judged.get(table, ()):
            if (table, row_id, col) in self.override:
                row[col] = self.override[(table, row_id, col)]
                continue
            if self.authority is not None:
                self._unseen_authority(seg, table, row_id, col)
            cell = self.conn.execute(
                "SELECT hlc, origin FROM _sync_cells WHERE tbl = ? AND row_id = ? AND col = ?",
                (table, row_id, col),
            ).fetchone()
            if cell is None or _saw(seg, cell[0], cell[1]):
                continue
            seen = [
                (h, o, v)
                for h, o, v in self.conn.execute(
                    "SELECT hlc, origin, value FROM _sync_versions WHERE tbl = ? AND row_id = ? "
                    "AND col = ?",
                    (table, row_id, col),
                )
                if o == "" or _saw(seg, h, o)
            ]
            if seen:
                row[col] = max(seen, key=itemgetter(0, 1))[2]
        return row

    def _unseen_authority(self, seg: Segment, table: str, row_id: str, col: str) -> None:
        """Note the read, and every value of the column that a writer of higher authority wrote
        and the segment's writer had not seen (SPEC section 12): the verdict must hold under
        each of them too."""
        auth = self.authority
        assert auth is not None
        self.reads.add((table, row_id))
        if self.current is None:
            return
        for h, o, v in self.conn.execute(
            "SELECT hlc, origin, value FROM _sync_versions WHERE tbl = ? AND row_id = ? "
            "AND col = ? AND origin != ''",
            (table, row_id, col),
        ):
            if auth.rank_of(o) > auth.writer_rank and auth.concurrent(seg, h, o):
                key = (table, row_id, col)
                self.alternatives.setdefault(self.current, set()).add((key, v))

    def before(self, table: str, row_id: str) -> dict[str, Any] | None:
        """The row as stored, without the incoming values."""
        if (table, row_id) in self.befores:
            stood = self.befores[(table, row_id)]
            return None if stood is None else dict(stood)
        pk = self.pks.get(table, "id")
        cur = self.conn.execute(f"SELECT * FROM {_q(table)} WHERE {_q(pk)} = ?", (row_id,))
        names = [d[0] for d in cur.description]
        found = cur.fetchone()
        if not found:
            return None
        return self._as_writer_saw(table, row_id, dict(zip(names, found, strict=True)))

    def row(self, table: str, row_id: str) -> dict[str, Any] | None:
        """The row with the incoming values laid over it (None once deleted)."""
        extra = self.overlay.get((table, row_id))
        if extra and extra.get(TOMBSTONE) == 1:
            return None
        return self.last(table, row_id)

    def incoming(self, table: str) -> list[str]:
        """The ids of the rows of ``table`` the segment carries and that stand accepted so far
        (a refused row is never among them), in the order they first appear."""
        return [r for t, r in self.overlay if t == table]

    def last(self, table: str, row_id: str) -> dict[str, Any] | None:
        """The row with the incoming values laid over it, even when they delete it: what a
        deletion is judged by (a row made and deleted in one segment has no other trace)."""
        pk = self.pks.get(table, "id")
        row = self.before(table, row_id)
        extra = self.overlay.get((table, row_id))
        if extra:
            row = dict(row or {pk: row_id})
            row.update({k: v for k, v in extra.items() if k != TOMBSTONE})
        return row

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if head not in {"SELECT", "WITH"}:
            raise ValueError(f"policy views are read-only; refused statement {sql[:40]!r}")
        return list(self.conn.execute(sql, tuple(params)).fetchall())


@dataclass(frozen=True)
class Authority:
    """How the app ranks writers (SPEC section 12): ``rank_of(origin)`` for a stored value's
    writer, ``writer_rank`` for the segment being judged; ``seen_of(origin, hlc)`` the ``seen``
    of the segment that carried a stored value (to tell a value written after the judged change,
    by a writer that had seen it, from a concurrent one)."""

    rank_of: Callable[[str], int]
    writer_rank: int
    seen_of: Callable[[str, int], dict[str, int]] | None = None

    def concurrent(self, seg: Segment, hlc: int, origin: str) -> bool:
        """Whether the value written at ``hlc`` by ``origin`` lies outside the causal past of
        ``seg`` **and** ``seg`` outside its own: only such a value is an authority change the
        judged change did not see. One whose writer had seen ``seg`` came after it and cannot
        forbid it (it matters when ``seg`` is applied again after a take-back)."""
        if _saw(seg, hlc, origin):
            return False
        if self.seen_of is None:
            return True
        return self.seen_of(origin, hlc).get(seg.origin, 0) < seg.first_hlc


class Merger:
    """Applies verified, in-order segments to the cells and the app tables, in bulk."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        tracked: dict[str, tuple[str, list[str]]],
        policy: Policy,
        seen_of: Callable[[str, int], dict[str, int]],
        now_hlc: int,
        judged: dict[str, tuple[str, ...]] | None = None,
        rank: Callable[[Signer], int] | None = None,
        rank_of: Callable[[str], int] | None = None,
    ) -> None:
        self.conn = conn
        self.tracked = tracked
        self.policy = policy
        self.seen_of = seen_of
        self.now_hlc = now_hlc
        self.judged = {t: cols for t, cols in (judged or {}).items() if cols}
        self.rank = rank
        self.rank_of = rank_of

    def load_cells(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str, str], Cell]:
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

    def apply(
        self, seg: Segment, signer: Signer, forced: tuple[str, str] | None = None
    ) -> MergeOutcome:
        """Merge a verified, in-order segment; a row the policy refuses, or whose values break
        a rule of its table, is refused alone (its changes are not merged) and never stops the
        other rows. A row that cannot be built yet (a NOT NULL column whose cell has not
        arrived) keeps its cells and is parked until it can."""
        self.conn.execute("SAVEPOINT sync_segment")
        try:
            out = self._apply(seg, signer, {}, set(), forced=forced)
        except sqlite3.IntegrityError:
            self.conn.execute("ROLLBACK TO sync_segment")
            failed: dict[tuple[str, str], str] = {}
            incomplete: set[tuple[str, str]] = set()
            self._apply(seg, signer, {}, set(), trial=(failed, incomplete))
            self.conn.execute("ROLLBACK TO sync_segment")
            out = self._apply(seg, signer, failed, incomplete, forced=forced)
        self.conn.execute("RELEASE sync_segment")
        return out

    def _judge(
        self,
        seg: Segment,
        signer: Signer,
        overlay: dict[tuple[str, str], dict[str, Value]],
        row_keys: list[tuple[str, str]],
        failed: dict[tuple[str, str], str],
        befores: dict[tuple[str, str], dict[str, Any] | None] | None = None,
        reads: set[tuple[str, str]] | None = None,
    ) -> dict[tuple[str, str], tuple[str, str]]:
        """The rows refused, with (code, reason). Later rows are judged against the accepted
        rows only: a refused row never vouches for another, so the policy runs again over the
        remaining rows until no new refusal appears.

        With an authority ranking (SPEC section 12), a row must also be allowed under every
        value of a judged column that a writer of higher rank wrote and this segment's writer
        had not seen: each is tried alone, in a fixed order, and the first refusal stands.
        ``reads`` collects the rows whose judged columns the verdicts read."""
        refused: dict[tuple[str, str], tuple[str, str]] = {
            k: ("constraint_failed", f"the row breaks a rule of table {k[0]!r}: {why}")
            for k, why in failed.items()
        }
        hlcs = seg.columns().hlcs
        if max(hlcs) >= LIMIT:
            for k, h in zip(row_keys, hlcs, strict=True):
                if h >= LIMIT and k not in refused:
                    refused[k] = ("clock_invalid", f"a clock at the limit of the clock type ({h})")
        for k in overlay:
            if k[0] not in self.tracked and k not in refused:
                refused[k] = ("untracked_table", f"table {k[0]!r} is not tracked on this site")
        if self.policy is allow_all:  # nothing to ask, row by row
            return refused
        pks = {t: pk for t, (pk, _cols) in self.tracked.items()}
        judged = {k: v for k, v in overlay.items() if k not in refused}
        writer = None if befores is not None else seg
        authority = None
        if writer is not None and self.rank is not None and self.rank_of is not None:
            authority = Authority(self.rank_of, self.rank(signer), self.seen_of)
        while True:
            view = _View(self.conn, pks, judged, befores, writer, self.judged, authority)
            new: dict[tuple[str, str], tuple[str, str]] = {}
            for (table, row_id), values in judged.items():
                view.current = (table, row_id)
                reason = self._ask(signer, table, row_id, values, view)
                if reason is not None:
                    new[(table, row_id)] = ("out_of_scope", reason)
            if reads is not None:
                reads |= view.reads
            if not new:
                for k, alternatives in view.alternatives.items():
                    for cell, value in sorted(alternatives, key=repr):
                        alt = _View(
                            self.conn, pks, judged, befores, writer, self.judged,
                            authority, {cell: value},
                        )  # fmt: skip
                        reason = self._ask(signer, k[0], k[1], judged[k], alt)
                        if reason is not None:
                            new[k] = ("out_of_scope", reason)
                            break
            if not new:
                return refused
            refused.update(new)
            judged = {k: v for k, v in judged.items() if k not in new}

    def _ask(
        self, signer: Signer, table: str, row_id: str, values: dict[str, Value], view: _View
    ) -> str | None:
        try:
            return self.policy(signer, table, row_id, values, view)
        except Exception as exc:  # a failing policy refuses, it does not crash import
            return f"policy failed: {type(exc).__name__}: {exc}"

    def judge_only(
        self,
        seg: Segment,
        signer: Signer,
        befores: dict[tuple[str, str], dict[str, Any] | None],
    ) -> list[Refusal]:
        """The refusals the policy gives a segment's rows, with ``befores`` standing for the
        rows as they stood (a site's own uncommitted changes are already in its tables)."""
        hlcs, tables, row_ids, col_names, values = seg.columns()
        row_keys = list(zip(tables, row_ids, strict=True))
        overlay: dict[tuple[str, str], dict[str, Value]] = {}
        for k, c, v in zip(row_keys, col_names, values, strict=True):
            overlay.setdefault(k, {})[c] = v
        refused = self._judge(seg, signer, overlay, row_keys, {}, befores)
        return [
            Refusal(seg.origin, seg.first_seq, seg.last_seq, t, r, code, reason)
            for (t, r), (code, reason) in refused.items()
        ]

    def _apply(
        self,
        seg: Segment,
        signer: Signer,
        failed: dict[tuple[str, str], str],
        park: set[tuple[str, str]],
        trial: tuple[dict[tuple[str, str], str], set[tuple[str, str]]] | None = None,
        forced: tuple[str, str] | None = None,
    ) -> MergeOutcome:
        out = MergeOutcome()
        hlcs, tables, row_ids, col_names, values = seg.columns()
        origin = seg.origin
        n = len(hlcs)
        if not n:
            return out
        row_keys = list(zip(tables, row_ids, strict=True))
        runs = _row_runs(row_keys)
        # the incoming values of each row (a cell's last entry wins), rows in order of first
        # appearance
        overlay: dict[tuple[str, str], dict[str, Value]]
        if runs is not None:
            overlay = {
                row_keys[i]: dict(zip(col_names[i:j], values[i:j], strict=True)) for i, j in runs
            }
        else:
            overlay = {}
            for k, c, v in zip(row_keys, col_names, values, strict=True):
                found = overlay.get(k)
                if found is None:
                    overlay[k] = {c: v}
                else:
                    found[c] = v
        if forced is not None:
            refused = dict.fromkeys(overlay, forced)
        else:
            refused = self._judge(seg, signer, overlay, row_keys, failed, reads=out.reads)
        refused_rows = set(refused)
        for (table, row_id), (code, reason) in refused.items():
            out.refused.append(
                Refusal(origin, seg.first_seq, seg.last_seq, table, row_id, code, reason)
            )
        if refused_rows:
            out.refused_changes = sum(1 for k in row_keys if k in refused_rows)
            accepted = [h for k, h in zip(row_keys, hlcs, strict=True) if k not in refused_rows]
            out.max_hlc = max(accepted, default=0)
        else:
            out.max_hlc = max(hlcs)
        out.applied = n - out.refused_changes
        if not out.applied:
            return out
        touched = [k for k in overlay if k not in refused_rows]
        cells = self.load_cells(touched)
        stored = {(t, r) for t, r, _c in cells}
        self.keep_base([k for k in touched if k not in stored])
        by_row: dict[tuple[str, str], dict[str, Value]] = {}
        fresh_cells: Iterable[tuple[Any, ...]] = ()
        written: list[tuple[Any, ...]] = []
        if runs is not None and all(map(le, hlcs, islice(hlcs, 1, None))):
            # key order: the b-tree fills page by page. Each row has one run, so the order of
            # the keys alone decides; sorted by row id, then (stable) by table, that is the
            # (table, row id) order without comparing a tuple per step
            fresh = sorted(
                sorted(
                    (
                        (row_keys[i], i, j)
                        for i, j in runs
                        if row_keys[i] not in stored and row_keys[i] not in refused_rows
                    ),
                    key=_row_id_of,
                ),
                key=_table_of,
            )
            fresh_cells = self._fresh_rows(seg, row_keys, fresh, overlay, by_row, written)
        fresh_set = set(by_row)
        rest = (
            [i for i, k in enumerate(row_keys) if k not in fresh_set and k not in refused_rows]
            if len(fresh_set) < len(overlay)
            else []
        )
        changed, conflicts = self._merge_cells(seg, cells, rest)
        for ck in sorted(changed):
            won = changed[ck]
            written.append((ck[0], ck[1], ck[2], won.value, won.hlc, won.origin))
        self.conn.executemany(
            "INSERT OR REPLACE INTO _sync_cells (tbl, row_id, col, value, hlc, origin) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            chain(fresh_cells, written),
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
        changed_rows = {(k[0], k[1]) for k in changed}
        _values_by_row(cells, by_row, changed_rows)
        if self.judged:
            out.authority_rows = self._keep_versions(seg, row_keys, refused_rows)
        if park:
            self.park_unbuilt([k for k in by_row if k in park])
            by_row = {k: v for k, v in by_row.items() if k not in park}
        if trial is not None:
            failures = self.materialize_each(by_row)
            for k, why in failures.items():
                if why.startswith("NOT NULL constraint failed") and not self._exists(k):
                    trial[1].add(k)  # cells not all here yet: build it when they are
                else:
                    trial[0][k] = why
        else:
            self._materialize(by_row)
        return out

    def keep_base(self, keys: list[tuple[str, str]]) -> None:
        """Before the first change of a row that stands here, keep its values as its base
        (``_sync_base``): what its cells fall back to if every change of them is taken back."""
        by_table: dict[str, list[str]] = {}
        for t, r in keys:
            by_table.setdefault(t, []).append(r)
        for t, ids in by_table.items():
            pk, cols = self.tracked[t]
            names = ", ".join(_q(c) for c in (pk, *cols))
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.conn.execute(
                    f"SELECT {names} FROM {_q(t)} WHERE {_q(pk)} IN ({marks})", chunk
                ).fetchall()
                self.conn.executemany(
                    "INSERT OR IGNORE INTO _sync_base (tbl, row_id, col, value) VALUES (?,?,?,?)",
                    [
                        (t, row[0], c, v)
                        for row in rows
                        for c, v in zip((TOMBSTONE, *cols), (0, *row[1:]), strict=True)
                    ],
                )

    def _keep_versions(
        self, seg: Segment, row_keys: list[tuple[str, str]], refused: set[tuple[str, str]]
    ) -> set[tuple[str, str]]:
        """Keep every accepted value of a judged column, and, the first time a column of a row
        already here changes, the value it had (the base, at clock 0), before the row is
        rewritten."""
        hlcs, _tables, _rows, col_names, values = seg.columns()
        kept: list[tuple[Any, ...]] = []
        for k, h, c, v in zip(row_keys, hlcs, col_names, values, strict=True):
            if c in self.judged.get(k[0], ()) and k not in refused:
                kept.append((k[0], k[1], c, h, seg.origin, v))
        if not kept:
            return set()
        for t, r, c in {(t, r, c) for t, r, c, _h, _o, _v in kept}:
            pk = self.tracked[t][0]
            self.conn.execute(
                "INSERT OR IGNORE INTO _sync_versions (tbl, row_id, col, hlc, origin, value) "
                f"SELECT ?, ?, ?, 0, '', {_q(c)} FROM {_q(t)} WHERE {_q(pk)} = ? AND NOT EXISTS "
                "(SELECT 1 FROM _sync_versions WHERE tbl = ? AND row_id = ? AND col = ?)",
                (t, r, c, r, t, r, c),
            )
        self.conn.executemany(
            "INSERT OR REPLACE INTO _sync_versions (tbl, row_id, col, hlc, origin, value) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            kept,
        )
        return {(t, r) for t, r, _c, _h, _o, _v in kept}

    def _exists(self, key: tuple[str, str]) -> bool:
        t, r = key
        return bool(self._existing(t, self.tracked[t][0], [r]))

    def materialize_each(
        self, by_row: dict[tuple[str, str], dict[str, Value]]
    ) -> dict[tuple[str, str], str]:
        """Materialise row by row, in key order, each in its own savepoint: the rows that
        failed, with SQLite's reason, and the others written."""
        failures: dict[tuple[str, str], str] = {}
        for k in sorted(by_row):
            self.conn.execute("SAVEPOINT sync_row")
            try:
                self._materialize({k: by_row[k]})
            except sqlite3.IntegrityError as exc:
                self.conn.execute("ROLLBACK TO sync_row")
                failures[k] = str(exc)
            self.conn.execute("RELEASE sync_row")
        return failures

    def park_unbuilt(self, keys: list[tuple[str, str]]) -> None:
        """Rows whose cells cannot build them yet: kept as cells, out of the app table."""
        self.conn.executemany(
            "INSERT OR IGNORE INTO _sync_parked (tbl, row_id) VALUES (?, ?)", keys
        )

    @staticmethod
    def _fresh_rows(
        seg: Segment,
        row_keys: list[tuple[str, str]],
        fresh: list[tuple[tuple[str, str], int, int]],
        overlay: dict[tuple[str, str], dict[str, Value]],
        by_row: dict[tuple[str, str], dict[str, Value]],
        written: list[tuple[Any, ...]],
    ) -> Iterable[tuple[Any, ...]]:
        """Rows this site holds no cell of, each one run ``[i, j)`` of a segment whose clocks
        never go back: their entries are the cells as they come (a cell's last entry is its
        newest, and an exact tie goes to the later entry, as in the general merge; written in
        order, the last one stays). Fills ``by_row`` with their values, appends to ``written``
        the existence cells Rule 2 adds, and returns the cells as a stream for one INSERT."""
        hlcs, tables, row_ids, col_names, values = seg.columns()
        origin = seg.origin
        order = list(chain.from_iterable(range(i, j) for _k, i, j in fresh))
        is_tomb = list(map(TOMBSTONE.__eq__, col_names))
        is_col = list(map(not_, is_tomb))
        deleted_at = dict(zip(compress(row_keys, is_tomb), compress(hlcs, is_tomb), strict=True))
        changed_at = dict(zip(compress(row_keys, is_col), compress(hlcs, is_col), strict=True))
        for k, _i, _j in fresh:
            vals = by_row[k] = overlay[k]
            # the row is alive at its newest column change, unless a newer delete says not
            alive_at = changed_at.get(k, -1)
            tomb_at = deleted_at.get(k)
            if tomb_at is None or alive_at > tomb_at:
                vals[TOMBSTONE] = 0
                written.append((k[0], k[1], TOMBSTONE, 0, alive_at, origin))
        return zip(
            map(tables.__getitem__, order),
            map(row_ids.__getitem__, order),
            map(col_names.__getitem__, order),
            map(values.__getitem__, order),
            map(hlcs.__getitem__, order),
            repeat(origin),
        )

    def _merge_cells(
        self, seg: Segment, cells: dict[tuple[str, str, str], Cell], indexes: list[int]
    ) -> tuple[dict[tuple[str, str, str], Cell], list[tuple[Any, ...]]]:
        """The general merge of the entries at ``indexes`` into ``cells`` (updated in place):
        the cells that changed and the conflicts found."""
        hlcs, tables, row_ids, col_names, values = seg.columns()
        origin = seg.origin
        changed: dict[tuple[str, str, str], Cell] = {}
        conflicts: list[tuple[Any, ...]] = []
        seg_seen = seg.seen
        implicit: dict[tuple[str, str], int] = {}
        for i in indexes:
            h, col, value = hlcs[i], col_names[i], values[i]
            key = (tables[i], row_ids[i], col)
            cur = cells.get(key)
            # highest (clock, origin) wins; an exact tie can only come from one feed, and the
            # later entry of that feed wins it
            if cur is None or (h, origin) >= (cur.hlc, cur.origin):
                new = Cell(value, h, origin)
                if (
                    cur is not None
                    and col != TOMBSTONE
                    and cur.origin != origin
                    and cur.value != value
                    and seg_seen.get(cur.origin, 0) < cur.hlc
                ):
                    conflicts.append((key, new, cur))
                cells[key] = changed[key] = new
            elif (
                col != TOMBSTONE
                and cur.origin != origin
                and cur.value != value
                and self.seen_of(cur.origin, cur.hlc).get(origin, 0) < h
            ):
                conflicts.append((key, cur, Cell(value, h, origin)))
            if col != TOMBSTONE:
                rk = (key[0], key[1])
                if implicit.get(rk, -1) < h:
                    implicit[rk] = h
        # every column change is also an implicit "alive" write at its clock (Rule 2); the
        # newest one per row decides, whatever the order
        for (t, r), h in implicit.items():
            tkey = (t, r, TOMBSTONE)
            tcur = cells.get(tkey)
            if tcur is None or (h, origin) > (tcur.hlc, tcur.origin):
                cells[tkey] = changed[tkey] = Cell(0, h, origin)
        return changed, conflicts

    def _materialize(self, by_row: dict[tuple[str, str], dict[str, Value]]) -> None:
        """Write each row's winning values to its app table (or delete it when its cell ``~``
        is a tombstone)."""
        upserts: dict[tuple[str, tuple[str, ...]], list[tuple[Any, ...]]] = {}
        deletes: dict[str, list[tuple[str]]] = {}
        shapes: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
        partial = [
            k
            for k, vals in by_row.items()
            if vals.get(TOMBSTONE) == 0 and len(vals) <= len(self.tracked[k[0]][1])
        ]
        if partial:
            by_row = {**by_row, **self._with_base(partial, by_row)}
        for (t, r), vals in by_row.items():
            if vals.get(TOMBSTONE) == 0:
                shape = (t, tuple(vals))
                cols = shapes.get(shape)
                if cols is None:  # the table's columns present in this row, in table order
                    cols = shapes[shape] = tuple(c for c in self.tracked[t][1] if c in vals)
                upserts.setdefault((t, cols), []).append((r, *map(vals.__getitem__, cols)))
            else:
                deletes.setdefault(t, []).append((r,))
        for t, ids in deletes.items():
            pk = self.tracked[t][0]
            self._park_children(t, [i[0] for i in ids])
            self.conn.executemany(f"DELETE FROM {_q(t)} WHERE {_q(pk)} = ?", ids)
        for (t, cols), values in upserts.items():
            pk = self.tracked[t][0]
            values.sort(key=itemgetter(0))  # key order: the b-tree fills page by page
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

    def _with_base(
        self, keys: list[tuple[str, str]], by_row: dict[tuple[str, str], dict[str, Value]]
    ) -> dict[tuple[str, str], dict[str, Value]]:
        """Rows coming back (not in their table now) whose cells hold only some columns: a row
        every copy loaded, deleted here and written again elsewhere. The columns no change ever
        wrote take the values the row had before its first change here (its base)."""
        out: dict[tuple[str, str], dict[str, Value]] = {}
        by_table: dict[str, list[str]] = {}
        for t, r in keys:
            by_table.setdefault(t, []).append(r)
        for t, ids in by_table.items():
            existing = self._existing(t, self.tracked[t][0], ids)
            for r in ids:
                if r in existing:
                    continue
                base = dict(
                    self.conn.execute(
                        "SELECT col, value FROM _sync_base WHERE tbl = ? AND row_id = ?", (t, r)
                    ).fetchall()
                )
                if base:
                    out[(t, r)] = {**base, **by_row[(t, r)]}
        return out

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
            by_row: dict[tuple[str, str], dict[str, Value]] = {}
            _values_by_row(self.load_cells(keys), by_row)
            self.park_unbuilt(list(self.materialize_each(by_row)))
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


def _values_by_row(
    cells: dict[tuple[str, str, str], Cell],
    into: dict[tuple[str, str], dict[str, Value]],
    rows: set[tuple[str, str]] | None = None,
) -> None:
    """Group cells' values by row (only ``rows`` when given), as ``_materialize`` takes them."""
    for (t, r, c), cell in cells.items():
        if rows is None or (t, r) in rows:
            into.setdefault((t, r), {})[c] = cell.value


def _row_id_of(item: tuple[tuple[str, str], int, int]) -> str:
    return item[0][1]


def _table_of(item: tuple[tuple[str, str], int, int]) -> str:
    return item[0][0]


def _row_runs(row_keys: list[tuple[str, str]]) -> list[tuple[int, int]] | None:
    """The ``[i, j)`` runs of consecutive entries of one row, or None when some row comes back
    after another row's entries (then the merge groups entry by entry)."""
    n = len(row_keys)
    starts = [0, *compress(range(1, n), map(ne, islice(row_keys, 1, None), row_keys)), n]
    if len(starts) - 1 != len(dict.fromkeys(row_keys)):
        return None
    return list(pairwise(starts))


def seen_json(seen: dict[str, int]) -> str:
    return json.dumps(seen, sort_keys=True, separators=(",", ":"))
