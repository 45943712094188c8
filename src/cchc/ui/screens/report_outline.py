"""Báo cáo: the outline of one report: results by area (with the area's tasks, their status,
progress and note, and section II's solutions to write against), difficulties, proposals."""

from __future__ import annotations

from typing import Any

import flet as ft

from cchc.domain.plan import AREA_CODES
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

    def _on_text(self, e: Any) -> None:
        """Nothing to do: having a handler makes the field send every change as it is typed."""

    def build(self, report: ReportView, editable: bool) -> ft.Control:
        self.section_fields = {}
        self.line_status, self.line_progress, self.line_note = {}, {}, {}
        by_area: dict[str, list[ReportTaskLine]] = {}
        for line in report.tasks:
            by_area.setdefault(line.area or "", []).append(line)
        area_views = {a.code: a for a in self.ctx.call(overview_service.areas)}
        blocks: list[ft.Control] = []
        for code in AREA_CODES:
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
                                REPORTS["solutions"].format(n=AREA_CODES.index(code) + 1),
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
            value=report.sections.get(key, ""),
            multiline=True,
            min_lines=min_lines,
            max_lines=8,
            max_length=SECTION_MAX if editable else None,
            read_only=not editable,
            dense=True,
            expand=True,
            on_change=self._on_text,
        )
        self.section_fields[key] = field
        return field

    def _line(self, line: ReportTaskLine, editable: bool) -> ft.Control:
        ref = task_text.task_ref(line.stt, line.content)  # a row number, or the words: no id
        status = ft.Dropdown(
            label=REPORTS["task_status"].format(stt=ref),
            value=status_of_state(line.state).value,
            options=options(list(STATUS_LABELS.items())),
            width=210,
            dense=True,
            disabled=not editable,
        )
        progress = ft.TextField(
            label=REPORTS["task_progress"].format(stt=ref),
            value=str(line.progress),
            width=200,
            dense=True,
            read_only=not editable,
            on_change=self._on_text,
        )
        note = ft.TextField(
            label=REPORTS["task_note"].format(stt=ref),
            value=line.note,
            expand=True,
            dense=True,
            max_length=NOTE_MAX if editable else None,
            read_only=not editable,
            on_change=self._on_text,
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
                    ft.Row(
                        [
                            tagged(f"line-status-{ref}", status),
                            tagged(f"line-progress-{ref}", progress),
                            tagged(f"line-note-{ref}", note),
                        ],
                        wrap=True,
                    ),
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
