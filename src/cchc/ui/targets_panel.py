"""The plan's targets against actuals, as the dashboard and the Báo cáo screen show them: one
line per target, labelled as the plan names it (a.–f., Dòng 18.), its verdict, required and
actual values in the Vietnamese number format, and a bar of the actual against the target."""

from __future__ import annotations

import flet as ft

from cchc.domain.numbers import format_number, format_percent
from cchc.services.targets import TargetRow, TargetsView
from cchc.texts.reports import TARGET_STATUS, improved_text, target_mark
from cchc.texts.ui_reports import REPORTS
from cchc.ui.widgets import tagged

STATUS_COLORS = {
    "met": ft.Colors.GREEN_700,
    "on_track": ft.Colors.TEAL_700,
    "at_risk": ft.Colors.ORANGE_800,
    "not_met": ft.Colors.RED_700,
    "no_data": ft.Colors.BLUE_GREY_400,
    "not_started": ft.Colors.BLUE_GREY_600,
}
STATUS_ICONS = {
    "met": ft.Icons.CHECK_CIRCLE,
    "on_track": ft.Icons.SCHEDULE,
    "at_risk": ft.Icons.WARNING_AMBER,
    "not_met": ft.Icons.CANCEL,
    "no_data": ft.Icons.HELP_OUTLINE,
    "not_started": ft.Icons.HOURGLASS_EMPTY,
}
# Every target is a percentage except the count of inspections and the PAR Index score.
_NOT_PERCENT = {"inspections_held", "par_index"}


def value_text(row: TargetRow, value: float | None) -> str:
    """A target's value: 94,4% for a rate, 3 for a count, "—" when it cannot be measured."""
    if row.metric in _NOT_PERCENT:
        return format_number(value)
    return format_percent(value)


def required_text(row: TargetRow) -> str:
    if row.metric == "par_index":
        return improved_text(row.year)
    return "≥ " + value_text(row, row.threshold) if row.threshold is not None else "—"


def _bar(row: TargetRow) -> ft.Control | None:
    """The actual against the target (a full bar at the target); none without both."""
    if row.actual is None or not row.threshold:
        return None
    return ft.ProgressBar(
        value=max(0.0, min(1.0, row.actual / row.threshold)),
        color=STATUS_COLORS.get(row.status),
        bgcolor=ft.Colors.BLUE_GREY_50,
        bar_height=6,
        border_radius=3,
    )


def target_rows(view: TargetsView, prefix: str) -> list[ft.Control]:
    """One line per target: its verdict (met / not met / not enough data), required, actual."""
    rows: list[ft.Control] = []
    for row in view.targets:
        verdict = TARGET_STATUS.get(row.status, row.status)
        title = row.short or row.title
        mark = target_mark(row.code)
        body: list[ft.Control] = [
            ft.Text(
                REPORTS["target_row"].format(code=mark, title=title),
                size=13,
                weight=ft.FontWeight.W_500,
            ),
            ft.Text(
                REPORTS["target_values"].format(
                    threshold=required_text(row), actual=value_text(row, row.actual)
                ),
                size=12,
                color=ft.Colors.ON_SURFACE_VARIANT,
            ),
        ]
        bar = _bar(row)
        if bar is not None:
            body.append(bar)
        line = ft.Row(
            [
                ft.Icon(
                    STATUS_ICONS.get(row.status, ft.Icons.HELP_OUTLINE),
                    color=STATUS_COLORS.get(row.status),
                ),
                ft.Column(body, spacing=2, expand=True, tight=True),
                ft.Container(
                    ft.Text(verdict, color=ft.Colors.WHITE, size=12, weight=ft.FontWeight.W_600),
                    bgcolor=STATUS_COLORS.get(row.status),
                    padding=ft.Padding.symmetric(horizontal=8, vertical=3),
                    border_radius=10,
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )
        rows.append(tagged(f"{prefix}-{row.code}", line, label=f"{mark} {title}: {verdict}"))
    return rows
