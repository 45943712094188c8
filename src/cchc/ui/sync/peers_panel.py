"""Các máy đã được chứng nhận: each certified laptop's role, units, fingerprint, and when this
laptop last exchanged with it; on the city's computer, "Thu hồi máy này" for a lost laptop,
confirmed after saying whose laptop it is, what of its work stands and what is taken back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from cchc.services import certification, revocation, sync_view
from cchc.services.sync_view import PeerView
from cchc.texts.exchange import arrivals_text
from cchc.texts.ui_roles import REVOKE
from cchc.texts.ui_sync import ROLE_LABELS, SYNC
from cchc.ui.context import AppContext
from cchc.ui.sync.common import Failed, fingerprint_text, guard, say_error, when_text
from cchc.ui.widgets import tagged


class PeersPanel:
    def __init__(self, ctx: AppContext, after: Callable[[], None] | None = None) -> None:
        self.ctx = ctx
        self.after = after
        self.view = ft.Column(spacing=8, tight=True)
        self.result = ft.Column(spacing=2, tight=True)

    def refresh(self) -> None:
        peers = self.ctx.call(sync_view.peers)
        city = self.ctx.call(certification.standing).is_root
        cards: list[ft.Control] = [
            _card(p, self._ask_revoke if city and not p.me and not p.revoked else None)
            for p in peers
        ]
        self.view.controls = [
            *(cards or [ft.Text(SYNC["no_peers"])]),
            tagged("revoke-result", self.result),
        ]

    def _ask_revoke(self, peer: PeerView) -> None:
        """Say whose laptop it is and what stands and what goes; revoke only when confirmed."""
        found = guard(lambda: self.ctx.call(revocation.preview, peer.site_id))()
        if isinstance(found, Failed):
            say_error(self.ctx, self.result, found.text)
            self.ctx.page.update()
            return
        unit = ", ".join(found.units) or peer.site_id[:8]
        what = arrivals_text(found.stands)
        lines = [
            REVOKE["who"].format(
                unit=unit,
                role=ROLE_LABELS.get(found.role, found.role),
                last=when_text(found.last_at) if found.last_at else REVOKE["never"],
            ),
            REVOKE["stands"].format(what=what) if what else REVOKE["stands_nothing"],
            REVOKE["taken_back"],
            REVOKE["travels"],
        ]

        def confirmed(e: Any) -> None:
            self.ctx.page.pop_dialog()
            done = guard(lambda: self.ctx.call(revocation.revoke, peer.site_id))()
            if isinstance(done, Failed):
                say_error(self.ctx, self.result, done.text)
            else:
                said = REVOKE["done"].format(unit=unit)
                self.result.controls = [ft.Text(said, color=ft.Colors.GREEN_800)]
                self.ctx.notify(said)
                if self.after is not None:
                    self.after()
            self.refresh()
            self.ctx.page.update()

        self.ctx.page.show_dialog(
            ft.AlertDialog(
                modal=True,
                title=ft.Text(REVOKE["title"].format(unit=unit)),
                content=tagged(
                    "revoke-confirm-text",
                    ft.Column([ft.Text(line) for line in lines], tight=True, spacing=8, width=520),
                    label="\n".join(lines),
                ),
                actions=[
                    tagged(
                        "revoke-cancel",
                        ft.TextButton(
                            REVOKE["cancel"], on_click=lambda e: self.ctx.page.pop_dialog()
                        ),
                    ),
                    tagged(
                        "revoke-confirm",
                        ft.Button(
                            REVOKE["confirm"],
                            icon=ft.Icons.BLOCK,
                            color=ft.Colors.WHITE,
                            bgcolor=ft.Colors.RED_700,
                            on_click=confirmed,
                        ),
                    ),
                ],
            )
        )


def _card(p: PeerView, revoke: Callable[[PeerView], None] | None = None) -> ft.Control:
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
    if revoke is not None:
        body.append(
            tagged(
                f"revoke-{p.site_id[:8]}",
                ft.OutlinedButton(
                    REVOKE["button"],
                    icon=ft.Icons.BLOCK,
                    on_click=lambda e, peer=p: revoke(peer),
                ),
            )
        )
    return tagged(
        f"peer-{p.site_id[:8]}",
        ft.Container(
            ft.Column(body, spacing=4, tight=True),
            padding=ft.Padding.all(10),
            border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
            border_radius=6,
        ),
    )
