"""A choice of the USB drives plugged in, filling a path field; typing a path stays possible.

The list comes from ``services.drives`` on the computer that runs the app, which is the one the
officer sits at both in the window and in the browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from cchc.services import drives
from cchc.texts.ui_sync import SYNC
from cchc.ui.widgets import tagged


class DrivePicker:
    """A dropdown of plugged-in drives and a refresh button; choosing one calls ``on_pick``
    with the drive's folder (as text)."""

    def __init__(self, identifier: str, on_pick: Callable[[str], None]) -> None:
        self.on_pick = on_pick
        self.dropdown = ft.Dropdown(
            label=SYNC["drive"], dense=True, expand=True, on_select=self._chosen
        )
        self.none = ft.Text(SYNC["drive_none"], size=12, color=ft.Colors.ON_SURFACE_VARIANT)
        self.view = ft.Column(
            [
                ft.Row(
                    [
                        tagged(identifier, self.dropdown),
                        tagged(
                            f"{identifier}-refresh",
                            ft.IconButton(
                                ft.Icons.REFRESH,
                                tooltip=SYNC["drive_refresh"],
                                on_click=lambda e: self.refresh(update=True),
                            ),
                        ),
                    ]
                ),
                self.none,
            ],
            spacing=2,
            tight=True,
        )
        self.refresh()

    def refresh(self, *, update: bool = False) -> None:
        found = drives.removable_drives()
        self.dropdown.options = [
            ft.DropdownOption(
                key=str(d.path),
                text=SYNC["drive_option"].format(name=d.name, path=d.path),
            )
            for d in found
        ]
        if self.dropdown.value not in {str(d.path) for d in found}:
            self.dropdown.value = None
        self.dropdown.visible = bool(found)
        self.none.visible = not found
        if update:
            self.view.update()

    def _chosen(self, e: Any) -> None:
        if self.dropdown.value:
            self.on_pick(self.dropdown.value)
