"""What the parts of the Đồng bộ screen share: a failure carried back as words, the guard that
turns the engine's and carriers' errors into Vietnamese, times and fingerprints as people read
them, and the warning before sending from a laptop the city has not certified."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from cchc.domain.dates import format_island_time
from cchc.services import certification
from cchc.services.door import FAILURES
from cchc.texts.errors import describe, is_link_down
from cchc.texts.ui import COMMON
from cchc.texts.ui_sync import SYNC, group_fingerprint
from cchc.ui.context import AppContext
from cchc.ui.widgets import tagged

MB = 1024 * 1024


class Failed:
    """A job's failure carried back to the page as its Vietnamese text; ``link_down`` when it
    means the hub could not be reached (known by the error's type, never by its words)."""

    def __init__(self, text: str, link_down: bool = False) -> None:
        self.text = text
        self.link_down = link_down


def guard(job: Callable[[], Any]) -> Callable[[], Any]:
    """Run ``job`` turning any failure into a ``Failed`` in the catalog's words (the same as
    the command line's)."""

    def run() -> Any:
        try:
            return job()
        except FAILURES as err:
            return Failed(describe(err), link_down=is_link_down(err))

    return run


def say_error(ctx: AppContext, out: ft.Column | ft.Text, text: str) -> None:
    """Show ``text`` as an error in ``out`` and at the bottom of the window."""
    if isinstance(out, ft.Column):
        out.controls = [ft.Text(text, color=ft.Colors.ERROR, selectable=True)]
    else:
        out.value = text
        out.color = ft.Colors.ERROR
    ctx.notify(text, error=True)


def say_done(out: ft.Column, *lines: str) -> None:
    out.controls = [ft.Text(line, color=ft.Colors.GREEN_800, selectable=True) for line in lines]


def when_text(iso_value: str | None) -> str:
    """An ISO time as the island reads it: 26/11/2026 14:05."""
    return format_island_time(iso_value)


def fingerprint_text(fp: str | None, identifier: str, size: int = 22) -> ft.Control:
    shown = group_fingerprint(fp) if fp else SYNC["root_none"]
    return tagged(
        identifier,
        ft.Text(
            shown,
            size=size if fp else 14,
            weight=ft.FontWeight.W_600 if fp else None,
            selectable=True,
            color=ft.Colors.BLUE_900 if fp else ft.Colors.RED_700,
        ),
        label=fp or SYNC["root_none"],
    )


def part_bytes(field: ft.TextField) -> int | None | Failed:
    """The part size typed in MB, in bytes; None when empty."""
    raw = (field.value or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return Failed(SYNC["part_size_bad"].format(value=field.value))
    if value <= 0:
        return Failed(SYNC["part_size_bad"].format(value=field.value))
    return max(1024, int(value * MB))


#: A megabyte as mail servers count a letter's size.
MAIL_MB = 1_000_000


def letter_bytes(field: ft.TextField) -> int | None | Failed:
    """The letter size typed in MB (1 MB = 1.000.000 byte, as mail servers count), in bytes;
    None when empty."""
    raw = (field.value or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return Failed(SYNC["letter_size_bad"].format(value=field.value))
    if not 0.02 <= value <= 2000:
        return Failed(SYNC["letter_size_bad"].format(value=field.value))
    return int(value * MAIL_MB)


def unless_uncertified(ctx: AppContext, go: Callable[[], None]) -> None:
    """Run ``go`` at once on a certified laptop; otherwise first warn that every receiver will
    refuse what it sends, and run it only if the officer still wants to."""
    if ctx.call(certification.is_certified):
        go()
        return

    def confirmed(e: Any) -> None:
        ctx.page.pop_dialog()
        go()

    ctx.page.show_dialog(
        ft.AlertDialog(
            modal=True,
            title=ft.Text(SYNC["uncertified_title"]),
            content=tagged("uncertified-warning", ft.Text(SYNC["uncertified_body"])),
            actions=[
                tagged(
                    "uncertified-cancel",
                    ft.TextButton(COMMON["cancel"], on_click=lambda e: ctx.page.pop_dialog()),
                ),
                tagged("uncertified-go", ft.Button(SYNC["uncertified_go"], on_click=confirmed)),
            ],
        )
    )


def on_text(e: Any) -> None:
    """Nothing to do: having a handler makes a field send every change as it is typed."""


def field(label: str, **kwargs: Any) -> ft.TextField:
    """A text field whose every keystroke reaches the app at once."""
    return ft.TextField(label=label, dense=True, on_change=on_text, **kwargs)
