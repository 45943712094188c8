"""Who may write what, for the sync engine: the plan's rules (QĐ 07/QĐ-UBND, section IV).

A site's certificate carries a role (``domain.roles``) and a scope: the codes of the units it
speaks for. For each incoming row the engine asks ``plan_policy``, which judges the change on the
row as it stands (``view.before``) and as proposed (the incoming ``values`` over it). The rules
read, wherever they can, what the change itself says, so every copy gives the same answer
whatever the order it receives things in:

- *the change's own columns*: a role may not write a column at all (a unit never writes
  ``budgets.approved``), and an update (a change without ``~``) never carries an owner column
  (``budgets.task_id``, ``reports.unit_id`` …): the capture records only changed columns;
- *the owner as it stands*: who owns a row is its owner column as inserted, and a child row's
  owner is read from its parent as it stands;
- *transitions*: a status moves only along the plan's procedure (an amendment proposed →
  forwarded → approved/rejected; a report draft → submitted, and a submitted report is locked).

Rules of validity hold for every signer, the city included: history is append-only, blobs are
never deleted and must be referenced by a document and stay under ``MAX_BLOB_BYTES``, a
document's sha256 is 64 lowercase hex digits. Rules of authority spare the city, which may do
anything. Who may carry out which procedure (its columns, roles, the unit that puts a row in a
signer's scope, the status steps it takes) is not restated here: it is read from the one
statement ``domain.roles.GRANTS``, which the screens and the CLI offer from too
(tests/integration/test_one_statement.py). A refusal returns its key and parameters
(``domain.refusals``), which the engine logs and relays and the entry points put in words.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from cchc.domain import refusals
from cchc.domain.errors import InvalidInput
from cchc.domain.roles import (
    AMENDED_COLUMNS,
    AMENDMENT_DECISION,
    AMENDMENT_FORWARD,
    AMENDMENT_PROPOSAL,
    BUDGET_ALLOCATION,
    BUDGET_APPRAISAL,
    BUDGET_CHECK,
    BUDGET_UNIT,
    GRANTS,
    TASK_PLAN,
    Action,
    Role,
    allows,
)
from cchc.domain.text import fold
from cchc.domain.value_domains import judge_row
from cchc.services.attachments import checked_sha256
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
    "plan_files",
)
#: The columns the policy judges other rows by that may change after the row is made (a task's
#: lead and partners, a status). The engine keeps every value they had, so a change is judged
#: against what its writer had seen, and every copy reaches the same verdict in any order.
JUDGED_COLUMNS: dict[str, tuple[str, ...]] = {
    "tasks": ("lead_unit_id", "partner_unit_ids"),
    "reports": ("status",),
    "amendments": ("status",),
}

#: Who outranks whom when a judged column changed and a writer had not seen it (SPEC section
#: 12): the decision of a higher rank wins over a change made without knowing of it.
AUTHORITY_RANKS: dict[str, int] = {
    Role.CITY: 4,
    Role.LEADERSHIP: 3,
    Role.CONSOLIDATOR: 2,
    Role.FINANCE: 1,
    Role.UNIT: 0,
}


def authority_rank(signer: Signer) -> int:
    """A writer's rank by its certified role (an unknown role ranks lowest)."""
    return AUTHORITY_RANKS.get(signer.role, 0)


#: The largest evidence file a laptop stores or relays (the one place this cap is stated).
MAX_BLOB_BYTES = 25 * 1024 * 1024

ALIVE = "~"

#: Columns that say who owns a row: never changed once the row exists.
OWNER_COLUMNS: dict[str, tuple[str, ...]] = {
    "tasks": (),
    "budgets": ("task_id",),
    "reports": ("unit_id", "scope"),
    "amendments": ("unit_id", "task_id"),
    "task_updates": ("task_id",),
    "documents": ("task_id",),
    "history": ("task_id",),
    "report_sections": ("report_id",),
    "report_tasks": ("report_id",),
    "report_figures": ("report_id",),
}

