"""Dashboard: when this laptop last exchanged data with each peer (journey 4's "today")."""

from __future__ import annotations

import flet as ft

from cchc.domain.dates import format_island_time, island_moment
from cchc.services import sync_view
from cchc.texts.ui_sync import DASHBOARD_SYNC, SYNC
from cchc.ui.context import AppContext
from cchc.ui.widgets import section, tagged


def _when(ctx: AppContext, iso_value: str | None) -> str:
    if not iso_value:
        return "—"
    moment = island_moment(iso_value)
    if moment is None:
        return iso_value
    today = ctx.call(lambda ws: ws.today())
    if moment.date() == today:
        return DASHBOARD_SYNC["today"].format(time=moment.strftime("%H:%M"))
    return format_island_time(iso_value)


def dashboard_exchange_panel(ctx: AppContext) -> ft.Control | None:
    """One line per peer: "last exchanged with <peer>: <date>", and the last export."""
    lines = ctx.call(sync_view.last_exchanges, SYNC["city"])
    export = ctx.call(sync_view.last_export)
    rows: list[ft.Control] = []
    for i, entry in enumerate(lines):
        text = DASHBOARD_SYNC["line"].format(
            name=entry.name,
            when=_when(ctx, entry.at),
            how=SYNC.get(f"how_{entry.how}", entry.how),
        )
        rows.append(
            tagged(
                f"last-exchange-{i}",
                ft.Row([ft.Icon(ft.Icons.SYNC_ALT, color=ft.Colors.BLUE_600), ft.Text(text)]),
                label=text,
            )
        )
    if not rows:
        rows.append(tagged("last-exchange-none", ft.Text(DASHBOARD_SYNC["none"])))
    if export:
        rows.append(
            ft.Text(
                DASHBOARD_SYNC["export"].format(when=_when(ctx, export.get("at"))),
                size=12,
                color=ft.Colors.ON_SURFACE_VARIANT,
            )
        )
    rows.append(
        tagged(
            "dashboard-open-sync",
            ft.TextButton(
                DASHBOARD_SYNC["open"], icon=ft.Icons.SYNC, on_click=lambda e: ctx.go("sync")
            ),
        )
    )
    return section(DASHBOARD_SYNC["heading"], *rows, identifier="dashboard-exchange")
