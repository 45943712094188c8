"""Báo cáo: the left column: filters, a new report for this laptop's unit (its own period
picker), the zone's consolidation for Phòng Văn hóa - Xã hội (its own period picker), and the
list of reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from cchc.domain.errors import CchcError, InvalidInput
from cchc.domain.periods import Period
from cchc.services import overview as overview_service
from cchc.services import plan as plan_service
from cchc.services import reports as report_service
from cchc.services.periods import QUARTERS, calendar, current_period, period_name
from cchc.services.reports import ReportView
from cchc.texts import reports as T
from cchc.texts.errors import describe
from cchc.texts.plan_publish import PLAN_SCREEN
from cchc.texts.ui_reports import REPORTS, zone_report_name
from cchc.ui.context import AppContext
from cchc.ui.widgets import ALL, options, section, tagged, unit_filter, vn_date

FILTER_WIDTH = 190  # both filters on one row of the 400 px list column


def period_label(per: Period) -> str:
    """A period in the filters: its name only ("Quý IV/2026"), never its code."""
    return period_name(per)


class ReportList:
    def __init__(self, ctx: AppContext, on_select: Callable[[str], None]) -> None:
        self.ctx = ctx
        self.on_select = on_select
        self.selected: str | None = None
        year = ctx.call(report_service.plan_year)
        today = ctx.call(lambda ws: ws.today())
        periods = calendar().year_periods(year)
        period_opts = [(p.code, period_label(p)) for p in periods]
        units = ctx.call(overview_service.units)
        self.filter_period = ft.Dropdown(
            label=REPORTS["filter_period"],
            value=ALL,
            options=options([(ALL, REPORTS["all"]), *period_opts]),
            width=FILTER_WIDTH,
            dense=True,
            on_select=self._on_filter,
        )
        self.filter_unit = unit_filter(
            label=REPORTS["filter_unit"],
            all_label=REPORTS["all"],
            units=units,
            width=FILTER_WIDTH,
            on_select=self._on_filter,
        )
        self.new_period = ft.Dropdown(
            label=REPORTS["new_period"],
            options=options(period_opts),
            value=current_period(year, today),
            width=300,
            dense=True,
        )
        self.consolidate_period = ft.Dropdown(
            label=REPORTS["consolidate_period"],
            options=options(period_opts),
            value=current_period(year, today, QUARTERS),
            width=300,
            dense=True,
        )
        # Years side by side: a picker once the laptop holds more than one year's plan; the
        # periods offered are the chosen year's.
        years = ctx.call(plan_service.plan_years)
        self.year: ft.Dropdown | None = None
        if len(years) > 1:
            self.year = ft.Dropdown(
                label=PLAN_SCREEN["year"],
                value=str(year),
                options=options([(str(y), str(y)) for y in years]),
                width=110,
                dense=True,
                on_select=self._on_year,
            )
        # the list is a fresh ListView at each refresh (replacing its controls in place left a
        # stale row on screen now and then)
        self.rows = ft.Container(expand=True)
        self.new_box = ft.Column(spacing=8, tight=True)
        self.view = ft.Column(
            [
                ft.Row(
                    [
                        *([tagged("report-filter-year", self.year)] if self.year else []),
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
        )

    def _on_filter(self, e: Any = None) -> None:
        self.refresh()
        self.ctx.page.update()

    def _on_year(self, e: Any = None) -> None:
        """Another year: its periods in every period picker, its reports listed."""
        if self.year is None or not self.year.value:
            return
        year = int(self.year.value)
        today = self.ctx.call(lambda ws: ws.today())
        period_opts = [(p.code, period_label(p)) for p in calendar().year_periods(year)]
        self.filter_period.options = options([(ALL, REPORTS["all"]), *period_opts])
        codes = {code for code, _ in period_opts}
        if self.filter_period.value not in codes:
            self.filter_period.value = ALL
        self.new_period.options = options(period_opts)
        self.new_period.value = current_period(year, today)
        self.consolidate_period.options = options(period_opts)
        self.consolidate_period.value = current_period(year, today, QUARTERS)
        self.refresh()
        self.ctx.page.update()

    def build_new_box(self) -> None:
        profile = self.ctx.call(overview_service.local_profile)
        units = {u.code: u for u in self.ctx.call(overview_service.units)}
        unit = units.get(profile.unit_code or "")
        controls: list[ft.Control] = []
        if unit is None:
            controls.append(ft.Text(REPORTS["new_no_unit"]))
        elif unit.role not in report_service.REPORTING_ROLES:
            controls.append(ft.Text(REPORTS["new_not_reporting"].format(unit=unit.name)))
        else:
            controls += [
                ft.Text(REPORTS["new_unit"].format(unit=unit.name), size=13),
                tagged("report-new-period", self.new_period),
                tagged(
                    "report-create",
                    ft.Button(REPORTS["create"], icon=ft.Icons.NOTE_ADD, on_click=self.create),
                ),
            ]
        boxes = [section(REPORTS["new_heading"], *controls, identifier="report-new")]
        if unit is not None and unit.role == "consolidator":
            boxes.append(
                section(
                    REPORTS["consolidate_heading"],
                    tagged("report-consolidate-period", self.consolidate_period),
                    tagged(
                        "report-consolidate",
                        ft.OutlinedButton(
                            REPORTS["consolidate"],
                            icon=ft.Icons.MERGE_TYPE,
                            on_click=self.consolidate,
                        ),
                    ),
                    identifier="report-consolidation",
                )
            )
        self.new_box.controls = boxes

    def refresh(self) -> None:
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
        who = v.unit_name or zone_report_name(v.zone_name)
        status = T.REPORT_STATUS.get(v.status, v.status)
        tile = ft.ListTile(
            leading=ft.Icon(
                ft.Icons.LOCK if v.status == "submitted" else ft.Icons.EDIT_NOTE,
                color=ft.Colors.GREEN_700 if v.status == "submitted" else ft.Colors.BLUE_600,
            ),
            title=ft.Text(
                REPORTS["row"].format(who=who, period=period_name(v.period)),
                size=14,
                max_lines=2,
                overflow=ft.TextOverflow.ELLIPSIS,
            ),
            subtitle=ft.Text(
                REPORTS["row_sub"].format(
                    status=status, revision=v.revision, updated=vn_date(v.updated_at)
                ),
                size=12,
            ),
            dense=True,
            selected=v.id == self.selected,
            on_click=lambda e, ref=v.id: self.on_select(ref),
        )
        return tagged(f"report-row-{v.period}-{v.unit or 'zone'}-{v.revision}", tile)

    def create(self, e: Any) -> None:
        profile = self.ctx.call(overview_service.local_profile)
        period = self.new_period.value
        if not profile.unit_code:
            self.ctx.notify(describe(InvalidInput("ui_no_local_unit")), error=True)
            return
        if not period:
            return
        try:
            view = self.ctx.call(report_service.new_report, unit=profile.unit_code, period=period)
        except CchcError as err:
            self.ctx.notify(describe(err), error=True)
            return
        self.ctx.notify(
            REPORTS["created"].format(period=period_name(view.period), unit=view.unit_name)
        )
        self.on_select(view.id)

    def consolidate(self, e: Any, period: str | None = None) -> None:
        """Consolidate the period chosen in the consolidation box (or ``period``, when the
        zone's draft on screen asks again)."""
        period = period or self.consolidate_period.value
        if not period:
            return
        try:
            view = self.ctx.call(report_service.consolidate, period=period)
        except CchcError as err:
            self.ctx.notify(describe(err), error=True)
            return
        if view.missing_units:
            text = REPORTS["consolidated"].format(
                period=period_name(view.period),
                count=len(view.sources),
                missing=", ".join(view.missing_units),
            )
        else:
            text = REPORTS["consolidated_all"].format(
                period=period_name(view.period), count=len(view.sources)
            )
        self.ctx.notify(text)
        self.on_select(view.id)