#: Columns naming the officer who acted: they may not name a unit outside the signer's scope.
ACTOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "task_updates": ("officer",),
    "documents": ("added_by",),
    "history": ("actor",),
    "budgets": ("updated_by", "appraised_by", "allocated_by"),
    "amendments": ("proposed_by", "forwarded_by", "decided_by"),
    "reports": ("created_by", "submitted_by", "signer_name"),
}

#: The column sets, roles and status steps of the procedures are the statement's
#: (``domain.roles.GRANTS``); the rules below read them from there.
DECIDED = tuple(after for _, after in GRANTS[Action.AMENDMENT_DECIDE].steps)

#: Rows only the city deletes (the plan's records); blobs and history nobody deletes.
CITY_DELETES = frozenset({"tasks", "reports", "budgets", "amendments", "documents", "task_updates"})
_REPORT_CHILDREN = frozenset({"report_sections", "report_tasks", "report_figures"})
_TASK_CHILDREN = frozenset({"task_updates", "documents", "history"})


@dataclass
class Change:
    """One incoming row: who sends it, the row as it stands and the values proposed."""

    signer: Signer
    table: str
    row_id: str
    values: dict[str, Value]
    view: ReadView
    before: dict[str, Any] | None = None
    cols: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        self.before = self.view.before(self.table, self.row_id)
        self.cols = frozenset(c for c in self.values if c != ALIVE)

    @property
    def inserts(self) -> bool:
        return self.values.get(ALIVE) == 0

    @property
    def created(self) -> bool:
        """Made by this segment: inserted, or inserted and deleted again (a row made and deleted
        in one segment has no other trace than its own columns)."""
        return ALIVE in self.values and self.before is None

    @property
    def deletes(self) -> bool:
        return self.values.get(ALIVE) == 1

    @property
    def city(self) -> bool:
        return self.signer.role == Role.CITY

    @property
    def after(self) -> dict[str, Any]:
        """The row as proposed: as it stands with the incoming columns over it."""
        return {**(self.before or {}), **{c: self.values[c] for c in self.cols}}

    def owner(self, column: str) -> Any:
        """An owner column: as inserted, else as it stands."""
        if self.inserts or self.before is None:
            return self.values.get(column)
        return self.before.get(column)

    def written(self, columns: Iterable[str]) -> set[str]:
        """The columns of ``columns`` this change writes (an insert writes its non-empty ones)."""
        found = self.cols & frozenset(columns)
        if self.created:
            return {c for c in found if self.values[c] not in (None, "")}
        return set(found)

    def covers(self, unit_code: str | None) -> bool:
        return unit_code is not None and self.signer.covers_unit(unit_code)

    def may(self, action: Action, *units: str | None) -> bool:
        """Whether the signer carries out ``action`` (``domain.roles.GRANTS``) for a row whose
        unit concerned is one of ``units``."""
        return allows(self.signer.role, action, in_scope=any(self.covers(u) for u in units))

    @property
    def scope(self) -> list[str]:
        return list(self.signer.scope)

    def refuse(self, key: str, **fields: Any) -> str:
        """The refusal as its key and parameters (`domain.refusals`; the entry points put it in
        words): units by their names (the rule works on codes)."""
        for name in ("unit", "units"):
            if name in fields:
                codes = str(fields[name]).split(", ")
                fields[name] = ", ".join(_unit_display(self.view, c) for c in codes)
        scope = [_unit_display(self.view, c) for c in self.scope]
        return refusals.encode(key, table=self.table, row_id=self.row_id, scope=scope, **fields)


# ---------------------------------------------------------------------- lookups


def _unit_display(view: ReadView, code: str) -> str:
    """A unit's name for a message; the code as given when no unit has it."""
    key = ("unit_name", code)
    if key not in view.cache:
        rows = view.query("SELECT name FROM units WHERE code = ?", (code,))
        view.cache[key] = str(rows[0][0]) if rows else code
    return str(view.cache[key])


