"""What an import brought, as officers count it: per sending unit, how many reports, task
updates, documents, budget lines and proposed changes arrived, and what was refused and why.
One summary, read by the command line and the Đồng bộ screen alike.

Rows are read from the segments an import applied (those not applied before it), as they were
carried, so a summary never counts more than the files held nor anything this laptop wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cchc.services.workspace import Workspace
from sync import reading

if TYPE_CHECKING:
    from cchc.services.exchange import ImportReport

#: How a synchronised row is counted: its table -> (kind, SQL giving the row it belongs to).
#: A report's sections, task lines and figures count as that one report; an update of a task and
#: the task's own fields count once per task.
KIND_OF_TABLE: dict[str, tuple[str, str | None]] = {
    "reports": ("reports", None),
    "report_sections": ("reports", "SELECT report_id FROM report_sections WHERE id = ?"),
    "report_tasks": ("reports", "SELECT report_id FROM report_tasks WHERE id = ?"),
    "report_figures": ("reports", "SELECT report_id FROM report_figures WHERE id = ?"),
    "tasks": ("task_updates", None),
    "task_updates": ("task_updates", "SELECT task_id FROM task_updates WHERE id = ?"),
    "documents": ("documents", None),
    "budgets": ("budgets", None),
    "amendments": ("amendments", None),
}
KINDS = (
    "new_tasks",
    "reports",
    "task_updates",
    "documents",
    "budgets",
    "amendments",
    "certificates",
    "revocations",
)

#: How far the city's certificates and revocations held here go: the last row of each table
#: (rows are only ever added; a certificate issued again is a new row).
TrustMark = tuple[int, int]


def trust_mark(ws: Workspace) -> TrustMark:
    """Where the certificates and revocations held here end now."""
    return reading.trust_mark(ws.db.conn)


def trust_since(
    ws: Workspace, mark: TrustMark, *, certificates: bool = True, besides: str = ""
) -> dict[str, int]:
    """How many certificates and revocations came to be held here after ``mark``:
    {"certificates": 1, "revocations": 1}, kinds with none left out; certificates of the site
    ``besides`` are not counted (a bundle's sender always shows its own)."""
    certs, revs = reading.trust_added_since(ws.db.conn, mark, besides)
    counts = {"certificates": certs if certificates else 0, "revocations": revs}
    return {kind: int(n) for kind, n in counts.items() if n}


@dataclass
class UnitArrivals:
    """What came from one sending laptop (named by its units)."""

    sender: str  # the site id of the laptop that wrote the changes
    name: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)  # why, one line per refused row
    #: changes applied here earlier and taken back now: the city revoked this laptop, and they
    #: came after the revocation's cutoff
    taken_back: int = 0

    @property
    def empty(self) -> bool:
        return not any(self.counts.values()) and not self.refused and not self.taken_back


@dataclass
class ImportSummary:
    """The whole import in officers' terms; ``files_refused`` are (file name, why)."""

    units: list[UnitArrivals] = field(default_factory=list)
    files_refused: list[tuple[str, str]] = field(default_factory=list)
    files_seen: int = 0
    files_already_imported: int = 0
    parts_waiting: int = 0
    conflicts: int = 0
    #: what the officer must know that is no refusal (a folder not looked at whole)
    notes: list[str] = field(default_factory=list)
    #: bundles that came in parts in this import: (name, parts here, parts in all)
    bundles_in_parts: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def nothing_new(self) -> bool:
        return (
            not any(not u.empty for u in self.units) and not self.files_refused and not self.notes
        )


#: The segments held as applied before an import: (origin, first sequence) of each.
FeedMark = frozenset[tuple[str, int]]


def feed_mark(ws: Workspace) -> FeedMark:
    """Which segments were applied here, before an import."""
    return reading.feed_mark(ws.db.conn)


def arrived_rows(
    ws: Workspace,
    before: FeedMark,
    refused: Iterable[tuple[str, str | None, str | None]] = (),
) -> list[tuple[str, str, str]]:
    """(origin, table, row id) of every row the segments applied since ``before`` carry, read
    from those segments themselves, less the rows refused (``(origin, table, row id)``).

    Only what the files brought: this laptop's own feed never counts (an import first seals
    this laptop's unsent changes into its own feed, which is no arrival), nor does any row a
    segment does not hold."""
    no = {(o, t, r) for o, t, r in refused if t and r}
    return [key for key in reading.arrived_rows(ws.db.conn, before) if key not in no]


