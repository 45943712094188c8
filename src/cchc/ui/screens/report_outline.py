"""Báo cáo: the outline of one report: results by area (with the area's tasks, their status,
progress and note, and section II's solutions to write against), difficulties, proposals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from cchc.domain.status import status_of_state
from cchc.services import overview as overview_service
from cchc.services import task_text
from cchc.services.reports import ReportTaskLine, ReportView
from cchc.texts import reports as T
from cchc.texts.tasks import STATUS_LABELS
from cchc.texts.ui_reports import REPORTS
from cchc.ui.context import AppContext
from cchc.ui.widgets import options, section, tagged

SECTION_MAX = 5000  # characters of one section's text (a counter shows under the field)
NOTE_MAX = 1000  # characters of one task line's note


class OutlineForm:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.section_fields: dict[str, ft.TextField] = {}
        self.line_status: dict[str, ft.Dropdown] = {}
        self.line_progress: dict[str, ft.TextField] = {}
        self.line_note: dict[str, ft.TextField] = {}
        self.keep: Callable[[str, str], None] = lambda field, text: None  # set by the editor
        self.on_submit: Callable[[], None] = lambda: None  # Enter in a one-line field: save
        self.typed: dict[str, str] = {}

    def _kept(self, field: str) -> Callable[[Any], None]:
        """A handler that keeps what the control now holds as `field` (each change is sent as
        it is typed, so a click on Lưu right after typing sees the text)."""
        return lambda e: self.keep(field, str(e.control.value or ""))

    def _typed(self, field: str, stored: str, editable: bool) -> str:
        return self.typed.get(field, stored) if editable else stored

    def build(
        self, report: ReportView, editable: bool, typed: dict[str, str] | None = None
    ) -> ft.Control:
        self.typed = typed or {}
        self.section_fields = {}
        self.line_status, self.line_progress, self.line_note = {}, {}, {}
        by_area: dict[str, list[ReportTaskLine]] = {}
        for line in report.tasks:
            by_area.setdefault(line.area or "", []).append(line)
        area_views = {a.code: a for a in self.ctx.call(overview_service.areas)}
        blocks: list[ft.Control] = []
        for number, code in enumerate(area_views, start=1):  # the plan's areas, in its order
            area = area_views.get(code)
            blocks.append(
                ft.Text(
                    f"{code}. {area.title if area else ''}", weight=ft.FontWeight.W_600, size=14
                )
            )
            solutions = area.solutions if area else []
            if solutions:  # section II's solutions, to write the area's text against (read-only)
                blocks.append(
                    tagged(
                        f"solutions-{code}",
                        ft.ExpansionTile(
                            title=ft.Text(
                                REPORTS["solutions"].format(n=number),
                                size=13,
                            ),
                            controls=[
                                ft.Text(item, size=12, selectable=True) for item in solutions
                            ],
                        ),
                    )
                )
            blocks += [self._line(line, editable) for line in by_area.get(code, [])]
            text = self._text(REPORTS["section_text"].format(code=code), report, code, editable)
            blocks.append(ft.Row([tagged(f"section-{code}", text)]))
        for key in ("assessment", "difficulties", "direction", "proposals"):
            field = self._text(REPORTS[key], report, key, editable, min_lines=2)
            blocks.append(ft.Row([tagged(f"section-{key}", field)]))
        return section(REPORTS["outline_heading"], *blocks, identifier="report-outline")

    def _text(
        self, label: str, report: ReportView, key: str, editable: bool, min_lines: int = 1
    ) -> ft.TextField:
        field = ft.TextField(
            label=label,
            value=self._typed(f"section:{key}", report.sections.get(key, ""), editable),
            multiline=True,
            min_lines=min_lines,
            max_lines=8,
            max_length=SECTION_MAX if editable else None,
            read_only=not editable,
            dense=True,
            expand=True,
            on_change=self._kept(f"section:{key}"),
        )
        self.section_fields[key] = field
        return field

    def _line(self, line: ReportTaskLine, editable: bool) -> ft.Control:
        ref = task_text.task_ref(line.stt, line.content)  # a row number, or the words: no id
        status = ft.Dropdown(
            label=REPORTS["task_status"].format(stt=ref),
            value=self._typed(
                f"line-status:{line.task_id}", status_of_state(line.state).value, editable
            ),
            options=options(list(STATUS_LABELS.items())),
            width=210,
            dense=True,
            disabled=not editable,
            on_select=self._kept(f"line-status:{line.task_id}"),
        )
        progress = ft.TextField(
            label=REPORTS["task_progress"].format(stt=ref),
            value=self._typed(f"line-progress:{line.task_id}", str(line.progress), editable),
            width=200,
            dense=True,
            read_only=not editable,
            on_change=self._kept(f"line-progress:{line.task_id}"),
            on_submit=lambda e: self.on_submit(),
        )
        note = ft.TextField(
            label=REPORTS["task_note"].format(stt=ref),
            value=self._typed(f"line-note:{line.task_id}", line.note, editable),
            expand=True,
            dense=True,
            max_length=NOTE_MAX if editable else None,
            read_only=not editable,
            on_change=self._kept(f"line-note:{line.task_id}"),
            on_submit=lambda e: self.on_submit(),
        )
        self.line_status[line.task_id] = status
        self.line_progress[line.task_id] = progress
        self.line_note[line.task_id] = note
        state = T.TASK_STATES.get(line.state, line.state)
        title = f"{ref}. {line.content}"
        return ft.Container(
            ft.Column(
                [
                    ft.Text(
                        title,
                        size=13,
                        max_lines=2,
                        overflow=ft.TextOverflow.ELLIPSIS,
                        tooltip=title,  # the whole name on hover when it is cut
                    ),
                    ft.Text(
                        REPORTS["task_state_now"].format(state=state)
                        + f" · {line.lead} · {line.timeframe}",
                        size=12,
                        color=ft.Colors.ON_SURFACE_VARIANT,
                    ),
                    # a wrapping row cannot hold a field that fills the rest of it (Flutter
                    # draws its grey failure box): status and progress side by side, the note
                    # on its own full-width row under them
                    ft.Row(
                        [
                            tagged(f"line-status-{ref}", status),
                            tagged(f"line-progress-{ref}", progress),
                        ],
                        wrap=True,
                    ),
                    ft.Row([tagged(f"line-note-{ref}", note)]),
                ],
                spacing=10,
                tight=True,
            ),
            padding=ft.Padding.only(left=12, bottom=6),
        )

    def changes(self, report: ReportView) -> dict[str, Any]:
        """Sections and task lines that differ from the stored report, as `set_report` takes
        them."""
        sections = {
            key: field.value or ""
            for key, field in self.section_fields.items()
            if (field.value or "").strip() != report.sections.get(key, "").strip()
        }
        statuses, progress, notes = {}, {}, {}
        for line in report.tasks:
            tid = line.task_id
            if tid not in self.line_status:
                continue
            ref = str(line.stt) if line.stt is not None else tid[:8]
            chosen = self.line_status[tid].value
            if chosen and chosen != status_of_state(line.state).value:
                statuses[ref] = chosen
            typed = (self.line_progress[tid].value or "").strip()
            if typed != str(line.progress):
                progress[ref] = typed
            note = (self.line_note[tid].value or "").strip()
            if note != line.note.strip():
                notes[ref] = note
        out: dict[str, Any] = {}
        for key, value in (
            ("sections", sections),
            ("statuses", statuses),
            ("progress", progress),
            ("notes", notes),
        ):
            if value:
                out[key] = value
        return out
