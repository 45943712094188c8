"""Browser tests: each gets its own database, its own server and its own page (no order between
tests); a screenshot of what the browser showed when one fails; and, at the end of the run, how
many times the harness had to try an action again ("UI reruns: N").

The harness (tests/ui/harness.py) is the only retry layer: it repeats a typed value or a choice
that Flutter did not hear, and counts each repeat. A test that fails is not run again: a real
defect fails once and shows, and a flaky action shows as a rising rerun count.

Fixtures a test module may use or override:
- ``ui_db``: the database path the server opens (override it to prepare data before serving);
- ``server``: the real `cchc ui --web` on that database, on a free loopback port;
- ``browsing``: a fresh Chromium context that lets only 127.0.0.1 through; when the test ends,
  every page it left open must be drawn without Flutter's grey failure box (checked scrolled to
  the end of each pane) and the console must have reported no error (the gate);
- ``page``: a new tab in that context (not yet loaded: call ``open_app``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from tests.ui.harness import Browsing, Server


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[_FAILED] = report.failed


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def screenshot_on_failure(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if request.node.stash.get(_FAILED, False) and "page" in request.fixturenames:
        from tests.ui.harness import screenshot

        with contextlib.suppress(AssertionError):  # the picture is kept even if it shows grey
            screenshot(request.getfixturevalue("page"), f"FAILED-{request.node.name}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.ui.harness import rerun_summary

    terminalreporter.write_line(rerun_summary())


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    """One Chromium process for the run; each test gets its own context (cookies, storage, tabs)."""
    from tests.ui.harness import launch

    with launch() as browser:
        yield browser


@pytest.fixture
def ui_db(tmp_path: Path) -> Path:
    """This test's own database (created by the app on first open)."""
    return tmp_path / "cchc.sqlite"


@pytest.fixture
def server(ui_db: Path) -> Iterator[Server]:
    from tests.ui.harness import serve

    with serve(ui_db, ui_db.with_name(ui_db.name + ".server.log")) as running:
        yield running


@pytest.fixture
def browsing(chromium_browser: Browser) -> Iterator[Browsing]:
    from tests.ui.harness import assert_console_clean, browse, check_drawn

    with browse(chromium_browser) as b:
        yield b
        assert b.outside == [], "the app asked for something beyond 127.0.0.1"
        # the gate: every page the test left open is drawn whole, scrolled to its end, and the
        # console stayed free of errors all along
        for number, open_page in enumerate(b.context.pages):
            check_drawn(open_page, f"page {number + 1} at the end of the test")
        assert_console_clean(b, "during the test")


@pytest.fixture
def page(server: Server, browsing: Browsing) -> Page:
    return browsing.new_page()
