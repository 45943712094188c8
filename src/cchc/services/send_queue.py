"""The "chưa gửi" queue: what this laptop recorded since it last sent its data (to a folder or
USB stick, as e-mail files, or to the city's hub), counted as officers count it, and one action
that sends it by the best way at hand.

Every write to a synchronised table leaves a cell stamped with this laptop's clock; the clock
reached when data last left is remembered per laptop (``local_settings``, never synchronised),
so what lies above it has not been sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc.services import exchange
from cchc.services.import_summary import count_by_sender, trust_since
from cchc.services.workspace import Workspace
from sync import reading

EXPORT_KEY = "sync_last_export"


@dataclass(frozen=True)
class Queue:
    """What waits to be sent: counts by kind ({"reports": 1, …}); empty when nothing waits."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(self.counts.values())


@dataclass(frozen=True)
class Sent:
    """How the queue left: ``how`` is "push" or "folder"; ``files`` written, if any."""

    how: str
    where: str
    files: list[Path] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)


def unsent(ws: Workspace) -> Queue:
    """What this laptop wrote after its data last left it."""
    me = exchange.open_engine(ws).site_id
    mark = int(ws.setting(exchange.SENT_MARK_KEY) or 0)
    rows = reading.rows_written_by(ws.db.conn, me, mark)
    counts = count_by_sender(ws, ((me, tbl, row_id) for tbl, row_id in rows)).get(me, {})
    # the city's certificates and revocations travel in the next bundle too: those the city
    # made (on its own laptop) and revocations any laptop carries on (a lost laptop must be
    # refused everywhere); a certificate a laptop merely installed is not its news to tell
    engine = exchange.open_engine(ws)
    trust = trust_since(ws, exchange.sent_trust_mark(ws), certificates=engine.is_root())
    return Queue(counts={**counts, **trust})


def remember_where(ws: Workspace, how: str, where: str) -> None:
    """Remember when and where data last left this laptop (the screen's "last export")."""
    ws.set_setting(EXPORT_KEY, json.dumps({"at": ws.now_iso(), "where": where, "how": how}))


def send(ws: Workspace, *, folder: Path | None, hub_url: str | None, hub_up: bool) -> Sent:
    """Send what waits: to the city's hub when it answers, else into ``folder`` (a USB stick).

    Raises InvalidInput("send_nowhere") when neither is at hand.
    """
    from cchc.domain.errors import InvalidInput

    if hub_url and hub_up:
        result = exchange.push(ws, hub_url)
        remember_where(ws, "push", hub_url)
        return Sent(how="push", where=hub_url, result=result)
    if folder is None:
        raise InvalidInput("send_nowhere")
    files = exchange.export_to(ws, folder)
    remember_where(ws, "folder", str(folder))
    return Sent(how="folder", where=str(folder), files=files)
