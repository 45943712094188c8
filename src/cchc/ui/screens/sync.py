"""Đồng bộ: this laptop and its certification, what has not been sent yet and one way to send
it, a bundle to a USB drive or folder, e-mail files, imports summarised by unit, the city's hub,
conflicts, and the certified laptops. Each part is its own module under ``cchc.ui.sync``; this
one lays them out and refreshes them together."""

from __future__ import annotations

from typing import Any

import flet as ft

from cchc.services import certification
from cchc.texts.ui import NAV
from cchc.texts.ui_sync import SYNC
from cchc.ui.context import AppContext
from cchc.ui.screens import ScreenSpec
from cchc.ui.sync.certify_panel import CertifyPanel
from cchc.ui.sync.conflicts_panel import ConflictsPanel
from cchc.ui.sync.hub_panel import HubPanel
from cchc.ui.sync.me_panel import MePanel
from cchc.ui.sync.peers_panel import PeersPanel
from cchc.ui.sync.receive_panel import ReceivePanel
from cchc.ui.sync.send_panel import SendPanel
from cchc.ui.widgets import heading, section, tagged


def _half(control: ft.Control) -> ft.Container:
    return ft.Container(control, col={"xs": 12, "lg": 6})


class SyncScreen:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.view = ft.Column(scroll=ft.ScrollMode.AUTO, expand=True, spacing=14)
        self.me = MePanel(ctx, on_installed=self.refresh)
        self.certify = CertifyPanel(ctx)
        self.hub = HubPanel(ctx, after=self.refresh)
        self.send = SendPanel(ctx, after=self.refresh, hub=self.hub)
        self.receive = ReceivePanel(ctx, after=self.refresh)
        self.conflicts = ConflictsPanel(ctx, after=self.refresh)
        self.peers = PeersPanel(ctx, after=self.refresh)

    def show(self, **params: Any) -> None:
        self.refresh()
        self.hub.show()
        st = self.ctx.call(certification.standing)
        city = st.is_root
        certify: list[ft.Control] = (
            [section(SYNC["certify_heading"], self.certify.view, identifier="sync-certify-section")]
            if city
            else []
        )
        if city:
            self.certify.refresh()
        me = [section(SYNC["me_heading"], self.me.view, identifier="sync-me"), *certify]
        first = not st.certified or city  # certifying comes before anything can be sent
        self.view.controls = [
            heading(SYNC["title"]),
            ft.Text(SYNC["intro"], color=ft.Colors.ON_SURFACE_VARIANT),
            *(me if first else []),
            section(
                SYNC["queue_heading"], *self.send.queue_view(), identifier="sync-queue-section"
            ),
            ft.ResponsiveRow(
                [
                    _half(
                        section(
                            SYNC["export_heading"],
                            *self.send.export_view(),
                            identifier="sync-export-section",
                        )
                    ),
                    _half(
                        section(
                            SYNC["import_heading"],
                            *self.receive.view(),
                            identifier="sync-import-section",
                        )
                    ),
                ],
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
            ft.ResponsiveRow(
                [
                    _half(section(SYNC["http_heading"], *self.hub.view(), identifier="sync-http")),
                    _half(
                        section(
                            SYNC["email_heading"], *self.send.email_view(), identifier="sync-email"
                        )
                    ),
                ],
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
            *([] if first else me),
            section(SYNC["conflicts_heading"], self.conflicts.view, identifier="sync-conflicts"),
            section(
                SYNC["trust_heading"],
                ft.Text(SYNC["peers_heading"], weight=ft.FontWeight.W_600),
                self.peers.view,
                identifier="sync-trust",
            ),
            tagged("sync-ready", ft.Text(" ", size=1)),
        ]

    def refresh(self) -> None:
        """Read everything the screen shows afresh (after an exchange, an install…)."""
        self.me.refresh()
        self.send.refresh()
        self.receive.refresh()
        self.conflicts.refresh()
        self.peers.refresh()


SPEC = ScreenSpec(
    key="sync",
    label=NAV["sync"],
    icon=ft.Icons.SYNC_OUTLINED,
    selected_icon=ft.Icons.SYNC,
    order=40,
    factory=SyncScreen,
)