def _unit_code(view: ReadView, unit_id: Any) -> str | None:
    if unit_id is None:
        return None
    key = ("unit", unit_id)
    if key not in view.cache:
        rows = view.query("SELECT code FROM units WHERE id = ?", (unit_id,))
        view.cache[key] = str(rows[0][0]) if rows else None
    found = view.cache[key]
    return None if found is None else str(found)


def _unit_names(view: ReadView) -> dict[str, str]:
    """Every unit's code, name and aliases, folded → the unit's code."""
    if "unit_names" not in view.cache:
        names: dict[str, str] = {}
        for code, name, aliases in view.query("SELECT code, name, aliases FROM units"):
            try:
                others = [str(a) for a in json.loads(aliases or "[]")]
            except (TypeError, ValueError):
                others = []
            for text in (code, name, *others):
                names[fold(str(text))] = str(code)
        view.cache["unit_names"] = names
    return dict(view.cache["unit_names"])


def _parent(view: ReadView, table: str, row_id: Any) -> dict[str, Any] | None:
    """A parent row as it stands; one not stored yet is read with the incoming values (even
    when they delete it: a child deleted with its parent is judged by the parent as it stood)."""
    if row_id is None:
        return None
    return view.before(table, str(row_id)) or view.last(table, str(row_id))


def _task_units(view: ReadView, task_id: Any) -> tuple[str | None, list[str]]:
    """The lead's code and the partners' codes of a task as it stands (stored: a task a
    non-city site may add rows to always exists before them, so nothing arriving with the rows
    can vouch for them)."""
    task = view.before("tasks", str(task_id)) if task_id is not None else None
    if task is None:
        return None, []
    lead = _unit_code(view, task.get("lead_unit_id"))
    try:
        partner_ids = json.loads(task.get("partner_unit_ids") or "[]")
    except (TypeError, ValueError):
        partner_ids = []
    partners = [c for c in (_unit_code(view, p) for p in partner_ids) if c]
    return lead, partners


def _incoming_ids(view: ReadView, table: str) -> list[str]:
    """The ids of ``table``'s rows in the segment being judged (what the view lays over)."""
    return [str(r) for r in view.incoming(table)]


def _approved_amendments(view: ReadView, task_id: str) -> list[dict[str, Any]]:
    """The approved amendments of ``task_id`` decided in the segment being judged."""
    key = ("approved_amendments",)
    if key not in view.cache:
        found: dict[str, list[dict[str, Any]]] = {}
        for amendment_id in _incoming_ids(view, "amendments"):
            row = view.row("amendments", amendment_id)
            if (
                row
                and row.get("status") == "approved"
                and row.get("decision_number")
                and row.get("decision_date")
                and row.get("task_id")
            ):
                found.setdefault(str(row["task_id"]), []).append(row)
        view.cache[key] = found
    return list(view.cache[key].get(task_id, []))


def _referenced_blob(view: ReadView, sha256: str) -> bool:
    """Whether a document names this blob, stored or arriving in the same segment."""
    key = ("incoming_document_hashes",)
    if key not in view.cache:
        hashes = set()
        for doc_id in _incoming_ids(view, "documents"):
            row = view.row("documents", doc_id)
            if row and row.get("sha256"):
                hashes.add(str(row["sha256"]))
        view.cache[key] = hashes
    if sha256 in view.cache[key]:
        return True
    return bool(view.query("SELECT 1 FROM documents WHERE sha256 = ? LIMIT 1", (sha256,)))


# ---------------------------------------------------------------------- rules for everyone


