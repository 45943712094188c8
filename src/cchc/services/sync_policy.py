"""Who may write what, for the sync engine: the plan's rules (QĐ 07/QĐ-UBND, section IV).

A site's certificate carries a role (``unit``, ``consolidator``, ``city``) and a scope: the codes
of the units it speaks for. For each incoming row the engine asks ``plan_policy``:

- the city (role ``city``) writes anything;
- a unit writes the tasks it leads, and their budgets;
- a unit that leads or partners a task may add progress updates, documents and history to it;
- a unit writes its own unit reports and amendment proposals;
- the consolidator (Phòng Văn hóa - Xã hội) also writes the zone's consolidated reports and may
  forward any amendment proposal.

A refusal returns the Vietnamese reason that is logged and shown to the user.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cchc.texts.sync import POLICY
from sync import ReadView, Signer
from sync.encoding import Value

#: Tables the engine tracks for this app, when present in the database.
TRACKED_TABLES = (
    "tasks",
    "task_updates",
    "documents",
    "history",
    "reports",
    "report_sections",
    "report_tasks",
    "report_figures",
    "budgets",
    "amendments",
    "attachment_blobs",
)
#: The columns the policy judges other rows by that may change after the row is made (a task's
#: lead and partners, a status). The engine keeps every value they had, so a change is judged
#: against what its writer had seen, and every copy reaches the same verdict in any order.
JUDGED_COLUMNS: dict[str, tuple[str, ...]] = {
    "tasks": ("lead_unit_id", "partner_unit_ids"),
    "reports": ("status",),
    "amendments": ("status",),
}
_TASK_CHILDREN = {"task_updates", "documents", "history"}
_REPORT_CHILDREN = {"report_sections", "report_tasks", "report_figures"}


def _unit_code(view: ReadView, unit_id: Any) -> str | None:
    if unit_id is None:
        return None
    key = ("unit", unit_id)
    if key not in view.cache:
        rows = view.query("SELECT code FROM units WHERE id = ?", (unit_id,))
        view.cache[key] = str(rows[0][0]) if rows else str(unit_id)
    return str(view.cache[key])


def _task_units(view: ReadView, task_id: Any) -> tuple[str | None, list[str]]:
    """The lead's code and the partners' codes of a task (as it stands with incoming values)."""
    task = view.row("tasks", str(task_id)) if task_id is not None else None
    if task is None:
        return None, []
    lead = _unit_code(view, task.get("lead_unit_id"))
    try:
        partner_ids = json.loads(task.get("partner_unit_ids") or "[]")
    except (TypeError, ValueError):
        partner_ids = []
    partners = [c for c in (_unit_code(view, p) for p in partner_ids) if c]
    return lead, partners


def plan_policy(
    signer: Signer, table: str, row_id: str, values: dict[str, Value], view: ReadView
) -> str | None:
    """None when ``signer`` may write these values of ``table``/``row_id``, else the reason."""
    if signer.role == "city":
        return None
    scope = list(signer.scope)
    consolidator = signer.role == "consolidator"
    before = view.before(table, row_id) or {}
    row = view.last(table, row_id) or {}  # a deleted row is judged as it stood

    if table == "attachment_blobs":
        # Content-addressed: the id is the SHA-256 of the bytes, so a row can only ever be the
        # file its documents name. Any certified site may carry one; a mismatch is refused.
        data = (row or {}).get("data")
        if isinstance(data, bytes) and hashlib.sha256(data).hexdigest() == row_id:
            return None
        return POLICY["blob_hash"].format(row_id=row_id)

    if table == "tasks":
        found = {_unit_code(view, r.get("lead_unit_id")) for r in (row, before) if r}
        leads = {u for u in found if u is not None}
        outside = sorted(u for u in leads if not signer.covers_unit(u))
        if outside or not leads:
            return POLICY["task_not_led"].format(units=", ".join(outside) or "?", scope=scope)
        return None

    if table == "budgets":
        lead, _ = _task_units(view, row.get("task_id"))
        if lead is not None and signer.covers_unit(lead):
            return None
        return POLICY["budget_not_led"].format(unit=lead or "?", scope=scope)

    if table in _TASK_CHILDREN:
        task_id = row.get("task_id", before.get("task_id"))
        if task_id is None:
            return None if consolidator else POLICY["no_task"].format(table=table)
        lead, partners = _task_units(view, task_id)
        involved = [u for u in [lead, *partners] if u]
        if any(signer.covers_unit(u) for u in involved):
            return None
        return POLICY["task_not_involved"].format(
            table=table, units=", ".join(involved) or "?", scope=scope
        )

    if table in ("reports", *_REPORT_CHILDREN):
        report = (
            row
            if table == "reports"
            # a child deleted with its report is judged by the report as it stood
            else (view.last("reports", str(row.get("report_id"))) or {})
        )
        if report.get("scope") == "zone":
            return None if consolidator else POLICY["zone_report"].format(scope=scope)
        unit = _unit_code(view, report.get("unit_id"))
        if unit is not None and signer.covers_unit(unit):
            return None
        return POLICY["report_not_own"].format(unit=unit or "?", scope=scope)

    if table == "amendments":
        unit = _unit_code(view, row.get("unit_id"))
        decided = row.get("status") in ("approved", "rejected")
        if decided:
            return POLICY["amendment_decision"].format(scope=scope)
        if consolidator or (unit is not None and signer.covers_unit(unit)):
            return None
        return POLICY["amendment_not_own"].format(unit=unit or "?", scope=scope)

    return POLICY["table_city_only"].format(table=table)
