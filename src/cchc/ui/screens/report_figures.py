"""Báo cáo: the figures table of one report: a field per figure with its error under it, and the
totals and rates recomputed at each keystroke, rates against the plan's targets. Made for people
who type fast: Tab goes to the next figure in reading order, Enter saves, "1.200" is read as
Vietnamese writes it, an impossible figure (600 online payments of 500) is flagged as it is typed
and no rate built on it is called "đạt"; each keystroke is kept on the laptop (report_drafts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from cchc.domain.figures import FIGURE_GROUPS, Figures, FiguresInvalid, parse_value, problems
from cchc.domain.numbers import format_number, format_percent
from cchc.domain.targets import meets
from cchc.services.reports import ReportView
from cchc.texts import reports as T
from cchc.texts.ui_reports import REPORTS, percent
from cchc.ui.context import AppContext
from cchc.ui.widgets import section, tagged


def _year(period: str) -> int | None:
    """The year a report's period belongs to ("2026-Q1" → 2026)."""
    head = period[:4]
    return int(head) if head.isdigit() else None


# Rates shown against the plan's targets (the target's metric has the rate's name).
TARGETED_RATES = ("online_payment_share", "satisfaction")
LABEL_MIN_WIDTH = 220  # a figure's label never narrower than this: it wraps by words


