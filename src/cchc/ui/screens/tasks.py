"""Nhiệm vụ: the filterable list, one task's detail, its update form, evidence and history."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import flet as ft

from cchc.domain.dates import DATE_ERROR_KEYS
from cchc.domain.errors import CchcError, InvalidInput
from cchc.services import overview as overview_service
from cchc.services import task_text
from cchc.services import tasks as task_service
from cchc.services.tasks import DocumentView, Evidence, TaskDetail, TaskView
from cchc.texts.errors import message
from cchc.texts.tasks import (
    STATE_LABELS,
    STATUS_LABELS,
)
from cchc.texts.ui import COMMON, NAV, TASKS, size_text
from cchc.ui.context import AppContext
from cchc.ui.screens import ScreenSpec
from cchc.ui.screens.dashboard import STATE_COLORS
from cchc.ui.widgets import ALL, field_row, heading, options, section, tagged, unit_filter, vn_date

ROWS_PER_PAGE = 25

# Which form field shows which error (by message key); others go under the form.
_FIELD_OF_ERROR = {
    "status_unknown": "status",
    "progress_range": "progress",
    "done_needs_full_progress": "progress",
    "full_progress_needs_done": "progress",
    "ui_progress_not_number": "progress",
    "done_in_future": "done_on",
    "done_on_needs_done": "done_on",
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


def parse_progress(text: str) -> int | None:
    """The progress field as typed: empty means unchanged; anything else must be a whole number."""
    value = text.strip().rstrip("%").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise InvalidInput("ui_progress_not_number", value=text) from None


class TasksScreen:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.selected: str | None = None
        self._views: list[TaskView] = []
        self._total = 0  # tasks in the plan and added, counted when the data may have changed
        self._detail_builds = 0
        self._row_cache: dict[str, tuple[tuple[str, str, str, bool], ft.Control]] = {}
        self._tmp = Path(tempfile.mkdtemp(prefix="cchc-ui-"))

        areas = ctx.call(overview_service.areas)
        units = ctx.call(overview_service.units)
        self.area = ft.Dropdown(
            label=TASKS["filter_area"],
            value=ALL,
            options=options(
                [(ALL, COMMON["all"])] + [(a.code, f"{a.code}. {a.title}") for a in areas]
            ),
            width=220,
            dense=True,
            on_select=self._on_filter,
        )
        self.unit = unit_filter(
            label=TASKS["filter_unit"],
            all_label=COMMON["all"],
            units=units,
            width=300,
            on_select=self._on_filter,
        )
        self.state = ft.Dropdown(
            label=TASKS["filter_state"],
            value=ALL,
            options=options([(ALL, COMMON["all"]), *STATE_LABELS.items()]),
            width=210,
            dense=True,
            on_select=self._on_filter,
        )
        self.search = ft.TextField(
            label=TASKS["search"],
            dense=True,
            expand=True,
            prefix_icon=ft.Icons.SEARCH,
            on_change=self._on_filter,
            on_submit=self._on_filter,
        )
        self.count = ft.Text()
        self.rows = ft.ListView(expand=True, spacing=2)
        # What a filter change redraws: the count and the rows, not the filters themselves.
        self.listing = ft.Column([tagged("task-count", self.count), self.rows], expand=True)
        self.detail = ft.Column(scroll=ft.ScrollMode.AUTO, expand=True, spacing=12)
        self.detail_host = ft.Container(self.detail, expand=True, padding=ft.Padding.only(left=8))
        filters = ft.Row(
            [
                tagged("filter-area", self.area),
                tagged("filter-unit", self.unit),
                tagged("filter-state", self.state),
                tagged("filter-search", self.search),
                ft.IconButton(
                    ft.Icons.FILTER_ALT_OFF, tooltip=TASKS["clear"], on_click=self._clear
                ),
            ],
            wrap=False,
        )
        self.view = ft.Column(
            [
                heading(TASKS["title"]),
                filters,
                ft.Row(
                    [
                        ft.Container(
                            self.listing,
                            width=470,
                        ),
                        ft.VerticalDivider(width=1),
                        self.detail_host,
                    ],
                    expand=True,
                    vertical_alignment=ft.CrossAxisAlignment.START,
                ),
            ],
            expand=True,
        )

    # ---- list -------------------------------------------------------------------------------

    def show(self, **params: Any) -> None:
        if "state" in params:
            self.area.value = ALL
            self.unit.value = ALL
            self.search.value = ""
            self.state.value = params["state"]
        self._fresh_detail()
        if "task" in params:
            self.selected = params["task"]
        self.refresh_list()
        self.refresh_detail()

    def _on_filter(self, e: Any = None) -> None:
        """A filter changed in the browser: the data did not, so the total stands; only the
        list part is compared and sent (the unit filter alone holds over a hundred options)."""
        self.refresh_list(recount=False)
        self.listing.update()

    def _clear(self, e: Any) -> None:
        self.area.value = self.unit.value = self.state.value = ALL
        self.search.value = ""
        self.refresh_list(recount=False)
        self.ctx.page.update()

    def _filters(self) -> dict[str, Any]:
        def chosen(dropdown: ft.Dropdown) -> str | None:
            return None if dropdown.value in (None, ALL) else dropdown.value

        return {
            "area": chosen(self.area),
            "unit": chosen(self.unit),
            "state": chosen(self.state),
            "search": (self.search.value or "").strip() or None,
        }

    def refresh_list(self, *, recount: bool = True) -> None:
        """Read the filtered list; `recount` also counts every task (after the data changed)."""
        if recount:
            views, self._total = self.ctx.call(_filtered_and_total, self._filters())
        else:
            views = self.ctx.call(task_service.list_tasks, **self._filters())
        self.count.value = TASKS["shown"].format(shown=len(views), total=self._total)
        self._views = views
        self.rows.controls = [self._row(v) for v in views[:ROWS_PER_PAGE]] or [
            ft.Text(TASKS["empty"])
        ]
        self._more_button()

    def _more_button(self) -> None:
        """Long lists (a city database) are drawn a page at a time, so filtering stays quick."""
        shown = sum(1 for c in self.rows.controls if isinstance(c, ft.Semantics))
        left = len(self._views) - shown
        if left > 0:
            self.rows.controls.append(
                tagged(
                    "task-more",
                    ft.TextButton(
                        TASKS["show_more"].format(count=min(left, ROWS_PER_PAGE)),
                        on_click=self._show_more,
                    ),
                )
            )

    def _show_more(self, e: Any) -> None:
        shown = [c for c in self.rows.controls if isinstance(c, ft.Semantics)]
        shown = [c for c in shown if c.identifier != "task-more"]
        more = self._views[len(shown) : len(shown) + ROWS_PER_PAGE]
        self.rows.controls = shown + [self._row(v) for v in more]
        self._more_button()
        self.ctx.page.update()

    def _row(self, v: TaskView) -> ft.Control:
        """A list row; unchanged tasks reuse their control, so a filter change sends little."""
        key = (v.id, v.updated_at, v.state, v.id == self.selected)
        cached = self._row_cache.get(v.id)
        if cached is not None and cached[0] == key:
            return cached[1]
        row = self._build_row(v)
        self._row_cache[v.id] = (key, row)
        return row

    def _build_row(self, v: TaskView) -> ft.Control:
        tile = ft.ListTile(
            leading=ft.Container(
                ft.Text(str(v.stt or "*"), weight=ft.FontWeight.BOLD, color=ft.Colors.WHITE),
                bgcolor=STATE_COLORS[v.state],
                width=34,
                height=34,
                border_radius=17,
                alignment=ft.Alignment.CENTER,
            ),
            title=ft.Text(v.content, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS, size=14),
            subtitle=ft.Text(
                TASKS["row_subtitle"].format(
                    state=STATE_LABELS[v.state],
                    progress=v.progress,
                    lead=v.lead_unit_name,
                    due=vn_date(v.due) if v.due else v.timeframe,
                ),
                size=12,
                max_lines=2,
            ),
            selected=v.id == self.selected,
            dense=True,
            on_click=lambda e, ref=v.id: self.open_task(ref),
        )
        return tagged(f"task-row-{v.stt or v.id[:8]}", tile)

    def _fresh_detail(self) -> None:
        """Another task opens scrolled to its top."""
        try:
            self.detail.page  # noqa: B018  (raises until the column is on the page)
        except RuntimeError:
            return
        self.ctx.page.run_task(self._scroll_detail_top)

    async def _scroll_detail_top(self) -> None:
        await self.detail.scroll_to(offset=0, duration=0)

    def open_task(self, ref: str) -> None:
        self.selected = ref
        self._fresh_detail()
        self.refresh_list(recount=False)  # opening a task changes no data
        self.refresh_detail()
        self.ctx.page.update()

    # ---- detail -----------------------------------------------------------------------------

    def refresh_detail(self) -> None:
        if self.selected is None:
            self.detail.controls = [ft.Text(TASKS["pick_one"], italic=True)]
            return
        try:
            detail = self.ctx.call(task_service.get_task, self.selected)
        except CchcError as err:
            self.detail.controls = [ft.Text(message(err), color=ft.Colors.ERROR)]
            return
        controls: list[ft.Control] = [tagged("task-detail", self._facts(detail))]
        if self.ctx.call(overview_service.may_edit, detail):
            controls += [
                UpdateForm(self, detail).view,
                self._documents(detail),
                EvidenceForm(self, detail).view,
            ]
        else:
            profile = self.ctx.call(overview_service.local_profile)
            controls += [
                tagged(
                    "read-only",
                    ft.Text(
                        TASKS["read_only"].format(
                            lead=detail.lead_unit_name, unit=profile.unit_name or ""
                        ),
                        italic=True,
                        color=ft.Colors.ON_SURFACE_VARIANT,
                    ),
                ),
                self._documents(detail),
            ]
        controls.append(self._history(detail))
        # A fresh key per build: Flutter then lays the new detail out from scratch (patching the
        # previous task's form in place left the panel blank when the form disappeared).
        self._detail_builds += 1
        self.detail.controls = [
            ft.Column(controls, spacing=12, key=f"detail-{self._detail_builds}")
        ]

    def _facts(self, d: TaskDetail) -> ft.Control:
        ref = d.stt if d.stt is not None else d.id[:8]
        rows: list[ft.Control] = [
            heading(TASKS["detail_heading"].format(ref=ref), 18),
            ft.Text(d.content, size=15),
        ]
        rows += [ft.Text(f"• {item}") for item in d.subitems]
        rows += [field_row(label, value) for label, value in task_text.facts(d)]
        return ft.Column(rows, spacing=6)

    def _documents(self, d: TaskDetail) -> ft.Control:
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
                        TASKS["open"] if self.ctx.desktop else TASKS["download"],
                        icon=ft.Icons.OPEN_IN_NEW if self.ctx.desktop else ft.Icons.DOWNLOAD,
                        on_click=lambda e, doc=doc: self.ctx.page.run_task(self._open_doc, doc),
                    ),
                ]
            )
            for doc in d.documents
        ]
        return section(TASKS["documents_heading"], *lines, identifier="documents")

    async def _open_doc(self, doc: DocumentView) -> None:
        try:
            stored = self.ctx.call(overview_service.document_file, doc.sha256)
        except CchcError as err:
            self.ctx.notify(message(err), error=True)
            return
        try:
            if self.ctx.desktop:
                folder = self._tmp / doc.sha256[:12]
                folder.mkdir(exist_ok=True)
                copy = folder / doc.file_name
                shutil.copyfile(stored, copy)
                _open_with_system(copy)
                self.ctx.notify(TASKS["opened"].format(file=doc.file_name))
            else:
                await self.ctx.file_picker.save_file(
                    file_name=doc.file_name, src_bytes=stored.read_bytes()
                )
                self.ctx.notify(TASKS["downloaded"].format(file=doc.file_name))
        except OSError as exc:
            self.ctx.notify(
                TASKS["open_failed"].format(file=doc.file_name, reason=exc.strerror or exc),
                error=True,
            )

    def _history(self, d: TaskDetail) -> ft.Control:
        if not d.history:
            return section(
                TASKS["history_heading"], ft.Text(TASKS["no_history"]), identifier="history"
            )
        lines = [ft.Text(task_text.history_line(e), size=13) for e in reversed(d.history)]
        return section(TASKS["history_heading"], *lines, identifier="history")

    def changed(self, text: str) -> None:
        """After a write: confirm it, and show the new state in the list and the detail."""
        self.refresh_list()
        self.refresh_detail()
        self.ctx.notify(text)


class UpdateForm:
    """Status, progress, completion date, note, officer; errors shown beside their field."""

    def __init__(self, screen: TasksScreen, detail: TaskDetail) -> None:
        self.screen = screen
        self.detail = detail
        profile = screen.ctx.call(overview_service.local_profile)
        self.status = ft.Dropdown(
            label=TASKS["status"],
            value=detail.status,
            options=options(list(STATUS_LABELS.items())),
            width=230,
            dense=True,
        )
        self.progress = ft.TextField(
            label=TASKS["progress_field"],
            value=str(detail.progress),
            width=140,
            dense=True,
            keyboard_type=ft.KeyboardType.NUMBER,
        )
        self.done_on = ft.TextField(
            label=TASKS["done_on_field"],
            width=260,
            dense=True,
            helper=TASKS["done_on_help"],
            value=vn_date(detail.done_on) if detail.done_on else "",
        )
        self.note = ft.TextField(
            label=TASKS["note"], multiline=True, min_lines=1, max_lines=4, dense=True
        )
        self.officer = ft.TextField(
            label=TASKS["officer"], value=profile.officer or "", width=300, dense=True
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

    def _clear_errors(self) -> None:
        self.status.error_text = None
        for field in (self.progress, self.done_on, self.officer):
            field.error = None
        self.form_error.value = ""

    def _show_error(self, err: CchcError) -> None:
        text = message(err)
        target = {
            "status": None,
            "progress": self.progress,
            "done_on": self.done_on,
            "officer": self.officer,
        }.get(error_field(err) or "")
        if error_field(err) == "status":
            self.status.error_text = text
        elif target is not None:
            target.error = text
        self.form_error.value = text

    def _submit(self, e: Any) -> None:
        self._clear_errors()
        ref = self.detail.stt if self.detail.stt is not None else self.detail.id[:8]
        status = self.status.value or self.detail.status
        stored_done_on = vn_date(self.detail.done_on) if self.detail.done_on else ""
        done_on = (self.done_on.value or "").strip()
        if status != "done" and done_on == stored_done_on:
            done_on = ""
        try:
            progress = parse_progress(self.progress.value or "")
            if status == "done" and progress == self.detail.progress:
                progress = None  # marking done sets 100%; the old figure is not a contradiction
            result = self.screen.ctx.call(
                task_service.update_task,
                self.detail.id,
                status=status,
                progress=progress,
                note=self.note.value or None,
                by=self.officer.value or None,
                done_on=done_on or None,
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

    def __init__(self, screen: TasksScreen, detail: TaskDetail) -> None:
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
        ref = self.detail.stt if self.detail.stt is not None else self.detail.id[:8]
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
            text = message(err)
            target = {
                "doc_type": self.doc_type,
                "doc_number": self.doc_number,
                "doc_date": self.doc_date,
            }.get(error_field(err) or "")
            if target is not None:
                target.error = text
            self.error.value = text

        ctx.run_background(job, done, failed)


def _filtered_and_total(ws: Any, filters: dict[str, Any]) -> tuple[list[TaskView], int]:
    """The tasks the filters keep and how many tasks there are, from one read of the list."""
    every = task_service.list_tasks(ws)
    if not any(filters.values()):
        return every, len(every)
    return task_service.list_tasks(ws, **filters), len(every)


def _open_with_system(path: Path) -> None:
    """Open a file with the program the system associates with its type."""
    if sys.platform.startswith("win"):
        os.startfile(str(path))  # type: ignore[attr-defined]
    elif sys.platform == "darwin":
        subprocess.Popen(["open", str(path)])
    else:
        subprocess.Popen(["xdg-open", str(path)])


SPEC = ScreenSpec(
    key="tasks",
    label=NAV["tasks"],
    icon=ft.Icons.CHECKLIST_OUTLINED,
    selected_icon=ft.Icons.CHECKLIST,
    order=20,
    factory=TasksScreen,
)
