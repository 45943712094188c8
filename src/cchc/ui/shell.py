"""The window: a navigation rail on the left, the chosen screen on the right."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import flet as ft

from cchc.ui.context import AppContext
from cchc.ui.screens import Screen, ScreenSpec
from cchc.ui.widgets import tagged


class Shell:
    """Builds each screen on its first visit; `go(key, **params)` switches to it."""

    def __init__(self, ctx: AppContext, specs: Sequence[ScreenSpec]) -> None:
        self.ctx = ctx
        self.specs = sorted(specs, key=lambda s: s.order)
        self._built: dict[str, Screen] = {}
        self.body = ft.Container(expand=True, padding=ft.Padding.only(left=8, right=12, top=8))
        self.rail = ft.NavigationRail(
            selected_index=0,
            label_type=ft.NavigationRailLabelType.ALL,
            min_width=96,
            destinations=[
                ft.NavigationRailDestination(
                    icon=spec.icon, selected_icon=spec.selected_icon, label=spec.label
                )
                for spec in self.specs
            ],
            on_change=self._on_rail,
        )
        self.view = ft.Row(
            [tagged("nav", self.rail), ft.VerticalDivider(width=1), self.body],
            expand=True,
            spacing=0,
        )
        ctx.navigator = self

    def _on_rail(self, e: Any) -> None:
        index = self.rail.selected_index or 0
        self.go(self.specs[index].key)

    def go(self, key: str, **params: Any) -> None:
        index = next(i for i, s in enumerate(self.specs) if s.key == key)
        spec = self.specs[index]
        screen = self._built.get(key)
        if screen is None:
            screen = spec.factory(self.ctx)
            self._built[key] = screen
        self.rail.selected_index = index
        self.body.content = screen.view
        screen.show(**params)
        self.ctx.page.update()

    def on_key(self, e: ft.KeyboardEvent) -> None:
        """Alt+1 … Alt+9 jump to the n-th screen."""
        if e.alt and e.key.isdigit() and 1 <= int(e.key) <= len(self.specs):
            self.go(self.specs[int(e.key) - 1].key)
