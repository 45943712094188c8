"""Drive a screen's own code without a browser: a real workspace on a real SQLite file behind a
context that records what the screen said. The browser tests (tests/ui) check the drawing; these
check what a screen stores and offers, in a second."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from cchc.domain.errors import CchcError
from cchc.services.workspace import Workspace
from cchc.texts.errors import describe

T = TypeVar("T")


class FakePage:
    """The few page calls screens make; dialogs are kept so a test can press their buttons."""

    def __init__(self) -> None:
        self.dialogs: list[Any] = []

    def update(self, *controls: Any) -> None:
        pass

    def show_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog)

    def pop_dialog(self) -> None:
        if self.dialogs:
            self.dialogs.pop()

    def run_task(self, fn: Any, *args: Any) -> None:
        pass

    def run_thread(self, fn: Callable[[], None]) -> None:
        fn()


class ScreenContext:
    """What ``cchc.ui.context.AppContext`` offers a screen, minus the browser."""

    def __init__(self, ws: Workspace, db_path: Path) -> None:
        self.ws = ws
        self.db_path = db_path
        self.desktop = False
        self.page = FakePage()
        self.notices: list[tuple[str, bool]] = []
        self.went: list[tuple[str, dict[str, Any]]] = []
        self.file_picker = None

    @property
    def attachments_dir(self) -> Path:
        return self.ws.attachments_dir

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return fn(self.ws, *args, **kwargs)

    def go(self, key: str, **params: Any) -> None:
        self.went.append((key, params))

    def notify(self, text: str, *, error: bool = False) -> None:
        self.notices.append((text, error))

    def run_background(self, job: Any, on_done: Any, on_error: Any = None) -> None:
        try:
            result = job()
        except CchcError as err:
            if on_error is not None:
                on_error(err)
            else:
                self.notify(describe(err), error=True)
            return
        on_done(result)

    @property
    def errors(self) -> list[str]:
        return [text for text, error in self.notices if error]


#: the moment the screen tests run at: 10/07/2026, noon on the island
NOON = dt.datetime(2026, 7, 10, 5, 0, tzinfo=dt.UTC)


def walk(root: Any) -> Iterator[Any]:
    """Every control of a control tree (children, content, a dialog's actions)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        for attr in ("controls", "content", "actions"):
            child = getattr(node, attr, None)
            if isinstance(child, list):
                stack.extend(child)
            elif child is not None and hasattr(child, "__dict__"):
                stack.append(child)


def controls_of(root: Any, kind: str) -> Iterator[Any]:
    """The controls of type ``kind`` (its class name) in a control tree."""
    return (node for node in walk(root) if type(node).__name__ == kind)


def control_tagged(root: Any, identifier: str) -> Any:
    """The control tagged ``identifier`` anywhere under ``root``, or None."""
    return next((n for n in walk(root) if getattr(n, "identifier", None) == identifier), None)


def shown_texts(root: Any) -> list[str]:
    """Every text a control tree shows (values, labels, tooltips' texts), to check words and
    number formats without a browser."""
    out: list[str] = []
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        for attr in ("value", "label", "text", "tooltip"):
            value = getattr(node, attr, None)
            if isinstance(value, str):
                out.append(value)
            elif value is not None and hasattr(value, "__dict__"):
                stack.append(value)
        for attr in (
            "controls",
            "content",
            "groups",
            "rods",
            "labels",
            "left_axis",
            "bottom_axis",
            "title",
            "subtitle",
            "leading",
        ):
            child = getattr(node, attr, None)
            if isinstance(child, list):
                stack.extend(child)
            elif child is not None and hasattr(child, "__dict__"):
                stack.append(child)
    return out
