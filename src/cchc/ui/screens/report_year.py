"""Kết quả cả năm: the plan's targets as the year ends (`cchc.services.targets.measure` with
`final_year`, the same answer as `cchc targets --final`). After 31/12 every target is met or not
met, nothing left "on track"; before, the panel says so and shows the year to date instead."""

from __future__ import annotations

from typing import Any

import flet as ft

from cchc.domain.dates import format_vn_date, from_iso
from cchc.domain.errors import CchcError
from cchc.services import reports as report_service
from cchc.services import targets as target_service
from cchc.services.periods import period_name
from cchc.texts.errors import describe
from cchc.texts.ui_reports import YEAR_RESULT
from cchc.ui.context import AppContext
from cchc.ui.targets_panel import target_rows
from cchc.ui.widgets import heading, tagged


class YearPanel:
    """The panel in a dialog of the Báo cáo destination."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.plan_year = ctx.call(report_service.plan_year)
        self.year = ft.TextField(
            label=YEAR_RESULT["field"],
            value=str(self.plan_year),
            width=140,
            dense=True,
            on_submit=self.run,
        )
        self.verdict = ft.Text("", weight=ft.FontWeight.W_600)  # read aloud, so not selectable
        self.lines = ft.Column(spacing=6, tight=True)
        self.view = ft.Column(
            [
                heading(YEAR_RESULT["title"], 18),
                ft.Text(YEAR_RESULT["help"], size=13),
                ft.Row(
                    [
                        tagged("year-result-year", self.year),
                        tagged(
                            "year-result-run",
                            ft.Button(
                                YEAR_RESULT["run"], icon=ft.Icons.FACT_CHECK, on_click=self.run
                            ),
                        ),
                    ]
                ),
                tagged("year-result-verdict", self.verdict),
                self.lines,
            ],
            tight=True,
            spacing=8,
            scroll=ft.ScrollMode.AUTO,
            width=640,
            height=520,
        )

    def run(self, e: Any) -> None:
        typed = (self.year.value or "").strip()
        self.lines.controls = []
        if not (typed.isdigit() and len(typed) == 4):
            self._say(YEAR_RESULT["year_invalid"].format(value=typed), final=False)
            return
        year = int(typed)
        early: str | None = None
        try:
            view = self.ctx.call(target_service.measure, final_year=year)
        except CchcError as err:
            if getattr(err, "key", None) != "targets_final_early":
                self._say(describe(err), final=False)
                return
            early = describe(err)  # the year is not over: the plan's year to date, said so
            if year != self.plan_year:
                self._say(early, final=False)
                return
            view = self.ctx.call(target_service.measure)
        end = format_vn_date(from_iso(view.end))
        if view.final:
            head = YEAR_RESULT["final"].format(year=year, end=end)
        else:
            head = YEAR_RESULT["provisional"].format(year=self.plan_year, end=end)
            head = f"{early} {head}" if early else head
        counts = {s: sum(1 for t in view.targets if t.status == s) for s in TALLIED}
        texts: list[ft.Control] = [
            tagged(
                "year-result-tally",
                ft.Text(YEAR_RESULT["tally"].format(**counts), size=13),
            ),
        ]
        if view.figures_from:
            periods = ", ".join(period_name(p) for p in view.figures_from)
            texts.append(ft.Text(YEAR_RESULT["from"].format(periods=periods), size=12))
        texts += target_rows(view, "year-target")
        texts += [ft.Text(note, size=12, selectable=True) for note in view.notes]
        self.lines.controls = texts
        self._say(head, final=view.final)

    def _say(self, text: str, *, final: bool) -> None:
        self.verdict.value = text
        self.verdict.color = ft.Colors.ON_SURFACE if final else ft.Colors.ORANGE_900
        self.ctx.page.update()


TALLIED = ("met", "not_met", "no_data")


def open_dialog(ctx: AppContext) -> YearPanel:
    """Show the panel in a dialog; returns it (for tests)."""
    panel = YearPanel(ctx)
    dialog = ft.AlertDialog(
        content=panel.view,
        actions=[
            tagged(
                "year-result-close",
                ft.TextButton(YEAR_RESULT["close"], on_click=lambda e: ctx.page.pop_dialog()),
            )
        ],
    )
    ctx.page.show_dialog(dialog)
    panel.run(None)
    return panel
