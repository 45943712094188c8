"""The USB drives plugged in, offered as one button each (a click fills a path field); typing a
path stays possible, and a refresh button looks again after a drive is plugged in.

The list comes from ``services.drives`` on the computer that runs the app, which is the one the
officer sits at both in the window and in the browser."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from cchc.services import drives
from cchc.texts.ui_sync import SYNC
from cchc.ui.widgets import tagged


class DrivePicker:
    """``{identifier}-0``, ``{identifier}-1``… are the drives' buttons; choosing one calls
    ``on_pick`` with the drive's folder (as text)."""

    def __init__(self, identifier: str, on_pick: Callable[[str], None]) -> None:
        self.identifier = identifier
        self.on_pick = on_pick
        self.buttons = ft.Row(wrap=True, spacing=8)
        self.none = ft.Text(SYNC["drive_none"], size=12, color=ft.Colors.ON_SURFACE_VARIANT)
        self.view = ft.Column(
            [
                ft.Row(
                    [
                        ft.Text(SYNC["drive"], size=13, weight=ft.FontWeight.W_500),
                        tagged(
                            f"{identifier}-refresh",
                            ft.IconButton(
                                ft.Icons.REFRESH,
                                tooltip=SYNC["drive_refresh"],
                                on_click=lambda e: self.refresh(update=True),
                            ),
                        ),
                    ],
                    spacing=4,
                ),
                self.buttons,
                self.none,
            ],
            spacing=2,
            tight=True,
        )
        self.refresh()

    def refresh(self, *, update: bool = False) -> None:
        found = drives.removable_drives()
        self.buttons.controls = [
            tagged(
                f"{self.identifier}-{i}",
                ft.OutlinedButton(
                    d.name,
                    icon=ft.Icons.USB,
                    tooltip=str(d.path),
                    on_click=lambda e, path=str(d.path): self.on_pick(path),
                ),
                label=SYNC["drive_option"].format(name=d.name, path=d.path),
            )
            for i, d in enumerate(found)
        ]
        self.buttons.visible = bool(found)
        self.none.visible = not found
        if update:
            self.view.update()