def figure_text(value: int | float | None) -> str:
    """A stored figure as the officer types it back (a decimal comma; empty when not entered)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return format_number(value, decimals=0)  # 1200 → "1.200", as it is typed


def _nothing(*args: Any) -> None:
    """The default of a hook the editor sets."""


class FiguresForm:
    def __init__(self, ctx: AppContext, thresholds: dict[str, float]) -> None:
        self.ctx = ctx
        self.thresholds = thresholds
        self.fields: dict[str, ft.TextField] = {}
        self.errors: dict[str, ft.Text] = {}
        self.totals_box = ft.Column(spacing=2, tight=True)
        self.rates_box = ft.Column(spacing=2, tight=True)
        self.rates_head = ft.Text("", size=12, color=ft.Colors.BLUE_900)
        self.keep: Callable[[str, str], None] = _nothing  # (field, text) as typed: kept
        self.on_submit: Callable[[], None] = _nothing  # Enter in a figure: save
        self.typed_before: dict[str, str] = {}

    def build(
        self, report: ReportView, editable: bool, typed: dict[str, str] | None = None
    ) -> ft.Control:
        """One row per figure (label, value, its error under it), with the totals and rates
        beside it; below the table when the window is narrow. `typed`: what was typed and kept
        but not saved, put back into its fields."""
        self.fields, self.errors = {}, {}
        self.typed_before = typed or {}
        rows: list[ft.Control] = []
        for group_key, names in FIGURE_GROUPS:
            rows.append(
                ft.Container(
                    ft.Text(REPORTS[group_key], weight=ft.FontWeight.W_600, size=13),
                    padding=ft.Padding.only(top=6),
                )
            )
            rows += [self._figure_row(report, name, editable) for name in names]
        self.recompute()
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
            padding=ft.Padding.all(10),
            bgcolor=ft.Colors.BLUE_50,
            border_radius=6,
            col={"xs": 12, "xl": 5},
        )
        return section(
            REPORTS["figures_heading"],
            ft.Text(REPORTS["figures_hint"], size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            # side by side on a wide window; the summary drops below the table on a narrow one,
            # so a label keeps its width and wraps by words, never one letter a line
            ft.ResponsiveRow(
                [ft.Column(rows, spacing=2, col={"xs": 12, "xl": 7}), summary],
                vertical_alignment=ft.CrossAxisAlignment.START,
                spacing=16,
            ),
            identifier="report-figures",
        )

    def _figure_row(self, report: ReportView, name: str, editable: bool) -> ft.Control:
        label = T.figure_label(
            name, report.zone_kind, _year(report.period)
        )  # a score names the year it measures
        stored = figure_text(report.figures.get(name))
        field = ft.TextField(
            value=self.typed_before.get(f"fig:{name}", stored) if editable else stored,
            width=120,
            dense=True,
            text_align=ft.TextAlign.RIGHT,
            read_only=not editable,
            keyboard_type=ft.KeyboardType.NUMBER,
            on_change=lambda e, n=name: self._on_figure(n),
            on_submit=lambda e: self.on_submit(),
        )
        error = ft.Text("", color=ft.Colors.ERROR, size=12, visible=False)
        self.fields[name] = field
        self.errors[name] = error
        return ft.Column(
            [
                ft.Row(
                    [
                        ft.Container(ft.Text(label, size=13), expand=True),
                        tagged(f"fig-{name}", field, label=label),
                    ],
                    vertical_alignment=ft.CrossAxisAlignment.CENTER,
                ),
                error,
            ],
            spacing=0,
            tight=True,
        )

    def set_error(self, name: str, text: str | None) -> bool:
        """Show (or clear) a figure's problem under it; True when what is shown changed."""
        field, error = self.fields.get(name), self.errors.get(name)
        if field is None or error is None:
            return False
        changed = (error.value or "") != (text or "")
        error.value = text or ""
        error.visible = bool(text)
        # the field's own border is left alone: redrawing its decoration while the officer
        # types rebuilds it under the cursor and the next keys (and Tab) are lost
        return changed

    def typed(self) -> tuple[Figures, dict[str, str]]:
        """The figures as typed so far, and each field's problem (bad number, negative…)."""
        values: dict[str, int | float | None] = {}
        errors: dict[str, str] = {}
        for name, field in self.fields.items():
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

    def changes(self, report: ReportView) -> dict[str, str]:
        """The figures typed that differ from the stored report, as `set_report` takes them."""
        out: dict[str, str] = {}
        for name, field in self.fields.items():
            raw = (field.value or "").strip()
            if not raw or raw == figure_text(report.figures.get(name)):
                continue
            try:
                if parse_value(name, raw) == report.figures.get(name):
                    continue  # "1200" typed over a stored 1.200: the same figure
            except FiguresInvalid:
                pass  # saving says what is wrong with it
            out[name] = raw
        return out

    def _on_figure(self, name: str) -> None:
        """A keystroke in a figure: keep it, recompute, and redraw only what shows the result.
        The page as a whole is not sent again while the officer types on (a fast typist's next
        keys and Tab are already on their way; redrawing the fields under them loses keys)."""
        self.keep(f"fig:{name}", self.fields[name].value or "")
        changed = self.recompute()
        for control in (self.totals_box, self.rates_box, self.rates_head):
            control.update()
        for other in changed:
            self.errors[other].update()
            if other != name:
                self.fields[other].update()

    def recompute(self) -> list[str]:
        """Totals, rates and each figure's problem from what is typed; the figures whose problem
        shown changed."""
        fig, errors = self.typed()
        changed = [name for name in self.fields if self.set_error(name, errors.get(name))]
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
                        label=T.TOTAL_LABELS[key], value=format_number(value)
                    ),
                    size=13,
                ),
            )
            for key, value in totals.items()
        ]
        # a rate computed from figures that cannot be true is no rate at all: never "đạt"
        rates = {key: None if errors else value for key, value in fig.rates().items()}
        self.rates_box.controls = [
            self._rate(key, value, bool(errors)) for key, value in rates.items()
        ]
        shown = {key: REPORTS["rate_invalid"] if errors else percent(v) for key, v in rates.items()}
        self.rates_head.value = (
            REPORTS["rates_head_invalid"]
            if errors
            else REPORTS["rates_head"].format(
                on_time=shown["on_time_rate"],
                payment=shown["online_payment_share"],
                satisfaction=shown["satisfaction"],
            )
        )
        return changed

    def _rate(self, key: str, value: float | None, invalid: bool = False) -> ft.Control:
        label = T.RATE_LABELS[key]
        target = self.thresholds.get(key) if key in TARGETED_RATES else None
        color = None
        if invalid:
            text = REPORTS["rate_line"].format(label=label, value=REPORTS["rate_invalid"])
            color = ft.Colors.ERROR
        elif target is not None and value is not None:
            met = meets(value, target)
            text = REPORTS["rate_target"].format(
                label=label,
                value=percent(value),
                target=format_percent(target),
                verdict=REPORTS["verdict_met" if met else "verdict_not_met"],
            )
            color = ft.Colors.GREEN_700 if met else ft.Colors.RED_700
        else:
            text = REPORTS["rate_line"].format(label=label, value=percent(value))
        return tagged(f"rate-{key}", ft.Text(text, size=13, color=color))
