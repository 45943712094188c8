"""Targets against actuals as the Báo cáo screen lists them (the dashboard has its own panel,
cchc.ui.screens.panels)."""

from __future__ import annotations

import flet as ft

from cchc.services.targets import TargetRow, TargetsView
from cchc.texts.reports import TARGET_SHORT, TARGET_STATUS
from cchc.texts.ui_reports import REPORTS
from cchc.ui.widgets import tagged

STATUS_COLORS = {
    "met": ft.Colors.GREEN_700,
    "on_track": ft.Colors.TEAL_700,
    "at_risk": ft.Colors.ORANGE_800,
    "not_met": ft.Colors.RED_700,
    "no_data": ft.Colors.BLUE_GREY_400,
}
STATUS_ICONS = {
    "met": ft.Icons.CHECK_CIRCLE,
    "on_track": ft.Icons.SCHEDULE,
    "at_risk": ft.Icons.WARNING_AMBER,
    "not_met": ft.Icons.CANCEL,
    "no_data": ft.Icons.HELP_OUTLINE,
}
# Every target is a percentage except the count of inspections and the PAR Index score.
_NOT_PERCENT = {"inspections_held", "par_index"}


def _value(row: TargetRow, value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return text + ("" if row.metric in _NOT_PERCENT else "%")


def target_rows(view: TargetsView, prefix: str) -> list[ft.Control]:
    """One line per target: its verdict (met / not met / not enough data), required, actual."""
    rows: list[ft.Control] = []
    for row in view.targets:
        verdict = TARGET_STATUS.get(row.status, row.status)
        title = TARGET_SHORT.get(row.code, row.title)
        line = ft.Row(
            [
                ft.Icon(
                    STATUS_ICONS.get(row.status, ft.Icons.HELP_OUTLINE),
                    color=STATUS_COLORS.get(row.status),
                ),
                ft.Column(
                    [
                        ft.Text(
                            REPORTS["target_row"].format(code=row.code, title=title),
                            size=13,
                            weight=ft.FontWeight.W_500,
                        ),
                        ft.Text(
                            REPORTS["target_values"].format(
                                threshold=_value(row, row.threshold),
                                actual=_value(row, row.actual),
                            ),
                            size=12,
                            color=ft.Colors.ON_SURFACE_VARIANT,
                        ),
                    ],
                    spacing=1,
                    expand=True,
                    tight=True,
                ),
                ft.Container(
                    ft.Text(verdict, color=ft.Colors.WHITE, size=12, weight=ft.FontWeight.W_600),
                    bgcolor=STATUS_COLORS.get(row.status),
                    padding=ft.Padding.symmetric(horizontal=8, vertical=3),
                    border_radius=10,
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )
        rows.append(tagged(f"{prefix}-{row.code}", line, label=f"{row.code}: {title}: {verdict}"))
    return rows
