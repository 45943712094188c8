"""Drive the real `cchc ui --web` in Debian's Chromium through Flutter's accessibility tree.

This module is the UI tests' only retry layer: an action Flutter did not hear (a typed value, a
dropdown choice) is tried again through `attempts`, which counts every repeat in `RERUNS`; the run
ends by printing the total ("UI reruns: N", tests/ui/conftest.py). Tests and pytest do not retry.
"""

from __future__ import annotations

import contextlib
import io
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Route,
    sync_playwright,
)

from tests.conftest import ROOT, cchc_env

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORT = {"width": 1366, "height": 768}
SIZES = ((1366, 768), (1024, 700))  # the laptops' screens every page must work on

# Flutter draws a control that failed to build or lay out as a flat box of exactly this colour,
# with nothing on the console (release build; /work/shared/notes/flet-1.0-offline.md). More of
# the picture than GREY_LIMIT in that colour is a broken screen; a few pixels of it can be a
# divider or a disabled border.
GREY_BOX = (196, 196, 196)
GREY_LIMIT = 0.015
# What the page's console says when Flutter or the Flet client fails; any console error or
# uncaught page error fails the test, whatever its words.
FLUTTER_FAILURE = (
    "exception caught by",
    "renderflex overflowed",
    "was given an infinite size",
    "unbounded",
    "failed assertion",
    "another exception was thrown",
)
# The one error the page is expected to report: the Content-Security-Policy (assets/index.html)
# stopping Flutter's optional Rive runtime from a CDN, which is how the app stays offline.
EXPECTED_CONSOLE = ("violates the following Content Security Policy", "rive")

# Every action tried again, by kind; printed at the end of a test run.
RERUNS: Counter[str] = Counter()


def attempts(what: str, times: int) -> Iterator[int]:
    """Attempt numbers 0 … times-1 for an action the caller repeats until it took; each attempt
    after the first is counted as a rerun of `what`."""
    for number in range(times):
        if number:
            RERUNS[what] += 1
        yield number


def rerun_summary() -> str:
    total = sum(RERUNS.values())
    detail = ", ".join(f"{what} {count}" for what, count in sorted(RERUNS.items()))
    return f"UI reruns: {total}" + (f" ({detail})" if detail else "")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A `python -m cchc --db <db> ui --web --port <port>` subprocess."""

    db: Path
    port: int
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


#: the browser contexts open now, so a stopping server can leave the pages showing it
_LIVE: list[Browsing] = []


@contextlib.contextmanager
def serve(db: Path, log: Path) -> Iterator[Server]:
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cchc", "--db", str(db), "ui", "--web", "--port", str(port)],
            env=cchc_env({"FLET_LOG_LEVEL": "warning"}),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    raise AssertionError(f"cchc ui exited {proc.returncode}: {log.read_text()}")
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise AssertionError("cchc ui did not listen within 60 s") from None
                    time.sleep(0.2)
            server = Server(db=db, port=port, proc=proc, log=log)
            try:
                yield server
            except BaseException:
                _leave_pages_of(server.url, check=False)
                raise
            _leave_pages_of(server.url, check=True)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _leave_pages_of(url: str, *, check: bool) -> None:
    """Before a server stops, the pages still showing it are checked as drawn (the gate every
    test passes at its end) and closed: a page left talking to a stopped server reports its lost
    connection on the console, which is not the app's failure."""
    for browsing in list(_LIVE):
        for page in list(browsing.context.pages):
            if page.url.startswith(url):
                if check:
                    check_drawn(page, f"the page of {url}")
                page.close()


@dataclass
class Browsing:
    """A Chromium context that lets only 127.0.0.1 through and records in ``outside`` every
    request that reached the network layer for anywhere else. (Flutter's web engine tries a Rive
    runtime from a CDN; the page's Content-Security-Policy, assets/index.html, stops that before
    it is a request, so ``outside`` stays empty.)"""

    browser: Browser
    context: BrowserContext
    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def new_page(self) -> Page:
        page = self.context.new_page()
        return page

    def listen(self, page: Page) -> None:
        """Keep every error the page's console or its scripts report."""

        def on_console(msg: ConsoleMessage) -> None:
            text = msg.text
            if all(mark in text for mark in EXPECTED_CONSOLE):
                return
            if msg.type == "error" or any(mark in text.lower() for mark in FLUTTER_FAILURE):
                self.console_errors.append(f"{msg.type}: {text}")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))


