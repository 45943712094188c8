"""The plan's roles (QĐ 07/QĐ-UBND, section IV and seed lines 179, 207–211, 229) and which
procedure each may carry out: the one statement of who may write what (``GRANTS``). Pure data:
the sync policy (services/sync_policy.py) and the question "what may this laptop do"
(services/permissions.py) both read it, so they agree.

- ``city``: the root (Sở Nội vụ / UBND thành phố); assigns city tasks; may do anything.
- ``leadership``: UBND đặc khu's leadership, its office Văn phòng UBND đặc khu: decides
  amendments and budget allocations (with a decision number and date).
- ``consolidator``: Phòng Văn hóa - Xã hội: consolidates reports, forwards amendments.
- ``finance``: Phòng Tài chính: appraises every estimate, records the allocation decided, checks
  spending.
- ``unit``: any unit: tracks the tasks it leads, reports, estimates their cost, proposes changes.

Every role also acts as a unit for the units its certificate's scope lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    CITY = "city"
    LEADERSHIP = "leadership"
    CONSOLIDATOR = "consolidator"
    FINANCE = "finance"
    UNIT = "unit"


ROLES: tuple[str, ...] = tuple(r.value for r in Role)


class Action(StrEnum):
    """A procedure a laptop may be offered; ``scoped`` ones also need the unit in scope."""

    TASK_PROGRESS = "task_progress"  # status/progress of a task the unit leads (scoped)
    TASK_NOTES = "task_notes"  # updates and documents on a task it leads or partners (scoped)
    TASK_ADD = "task_add"  # a task outside the plan, assigned by UBND đặc khu
    TASK_PLAN = "task_plan"  # a task's plan fields (due, lead, content…), city tasks
    BUDGET_ESTIMATE = "budget_estimate"  # estimate, send, spending of its tasks (scoped)
    BUDGET_APPRAISE = "budget_appraise"
    BUDGET_ALLOCATE = "budget_allocate"  # record the allocation UBND đặc khu decided
    BUDGET_CHECK = "budget_check"
    AMENDMENT_PROPOSE = "amendment_propose"  # for its own unit (scoped)
    AMENDMENT_FORWARD = "amendment_forward"
    AMENDMENT_DECIDE = "amendment_decide"
    REPORT_WRITE = "report_write"  # open, edit, submit, revise its unit's report (scoped)
    REPORT_CONSOLIDATE = "report_consolidate"


# ---------------------------------------------------------------------- who may write what
# The one statement, per procedure: the table and columns it writes, the roles that carry it out
# whatever the unit, whether any role also carries it out for the units in its scope (and which
# unit of the row that is), and the steps of the row's status it may take. The sync policy
# (services/sync_policy.py) judges every copy's rows by it, the commit guard refuses this
# laptop's own by that policy, and the screens and CLI offer what ``allows`` says
# (services/permissions.py); tests/integration/test_one_statement.py checks that the two agree.

#: A task's columns the lead unit tracks, and the plan's (changed only by the city, or by the
#: leadership applying a decided amendment).
TASK_TRACKING = frozenset({"status", "progress", "done_on", "updated_at"})
TASK_PLAN = frozenset(
    {
        "stt",
        "area",
        "content",
        "subitems",
        "lead_unit_id",
        "lead_text",
        "partners",
        "partner_unit_ids",
        "timeframe",
        "deadline_kind",
        "window_start",
        "due",
        "cadence",
        "timeframe_flagged",
        "product",
        "origin",
        "source_number",
        "source_date",
        "source_issuer",
        "created_at",
        "plan_year",
        "carried_from",
    }
)
#: The task columns an approved amendment's proposal key may change.
AMENDED_COLUMNS: dict[str, frozenset[str]] = {
    "content": frozenset({"content"}),
    "product": frozenset({"product"}),
    "lead": frozenset({"lead_unit_id", "lead_text"}),
    "timeframe": frozenset(
        {"timeframe", "deadline_kind", "window_start", "due", "cadence", "timeframe_flagged"}
    ),
}
#: Budget columns by the step that writes them.
BUDGET_UNIT = frozenset({"task_id", "estimate", "estimate_sent_on", "spent", "note"})
BUDGET_APPRAISAL = frozenset(
    {"appraised", "appraised_on", "appraised_by", "appraisal_note", "submitted_on"}
)
BUDGET_ALLOCATION = frozenset(
    {"approved", "approved_on", "decision_number", "decision_date", "allocated_by"}
)
BUDGET_CHECK = frozenset({"spending_checked_on", "spending_check_note"})
#: Amendment columns by step of the procedure.
AMENDMENT_PROPOSAL = frozenset(
    {"unit_id", "action", "task_id", "proposal", "reason", "proposed_by", "proposed_at"}
)
AMENDMENT_FORWARD = frozenset({"forwarded_by", "forwarded_at"})
AMENDMENT_DECISION = frozenset({"decision_number", "decision_date", "decided_by", "decided_at"})
#: Any column of the table (a row the procedure makes whole).
ANY = frozenset({"*"})


@dataclass(frozen=True)
class Grant:
    """Who may carry out one procedure, and what it writes."""

    tables: tuple[str, ...]
    columns: frozenset[str]
    roles: frozenset[Role]  # carry it out whatever the unit (the city carries out everything)
    #: which unit of the row makes it "in scope" for any other role: "lead" (the task's lead
    #: unit), "involved" (its lead or a partner), "own" (the row's own unit); "" for none
    unit: str = ""
    #: the steps of the row's status it takes, (before, after); None before: a new row
    steps: tuple[tuple[str | None, str], ...] = ()

    @property
    def scoped(self) -> bool:
        return bool(self.unit)


GRANTS: dict[Action, Grant] = {
    Action.TASK_PROGRESS: Grant(("tasks",), TASK_TRACKING, frozenset({Role.CITY}), "lead"),
    Action.TASK_NOTES: Grant(
        ("task_updates", "documents", "history"), ANY, frozenset({Role.CITY}), "involved"
    ),
    Action.TASK_ADD: Grant(("tasks",), TASK_PLAN, frozenset({Role.CITY, Role.LEADERSHIP})),
    Action.TASK_PLAN: Grant(("tasks",), TASK_PLAN, frozenset({Role.CITY})),
    Action.BUDGET_ESTIMATE: Grant(("budgets",), BUDGET_UNIT, frozenset({Role.CITY}), "lead"),
    Action.BUDGET_APPRAISE: Grant(
        ("budgets",), BUDGET_APPRAISAL, frozenset({Role.CITY, Role.FINANCE})
    ),
    Action.BUDGET_ALLOCATE: Grant(
        ("budgets",), BUDGET_ALLOCATION, frozenset({Role.CITY, Role.LEADERSHIP, Role.FINANCE})
    ),
    Action.BUDGET_CHECK: Grant(("budgets",), BUDGET_CHECK, frozenset({Role.CITY, Role.FINANCE})),
    Action.AMENDMENT_PROPOSE: Grant(
        ("amendments",),
        AMENDMENT_PROPOSAL,
        frozenset({Role.CITY}),
        "own",
        ((None, "proposed"),),
    ),
    Action.AMENDMENT_FORWARD: Grant(
        ("amendments",),
        AMENDMENT_FORWARD,
        frozenset({Role.CITY, Role.CONSOLIDATOR}),
        steps=(("proposed", "forwarded"),),
    ),
    Action.AMENDMENT_DECIDE: Grant(
        ("amendments",),
        AMENDMENT_DECISION,
        frozenset({Role.CITY, Role.LEADERSHIP}),
        steps=(("forwarded", "approved"), ("forwarded", "rejected")),
    ),
    Action.REPORT_WRITE: Grant(
        ("reports", "report_sections", "report_tasks", "report_figures"),
        ANY,
        frozenset({Role.CITY}),
        "own",
        ((None, "draft"), ("draft", "draft"), ("draft", "submitted")),
    ),
    Action.REPORT_CONSOLIDATE: Grant(
        ("reports", "report_sections", "report_tasks", "report_figures"),
        ANY,
        frozenset({Role.CITY, Role.CONSOLIDATOR}),
        steps=((None, "draft"), ("draft", "draft"), ("draft", "submitted")),
    ),
}

#: The roles that carry out each procedure whatever the unit (read from ``GRANTS``).
BY_ROLE: dict[Action, frozenset[Role]] = {a: g.roles for a, g in GRANTS.items()}

#: Procedures any role carries out for the units in its scope (read from ``GRANTS``).
SCOPED: frozenset[Action] = frozenset(a for a, g in GRANTS.items() if g.scoped)


def takes_step(action: Action, status: str | None) -> bool:
    """Whether ``action`` applies to a row whose status is ``status`` (to any row, for a
    procedure that moves no status)."""
    steps = GRANTS[action].steps
    return not steps or any(before == status for before, _ in steps)


#: A laptop without a certificate acts in the role its unit setting implies (the role the city
#: is expected to certify it for): by the unit's code first, else by the unit's role in the seed.
ROLE_OF_UNIT_CODE: dict[str, Role] = {
    "tai_chinh": Role.FINANCE,
    "ubnd_dk": Role.LEADERSHIP,
    "vp_ubnd": Role.LEADERSHIP,
}
ROLE_OF_UNIT_ROLE: dict[str, Role] = {
    "city": Role.CITY,
    "consolidator": Role.CONSOLIDATOR,
}


#: The plan's units that run a laptop of their own: an agency of the zone ("unit") or the
#: consolidating office. Groups ("Các đơn vị có liên quan"…) and outside bodies never do; the
#: city's agencies only on the city's own (root) computer.
LAPTOP_UNIT_ROLES = frozenset({"unit", "consolidator"})


def can_own_laptop(unit_role: str, *, city_computer: bool = False) -> bool:
    """Whether a unit of seed role ``unit_role`` may be chosen as a laptop's unit."""
    return unit_role in LAPTOP_UNIT_ROLES or (city_computer and unit_role == "city")


def role_for_unit(code: str, unit_role: str) -> Role:
    """The role a laptop set to this unit acts in until it holds a certificate."""
    return ROLE_OF_UNIT_CODE.get(code) or ROLE_OF_UNIT_ROLE.get(unit_role, Role.UNIT)


def allows(role: str, action: Action, *, in_scope: bool) -> bool:
    """Whether ``role`` may carry out ``action`` (``in_scope``: the unit concerned, as the
    procedure's ``Grant.unit`` names it, is one its scope covers)."""
    grant = GRANTS[action]
    if role == Role.CITY or role in {r.value for r in grant.roles}:
        return True
    return grant.scoped and in_scope
