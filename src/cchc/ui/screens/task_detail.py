"""Nhiệm vụ: what one task's detail shows: its facts, its documents (opened or downloaded) and
its history."""

from __future__ import annotations

import shutil
from pathlib import Path

import flet as ft

from cchc.domain.errors import CchcError
from cchc.services import overview as overview_service
from cchc.services import task_text
from cchc.services.tasks import DocumentView, TaskDetail
from cchc.texts.errors import describe
from cchc.texts.ui import TASKS
from cchc.ui.context import AppContext
from cchc.ui.system_open import open_with_system
from cchc.ui.widgets import field_row, heading, section

HISTORY_LINES = 4  # lines of one history entry at most


def facts(d: TaskDetail) -> ft.Control:
    ref = task_text.task_ref(d.stt, d.content)
    rows: list[ft.Control] = [
        heading(TASKS["detail_heading"].format(ref=ref), 18),
        ft.Text(d.content, size=15),
    ]
    rows += [ft.Text(f"• {item}") for item in d.subitems]
    rows += [field_row(label, value) for label, value in task_text.facts(d)]
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
                ft.Text(task_text.document_line(doc), expand=True),
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
        ctx.notify(describe(err), error=True)
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
            TASKS["open_failed"].format(file=doc.file_name, reason=ctx.error_text(exc)),
            error=True,
        )


def history(d: TaskDetail) -> ft.Control:
    if not d.history:
        return section(TASKS["history_heading"], ft.Text(TASKS["no_history"]), identifier="history")
    lines = [
        ft.Text(
            line,
            size=13,
            max_lines=HISTORY_LINES,  # a long note (one may arrive from another laptop)
            overflow=ft.TextOverflow.ELLIPSIS,  # ends in "…" instead of flooding the panel
        )
        for line in reversed(task_text.history_lines(d.history))
    ]
    return section(TASKS["history_heading"], *lines, identifier="history")
