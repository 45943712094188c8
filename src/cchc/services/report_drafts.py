"""What an officer types into a report on screen, kept on this laptop as it is typed, before it
is saved: a figure not yet a number, half a paragraph, a signer's name. Leaving the screen,
reloading the page or closing the window loses nothing; the editor puts it back into the fields.

Only a draft this laptop may write keeps typed text (the same rule as saving); a field is named
by its kind and key ("fig:received_direct", "section:A", "meta:signer", "line-note:<task id>");
the text is kept as typed (bounded), never judged here: saving judges it. Saving or submitting
the report clears what was kept (`clear`). The table is local scratch, never synced."""

from __future__ import annotations

import re

from cchc.domain.errors import InvalidInput
from cchc.domain.text import nfc
from cchc.services.reports import _editable, _find
from cchc.services.workspace import Workspace
from cchc.store import reports_repo as repo
from cchc.store.uow import transaction

FIELD = re.compile(r"^(fig|section|meta|line-progress|line-note|line-status):[A-Za-z0-9_-]{1,64}$")
TEXT_MAX = 5000  # the longest section a report holds


def keep(ws: Workspace, ref: str, field: str, text: str) -> None:
    """Keep what is typed in one field of a draft report, replacing what was kept before."""
    row = _editable(ws, ref)
    if not FIELD.match(field):
        raise InvalidInput("draft_field_unknown", value=field[:80])
    if len(text) > TEXT_MAX:
        raise InvalidInput("draft_text_too_long", limit=TEXT_MAX)
    with transaction(ws.db):
        repo.keep_draft_field(ws.db.conn, row["id"], field, nfc(text), ws.now_iso())


def typed(ws: Workspace, ref: str) -> dict[str, str]:
    """What was typed and not saved in a report, by field; nothing once it is no longer a draft."""
    row = _find(ws, ref)
    if row["status"] != "draft":
        return {}
    return repo.draft_fields(ws.db.conn, row["id"])


def clear(ws: Workspace, ref: str) -> None:
    """Forget what was typed in a report (it was saved, or the officer threw it away)."""
    row = _find(ws, ref)
    with transaction(ws.db):
        repo.drop_draft(ws.db.conn, row["id"])
