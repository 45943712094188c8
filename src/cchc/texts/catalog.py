"""The one table of every message an officer can be shown for a failure, declared here whole.

Each area keeps its sentences in its own module (a plain dict, no code runs on import); this
module names every one of those tables and joins them, so the table is complete the moment any
part of the app can read it, whatever was imported before. A key defined twice is an error when
the table is built, not a silent overwrite. `cchc.texts.errors.describe` is the one function the
entry points (CLI, screens, hub answers) translate through.
"""

from __future__ import annotations

from collections.abc import Mapping

from cchc.texts import (
    backup,
    exchange,
    general,
    plan,
    plan_file,
    plan_publish,
    reports,
    roles,
    sync,
    ui,
    ui_reports,
)

#: The tables of app errors (`CchcError.key` → template), by area.
AREAS: dict[str, Mapping[str, str]] = {
    "general": general.MESSAGES,
    "backup": backup.MESSAGES,
    "exchange": exchange.MESSAGES,
    "plan": plan.MESSAGES,
    "plan_file": plan_file.MESSAGES,
    "plan_publish": plan_publish.MESSAGES,
    "reports": reports.MESSAGES,
    "roles": roles.MESSAGES,
    "ui": ui.UI_ERRORS,
    "ui_reports": ui_reports.MESSAGES,
}


def _join(areas: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    joined: dict[str, str] = {}
    for area, table in areas.items():
        clash = sorted(set(table) & set(joined))
        if clash:
            raise ValueError(f"message keys of area {area!r} defined twice: {clash}")
        joined.update(table)
    return joined


#: Every app error's template by key: the one table `describe` reads.
MESSAGES: dict[str, str] = _join(AREAS)

#: The other tables an officer reads failures from, by the code their errors carry: the sync
#: engine's errors, the carriers' refusals, and the plan policy's reasons for refusing a row.
SYNC_ERRORS: Mapping[str, str] = sync.ERRORS
TRANSPORT: Mapping[str, str] = sync.TRANSPORT
POLICY: Mapping[str, str] = sync.POLICY

#: Everything above, for the tests that walk the whole catalog.
TABLES: dict[str, Mapping[str, str]] = {
    "errors": MESSAGES,
    "sync": SYNC_ERRORS,
    "transport": TRANSPORT,
    "policy": POLICY,
}

#: The Vietnamese label of every field an error can name: the app's fields and a report's figures.
LABELS: dict[str, str] = {**general.FIELD_LABELS, **reports.FIGURE_LABELS}

#: Parameters a service passes as a code (a field, a role, a procedure, a status), each put in
#: words by its table when the message is filled in; a value no table lists is shown as given.
CODED_PARAMS: dict[str, Mapping[str, str]] = {
    "field": LABELS,
    "role": roles.ROLE_NAMES,
    "action": roles.ACTION_NAMES,
    "status": reports.AMENDMENT_STATUS,
}
