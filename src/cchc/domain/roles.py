"""The plan's roles (QĐ 07/QĐ-UBND, section IV and seed lines 179, 207–211, 229) and which
procedure each may carry out. Pure data: the sync policy (services/sync_policy.py) and the
question "what may this laptop do" (services/permissions.py) both read it, so they agree.

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


#: The roles that carry out each procedure whatever the unit (the city may do anything).
BY_ROLE: dict[Action, frozenset[Role]] = {
    Action.TASK_PROGRESS: frozenset({Role.CITY}),
    Action.TASK_NOTES: frozenset({Role.CITY}),
    Action.TASK_ADD: frozenset({Role.CITY, Role.LEADERSHIP}),
    Action.TASK_PLAN: frozenset({Role.CITY}),
    Action.BUDGET_ESTIMATE: frozenset({Role.CITY}),
    Action.BUDGET_APPRAISE: frozenset({Role.CITY, Role.FINANCE}),
    Action.BUDGET_ALLOCATE: frozenset({Role.CITY, Role.LEADERSHIP, Role.FINANCE}),
    Action.BUDGET_CHECK: frozenset({Role.CITY, Role.FINANCE}),
    Action.AMENDMENT_PROPOSE: frozenset({Role.CITY}),
    Action.AMENDMENT_FORWARD: frozenset({Role.CITY, Role.CONSOLIDATOR}),
    Action.AMENDMENT_DECIDE: frozenset({Role.CITY, Role.LEADERSHIP}),
    Action.REPORT_WRITE: frozenset({Role.CITY}),
    Action.REPORT_CONSOLIDATE: frozenset({Role.CITY, Role.CONSOLIDATOR}),
}

#: Procedures any role carries out for the units in its scope.
SCOPED: frozenset[Action] = frozenset(
    {
        Action.TASK_PROGRESS,
        Action.TASK_NOTES,
        Action.BUDGET_ESTIMATE,
        Action.AMENDMENT_PROPOSE,
        Action.REPORT_WRITE,
    }
)

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
    """Whether ``role`` may carry out ``action`` (``in_scope``: the unit concerned is its own)."""
    if role in {r.value for r in BY_ROLE[action]}:
        return True
    return action in SCOPED and in_scope
