"""What every screen shares: the workspace (behind a lock), notices, navigation, background jobs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

import flet as ft

from cchc.domain.errors import CchcError
from cchc.services.workspace import Workspace
from cchc.texts.errors import message
from cchc.texts.ui import COMMON

T = TypeVar("T")


class Navigator(Protocol):
    def go(self, key: str, **params: Any) -> None: ...


class AppContext:
    """One per browser tab or window: its page, its workspace, and how screens talk to each other."""

    def __init__(self, page: ft.Page, db_path: Path, *, desktop: bool) -> None:
        self.page = page
        self.db_path = Path(db_path)
        self.desktop = desktop
        self._ws = Workspace.open(self.db_path)
        self._lock = threading.RLock()
        self.navigator: Navigator | None = None
        self._file_picker: ft.FilePicker | None = None

    @property
    def file_picker(self) -> ft.FilePicker:
        """The page's file picker, made on first use: registering a Flet service sends the page
        to the browser at once, a round trip the first screen does not need to wait for."""
        if self._file_picker is None:
            self._file_picker = ft.FilePicker()
        return self._file_picker

    @property
    def attachments_dir(self) -> Path:
        return self._ws.attachments_dir

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a service function with this window's workspace, one call at a time."""
        with self._lock:
            return fn(self._ws, *args, **kwargs)

    def close(self) -> None:
        with self._lock:
            self._ws.close()

    def go(self, key: str, **params: Any) -> None:
        if self.navigator is not None:
            self.navigator.go(key, **params)

    def notify(self, text: str, *, error: bool = False) -> None:
        """Say what just happened, at the bottom of the window."""
        bar = ft.SnackBar(
            content=ft.Text(text, color=ft.Colors.WHITE if error else None),
            bgcolor=ft.Colors.RED_700 if error else None,
            duration=ft.Duration(seconds=6 if error else 4),
            show_close_icon=True,
        )
        self.page.show_dialog(bar)
        self.page.update()

    def run_background(
        self,
        job: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[CchcError], None] | None = None,
    ) -> None:
        """Run a long job off the UI thread; report its result or its error back on the page."""

        def runner() -> None:
            try:
                result = job()
            except CchcError as err:
                if on_error is not None:
                    on_error(err)
                else:
                    self.notify(message(err), error=True)
                self.page.update()
                return
            except Exception as exc:  # the window must survive any failure of a job
                self.notify(COMMON["unexpected"].format(error=exc), error=True)
                return
            on_done(result)
            self.page.update()

        self.page.run_thread(runner)
