"""Small building blocks shared by the screens."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import flet as ft

from cchc.domain.dates import format_island_date


def tagged(identifier: str, control: ft.Control, label: str | None = None) -> ft.Semantics:
    """A control with a stable accessibility identifier (and optional spoken label)."""
    return ft.Semantics(
        identifier=identifier,
        label=label,
        container=True,
        content=control,
        expand=control.expand,  # a wrapped field that fills its row keeps doing so
    )


def heading(text: str, size: int = 22) -> ft.Text:
    return ft.Text(text, size=size, weight=ft.FontWeight.W_600)


def section(title: str, *controls: ft.Control, identifier: str | None = None) -> ft.Control:
    body = ft.Container(
        content=ft.Column([heading(title, 16), *controls], spacing=8, tight=True),
        padding=ft.Padding.all(14),
        border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
        border_radius=8,
    )
    return tagged(identifier, body) if identifier else body


def field_row(label: str, value: str) -> ft.Control:
    return ft.Row(
        [
            ft.Container(ft.Text(label, weight=ft.FontWeight.W_500), width=190),
            ft.Text(value, expand=True),
        ],
        vertical_alignment=ft.CrossAxisAlignment.START,
    )


def vn_date(iso_value: str | None) -> str:
    """A stored date ("2026-07-01") or time ("2026-06-30T17:30:00+00:00") as the island's day,
    dd/mm/yyyy: a time is never cut to its UTC date."""
    return format_island_date(iso_value)


def options(pairs: Sequence[tuple[str, str]]) -> list[ft.DropdownOption]:
    return [ft.DropdownOption(key=key, text=text) for key, text in pairs]


ALL = "all"  # the key of the "every …" option of a filter


def unit_filter(
    *, label: str, all_label: str, units: Sequence[Any], width: int, on_select: Any
) -> ft.Dropdown:
    """A dropdown of units, "all" first, that narrows as one types (114 units at the city)."""
    return ft.Dropdown(
        label=label,
        value=ALL,
        options=options([(ALL, all_label)] + [(u.code, u.name) for u in units]),
        width=width,
        dense=True,
        enable_filter=True,
        menu_height=420,
        on_select=on_select,
    )
