"""What the engine reports: an import's counts and refusals, and the conflicts it kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .encoding import Value


@dataclass
class Rejection:
    """Why some changes were refused: the origin and range, the row if any, code and reason."""

    origin: str
    first_seq: int
    last_seq: int
    code: str
    reason: str
    table: str | None = None
    row_id: str | None = None
    changes: int = 0


@dataclass
class ImportResult:
    """Counts of changes applied, already present, held for a gap, and refused (with reasons)."""

    sender: str
    applied: int = 0
    duplicate: int = 0
    held: int = 0
    rejected: int = 0
    conflicts: int = 0
    segments_applied: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    #: segments held (not refused) with a reason the user should see, e.g. a clock ahead
    notes: list[Rejection] = field(default_factory=list)
    #: how far (ms) the newest held clock runs ahead of this site's bound; 0 when none
    clock_ahead_ms: int = 0
    #: changes applied here earlier and taken back now: their key was revoked (after its cutoff)
    taken_back: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "sender": self.sender,
            "applied": self.applied,
            "duplicate": self.duplicate,
            "held": self.held,
            "rejected": self.rejected,
            "conflicts": self.conflicts,
            "rejections": [r.__dict__ for r in self.rejections],
            "notes": [r.__dict__ for r in self.notes],
            "clock_ahead_ms": self.clock_ahead_ms,
            "taken_back": self.taken_back,
        }


@dataclass
class Conflict:
    """A cell where a concurrent write lost: the value kept and the value that lost."""

    id: int
    table: str
    row_id: str
    column: str
    kept_value: Value
    kept_origin: str
    kept_hlc: int
    lost_value: Value
    lost_origin: str
    lost_hlc: int
    resolved: str | None
