"""Dashboard panels that come from other areas (reports, sync): each is (ctx) -> control | None.

Wired into the dashboard by `cchc.ui.app` (dashboard.EXTRA_PANELS), one line per panel.
"""

from __future__ import annotations

import flet as ft

from cchc.services import targets as target_service
from cchc.texts.ui import DASHBOARD
from cchc.ui.context import AppContext
from cchc.ui.targets_panel import target_rows
from cchc.ui.widgets import section, vn_date


def targets_panel(ctx: AppContext) -> ft.Control | None:
    """The plan's targets against actuals for the zone, year to date (cchc.services.targets),
    each with a bar of the actual against the target."""
    view = ctx.call(target_service.measure)
    rows: list[ft.Control] = [
        ft.Text(
            DASHBOARD["targets_span"].format(start=vn_date(view.start), end=vn_date(view.end)),
            size=12,
            color=ft.Colors.ON_SURFACE_VARIANT,
        )
    ]
    rows += target_rows(view, "target")
    return section(DASHBOARD["targets"], *rows, identifier="targets")
