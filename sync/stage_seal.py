"""Capture and seal (SPEC.md, "Capture" and "Export"): the triggers that record local writes,
and the sealing of captured changes into the next signed segments of this site's feed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from . import reading
from .capture import TRIGGER_VERSION, TableSpec, table_columns, trigger_sql
from .errors import FeedBehind
from .feeds import Columns, Segment, seal_columns
from .stage_judge import Judging


class Sealing(Judging):
    """Capture triggers, and sealing what they captured into this site's feed."""

    def track(self, spec: TableSpec) -> None:
        """Install (or refresh, after a migration) the capture triggers of ``spec.name``."""
        cols = table_columns(self.conn, spec)
        judged = tuple(c for c in spec.judged if c in cols)
        if (
            self._tracked.get(spec.name) == (spec.pk, cols)
            and self._trigger_version.get(spec.name) == TRIGGER_VERSION
            and self._judged.get(spec.name) == judged
            and self._triggers_present(spec.name)
        ):
            return  # already capturing exactly these columns, with these triggers
        with self._tx():
            cols = table_columns(self.conn, spec)
            for stmt in trigger_sql(spec, cols):
                self.conn.execute(stmt)
            self.conn.execute(
                "INSERT OR REPLACE INTO _sync_tracked (tbl, pk, columns, version, judged) "
                "VALUES (?, ?, ?, ?, ?)",
                (spec.name, spec.pk, json.dumps(cols), TRIGGER_VERSION, json.dumps(judged)),
            )
        self._tracked[spec.name] = (spec.pk, cols)
        self._trigger_version[spec.name] = TRIGGER_VERSION
        self._judged[spec.name] = judged

    def _triggers_present(self, table: str) -> bool:
        names = {f"_sync_{table}_{s}" for s in ("ins", "upd", "del")}
        found = {
            n
            for (n,) in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
            )
        }
        return names <= found

    @property
    def tracked_tables(self) -> list[str]:
        return sorted(self._tracked)

    @contextmanager
    def capture_suppressed(self) -> Iterator[None]:
        """Writes inside are not recorded (identical seed data on every laptop).

        Runs inside the caller's transaction if one is open, else in its own, so other
        connections never see capture switched off.
        """
        with reading.capture_suppressed(self.conn):
            yield

    def _behind(self) -> tuple[int, int] | None:
        """(sealed here, sealed by this site) when the database is older than its own feed."""
        mark = self.keys.feed_mark()
        last_seq = int(self.conn.execute("SELECT last_seq FROM _sync_state").fetchone()[0])
        if mark is not None and mark[0] > last_seq:
            return last_seq, mark[0]
        return None

    def _mark_feed(self) -> None:
        """Record the sealed feed head beside the database (after a commit)."""
        seq, head = self.conn.execute("SELECT last_seq, head FROM _sync_state").fetchone()
        mark = self.keys.feed_mark()
        if seq and (mark is None or mark[0] < seq):
            self.keys.set_feed_mark(seq, head)

    def _seal_pending(self) -> Segment | None:
        """Turn captured changes into the next signed segment of this site's feed (in a tx)."""
        behind = self._behind()
        if behind is not None:
            raise FeedBehind(
                f"this database holds site {self.site_id!r}'s feed up to {behind[0]} but the site "
                f"has sealed up to {behind[1]} (restored from an older backup?); import a bundle "
                "from a peer that holds the rest before sending",
                have=behind[0],
                sealed=behind[1],
            )
        rows = self.conn.execute(
            "SELECT n, hlc, tbl, row_id, col, value FROM _sync_pending ORDER BY n"
        ).fetchall()
        if not rows:
            return None
        last_seq, head = self.conn.execute("SELECT last_seq, head FROM _sync_state").fetchone()
        seen = self._seen_vector()
        seg: Segment | None = None
        for chunk in _seal_chunks(rows, *self._seal_limits()):
            hlcs, tables, row_ids, cols, values = (
                list(map(itemgetter(k), chunk)) for k in range(1, 6)
            )
            seg = seal_columns(
                self.key,
                self.site_id,
                Columns(hlcs, tables, row_ids, cols, values),
                last_seq + 1,
                head,
                seen,
            )
            self._store_segment(seg, "applied")
            self._advance(seg)
            last_seq, head = seg.last_seq, seg.head
        assert seg is not None
        self.conn.execute("UPDATE _sync_state SET last_seq = ?, head = ?", (last_seq, head))
        # every pending change was read in this transaction, and nothing else writes them here
        self.conn.execute("DELETE FROM _sync_pending")
        return seg

    def _seal_limits(self) -> tuple[int, int]:
        """Entries and value bytes of one sealed segment (``Engine`` reads them at each seal)."""
        return SEAL_MAX_ENTRIES, SEAL_MAX_BYTES

    def seal(self) -> int:
        """Seal captured changes now; return how many were sealed."""
        with self._tx():
            seg = self._seal_pending()
        self._mark_feed()
        return 0 if seg is None else seg.last_seq - seg.first_seq + 1


#: Entries and value bytes of one sealed segment, well inside what every reader accepts
#: (``limits.MAX_SEGMENT_ENTRIES``, ``limits.MAX_SEGMENT_BODY``).
SEAL_MAX_ENTRIES = 200_000
SEAL_MAX_BYTES = 16 * 1024 * 1024


def _seal_chunks(
    rows: list[tuple[Any, ...]], max_entries: int, max_bytes: int
) -> Iterator[list[tuple[Any, ...]]]:
    """Pending changes cut into runs that each seal into a segment every reader accepts."""
    start, size = 0, 0
    for i, row in enumerate(rows):
        value = row[5]
        cost = 16 + len(row[3]) + (len(value) if isinstance(value, (str, bytes)) else 9)
        if i > start and (i - start >= max_entries or size + cost > max_bytes):
            yield rows[start:i]
            start, size = i, 0
        size += cost
    yield rows[start:]
