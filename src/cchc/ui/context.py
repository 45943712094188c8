"""What every screen shares: the door to the services, notices, navigation, background jobs, and
the screens' one error translator (`AppContext.error_text`, the catalog's `describe`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

import flet as ft

from cchc.domain.errors import CchcError
from cchc.services.door import FAILURES, Door
from cchc.texts.errors import describe, is_link_down

T = TypeVar("T")
VIETNAMESE = ft.Locale("vi", "VN")


class Navigator(Protocol):
    def go(self, key: str, **params: Any) -> None: ...


class AppContext:
    """One per browser tab or window: its page, its door to the services, and how screens talk
    to each other."""

    def __init__(self, page: ft.Page, db_path: Path, *, desktop: bool) -> None:
        self.page = page
        self.db_path = Path(db_path)
        self.desktop = desktop
        self._door = Door.open(self.db_path)
        self.navigator: Navigator | None = None
        self._file_picker: ft.FilePicker | None = None
        # Flutter's own words (the close icon's tooltip, pickers' buttons) in Vietnamese.
        page.locale_configuration = ft.LocaleConfiguration(
            supported_locales=[VIETNAMESE], current_locale=VIETNAMESE
        )

    @property
    def file_picker(self) -> ft.FilePicker:
        """The page's file picker, made on first use: registering a Flet service sends the page
        to the browser at once, a round trip the first screen does not need to wait for."""
        if self._file_picker is None:
            self._file_picker = ft.FilePicker()
        return self._file_picker

    @property
    def attachments_dir(self) -> Path:
        return self._door.attachments_dir

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a service function with this window's workspace, one call at a time."""
        return self._door.call(fn, *args, **kwargs)

    def close(self) -> None:
        self._door.close()

    @staticmethod
    def error_text(err: BaseException) -> str:
        """The sentence a screen shows for any failure (the catalog's, the same as the CLI's)."""
        return describe(err)

    @staticmethod
    def link_down(err: BaseException) -> bool:
        """Whether a failure means the link to the hub is not there (by its type)."""
        return is_link_down(err)

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
        """Run a long job off the UI thread; report its result or its error back on the page
        (an app error to `on_error` when given; any other failure as a notice)."""

        def runner() -> None:
            try:
                result = job()
            except FAILURES as err:
                if on_error is not None and isinstance(err, CchcError):
                    on_error(err)
                else:
                    self.notify(describe(err), error=True)
                self.page.update()
                return
            except Exception as exc:  # the window must survive any failure of a job
                self.notify(describe(exc), error=True)
                return
            on_done(result)
            self.page.update()

        self.page.run_thread(runner)
