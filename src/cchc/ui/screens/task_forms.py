"""Nhiệm vụ: the forms of one task's detail: its progress update (status, progress, completion
date, note, officer) and the evidence it attaches (a document with number and date)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Protocol

import flet as ft

from cchc.domain.dates import DATE_ERROR_KEYS
from cchc.domain.errors import CchcError
from cchc.services import overview as overview_service
from cchc.services import task_text
from cchc.services import tasks as task_service
from cchc.services.tasks import Evidence, TaskDetail
from cchc.texts.errors import describe
from cchc.texts.tasks import STATE_LABELS, STATUS_LABELS
from cchc.texts.ui import TASKS, size_text
from cchc.ui.context import AppContext
from cchc.ui.widgets import options, section, tagged, vn_date


class TaskHost(Protocol):
    """What a form needs from the screen that shows it."""

    ctx: AppContext
    _tmp: Path

    def changed(self, text: str) -> None: ...


# Which form field shows which error (by message key); others go under the form.
_FIELD_OF_ERROR = {
    "status_unknown": "status",
    "progress_range": "progress",
    "done_needs_full_progress": "progress",
    "full_progress_needs_done": "progress",
    "ui_progress_not_number": "progress",
    "done_in_future": "done_on",
    "done_on_needs_done": "done_on",
    "done_on_required": "done_on",
    "note_too_long": "note",
    "officer_missing": "officer",
    "doc_type_missing": "doc_type",
    "doc_number_bad": "doc_number",
    "doc_date_future": "doc_date",
}
_DATE_FIELDS = {"done_on": "done_on", "doc_date": "doc_date"}


def error_field(err: CchcError) -> str | None:
    """The form field an error belongs next to, if any."""
    if err.key in DATE_ERROR_KEYS:
        return _DATE_FIELDS.get(str(err.params.get("field", "")))
    return _FIELD_OF_ERROR.get(err.key)


class UpdateForm:
    """Status, progress, completion date, note, officer; errors shown beside their field."""

    def __init__(self, screen: TaskHost, detail: TaskDetail) -> None:
        self.screen = screen
        self.detail = detail
        profile = screen.ctx.call(overview_service.local_profile)
        self.status = ft.Dropdown(
            label=TASKS["status"],
            value=detail.status,
            options=options(list(STATUS_LABELS.items())),
            width=230,
            dense=True,
            on_select=self._on_status,
        )
        self.progress = ft.TextField(
            label=TASKS["progress_field"],
            value=str(detail.progress),
            width=140,
            dense=True,
            keyboard_type=ft.KeyboardType.NUMBER,
            on_change=_sent,
            on_submit=self._enter,
        )
        self.done_on = ft.TextField(
            label=self._done_on_label(detail.status),
            width=260,
            dense=True,
            helper=TASKS["done_on_help"],
            value=vn_date(detail.done_on) if detail.done_on else "",
            on_change=_sent,
            on_submit=self._enter,
        )
        self.note = ft.TextField(
            label=TASKS["note"],
            multiline=True,
            min_lines=1,
            max_lines=4,
            dense=True,
            max_length=task_service.NOTE_MAX,  # Flutter shows a counter under the field
        )
        self.officer = ft.TextField(
            label=TASKS["officer"],
            value=profile.officer or "",
            width=300,
            dense=True,
            on_change=_sent,
            on_submit=self._enter,
        )
        self.form_error = ft.Text("", color=ft.Colors.ERROR)
        self.submit = ft.Button(TASKS["submit"], icon=ft.Icons.SAVE, on_click=self._submit)
        self.view = section(
            TASKS["update_heading"],
            ft.Row(
                [
                    tagged("update-status", self.status),
                    tagged("update-progress", self.progress),
                    tagged("update-done-on", self.done_on),
                ],
                wrap=True,
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
            tagged("update-note", self.note),
            ft.Row(
                [tagged("update-officer", self.officer), tagged("update-submit", self.submit)],
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
            tagged("update-error", self.form_error),
            identifier="update-form",
        )

    def _enter(self, e: Any) -> None:
        """Enter in a one-line field of the form saves it, as the button does."""
        self._submit(e)

    @staticmethod
    def _done_on_label(status: str | None) -> str:
        """The completion date is required (marked *) once the task is marked done."""
        return TASKS["done_on_field"] + (" *" if status == "done" else "")

    def _on_status(self, e: Any) -> None:
        self.done_on.label = self._done_on_label(self.status.value)
        self.screen.ctx.page.update()

    def _clear_errors(self) -> None:
        self.status.error_text = None
        for field in (self.progress, self.done_on, self.officer):
            field.error = None
        self.form_error.value = ""

    def _show_error(self, err: CchcError) -> None:
        text = describe(err)
        target = {
            "status": None,
            "progress": self.progress,
            "done_on": self.done_on,
            "officer": self.officer,
            "note": self.note,
        }.get(error_field(err) or "")
        if error_field(err) == "status":
            self.status.error_text = text
        elif target is not None:
            target.error = text
        self.form_error.value = text

    def _submit(self, e: Any) -> None:
        self._clear_errors()
        ref = task_text.task_ref(self.detail.stt, self.detail.content)
        try:
            result = self.screen.ctx.call(
                task_service.update_from_form,
                self.detail.id,
                status=self.status.value or self.detail.status,
                progress_text=self.progress.value or "",
                done_on_text=self.done_on.value or "",
                note=self.note.value or None,
                by=self.officer.value or None,
            )
        except CchcError as err:
            self._show_error(err)
            self.screen.ctx.page.update()
            return
        self.screen.changed(
            TASKS["updated"].format(
                ref=ref, state=STATE_LABELS[result.state], progress=result.progress
            )
        )


class EvidenceForm:
    """Attach a document: a file picked from disk (desktop) or uploaded by the browser (web)."""

    def __init__(self, screen: TaskHost, detail: TaskDetail) -> None:
        self.screen = screen
        self.detail = detail
        self.file_text = ft.Text(TASKS["no_file"], italic=True)
        self.doc_type = ft.TextField(
            label=TASKS["doc_type"], helper=TASKS["doc_type_help"], width=260, dense=True
        )
        self.doc_number = ft.TextField(
            label=TASKS["doc_number"], helper=TASKS["doc_number_help"], width=220, dense=True
        )
        self.doc_date = ft.TextField(
            label=TASKS["doc_date"], helper=TASKS["doc_date_help"], width=200, dense=True
        )
        self.doc_title = ft.TextField(label=TASKS["doc_title"], dense=True)
        self.error = ft.Text("", color=ft.Colors.ERROR)
        self.picked: tuple[str, Path] | None = None
        self.view = section(
            TASKS["attach_heading"],
            ft.Row(
                [
                    tagged(
                        "evidence-pick",
                        ft.OutlinedButton(
                            TASKS["pick_file"], icon=ft.Icons.ATTACH_FILE, on_click=self._pick
                        ),
                    ),
                    self.file_text,
                ]
            ),
            ft.Row(
                [
                    tagged("evidence-type", self.doc_type),
                    tagged("evidence-number", self.doc_number),
                    tagged("evidence-date", self.doc_date),
                ],
                wrap=True,
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
            tagged("evidence-title", self.doc_title),
            ft.Row(
                [
                    tagged(
                        "evidence-attach",
                        ft.Button(
                            TASKS["attach"], icon=ft.Icons.UPLOAD_FILE, on_click=self._attach
                        ),
                    )
                ]
            ),
            tagged("evidence-error", self.error),
            identifier="evidence-form",
        )

    async def _pick(self, e: Any) -> None:
        ctx = self.screen.ctx
        files = await ctx.file_picker.pick_files(
            dialog_title=TASKS["pick_file"], with_data=not ctx.desktop
        )
        if not files:
            return
        chosen = files[0]
        if chosen.path:
            self.picked = (chosen.name, Path(chosen.path))
        elif chosen.bytes is not None:
            folder = Path(tempfile.mkdtemp(prefix="upload-", dir=self.screen._tmp))
            local = folder / Path(chosen.name).name
            local.write_bytes(chosen.bytes)
            self.picked = (chosen.name, local)
        else:
            return
        self.file_text.value = TASKS["file_chosen"].format(
            name=chosen.name, size=size_text(chosen.size)
        )
        self.file_text.italic = False
        ctx.page.update()

    def _attach(self, e: Any) -> None:
        for field in (self.doc_type, self.doc_number, self.doc_date):
            field.error = None
        self.error.value = ""
        if self.picked is None:
            self.error.value = TASKS["attach_needs_file"]
            self.screen.ctx.page.update()
            return
        evidence = Evidence(
            file=self.picked[1],
            doc_type=self.doc_type.value or "",
            number=self.doc_number.value or "",
            date=(self.doc_date.value or "").strip(),
            title=self.doc_title.value or "",
        )
        ref = task_text.task_ref(self.detail.stt, self.detail.content)
        ctx = self.screen.ctx

        def job() -> TaskDetail:
            return ctx.call(task_service.update_task, self.detail.id, evidence=evidence)

        def done(_: TaskDetail) -> None:
            self.screen.changed(
                TASKS["attached"].format(
                    doc_type=evidence.doc_type.strip(), number=evidence.number.strip(), ref=ref
                )
            )

        def failed(err: CchcError) -> None:
            text = describe(err)
            target = {
                "doc_type": self.doc_type,
                "doc_number": self.doc_number,
                "doc_date": self.doc_date,
            }.get(error_field(err) or "")
            if target is not None:
                target.error = text
            self.error.value = text

        ctx.run_background(job, done, failed)


def _sent(e: Any) -> None:
    """Nothing to do: having a handler makes the field send every change as it is typed, so
    Enter right after typing saves what is on screen."""
