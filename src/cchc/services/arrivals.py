"""Tasks the city assigned that reached this laptop by an exchange, announced on the dashboard
until the officer marks them seen. A task counts as arrived when the sync engine holds its
creation as written by another laptop; what this laptop wrote itself is never announced to it.
What was seen is this laptop's own note (local_settings), never sent."""

from __future__ import annotations

import json

from cchc.services import exchange
from cchc.services.tasks import TaskView, list_tasks
from cchc.services.workspace import Workspace
from sync import reading

SEEN_KEY = "seen_assigned_tasks"


def _seen(ws: Workspace) -> set[str]:
    try:
        found = json.loads(ws.setting(SEEN_KEY) or "[]")
    except ValueError:
        return set()
    return {str(x) for x in found} if isinstance(found, list) else set()


def arrived_task_ids(ws: Workspace) -> set[str]:
    """Tasks of the city whose creation another laptop wrote."""
    me = exchange.identity(ws)["site_id"]
    written = reading.column_origins(ws.db.conn, "tasks", "created_at")
    rows = ws.db.conn.execute("SELECT id FROM tasks WHERE origin = 'city'").fetchall()
    return {str(r[0]) for r in rows if written.get(str(r[0]), me) != me}


def unseen_assigned(ws: Workspace) -> list[TaskView]:
    """The city's new tasks this laptop received and its officer has not yet marked seen."""
    fresh = arrived_task_ids(ws) - _seen(ws)
    if not fresh:
        return []
    return [t for t in list_tasks(ws) if t.id in fresh]


def mark_seen(ws: Workspace, task_ids: list[str]) -> None:
    """The officer has read these announcements: the dashboard stops showing them."""
    ws.set_setting(SEEN_KEY, json.dumps(sorted(_seen(ws) | set(task_ids))))
