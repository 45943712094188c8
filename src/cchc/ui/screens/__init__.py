"""One module per screen; each exposes SPEC, a ScreenSpec the shell lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import flet as ft

if TYPE_CHECKING:
    from cchc.ui.context import AppContext


class Screen(Protocol):
    """What the shell needs from a screen: its control, and a way to show fresh data."""

    @property
    def view(self) -> ft.Control: ...

    def show(self, **params: Any) -> None:
        """Called each time the screen is brought forward (params come from `ctx.go`)."""


@dataclass(frozen=True)
class ScreenSpec:
    """A navigation destination: `order` places it (dashboard 10, tasks 20, reports 30, sync 40,
    settings 90), `factory` builds the screen on first visit."""

    key: str
    label: str
    icon: ft.IconData
    selected_icon: ft.IconData
    order: int
    factory: Callable[[AppContext], Screen]
