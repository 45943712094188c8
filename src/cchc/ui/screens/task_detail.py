"""Nhiệm vụ: what one task's detail shows: its facts, its documents (opened or downloaded) and
its history."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import flet as ft

from cchc.domain.errors import CchcError
from cchc.domain.status import ZONE
from cchc.services import overview as overview_service
from cchc.services.tasks import DocumentView, TaskDetail
from cchc.texts.errors import message
from cchc.texts.tasks import (
    CADENCE_LABELS,
    DEADLINE_KIND_LABELS,
    FIELD_LABELS,
    HISTORY_ACTIONS,
    ORIGIN_LABELS,
    STATE_LABELS,
    STATUS_LABELS,
)
from cchc.texts.ui import TASKS, size_text
from cchc.ui.context import AppContext
from cchc.ui.widgets import field_row, heading, section, vn_date

HISTORY_LINES = 4  # lines of one history entry at most


def facts(d: TaskDetail) -> ft.Control:
    ref = d.stt if d.stt is not None else d.id[:8]
    derived = DEADLINE_KIND_LABELS[d.deadline_kind]
    if d.window_start:
        derived += " " + TASKS["from"].format(date=vn_date(d.window_start))
    if d.due:
        derived += " " + TASKS["until"].format(date=vn_date(d.due))
    if d.cadence:
        derived += f", {CADENCE_LABELS[d.cadence]}"
    rows: list[ft.Control] = [
        heading(TASKS["detail_heading"].format(ref=ref), 18),
        ft.Text(d.content, size=15),
    ]
    rows += [ft.Text(f"• {item}") for item in d.subitems]
    rows += [
        field_row(TASKS["area"], f"{d.area or '—'}. {d.area_title or ''}".strip(". ")),
        field_row(TASKS["lead"], d.lead),
        field_row(TASKS["partners"], ", ".join(d.partners) or "—"),
        field_row(TASKS["timeframe"], d.timeframe),
        field_row(TASKS["derived"], derived),
        field_row(TASKS["product"], d.product or "—"),
        field_row(
            TASKS["state"],
            f"{STATE_LABELS[d.state]} · {TASKS['progress']} {d.progress}%"
            + (f" · {TASKS['done_on']} {vn_date(d.done_on)}" if d.done_on else ""),
        ),
    ]
    if d.origin != "plan" and d.source_number:
        rows.append(
            field_row(
                TASKS["source"],
                f"{ORIGIN_LABELS[d.origin]}: "
                + TASKS["source_value"].format(
                    number=d.source_number,
                    date=vn_date(d.source_date),
                    issuer=d.source_issuer or "",
                ),
            )
        )
    return ft.Column(rows, spacing=6)


def documents(ctx: AppContext, d: TaskDetail, tmp: Path) -> ft.Control:
    if not d.documents:
        return section(
            TASKS["documents_heading"], ft.Text(TASKS["no_documents"]), identifier="documents"
        )
    lines = [
        ft.Row(
            [
                ft.Icon(ft.Icons.DESCRIPTION_OUTLINED),
                ft.Text(
                    TASKS["document_line"].format(
                        doc_type=doc.doc_type,
                        number=doc.number,
                        date=vn_date(doc.date),
                        file=doc.file_name,
                        size=size_text(doc.size),
                    ),
                    expand=True,
                ),
                ft.OutlinedButton(
                    TASKS["open"] if ctx.desktop else TASKS["download"],
                    icon=ft.Icons.OPEN_IN_NEW if ctx.desktop else ft.Icons.DOWNLOAD,
                    on_click=lambda e, doc=doc: ctx.page.run_task(open_doc, ctx, doc, tmp),
                ),
            ]
        )
        for doc in d.documents
    ]
    return section(TASKS["documents_heading"], *lines, identifier="documents")


async def open_doc(ctx: AppContext, doc: DocumentView, tmp: Path) -> None:
    try:
        stored = ctx.call(overview_service.document_file, doc.sha256)
    except CchcError as err:
        ctx.notify(message(err), error=True)
        return
    try:
        if ctx.desktop:
            folder = tmp / doc.sha256[:12]
            folder.mkdir(exist_ok=True)
            copy = folder / doc.file_name
            shutil.copyfile(stored, copy)
            open_with_system(copy)
            ctx.notify(TASKS["opened"].format(file=doc.file_name))
        else:
            await ctx.file_picker.save_file(file_name=doc.file_name, src_bytes=stored.read_bytes())
            ctx.notify(TASKS["downloaded"].format(file=doc.file_name))
    except OSError as exc:
        ctx.notify(
            TASKS["open_failed"].format(file=doc.file_name, reason=exc.strerror or exc),
            error=True,
        )


def history(d: TaskDetail) -> ft.Control:
    if not d.history:
        return section(TASKS["history_heading"], ft.Text(TASKS["no_history"]), identifier="history")
    lines = []
    for entry in reversed(d.history):
        what = HISTORY_ACTIONS.get(entry.action, entry.action)
        field = FIELD_LABELS.get(entry.field or "", entry.field or "")
        old, new = entry.old_value, entry.new_value
        if entry.field == "status":
            old = STATUS_LABELS.get(old or "", old)
            new = STATUS_LABELS.get(new or "", new)
        if entry.field in ("done_on", "due"):
            old, new = vn_date(old) if old else None, vn_date(new) if new else None
        if field and entry.action != "noted":
            change = " " + TASKS["history_change"].format(
                field=field, old=old or "—", new=new or "—"
            )
        else:
            change = f": {new}" if new else ""
        lines.append(
            ft.Text(
                TASKS["history_line"].format(
                    at=local_time(entry.at), actor=entry.actor, action=what, change=change
                ),
                size=13,
                max_lines=HISTORY_LINES,  # a long note (one may arrive from another laptop)
                overflow=ft.TextOverflow.ELLIPSIS,  # ends in "…" instead of flooding the panel
            )
        )
    return section(TASKS["history_heading"], *lines, identifier="history")


def open_with_system(path: Path) -> None:
    """Open a file with the program the system associates with its type."""
    if sys.platform.startswith("win"):
        os.startfile(str(path))  # type: ignore[attr-defined]
    elif sys.platform == "darwin":
        subprocess.Popen(["open", str(path)])
    else:
        subprocess.Popen(["xdg-open", str(path)])


def local_time(iso_utc: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(iso_utc)
    except ValueError:
        return iso_utc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(ZONE).strftime("%d/%m/%Y %H:%M")