def _validity(c: Change) -> str | None:
    """What no signer may do, the city included: a value outside its column's domain
    (domain.value_domains), history rewritten, a blob or a document hash malformed."""
    outside = judge_row(c.table, c.values)
    if outside is not None:
        return c.refuse(outside.key, **outside.params)
    if c.table == "history":
        if c.deletes:
            return c.refuse("history_append_only")
        if c.before is not None and any(c.before.get(k) != c.values[k] for k in c.cols):
            return c.refuse("history_append_only")
    if c.table == "attachment_blobs":
        return _blob(c)
    if c.table == "plan_files":
        return _published_plan(c)
    if c.table == "documents" and "sha256" in c.cols:
        try:
            checked_sha256(c.values["sha256"])
        except InvalidInput:
            return c.refuse("document_sha256")
    return None


def _blob(c: Change) -> str | None:
    if c.deletes:
        return c.refuse("blob_delete")
    row = c.after
    data = row.get("data")
    if not isinstance(data, bytes) or hashlib.sha256(data).hexdigest() != c.row_id:
        return c.refuse("blob_hash")
    if len(data) > MAX_BLOB_BYTES or row.get("size") != len(data):
        return c.refuse("blob_size", size=len(data), cap=MAX_BLOB_BYTES)
    if not _referenced_blob(c.view, c.row_id):
        return c.refuse("blob_unreferenced")
    return None


def _published_plan(c: Change) -> str | None:
    """A published plan (``services.plan_publish``) is written once, by the city, whole: no
    signer changes or deletes it after, and nobody but the city writes one (every table
    without a rule of its own is the city's)."""
    if not c.city:
        return c.refuse("table_city_only")
    if c.deletes or c.before is not None or not c.inserts:
        return c.refuse("plan_file_written")
    missing = {"year", "number", "source", "source_sha256", "body"} - c.cols
    if missing:
        return c.refuse("plan_file_written")
    source = c.values["source"]
    if not isinstance(source, str) or (
        hashlib.sha256(source.encode("utf-8")).hexdigest() != c.values["source_sha256"]
    ):
        return c.refuse("plan_file_written")
    return None


def _ownership(c: Change) -> str | None:
    """Owner columns never change: an update never carries one, an insert never re-points."""
    for column in OWNER_COLUMNS.get(c.table, ()):
        if column not in c.cols:
            continue
        proposed = c.values[column]
        if c.before is not None and c.before.get(column) != proposed:
            if _amendment_gets_its_new_task(c, column):
                continue
            return c.refuse("owner_moved", column=column)
        if not c.created and c.before is None:
            return c.refuse("row_unknown")
    return None


def _amendment_gets_its_new_task(c: Change, column: str) -> bool:
    """An approved "add" amendment records the task it created: task_id from nothing, once."""
    before = c.before or {}
    return (
        c.table == "amendments"
        and column == "task_id"
        and before.get("task_id") is None
        and before.get("action") == "add"
        and c.after.get("status") == "approved"
        and c.may(Action.AMENDMENT_DECIDE)
    )


def _actors(c: Change) -> str | None:
    """An officer field names an officer, never a unit outside the signer's scope."""
    names = None
    for column in ACTOR_COLUMNS.get(c.table, ()):
        if column not in c.cols or c.values[column] in (None, ""):
            continue
        names = names if names is not None else _unit_names(c.view)
        claimed = names.get(fold(str(c.values[column])))
        if claimed is not None and not c.covers(claimed):
            return c.refuse("actor_other_unit", column=column, unit=claimed)
    return None


# ---------------------------------------------------------------------- rules per table


def _tasks(c: Change) -> str | None:
    if c.deletes:
        return c.refuse("delete_city_only")
    lead = _unit_code(c.view, c.owner("lead_unit_id"))
    plan = c.written(TASK_PLAN)
    adds = plan and c.may(Action.TASK_ADD) and c.inserts and c.before is None
    if adds and c.after.get("origin") == "zone":
        return None  # a task UBND đặc khu assigns outside the plan
    if plan and c.may(Action.AMENDMENT_DECIDE):
        return _task_amended(c, plan)  # the decider applies what its decision says
    if plan:
        return c.refuse("task_plan_fields", columns=", ".join(sorted(plan)))
    if c.before is None:
        return c.refuse("row_unknown")
    if not c.may(Action.TASK_PROGRESS, lead):
        return c.refuse("task_not_led", units=lead or "?")
    return None