@contextlib.contextmanager
def launch() -> Iterator[Browser]:
    """Debian's Chromium, headless, offline (never `playwright install`)."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def browse(browser: Browser, width: int = 1366, height: int = 768) -> Iterator[Browsing]:
    """A fresh context of `browser` (its own storage and tabs) at width × height."""
    context = browser.new_context(viewport={"width": width, "height": height})
    browsing = Browsing(browser=browser, context=context)

    def gate(route: Route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:")):
            route.continue_()
        else:
            browsing.outside.append(url)
            route.abort()

    context.route("**/*", gate)
    context.on("page", browsing.listen)
    _LIVE.append(browsing)
    try:
        yield browsing
    finally:
        _LIVE.remove(browsing)
        context.close()


@contextlib.contextmanager
def chromium() -> Iterator[Browsing]:
    """A browser of its own and one context (the benchmark's way)."""
    with launch() as browser, browse(browser) as browsing:
        yield browsing


def by_id(page: Page, identifier: str) -> Locator:
    return page.locator(f'[flt-semantics-identifier="{identifier}"]')


def open_app(page: Page, url: str, ready: str, timeout: float = 30) -> float:
    """Load the page and wake the accessibility tree until `ready` shows; seconds it took."""
    start = time.monotonic()
    page.goto(url)
    deadline = start + timeout
    while by_id(page, ready).count() == 0:
        if time.monotonic() > deadline:
            raise AssertionError(f"{ready!r} did not appear within {timeout} s")
        semantics_switch = page.locator("flt-semantics-placeholder")
        if semantics_switch.count():
            with contextlib.suppress(Exception):
                semantics_switch.dispatch_event("click")
        page.wait_for_timeout(100)
    return time.monotonic() - start


def wait_for(locator: Locator, timeout: float = 15) -> Locator:
    locator.first.wait_for(state="attached", timeout=timeout * 1000)
    return locator.first


def with_text(page: Page, text: str) -> Locator:
    """Nodes showing `text`: as their own text, or merged into a parent's accessible label."""
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return page.get_by_text(text, exact=False).or_(page.locator(f'[aria-label*="{quoted}"]'))


def wait_text(page: Page, text: str, timeout: float = 15) -> Locator:
    return wait_for(with_text(page, text), timeout)


def shown_text(locator: Locator) -> str:
    """What a node says: its text and its accessible label together."""
    return f"{locator.get_attribute('aria-label') or ''} {locator.inner_text()}"


def fill(page: Page, identifier: str, value: str) -> None:
    """Type into the text field tagged `identifier` with the keyboard, as a person would.

    Playwright's bare `fill` writes the DOM box even when Flutter has not focused it, and then
    the app now and then never hears of the text (about 1 fill in 10); keys land only in the
    field Flutter focused, so reading the box back proves the app got them. Focusing a field
    can scroll its form and Flutter may rebuild the field's node and drop the text: the value
    is accepted once it has stayed put. Otherwise the field is typed again (counted)."""
    box = wait_for(by_id(page, identifier).locator("input, textarea"))
    for _ in attempts("fill", 5):
        bring_into_view(page, box)
        box.click()
        page.wait_for_timeout(200)  # let Flutter finish focusing (and scrolling to) the field
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        if value:
            page.keyboard.type(value)
        page.wait_for_timeout(300)
        if box.input_value() != value:
            continue
        page.wait_for_timeout(300)
        if box.input_value() == value:
            return
    raise AssertionError(f"could not type {value!r} into {identifier}")


def bring_into_view(page: Page, target: Locator) -> None:
    """Scroll Flutter's own pane (the wheel over it) until `target` is inside the window.
    Playwright's click would only move the browser's accessibility boxes, not Flutter's canvas:
    the click then lands on whatever Flutter draws there (another field), which takes the keys."""
    size = page.viewport_size or VIEWPORT
    for _ in range(30):
        box = target.bounding_box()
        if box is None:
            return
        top, bottom = box["y"], box["y"] + box["height"]
        if top >= 60 and bottom <= size["height"] - 20:
            return
        x = min(max(box["x"] + 5, 5), size["width"] - 5)
        page.mouse.move(x, size["height"] / 2)
        page.mouse.wheel(0, (top + bottom) / 2 - size["height"] / 2)
        page.wait_for_timeout(350)


def choose(page: Page, identifier: str, option: str, timeout: float = 10) -> None:
    """Open the dropdown tagged `identifier` and pick the option shown as `option`; a click that
    lands while the page is redrawing can be lost, so the dropdown is opened again if needed."""
    buttons = page.locator("flt-semantics[role=group] flt-semantics[role=button]")
    for _ in attempts("choose", max(1, int(timeout // 3) + 1)):
        wait_for(by_id(page, identifier)).click()
        opened_at = time.monotonic()
        while time.monotonic() < opened_at + 3:
            for candidate in buttons.filter(has_text=option).all():
                if candidate.inner_text().strip() == option:
                    candidate.click()
                    page.wait_for_timeout(300)
                    return
            page.wait_for_timeout(200)
        page.keyboard.press("Escape")  # close whatever opened, then try again
        page.wait_for_timeout(300)
    raise AssertionError(f"no option {option!r} in {identifier}")


def click(page: Page, identifier: str) -> None:
    """Click the control tagged `identifier` (its button, when the tag wraps one)."""
    target = wait_for(by_id(page, identifier))
    inner = target.locator("flt-semantics[role=button]")
    (inner.first if inner.count() else target).click()


def grey_share(png: bytes) -> float:
    """The share of the picture's pixels in Flutter's flat grey failure colour (0…1)."""
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=rgb.width * rgb.height) or []
        total = rgb.width * rgb.height
    grey = sum(count for count, colour in colours if colour == GREY_BOX)
    return grey / total if total else 0.0


def assert_no_grey_box(png: bytes, what: str) -> None:
    share = grey_share(png)
    assert share <= GREY_LIMIT, (
        f"{what}: {share:.1%} of the screen is Flutter's grey failure box {GREY_BOX}: "
        "a control failed to build or lay out"
    )


def assert_console_clean(browsing: Browsing, what: str) -> None:
    assert not browsing.console_errors, f"{what}: the page reported " + "; ".join(
        browsing.console_errors[:5]
    )


def scroll_panes(page: Page, dy: float) -> None:
    """Wheel both panes of the screen (a list and its detail scroll on their own)."""
    size = page.viewport_size or VIEWPORT
    for x in (0.35, 0.8):
        page.mouse.move(size["width"] * x, size["height"] * 0.6)
        page.mouse.wheel(0, dy)


def check_drawn(page: Page, what: str, *, to_the_end: bool = True) -> None:
    """Fail on Flutter's grey box in what the page shows now and, scrolled to the end of each
    pane, below it: the gate every browser test passes at its end."""
    page.wait_for_timeout(800)  # pixels lag the accessibility tree
    assert_no_grey_box(page.screenshot(), what)
    if not to_the_end:
        return
    size = page.viewport_size or VIEWPORT
    last = b""
    for _ in range(8):
        scroll_panes(page, size["height"] * 0.8)
        page.wait_for_timeout(500)
        shot = page.screenshot()
        assert_no_grey_box(shot, f"{what} (scrolled)")
        if shot == last:
            break
        last = shot


def screenshot(page: Page, name: str) -> Path:
    """A picture of the page for people to look at; fails if Flutter drew its grey box."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(1000)  # pixels lag the accessibility tree
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    assert_no_grey_box(path.read_bytes(), name)
    return path
