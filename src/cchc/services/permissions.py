"""What this laptop may do: the one question the CLI, the screens and the services ask.

The answer follows this laptop's certificate (role and scope, as the sync engine establishes it
from the trust chain) when it holds one, since that is what every other copy judges its changes
by; before it is certified, the unit it is set to (Cài đặt) stands for its scope and implies its
role (``domain.roles.role_for_unit``); a laptop set to nothing may do anything (it is not yet
part of any exchange). The rules themselves are ``domain.roles``, which the sync policy reads too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cchc.domain.errors import InvalidInput
from cchc.domain.roles import Action, Role, allows, role_for_unit
from cchc.services.workspace import Workspace
from cchc.store import reports_repo

UNIT_KEY = "unit_code"
ALL_UNITS = "*"


@dataclass(frozen=True)
class Authority:
    """A laptop's role and the unit codes it speaks for, and where that comes from."""

    role: str
    scope: tuple[str, ...]
    source: str  # "certificate", "unit_setting" or "unset"

    def covers(self, unit_code: str | None) -> bool:
        return unit_code is not None and (ALL_UNITS in self.scope or unit_code in self.scope)

    def may(self, action: Action, *unit_codes: str | None) -> bool:
        """Whether this laptop may carry out ``action`` for a row whose unit concerned (as the
        statement ``domain.roles.GRANTS`` names it: a task's lead, its lead or partners, the
        row's own unit) is one of ``unit_codes``."""
        if self.source == "unset":
            return True
        return allows(self.role, action, in_scope=any(self.covers(u) for u in unit_codes))

    @property
    def own_unit(self) -> str | None:
        """The one unit this laptop speaks for, when it speaks for exactly one."""
        units = [u for u in self.scope if u != ALL_UNITS]
        return units[0] if len(units) == 1 else None


def _certified(ws: Workspace) -> Authority | None:
    from cchc.services.exchange import open_engine  # exchange imports the task service

    signer = open_engine(ws).my_signer()
    if signer is None or not signer.scope:
        return None
    return Authority(role=signer.role, scope=tuple(signer.scope), source="certificate")


def laptop_authority(ws: Workspace) -> Authority:
    """This laptop's role and scope: its certificate's, else its unit setting's."""
    found = _certified(ws) or unit_authority(ws)
    if found is None:
        return Authority(role=Role.CITY.value, scope=(ALL_UNITS,), source="unset")
    return found


#: Roles whose work is the whole zone's tasks: their task list opens on every unit.
WHOLE_ZONE_ROLES = frozenset({Role.CITY.value, Role.LEADERSHIP.value, Role.CONSOLIDATOR.value})


def task_list_unit(ws: Workspace) -> str | None:
    """The unit the task list opens on: a unit's (or Phòng Tài chính's) laptop sees its own
    tasks first; the city, the leadership and the consolidator see every unit's (None)."""
    found = laptop_authority(ws)
    if found.role in WHOLE_ZONE_ROLES:
        return None
    return found.own_unit


def unit_authority(ws: Workspace) -> Authority | None:
    """The role and scope this laptop's unit setting implies (None before it is set)."""
    code = ws.setting(UNIT_KEY)
    unit = _unit_by_code(ws, code) if code else None
    if unit is None:
        return None
    role = role_for_unit(str(unit["code"]), str(unit["role"]))
    scope = (ALL_UNITS,) if role is Role.CITY else (str(unit["code"]),)
    return Authority(role=role.value, scope=scope, source="unit_setting")


def _unit_by_code(ws: Workspace, code: str) -> dict[str, Any] | None:
    return next((u for u in reports_repo.units(ws.db.conn) if u["code"] == code), None)


def scope_names(ws: Workspace, found: Authority) -> str:
    """The units an authority speaks for, by name (for messages)."""
    names = {u["code"]: u["name"] for u in reports_repo.units(ws.db.conn)}
    return ", ".join(names.get(code, code) for code in found.scope)


def require(ws: Workspace, action: Action, unit_code: str | None = None) -> Authority:
    """This laptop's authority, or InvalidInput("not_permitted") when it may not do ``action``
    (checked before anything is written)."""
    found = laptop_authority(ws)
    if not found.may(action, unit_code):
        raise InvalidInput(
            "not_permitted",
            action=action.value,  # a procedure and a role by code: the catalog names them
            role=found.role,
            units=scope_names(ws, found),
            unit=f" ({unit_code})" if unit_code else "",
        )
    return found