def _task_amended(c: Change, plan: set[str]) -> str | None:
    """The leadership changes a task's plan fields only as an approved amendment says."""
    allowed: set[str] = set()
    for amendment in _approved_amendments(c.view, c.row_id):
        if amendment.get("action") == "add" and c.inserts:
            allowed |= TASK_PLAN
        if amendment.get("action") != "change":
            continue
        try:
            proposal = json.loads(amendment.get("proposal") or "{}")
        except (TypeError, ValueError):
            proposal = {}
        for key, columns in AMENDED_COLUMNS.items():
            if key in proposal:
                same = key not in ("content", "product") or proposal[key] == c.after.get(key)
                if same:
                    allowed |= columns
    outside = plan - allowed
    if outside:
        return c.refuse("task_plan_fields", columns=", ".join(sorted(outside)))
    return None


def _task_children(c: Change) -> str | None:
    if c.deletes and c.table != "history" and not c.city:
        return c.refuse("delete_city_only")
    task_id = c.owner("task_id")
    if task_id is None:  # a record tied to no task: those who forward and decide keep them
        if c.may(Action.AMENDMENT_FORWARD) or c.may(Action.AMENDMENT_DECIDE):
            return None
        return c.refuse("no_task")
    if c.table == "history" and c.may(Action.AMENDMENT_DECIDE):
        return None  # the decider records its decisions in any task's history
    lead, partners = _task_units(c.view, task_id)
    involved = [u for u in (lead, *partners) if u]
    if not c.may(Action.TASK_NOTES, *involved):
        return c.refuse("task_not_involved", units=", ".join(involved) or "?")
    if c.table == "task_updates" and "unit_id" in c.cols and c.values["unit_id"] is not None:
        unit = _unit_code(c.view, c.values["unit_id"])
        if not c.covers(unit):
            return c.refuse("update_other_unit", unit=unit or "?")
    return None


def _budgets(c: Change) -> str | None:
    if c.deletes:
        return c.refuse("delete_city_only")
    if c.before is None and not c.inserts:
        return c.refuse("row_unknown")
    lead, _ = _task_units(c.view, c.owner("task_id"))
    refused: set[str] = set()
    unit_part = c.written(BUDGET_UNIT)
    if unit_part and not c.may(Action.BUDGET_ESTIMATE, lead):
        refused |= unit_part
    appraisal = c.written(BUDGET_APPRAISAL)
    if appraisal and not c.may(Action.BUDGET_APPRAISE):
        refused |= appraisal
    check = c.written(BUDGET_CHECK)
    if check and not c.may(Action.BUDGET_CHECK):
        refused |= check
    appraisal |= check
    allocation = c.written(BUDGET_ALLOCATION)
    if allocation:
        if not c.may(Action.BUDGET_ALLOCATE):
            refused |= allocation
        elif not (c.after.get("decision_number") and c.after.get("decision_date")):
            return c.refuse("budget_no_decision")
    if refused:
        return c.refuse("budget_columns", columns=", ".join(sorted(refused)), unit=lead or "?")
    if (
        not (unit_part or appraisal or allocation)
        and not c.covers(lead)
        and c.signer.role == Role.UNIT
    ):
        return c.refuse("budget_not_led", unit=lead or "?")
    return None


def _amendments(c: Change) -> str | None:
    if c.deletes:
        return c.refuse("delete_city_only")
    before = c.before or {}
    unit = _unit_code(c.view, c.owner("unit_id"))
    own = c.may(Action.AMENDMENT_PROPOSE, unit)
    if c.inserts and c.before is None:
        # a proposal, possibly forwarded or decided within the same segment; each step is
        # then judged as it would be alone
        if not own:
            return c.refuse("amendment_not_own", unit=unit or "?")
        return _amendment_steps(c, "proposed")
    if c.before is None:
        return c.refuse("row_unknown")
    proposal = c.written(AMENDMENT_PROPOSAL) - {"task_id"}
    if proposal:
        return c.refuse("amendment_locked", columns=", ".join(sorted(proposal)))
    return _amendment_steps(c, str(before.get("status")))


