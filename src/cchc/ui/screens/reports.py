"""Báo cáo: reports by period and unit; the entry form with live totals and rates; submit,
revise, consolidate; the PDF and the spreadsheet; targets against actuals."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import flet as ft

from cchc.domain.errors import CchcError, InvalidInput
from cchc.domain.figures import FIGURE_GROUPS, Figures, FiguresInvalid, parse_value, problems
from cchc.domain.periods import Period
from cchc.domain.plan import AREA_CODES
from cchc.services import overview as overview_service
from cchc.services import report_output
from cchc.services import reports as report_service
from cchc.services import targets as target_service
from cchc.services.periods import calendar
from cchc.services.reports import ReportTaskLine, ReportView
from cchc.texts import reports as T
from cchc.texts.errors import message
from cchc.texts.tasks import STATUS_LABELS
from cchc.texts.ui import COMMON, NAV, size_text
from cchc.texts.ui_reports import REPORTS, percent
from cchc.ui.context import AppContext
from cchc.ui.screens import ScreenSpec
from cchc.ui.targets_panel import target_rows
from cchc.ui.widgets import ALL, heading, options, section, tagged, unit_filter, vn_date

# Rates shown against the plan's targets (the target's metric has the rate's name).
TARGETED_RATES = ("online_payment_share", "satisfaction")
# A report line's state as the status the officer picks (overdue and late are derived).
STATE_TO_STATUS = {
    "not_started": "not_started",
    "in_progress": "in_progress",
    "overdue": "in_progress",
    "done_on_time": "done",
    "done_late": "done",
    "done": "done",
}


def period_label(per: Period) -> str:
    month = per.month
    return f"{per.code} — {T.period_title(per.kind.value, per.year, month)}"


def _figure_text(value: int | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


class ReportsScreen:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.selected: str | None = None
        self.report: ReportView | None = None
        self.last_written: Path | None = None
        self._tmp = Path(tempfile.mkdtemp(prefix="cchc-reports-"))
        year = self._plan_year()
        self.periods = calendar().year_periods(year)
        period_opts = [(p.code, period_label(p)) for p in self.periods]
        units = ctx.call(overview_service.units)
        self.filter_period = ft.Dropdown(
            label=REPORTS["filter_period"],
            value=ALL,
            options=options([(ALL, REPORTS["all"]), *period_opts]),
            width=230,
            dense=True,
            on_select=self._on_filter,
        )
        self.filter_unit = unit_filter(
            label=REPORTS["filter_unit"],
            all_label=REPORTS["all"],
            units=units,
            width=230,
            on_select=self._on_filter,
        )
        self.new_period = ft.Dropdown(
            label=REPORTS["new_period"],
            options=options(period_opts),
            value=self._current_period(),
            width=300,
            dense=True,
        )
        # the list is a fresh ListView at each refresh (replacing its controls in place left a
        # stale row on screen now and then)
        self.rows = ft.Container(expand=True)
        self.new_box = ft.Column(spacing=8, tight=True)
        # the report's title, state, actions and errors stay in view; its body scrolls below
        self.editor_head = ft.Column(spacing=6, tight=True)
        self.editor_body = ft.Column(scroll=ft.ScrollMode.AUTO, expand=True, spacing=12)
        self.editor = ft.Column([self.editor_head, self.editor_body], expand=True, spacing=8)
        self.view = ft.Column(
            [
                heading(REPORTS["title"]),
                ft.Row(
                    [
                        ft.Container(
                            ft.Column(
                                [
                                    ft.Row(
                                        [
                                            tagged("report-filter-period", self.filter_period),
                                            tagged("report-filter-unit", self.filter_unit),
                                        ],
                                        wrap=True,
                                    ),
                                    self.new_box,
                                    ft.Text(REPORTS["list_heading"], weight=ft.FontWeight.W_600),
                                    self.rows,
                                ],
                                expand=True,
                                spacing=8,
                            ),
                            width=480,
                        ),
                        ft.VerticalDivider(width=1),
                        ft.Container(self.editor, expand=True, padding=ft.Padding.only(left=8)),
                    ],
                    expand=True,
                    vertical_alignment=ft.CrossAxisAlignment.START,
                ),
            ],
            expand=True,
        )
        # the editor's controls, rebuilt for each report shown
        self.fig_fields: dict[str, ft.TextField] = {}
        self.fig_errors: dict[str, ft.Text] = {}
        self.section_fields: dict[str, ft.TextField] = {}
        self.line_status: dict[str, ft.Dropdown] = {}
        self.line_progress: dict[str, ft.TextField] = {}
        self.line_note: dict[str, ft.TextField] = {}
        self.totals_box = ft.Column(spacing=2, tight=True)
        self.rates_box = ft.Column(spacing=2, tight=True)
        self.rates_head = ft.Text("", size=12, color=ft.Colors.BLUE_900)
        self.error = ft.Text("", color=ft.Colors.ERROR)
        # every field reports each change, so a click on Lưu right after typing sees the text
        self.number = ft.TextField(
            label=REPORTS["number"], width=200, dense=True, on_change=self._on_text
        )
        self.report_date = ft.TextField(
            label=REPORTS["report_date"], width=220, dense=True, on_change=self._on_text
        )
        self.signer = ft.TextField(
            label=REPORTS["signer"], width=280, dense=True, on_change=self._on_text
        )
        self.out_folder = ft.TextField(
            label=REPORTS["output_folder"], expand=True, dense=True, on_change=self._on_text
        )
        self.thresholds: dict[str, float] = {}

    # ---- helpers ------------------------------------------------------------------------------

    def _plan_year(self) -> int:
        def year(ws: Any) -> int:
            row = ws.db.conn.execute("SELECT year FROM plan LIMIT 1").fetchone()
            return int(row[0]) if row and row[0] else ws.today().year

        return int(self.ctx.call(year))

    def _current_period(self) -> str | None:
        today = self.ctx.call(lambda ws: ws.today())
        months = [p for p in self.periods if p.kind.value == "month"]
        for p in months:
            if p.start <= today <= p.end:
                return p.code
        return months[0].code if months else None

    def _update(self) -> None:
        self.ctx.page.update()

    # ---- list ---------------------------------------------------------------------------------

    def show(self, **params: Any) -> None:
        if "report" in params:
            self.selected = params["report"]
        specs = self.ctx.call(target_service.specs)
        self.thresholds = {s.metric: s.threshold for s in specs if s.threshold is not None}
        if not self.out_folder.value:
            self.out_folder.value = str(self.ctx.db_path.parent / "bao-cao")
        self._build_new_box()
        self.refresh_list()
        self.refresh_editor()

    def _on_filter(self, e: Any = None) -> None:
        self.refresh_list()
        self._update()

    def _build_new_box(self) -> None:
        profile = self.ctx.call(overview_service.local_profile)
        units = {u.code: u for u in self.ctx.call(overview_service.units)}
        unit = units.get(profile.unit_code or "")
        controls: list[ft.Control] = []
        if unit is None:
            controls.append(ft.Text(REPORTS["new_no_unit"]))
        elif unit.role not in report_service.REPORTING_ROLES:
            controls.append(ft.Text(REPORTS["new_not_reporting"].format(unit=unit.name)))
        else:
            controls.append(ft.Text(REPORTS["new_unit"].format(unit=unit.name), size=13))
            buttons: list[ft.Control] = [
                tagged(
                    "report-create",
                    ft.Button(REPORTS["create"], icon=ft.Icons.NOTE_ADD, on_click=self._create),
                )
            ]
            if unit.role == "consolidator":
                buttons.append(
                    tagged(
                        "report-consolidate",
                        ft.OutlinedButton(
                            REPORTS["consolidate"],
                            icon=ft.Icons.MERGE_TYPE,
                            on_click=self._consolidate,
                        ),
                    )
                )
            controls += [
                tagged("report-new-period", self.new_period),
                ft.Row(buttons, wrap=True),
            ]
        self.new_box.controls = [
            section(REPORTS["new_heading"], *controls, identifier="report-new"),
        ]

    def refresh_list(self) -> None:
        period = None if self.filter_period.value in (None, ALL) else self.filter_period.value
        unit = None if self.filter_unit.value in (None, ALL) else self.filter_unit.value
        views = self.ctx.call(report_service.list_reports, period=period, unit=unit)
        views.sort(key=lambda v: (v.period_start, v.unit_name or "", v.revision), reverse=True)
        self.rows.content = ft.ListView(
            [self._row(v) for v in views] or [ft.Text(REPORTS["list_empty"])],
            expand=True,
            spacing=2,
        )

    def _row(self, v: ReportView) -> ft.Control:
        who = v.unit_name or REPORTS["zone"]
        status = T.REPORT_STATUS.get(v.status, v.status)
        tile = ft.ListTile(
            leading=ft.Icon(
                ft.Icons.LOCK if v.status == "submitted" else ft.Icons.EDIT_NOTE,
                color=ft.Colors.GREEN_700 if v.status == "submitted" else ft.Colors.BLUE_600,
            ),
            title=ft.Text(REPORTS["row"].format(who=who, period=v.period), size=14),
            subtitle=ft.Text(
                REPORTS["row_sub"].format(
                    status=status, revision=v.revision, updated=vn_date(v.updated_at[:10])
                ),
                size=12,
            ),
            dense=True,
            selected=v.id == self.selected,
            on_click=lambda e, ref=v.id: self._select(ref),
        )
        return tagged(f"report-row-{v.period}-{v.unit or 'zone'}-{v.revision}", tile)

    def _select(self, ref: str) -> None:
        self.selected = ref
        self.refresh_list()
        self.refresh_editor()
        self._update()

    # ---- create, consolidate -------------------------------------------------------------------

    def _create(self, e: Any) -> None:
        profile = self.ctx.call(overview_service.local_profile)
        period = self.new_period.value
        if not profile.unit_code:
            self.ctx.notify(message(InvalidInput("ui_no_local_unit")), error=True)
            return
        if not period:
            return
        try:
            view = self.ctx.call(report_service.new_report, unit=profile.unit_code, period=period)
        except CchcError as err:
            self.ctx.notify(message(err), error=True)
            return
        self.ctx.notify(
            REPORTS["created"].format(period=view.period, unit=view.unit_name, ref=view.id[:8])
        )
        self._select(view.id)

    def _consolidate(self, e: Any) -> None:
        period = self.new_period.value
        if not period:
            return
        try:
            view = self.ctx.call(report_service.consolidate, period=period)
        except CchcError as err:
            self.ctx.notify(message(err), error=True)
            return
        if view.missing_units:
            text = REPORTS["consolidated"].format(
                period=view.period,
                count=len(view.sources),
                missing=", ".join(view.missing_units),
            )
        else:
            text = REPORTS["consolidated_all"].format(period=view.period, count=len(view.sources))
        self.ctx.notify(text)
        self._select(view.id)

    # ---- editor -------------------------------------------------------------------------------

    def refresh_editor(self) -> None:
        self.error.value = ""
        if not self.selected:
            self.report = None
            self.editor_head.controls = [ft.Text(REPORTS["pick_one"])]
            self.editor_body.controls = []
            return
        try:
            report = self.ctx.call(report_service.get_report, self.selected)
        except CchcError as err:
            self.report = None
            self.editor_head.controls = [ft.Text(message(err), color=ft.Colors.ERROR)]
            self.editor_body.controls = []
            return
        self.report = report
        draft = report.status == "draft"
        who = report.unit_name or REPORTS["zone"]
        status = T.REPORT_STATUS.get(report.status, report.status)
        controls: list[ft.Control] = [
            tagged(
                "report-editor",
                heading(REPORTS["editor_heading"].format(period=report.period, who=who), 18),
            ),
            tagged(
                "report-meta",
                ft.Text(
                    REPORTS["editor_meta"].format(
                        status=status,
                        revision=report.revision,
                        start=vn_date(report.period_start),
                        end=vn_date(report.period_end),
                        due=vn_date(report.due),
                        ref=report.id[:8],
                    ),
                    color=ft.Colors.ON_SURFACE_VARIANT,
                ),
            ),
        ]
        if not draft:
            controls.append(
                tagged(
                    "report-locked",
                    ft.Text(
                        REPORTS["locked"].format(date=vn_date((report.submitted_at or "")[:10])),
                        color=ft.Colors.GREEN_800,
                        weight=ft.FontWeight.W_500,
                    ),
                )
            )
        if report.superseded_by:
            controls.append(
                ft.Text(REPORTS["superseded"].format(ref=report.superseded_by[:8]), size=13)
            )
        controls.append(self._actions(report))
        controls.append(tagged("report-error", self.error))
        if report.scope == "unit" or report.figures:
            controls.append(tagged("report-rates-head", self.rates_head))
        self.editor_head.controls = controls
        controls = []
        if report.scope == "zone":
            controls.append(self._missing(report))
        controls.append(self._figures(report, draft))
        controls.append(self._outline(report, draft))
        controls.append(self._meta(report, draft))
        controls.append(self._output())
        controls.append(self._targets(report))
        self.editor_body.controls = controls

    def _actions(self, report: ReportView) -> ft.Control:
        buttons: list[ft.Control] = []
        if report.status == "draft":
            buttons += [
                tagged(
                    "report-save",
                    ft.Button(REPORTS["save"], icon=ft.Icons.SAVE, on_click=self._save_click),
                ),
                tagged(
                    "report-submit",
                    ft.FilledButton(
                        REPORTS["submit"], icon=ft.Icons.SEND, on_click=self._submit_click
                    ),
                ),
            ]
            if report.scope == "zone":
                buttons.append(
                    tagged(
                        "report-reconsolidate",
                        ft.OutlinedButton(
                            REPORTS["consolidate"],
                            icon=ft.Icons.MERGE_TYPE,
                            on_click=lambda e: self._reconsolidate(report.period),
                        ),
                    )
                )
        elif not report.superseded_by:
            buttons.append(
                tagged(
                    "report-revise",
                    ft.OutlinedButton(
                        REPORTS["revise"], icon=ft.Icons.EDIT, on_click=self._revise_click
                    ),
                )
            )
        return ft.Row(buttons, wrap=True)

    def _reconsolidate(self, period: str) -> None:
        self.new_period.value = period
        self._consolidate(None)

    def _missing(self, report: ReportView) -> ft.Control:
        body: list[ft.Control] = [
            ft.Text(REPORTS["zone_note"], size=12),
            ft.Text(REPORTS["sources"].format(count=len(report.sources)), size=13),
        ]
        if report.missing_units:
            body += [ft.Text(f"• {name}", color=ft.Colors.RED_700) for name in report.missing_units]
        else:
            body.append(ft.Text(REPORTS["missing_none"], color=ft.Colors.GREEN_700))
        return section(REPORTS["missing_heading"], *body, identifier="report-missing")

    # ---- figures ------------------------------------------------------------------------------

    def _figures(self, report: ReportView, draft: bool) -> ft.Control:
        """The figures table: one row per figure (label, value, its error under it), with the
        totals and rates beside it, recomputed at each keystroke."""
        self.fig_fields, self.fig_errors = {}, {}
        editable = draft and report.scope == "unit"
        rows: list[ft.Control] = []
        for group_key, names in FIGURE_GROUPS:
            rows.append(
                ft.Container(
                    ft.Text(REPORTS[group_key], weight=ft.FontWeight.W_600, size=13),
                    padding=ft.Padding.only(top=6),
                )
            )
            for name in names:
                label = T.FIGURE_LABELS[name]
                field = ft.TextField(
                    value=_figure_text(report.figures.get(name)),
                    width=120,
                    dense=True,
                    text_align=ft.TextAlign.RIGHT,
                    read_only=not editable,
                    keyboard_type=ft.KeyboardType.NUMBER,
                    on_change=self._on_figure,
                )
                error = ft.Text("", color=ft.Colors.ERROR, size=12, visible=False)
                self.fig_fields[name] = field
                self.fig_errors[name] = error
                rows.append(
                    ft.Column(
                        [
                            ft.Row(
                                [
                                    ft.Text(label, size=13, expand=True),
                                    tagged(f"fig-{name}", field, label=label),
                                ],
                                vertical_alignment=ft.CrossAxisAlignment.CENTER,
                            ),
                            error,
                        ],
                        spacing=0,
                        tight=True,
                    )
                )
        self._recompute()
        summary = ft.Container(
            ft.Column(
                [
                    ft.Text(REPORTS["totals_heading"], weight=ft.FontWeight.W_600),
                    tagged("report-totals", self.totals_box),
                    ft.Divider(),
                    ft.Text(REPORTS["rates_heading"], weight=ft.FontWeight.W_600),
                    tagged("report-rates", self.rates_box),
                ],
                tight=True,
                spacing=6,
            ),
            width=330,
            padding=ft.Padding.all(10),
            bgcolor=ft.Colors.BLUE_50,
            border_radius=6,
        )
        return section(
            REPORTS["figures_heading"],
            ft.Text(REPORTS["figures_hint"], size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            ft.Row(
                [ft.Column(rows, spacing=2, expand=True), summary],
                vertical_alignment=ft.CrossAxisAlignment.START,
                spacing=16,
            ),
            identifier="report-figures",
        )

    def _set_fig_error(self, name: str, text: str | None) -> None:
        field, error = self.fig_fields.get(name), self.fig_errors.get(name)
        if field is None or error is None:
            return
        error.value = text or ""
        error.visible = bool(text)
        field.border_color = ft.Colors.ERROR if text else None

    def _typed_figures(self) -> tuple[Figures, dict[str, str]]:
        """The figures as typed so far, and each field's problem (bad number, negative…)."""
        values: dict[str, int | float | None] = {}
        errors: dict[str, str] = {}
        for name, field in self.fig_fields.items():
            raw = (field.value or "").strip()
            if not raw:
                values[name] = None
                continue
            try:
                values[name] = parse_value(name, raw)
            except FiguresInvalid as err:
                p = err.problems[0]
                errors[name] = T.problem_text(p.key, p.field, p.params)
                values[name] = None
        fig = Figures.model_validate(values)
        for p in problems(fig):
            errors.setdefault(p.field, T.problem_text(p.key, p.field, p.params))
        return fig, errors

    def _on_text(self, e: Any) -> None:
        """Nothing to do: having a handler makes the field send every change as it is typed."""

    def _on_figure(self, e: Any) -> None:
        self._recompute()
        self._update()

    def _recompute(self) -> None:
        fig, errors = self._typed_figures()
        for name in self.fig_fields:
            self._set_fig_error(name, errors.get(name))
        totals = {
            "received": fig.received,
            "to_handle": fig.to_handle,
            "resolved": fig.resolved,
            "pending": fig.pending,
        }
        self.totals_box.controls = [
            tagged(
                f"total-{key}",
                ft.Text(
                    REPORTS["rate_line"].format(
                        label=T.TOTAL_LABELS[key], value="—" if value is None else value
                    ),
                    size=13,
                ),
            )
            for key, value in totals.items()
        ]
        rate_controls: list[ft.Control] = []
        for key, value in fig.rates().items():
            label = T.RATE_LABELS[key]
            target = self.thresholds.get(key) if key in TARGETED_RATES else None
            if target is not None:
                if value is None:
                    text = REPORTS["rate_line"].format(label=label, value=percent(None))
                    color = None
                else:
                    met = value >= target
                    text = REPORTS["rate_target"].format(
                        label=label,
                        value=percent(value),
                        target=f"{target:g}",
                        verdict=REPORTS["verdict_met" if met else "verdict_not_met"],
                    )
                    color = ft.Colors.GREEN_700 if met else ft.Colors.RED_700
            else:
                text = REPORTS["rate_line"].format(label=label, value=percent(value))
                color = None
            rate_controls.append(tagged(f"rate-{key}", ft.Text(text, size=13, color=color)))
        self.rates_box.controls = rate_controls
        rates = fig.rates()
        self.rates_head.value = REPORTS["rates_head"].format(
            on_time=percent(rates["on_time_rate"]),
            payment=percent(rates["online_payment_share"]),
            satisfaction=percent(rates["satisfaction"]),
        )

    # ---- outline by area ----------------------------------------------------------------------

    def _outline(self, report: ReportView, draft: bool) -> ft.Control:
        self.section_fields = {}
        self.line_status, self.line_progress, self.line_note = {}, {}, {}
        by_area: dict[str, list[ReportTaskLine]] = {}
        for line in report.tasks:
            by_area.setdefault(line.area or "", []).append(line)
        area_views = {a.code: a for a in self.ctx.call(overview_service.areas)}
        areas = {code: a.title for code, a in area_views.items()}
        blocks: list[ft.Control] = []
        for code in AREA_CODES:
            lines = by_area.get(code, [])
            text = ft.TextField(
                label=REPORTS["section_text"].format(code=code),
                value=report.sections.get(code, ""),
                multiline=True,
                min_lines=1,
                max_lines=6,
                read_only=not draft,
                dense=True,
                expand=True,
                on_change=self._on_text,
            )
            self.section_fields[code] = text
            blocks.append(
                ft.Text(f"{code}. {areas.get(code, '')}", weight=ft.FontWeight.W_600, size=14)
            )
            solutions = area_views[code].solutions if code in area_views else []
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
            blocks += [self._line(line, draft) for line in lines]
            blocks.append(ft.Row([tagged(f"section-{code}", text)]))
        for key in ("difficulties", "proposals"):
            field = ft.TextField(
                label=REPORTS[key],
                value=report.sections.get(key, ""),
                multiline=True,
                min_lines=2,
                max_lines=8,
                read_only=not draft,
                expand=True,
                on_change=self._on_text,
            )
            self.section_fields[key] = field
            blocks.append(ft.Row([tagged(f"section-{key}", field)]))
        return section(REPORTS["outline_heading"], *blocks, identifier="report-outline")

    def _line(self, line: ReportTaskLine, draft: bool) -> ft.Control:
        ref = str(line.stt) if line.stt is not None else line.task_id[:8]
        status = ft.Dropdown(
            label=REPORTS["task_status"].format(stt=ref),
            value=STATE_TO_STATUS.get(line.state, "in_progress"),
            options=options(list(STATUS_LABELS.items())),
            width=210,
            dense=True,
            disabled=not draft,
        )
        progress = ft.TextField(
            label=REPORTS["task_progress"].format(stt=ref),
            value=str(line.progress),
            width=200,
            dense=True,
            read_only=not draft,
            on_change=self._on_text,
        )
        note = ft.TextField(
            label=REPORTS["task_note"].format(stt=ref),
            value=line.note,
            expand=True,
            dense=True,
            read_only=not draft,
            on_change=self._on_text,
        )
        self.line_status[line.task_id] = status
        self.line_progress[line.task_id] = progress
        self.line_note[line.task_id] = note
        state = T.TASK_STATES.get(line.state, line.state)
        return ft.Container(
            ft.Column(
                [
                    ft.Text(
                        f"{ref}. {line.content}",
                        size=13,
                        max_lines=2,
                        overflow=ft.TextOverflow.ELLIPSIS,
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
                        ]
                    ),
                ],
                spacing=10,
                tight=True,
            ),
            padding=ft.Padding.only(left=12, bottom=6),
        )

    def _meta(self, report: ReportView, draft: bool) -> ft.Control:
        self.number.value = report.number or ""
        self.report_date.value = vn_date(report.report_date) if report.report_date else ""
        self.signer.value = report.signer_name or ""
        for f in (self.number, self.report_date, self.signer):
            f.read_only = not draft
            f.error = None
        return section(
            REPORTS["meta_heading"],
            ft.Row(
                [
                    tagged("report-number", self.number),
                    tagged("report-date", self.report_date),
                    tagged("report-signer", self.signer),
                ],
                wrap=True,
            ),
        )

    # ---- save, submit, revise -----------------------------------------------------------------

    def _changes(self, report: ReportView) -> dict[str, Any]:
        """What the form holds that differs from the stored report, as `set_report` takes it."""
        fields: dict[str, str] = {}
        if report.scope == "unit":
            for name, field in self.fig_fields.items():
                raw = (field.value or "").strip()
                if raw and raw != _figure_text(report.figures.get(name)):
                    fields[name] = raw
        sections = {
            key: field.value or ""
            for key, field in self.section_fields.items()
            if (field.value or "").strip() != report.sections.get(key, "").strip()
        }
        lines = {line.task_id: line for line in report.tasks}
        statuses, progress, notes = {}, {}, {}
        for tid, line in lines.items():
            ref = str(line.stt) if line.stt is not None else tid[:8]
            chosen = self.line_status[tid].value
            if chosen and chosen != STATE_TO_STATUS.get(line.state):
                statuses[ref] = chosen
            typed = (self.line_progress[tid].value or "").strip()
            if typed != str(line.progress):
                progress[ref] = typed
            note = (self.line_note[tid].value or "").strip()
            if note != line.note.strip():
                notes[ref] = note
        out: dict[str, Any] = {}
        if fields:
            out["fields"] = fields
        if sections:
            out["sections"] = sections
        if statuses:
            out["statuses"] = statuses
        if progress:
            out["progress"] = progress
        if notes:
            out["notes"] = notes
        number = (self.number.value or "").strip()
        if number != (report.number or ""):
            out["number"] = number
        date_text = (self.report_date.value or "").strip()
        stored = vn_date(report.report_date) if report.report_date else ""
        if date_text and date_text != stored:
            out["report_date"] = date_text
        signer = (self.signer.value or "").strip()
        if signer != (report.signer_name or ""):
            out["signer"] = signer
        return out

    def _show_error(self, err: CchcError) -> None:
        if isinstance(err, FiguresInvalid):
            lines = []
            for p in err.problems:
                text = T.problem_text(p.key, p.field, p.params)
                lines.append(text)
                self._set_fig_error(p.field, text)
            self.error.value = REPORTS["errors_heading"] + "\n" + "\n".join(lines)
            self.ctx.notify(lines[0], error=True)
        else:
            text = message(err)
            if err.key == "bad_date" or "date" in err.key:
                self.report_date.error = text
            self.error.value = text
            self.ctx.notify(text, error=True)
        self._update()

    def _save(self) -> bool:
        """Write the form to the draft; True when it is stored (or there was nothing to store)."""
        report = self.report
        if report is None:
            return False
        self.error.value = ""
        _, errors = self._typed_figures()
        if errors:
            for name, text in errors.items():
                self._set_fig_error(name, text)
            self.error.value = REPORTS["errors_heading"] + "\n" + "\n".join(errors.values())
            self.ctx.notify(next(iter(errors.values())), error=True)
            self._update()
            return False
        changes = self._changes(report)
        if not changes:
            return True
        try:
            self.ctx.call(report_service.set_report, report.id, **changes)
        except CchcError as err:
            self._show_error(err)
            return False
        return True

    def _save_click(self, e: Any) -> None:
        report = self.report
        if report is None:
            return
        had_changes = bool(self._changes(report))
        if not self._save():
            return
        self.refresh_list()
        self.refresh_editor()
        self.ctx.notify(
            REPORTS["saved"].format(period=report.period, ref=report.id[:8])
            if had_changes
            else REPORTS["nothing_changed"]
        )

    def _submit_click(self, e: Any) -> None:
        report = self.report
        if report is None:
            return
        if not self._save():
            return
        who = report.unit_name or REPORTS["zone"]

        def go(ev: Any) -> None:
            self.ctx.page.pop_dialog()
            try:
                view = self.ctx.call(report_service.submit_report, report.id)
            except CchcError as err:
                self.refresh_editor()
                self._show_error(err)
                return
            self.refresh_list()
            self.refresh_editor()
            self.ctx.notify(REPORTS["submitted"].format(period=view.period, who=who))

        dialog = ft.AlertDialog(
            modal=True,
            title=ft.Text(REPORTS["submit_title"]),
            content=ft.Text(REPORTS["submit_confirm"].format(period=report.period, who=who)),
            actions=[
                tagged(
                    "submit-cancel",
                    ft.TextButton(COMMON["cancel"], on_click=lambda ev: self.ctx.page.pop_dialog()),
                ),
                tagged("submit-confirm", ft.Button(REPORTS["submit_yes"], on_click=go)),
            ],
        )
        self.ctx.page.show_dialog(dialog)

    def _revise_click(self, e: Any) -> None:
        report = self.report
        if report is None:
            return
        try:
            view = self.ctx.call(report_service.revise_report, report.id)
        except CchcError as err:
            self._show_error(err)
            return
        self.ctx.notify(REPORTS["revised"].format(revision=view.revision, ref=view.id[:8]))
        self._select(view.id)

    # ---- output -------------------------------------------------------------------------------

    def _file_name(self, suffix: str) -> str:
        report = self.report
        assert report is not None
        who = report.unit or "dac-khu"
        return f"bao-cao-cchc-{who}-{report.period}-lan{report.revision}{suffix}"

    def _output(self) -> ft.Control:
        buttons: list[ft.Control] = [
            tagged(
                "report-write-pdf",
                ft.Button(
                    REPORTS["write_pdf"],
                    icon=ft.Icons.PICTURE_AS_PDF,
                    on_click=lambda e: self._write(".pdf"),
                ),
            ),
            tagged(
                "report-write-csv",
                ft.OutlinedButton(
                    REPORTS["write_csv"],
                    icon=ft.Icons.TABLE_CHART,
                    on_click=lambda e: self._write(".csv"),
                ),
            ),
        ]
        if self.ctx.desktop:
            buttons += [
                tagged(
                    "report-save-pdf",
                    ft.OutlinedButton(
                        REPORTS["save_pdf_as"], icon=ft.Icons.SAVE_AS, on_click=self._save_pdf_as
                    ),
                ),
                tagged(
                    "report-open",
                    ft.TextButton(
                        REPORTS["open_last"], icon=ft.Icons.OPEN_IN_NEW, on_click=self._open_last
                    ),
                ),
            ]
        else:
            buttons += [
                tagged(
                    "report-download-pdf",
                    ft.OutlinedButton(
                        REPORTS["download_pdf"],
                        icon=ft.Icons.DOWNLOAD,
                        on_click=self._download_pdf,
                    ),
                ),
                tagged(
                    "report-download-csv",
                    ft.OutlinedButton(
                        REPORTS["download_csv"],
                        icon=ft.Icons.DOWNLOAD,
                        on_click=self._download_csv,
                    ),
                ),
            ]
        return section(
            REPORTS["output_heading"],
            tagged("report-out-folder", self.out_folder),
            ft.Row(buttons, wrap=True),
            identifier="report-output",
        )

    def _render(self, target: Path) -> Path:
        report = self.report
        assert report is not None
        if target.suffix == ".pdf":
            return self.ctx.call(report_output.write_pdf, report.id, target)
        return self.ctx.call(report_output.write_export, report.id, target)

    def _write(self, suffix: str) -> None:
        if self.report is None:
            return
        folder_text = (self.out_folder.value or "").strip()
        if not folder_text:
            self.out_folder.error = message(InvalidInput("ui_output_folder_missing"))
            self._update()
            return
        self.out_folder.error = None
        folder = Path(folder_text).expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            err = InvalidInput("out_path", value=str(folder), errno=exc.errno)
            self.out_folder.error = message(err)
            self.ctx.notify(message(err), error=True)
            return
        target = folder / self._file_name(suffix)

        def done(path: Path) -> None:
            self.last_written = path
            self.ctx.notify(REPORTS["written"].format(path=path))

        self.ctx.run_background(lambda: self._render(target), done, self._show_error)

    async def _save_pdf_as(self, e: Any) -> None:
        if self.report is None:
            return
        chosen = await self.ctx.file_picker.save_file(
            dialog_title=REPORTS["save_pdf_as"], file_name=self._file_name(".pdf")
        )
        if not chosen:
            return
        try:
            path = self._render(Path(chosen))
        except CchcError as err:
            self._show_error(err)
            return
        self.last_written = path
        self.ctx.notify(REPORTS["written"].format(path=path))

    def _open_last(self, e: Any) -> None:
        path = self.last_written
        if path is None or not path.exists():
            return
        try:
            if sys.platform.startswith("win"):
                os.startfile(str(path))  # type: ignore[attr-defined]
            elif sys.platform == "darwin":
                subprocess.Popen(["open", str(path)])
            else:
                subprocess.Popen(["xdg-open", str(path)])
        except OSError as exc:
            self.ctx.notify(REPORTS["open_failed"].format(path=path, error=exc), error=True)

    async def _download(self, suffix: str) -> None:
        if self.report is None:
            return
        name = self._file_name(suffix)
        try:
            path = self._render(self._tmp / name)
        except CchcError as err:
            self._show_error(err)
            return
        data = path.read_bytes()
        await self.ctx.file_picker.save_file(file_name=name, src_bytes=data)
        self.ctx.notify(REPORTS["downloaded"].format(name=name, size=size_text(len(data))))

    async def _download_pdf(self, e: Any) -> None:
        await self._download(".pdf")

    async def _download_csv(self, e: Any) -> None:
        await self._download(".csv")

    # ---- targets ------------------------------------------------------------------------------

    def _targets(self, report: ReportView) -> ft.Control:
        who = report.unit_name or REPORTS["zone"]
        try:
            view = self.ctx.call(
                target_service.measure, period=report.period, unit=report.unit or None
            )
        except CchcError as err:
            return section(
                REPORTS["targets_heading"].format(who=who, period=report.period),
                ft.Text(message(err)),
            )
        note = (
            REPORTS["target_from"].format(periods=", ".join(view.figures_from))
            if view.figures_from
            else REPORTS["target_no_figures"]
        )
        return section(
            REPORTS["targets_heading"].format(who=who, period=report.period),
            ft.Text(note, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            *target_rows(view, "report-target"),
            identifier="report-targets",
        )


SPEC = ScreenSpec(
    key="reports",
    label=NAV["reports"],
    icon=ft.Icons.DESCRIPTION_OUTLINED,
    selected_icon=ft.Icons.DESCRIPTION,
    order=30,
    factory=ReportsScreen,
)
