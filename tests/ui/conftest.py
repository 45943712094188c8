"""On a failed UI test, keep a screenshot of what the browser showed."""

from __future__ import annotations

from collections.abc import Generator, Iterator

import pytest


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

        screenshot(request.getfixturevalue("page"), f"FAILED-{request.node.name}")