def task_ids(ws: Workspace) -> frozenset[str]:
    """Every task held here (taken before an import, to tell new tasks from updated ones)."""
    return frozenset(r[0] for r in ws.db.conn.execute("SELECT id FROM tasks"))


def count_by_sender(
    ws: Workspace,
    rows: Iterable[tuple[str, str, str]],
    known_tasks: frozenset[str] | None = None,
) -> dict[str, dict[str, int]]:
    """Distinct reports, tasks, documents… per origin among ``rows``; with ``known_tasks``
    (the tasks held before), a task not among them counts as a new task, not an update."""
    conn = ws.db.conn
    seen: dict[str, dict[str, set[str]]] = {}
    for origin, table, row_id in rows:
        kind_sql = KIND_OF_TABLE.get(table)
        if kind_sql is None:
            continue  # history lines and file contents travel with what they belong to
        kind, parent_sql = kind_sql
        owner = row_id
        if parent_sql is not None:
            found = conn.execute(parent_sql, (row_id,)).fetchone()
            owner = str(found[0]) if found else row_id
        if kind == "task_updates" and known_tasks is not None and owner not in known_tasks:
            kind = "new_tasks"
        seen.setdefault(origin, {}).setdefault(kind, set()).add(owner)
    return {
        origin: {kind: len(ids) for kind, ids in kinds.items()} for origin, kinds in seen.items()
    }


def summary_of(ws: Workspace, report: ImportReport) -> ImportSummary:
    """The summary of an import, each sending laptop named by its units."""
    from cchc.services.sync_view import site_names
    from cchc.texts.errors import describe
    from cchc.texts.sync import rejection_reason
    from cchc.texts.ui_sync import SYNC

    return summarise(report, site_names(ws, SYNC["city"]), rejection_reason, describe)


def summarise(
    report: ImportReport,
    site_names: dict[str, str],
    refusal_text: Callable[[str, str], str],
    describe: Callable[[BaseException], str],
) -> ImportSummary:
    """The summary of an ``exchange.ImportReport``; ``site_names`` names each known laptop,
    ``refusal_text(code, reason)`` turns a refused row's reason into words, ``describe`` a
    refused file's (`cchc.texts.errors.describe`)."""
    out = ImportSummary(files_seen=len(report.files))
    by_sender: dict[str, UnitArrivals] = {}

    def unit(site: str) -> UnitArrivals:
        if site not in by_sender:
            by_sender[site] = UnitArrivals(sender=site, name=site_names.get(site, site[:8]))
        return by_sender[site]

    in_parts: dict[str, tuple[int, int]] = {}
    for outcome in report.files:
        if outcome.part is not None:
            p = outcome.part
            have, _count = in_parts.get(p.bundle, (0, p.count))
            in_parts[p.bundle] = (max(have, p.have), p.count)
    out.bundles_in_parts = [(name, have, n) for name, (have, n) in sorted(in_parts.items())]
    for outcome in report.files:
        name = Path(outcome.source).name
        if outcome.error_code == "folder_too_many" and outcome.error is not None:
            out.notes.append(describe(outcome.error))
            continue
        if outcome.error is not None:
            out.files_refused.append((name, describe(outcome.error)))
            continue
        if outcome.staged:
            continue
        if outcome.result is None:
            continue
        r = outcome.result
        if not r.sender and not (r.applied or r.held or r.rejected):
            out.files_already_imported += 1
        out.conflicts += r.conflicts
        for origin, kinds in outcome.arrivals.items():
            counts = unit(origin).counts
            for kind, n in kinds.items():
                counts[kind] = counts.get(kind, 0) + n
        for why in r.rejections:
            if why.code == "taken_back":
                unit(why.origin).taken_back += why.changes
            else:
                unit(why.origin).refused.append(refusal_text(why.code, why.reason))
    out.parts_waiting = max(0, len(report.waiting) - sum(h < n for _, h, n in out.bundles_in_parts))
    out.units = sorted(
        (u for u in by_sender.values() if not u.empty), key=lambda u: (u.name, u.sender)
    )
    return out
