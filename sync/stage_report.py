"""Report (what an ``Engine`` tells of itself): its open conflicts and their resolution, the
log of what it refused or took back, and its status."""

from __future__ import annotations

from typing import Any

from . import equivocation
from .errors import UnknownConflict, UsageError
from .results import Conflict
from .signing import fingerprint
from .stage_order import Ordering


class Reporting(Ordering):
    """Conflicts, refusals and status."""

    def conflicts(self, include_resolved: bool = False) -> list[Conflict]:
        sql = (
            "SELECT id, tbl, row_id, col, kept_value, kept_origin, kept_hlc, lost_value, "
            "lost_origin, lost_hlc, resolved FROM _sync_conflicts"
        )
        if not include_resolved:
            sql += " WHERE resolved IS NULL"
        return [Conflict(*row) for row in self.conn.execute(sql + " ORDER BY id")]

    def resolve_conflict(self, conflict_id: int, keep: str = "other") -> None:
        """``keep="other"`` writes the losing value as a new local change (so it propagates);
        ``keep="current"`` just marks the conflict resolved."""
        row = self.conn.execute(
            "SELECT tbl, row_id, col, lost_value FROM _sync_conflicts "
            "WHERE id = ? AND resolved IS NULL",
            (conflict_id,),
        ).fetchone()
        if row is None:
            raise UnknownConflict(f"no open conflict with id {conflict_id!r}", id=conflict_id)
        if keep not in ("other", "current"):
            raise UsageError(f"keep must be 'other' or 'current', not {keep!r}")
        tbl, row_id, col, lost = row
        with self._tx():
            if keep == "other":
                pk = self._tracked[tbl][0]
                cur = self.conn.execute(
                    f'UPDATE "{tbl}" SET "{col}" = ? WHERE "{pk}" = ?', (lost, row_id)
                )
                if cur.rowcount != 1:
                    raise UnknownConflict(
                        f"conflict {conflict_id}: row {row_id!r} of {tbl!r} no longer exists",
                        id=conflict_id,
                    )
            self.conn.execute(
                "UPDATE _sync_conflicts SET resolved = ? WHERE id = ?", (keep, conflict_id)
            )

    def rejections(self, limit: int = 100) -> list[dict[str, Any]]:
        cols = ["origin", "first_seq", "last_seq", "table", "row_id", "code", "reason"]
        return [
            dict(zip(cols, r, strict=True))
            for r in self.conn.execute(
                "SELECT origin, first_seq, last_seq, tbl, row_id, code, reason "
                "FROM _sync_rejections ORDER BY id DESC LIMIT ?",
                (limit,),
            )
        ]

    def status(self) -> dict[str, Any]:
        me = self.my_signer()
        pending = self.conn.execute("SELECT count(*) FROM _sync_pending").fetchone()[0]
        held = self.conn.execute(
            "SELECT origin, first_seq, last_seq FROM _sync_segments WHERE state = 'held' "
            "ORDER BY origin, first_seq"
        ).fetchall()
        peers: dict[str, dict[str, int]] = {}
        for p, o, s in self.conn.execute("SELECT peer, origin, acked_seq FROM _sync_peers"):
            peers.setdefault(p, {})[o] = s
        return {
            "site_id": self.site_id,
            "fingerprint": fingerprint(self.key.public),
            "root_fingerprint": self.root_fingerprint(),
            "role": me.role if me else None,
            "units": list(me.scope) if me else [],
            "tracked_tables": self.tracked_tables,
            "unsealed_changes": pending,
            "vector": self.vector(),
            "held": [{"origin": o, "first_seq": f, "last_seq": last} for o, f, last in held],
            "peers": peers,
            "open_conflicts": len(self.conflicts()),
            "forked": equivocation.freeze_points(self.conn),
            "rejections": self.conn.execute("SELECT count(*) FROM _sync_rejections").fetchone()[0],
        }
