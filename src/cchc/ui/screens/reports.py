"""Báo cáo: reports by period and unit on the left (cchc.ui.screens.report_list), one report on
the right (cchc.ui.screens.report_editor): the entry form with live totals and rates; submit,
revise, consolidate; the PDF and the spreadsheet; targets against actuals."""

from __future__ import annotations

from typing import Any

import flet as ft

from cchc.services import targets as target_service
from cchc.texts.ui import NAV
from cchc.texts.ui_reports import REPORTS, VERIFY, YEAR_RESULT
from cchc.ui.context import AppContext
from cchc.ui.screens import ScreenSpec
from cchc.ui.screens.report_editor import ReportEditor
from cchc.ui.screens.report_list import ReportList
from cchc.ui.screens.report_verify import open_dialog
from cchc.ui.screens.report_year import open_dialog as open_year_result
from cchc.ui.widgets import heading, tagged

LIST_WIDTH = 400  # the list column; the report takes the rest (1024 px windows included)


class ReportsScreen:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.listing = ReportList(ctx, on_select=self.select)
        self.editor = ReportEditor(ctx, on_changed=self.select, on_consolidate=self._reconsolidate)
        self.view = ft.Column(
            [
                ft.Row(
                    [
                        heading(REPORTS["title"]),
                        ft.Row(
                            [
                                tagged(
                                    "report-year-open",
                                    ft.TextButton(
                                        YEAR_RESULT["open"],
                                        icon=ft.Icons.FACT_CHECK_OUTLINED,
                                        on_click=lambda e: open_year_result(ctx),
                                    ),
                                ),
                                tagged(
                                    "report-verify-open",
                                    ft.TextButton(
                                        VERIFY["open"],
                                        icon=ft.Icons.VERIFIED_OUTLINED,
                                        on_click=lambda e: open_dialog(ctx),
                                    ),
                                ),
                            ],
                            tight=True,
                        ),
                    ],
                    alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                ),
                ft.Row(
                    [
                        ft.Container(self.listing.view, width=LIST_WIDTH),
                        ft.VerticalDivider(width=1),
                        ft.Container(
                            self.editor.view, expand=True, padding=ft.Padding.only(left=8)
                        ),
                    ],
                    expand=True,
                    vertical_alignment=ft.CrossAxisAlignment.START,
                ),
            ],
            expand=True,
        )

    @property
    def selected(self) -> str | None:
        return self.editor.selected

    def show(self, **params: Any) -> None:
        if "report" in params:
            self.listing.selected = self.editor.selected = params["report"]
        specs = self.ctx.call(target_service.specs)
        self.editor.set_thresholds(
            {s.metric: s.threshold for s in specs if s.threshold is not None}
        )
        if not self.editor.output.out_folder.value:
            self.editor.output.out_folder.value = str(self.ctx.db_path.parent / "bao-cao")
        self.listing.build_new_box()
        self.listing.refresh()
        self.editor.refresh()

    def select(self, ref: str) -> None:
        """Show a report (and redraw the list, which marks it and may hold a new one)."""
        self.listing.selected = self.editor.selected = ref
        self.listing.refresh()
        self.editor.refresh()
        self.ctx.page.update()

    def _reconsolidate(self, period: str) -> None:
        self.listing.consolidate(None, period)


SPEC = ScreenSpec(
    key="reports",
    label=NAV["reports"],
    icon=ft.Icons.DESCRIPTION_OUTLINED,
    selected_icon=ft.Icons.DESCRIPTION,
    order=30,
    factory=ReportsScreen,
)