def _amendment_steps(c: Change, old: str) -> str | None:
    """The status moves one step at a time along the procedure, each step by its role:
    proposed → forwarded (the consolidator) → approved or rejected (the leadership), with the
    decision's number and date. A decided amendment is locked."""
    if old in DECIDED and c.cols:
        return c.refuse("amendment_decided")
    new = str(c.after.get("status"))
    forwarding = c.written(AMENDMENT_FORWARD)
    deciding = c.written(AMENDMENT_DECISION)
    step = (old, new)
    if step in GRANTS[Action.AMENDMENT_FORWARD].steps:
        if not c.may(Action.AMENDMENT_FORWARD):
            return c.refuse("amendment_forwarder")
        return c.refuse("amendment_decision") if deciding else None
    if step in GRANTS[Action.AMENDMENT_DECIDE].steps:
        if not c.may(Action.AMENDMENT_DECIDE):
            return c.refuse("amendment_decision")
        if forwarding:
            return c.refuse("amendment_forwarder")
        if not (c.after.get("decision_number") and c.after.get("decision_date")):
            return c.refuse("amendment_decision_fields")
        return None
    if old == new and old in ("proposed", "forwarded"):
        if forwarding:
            return c.refuse("amendment_forwarder")
        return c.refuse("amendment_decision") if deciding else None
    return c.refuse("amendment_transition", old=old, new=new)


def _reports(c: Change) -> str | None:
    if c.deletes:
        return c.refuse("delete_city_only")
    before = c.before
    if before is None and not c.inserts:
        return c.refuse("row_unknown")
    scope, unit = c.owner("scope"), _unit_code(c.view, c.owner("unit_id"))
    denied = _report_author(c, scope, unit)
    if denied:
        return denied
    if before is not None and before.get("status") == "submitted" and c.cols:
        return c.refuse("report_locked")
    if "status" in c.cols and c.values["status"] not in ("draft", "submitted"):
        return c.refuse("report_transition", new=c.values["status"])
    return None


def _report_author(c: Change, scope: Any, unit: str | None) -> str | None:
    if scope == "zone":
        return None if c.may(Action.REPORT_CONSOLIDATE) else c.refuse("zone_report")
    if c.may(Action.REPORT_WRITE, unit):
        return None
    return c.refuse("report_not_own", unit=unit or "?")


def _report_children(c: Change) -> str | None:
    report = _parent(c.view, "reports", c.owner("report_id"))
    if report is None:
        return c.refuse("row_unknown")
    denied = _report_author(c, report.get("scope"), _unit_code(c.view, report.get("unit_id")))
    if denied:
        return denied
    stored = c.view.before("reports", str(report.get("id")))
    if stored is not None and stored.get("status") == "submitted":
        return c.refuse("report_locked")
    return None


_JUDGES: dict[str, Callable[[Change], str | None]] = {
    "tasks": _tasks,
    "task_updates": _task_children,
    "documents": _task_children,
    "history": _task_children,
    "budgets": _budgets,
    "amendments": _amendments,
    "reports": _reports,
    "report_sections": _report_children,
    "report_tasks": _report_children,
    "report_figures": _report_children,
}


def plan_policy(
    signer: Signer, table: str, row_id: str, values: dict[str, Value], view: ReadView
) -> str | None:
    """None when ``signer`` may write these values of ``table``/``row_id``, else the reason."""
    change = Change(signer, table, row_id, values, view)
    invalid = _validity(change)
    if invalid or table == "attachment_blobs" or change.city:
        return invalid
    judge = _JUDGES.get(table)
    if judge is None:
        return change.refuse("table_city_only")
    return _ownership(change) or judge(change) or _actors(change)
