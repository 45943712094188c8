"""Các máy đã được chứng nhận: each certified laptop's role, units, fingerprint, and when this
laptop last exchanged with it."""

from __future__ import annotations

import flet as ft

from cchc.services import sync_view
from cchc.services.sync_view import PeerView
from cchc.texts.ui_sync import ROLE_LABELS, SYNC
from cchc.ui.context import AppContext
from cchc.ui.sync.common import fingerprint_text, when_text
from cchc.ui.widgets import tagged


class PeersPanel:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.view = ft.Column(spacing=8, tight=True)

    def refresh(self) -> None:
        peers = self.ctx.call(sync_view.peers)
        self.view.controls = [_card(p) for p in peers] if peers else [ft.Text(SYNC["no_peers"])]


def _card(p: PeerView) -> ft.Control:
    units = SYNC["all_units"] if "*" in p.units else ", ".join(p.units)
    title = f"{ROLE_LABELS.get(p.role, p.role)}: {units}"
    if p.me:
        title += f" {SYNC['peer_me']}"
    how = SYNC.get(f"how_{p.last_how}", p.last_how or "")
    last = (
        ""
        if p.me
        else SYNC["peer_last"].format(when=f"{when_text(p.last_at)} ({how})")
        if p.last_at
        else SYNC["peer_never"]
    )
    body: list[ft.Control] = [
        ft.Row(
            [
                ft.Text(title, weight=ft.FontWeight.W_600, expand=True),
                ft.Text(SYNC["peer_revoked"], color=ft.Colors.RED_700)
                if p.revoked
                else ft.Text(""),
            ]
        ),
        fingerprint_text(p.fingerprint, f"peer-fp-{p.site_id[:8]}", 20),
        ft.Text(
            f"{SYNC['site_id']}: {p.site_id}" + (f" · {last}" if last else ""),
            size=12,
            color=ft.Colors.ON_SURFACE_VARIANT,
        ),
    ]
    return tagged(
        f"peer-{p.site_id[:8]}",
        ft.Container(
            ft.Column(body, spacing=4, tight=True),
            padding=ft.Padding.all(10),
            border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
            border_radius=6,
        ),
    )
