"""Dashboard panels that come from other areas (reports, sync): each is (ctx) -> control | None.

Wired into the dashboard by `cchc.ui.app` (dashboard.EXTRA_PANELS), one line per panel.
"""

from __future__ import annotations

import flet as ft

from cchc.services import targets as target_service
from cchc.texts import reports as report_texts
from cchc.texts.ui import DASHBOARD
from cchc.ui.context import AppContext
from cchc.ui.widgets import section, tagged, vn_date

_STATUS_COLORS = {
    "met": ft.Colors.GREEN_700,
    "on_track": ft.Colors.TEAL_700,
    "at_risk": ft.Colors.ORANGE_800,
    "not_met": ft.Colors.RED_700,
    "no_data": ft.Colors.BLUE_GREY_400,
}


def _number(value: float | None, percent: bool) -> str:
    if value is None:
        return report_texts.NOT_ENTERED
    text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}%" if percent else text


def targets_panel(ctx: AppContext) -> ft.Control | None:
    """The plan's targets against actuals for the zone, year to date (cchc.services.targets)."""
    view = ctx.call(target_service.measure)
    rows: list[ft.Control] = [
        ft.Text(
            DASHBOARD["targets_span"].format(start=vn_date(view.start), end=vn_date(view.end)),
            size=12,
            color=ft.Colors.ON_SURFACE_VARIANT,
        )
    ]
    for t in view.targets:
        percent = t.metric.endswith("_rate") or t.metric.endswith("_share")
        if t.metric == "par_index":
            wanted = report_texts.TARGET_IMPROVED
        elif t.threshold is not None:
            wanted = "≥ " + _number(t.threshold, percent)
        else:
            wanted = ""
        status = report_texts.TARGET_STATUS[t.status]
        line = ft.Row(
            [
                ft.Text(report_texts.TARGET_SHORT.get(t.code, t.title), expand=True, size=13),
                ft.Text(wanted, size=13, width=190),
                ft.Text(_number(t.actual, percent), size=13, weight=ft.FontWeight.W_600, width=80),
                ft.Text(status, size=13, color=_STATUS_COLORS[t.status], width=130),
            ]
        )
        rows.append(tagged(f"target-{t.code}", line))
    return section(DASHBOARD["targets"], *rows, identifier="targets")
