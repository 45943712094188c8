"""Screenshots of every screen at the laptops' two sizes, for review by people, in one command:

    .venv/bin/python -m tests.ui.screenshots [--out artifacts/review] [--size 1366x768 ...]

A laptop of Phòng Văn hóa - Xã hội (the consolidator) is prepared through the services, as the
app would have written it: task 4 in progress with a note, a draft 9-month report with figures,
the zone's consolidated draft. The real `cchc ui --web` serves it to Debian's Chromium
(offline); each destination of the navigation rail (their panels: budget, amendments, the sync
screen's panels, settings…) is opened in turn and photographed one screen height at a time while
scrolling down to its end, then the panels opened from a list: the task detail, the unit's
report editor and the zone's; and the first start of an empty laptop.
Files: <out>/<width>x<height>/<nn>-<screen>[-<part>].png.

Every picture is checked as it is taken: Flutter's flat grey failure box, or an error on the
page's console, is a failure; the command then lists them and exits 1 (the CI runs it through
tests/ui/test_screenshots_sweep.py).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page

from cchc.services import overview
from cchc.services import reports as report_service
from cchc.services import tasks as task_service
from cchc.services.workspace import Workspace
from tests.conftest import ROOT
from tests.ui.harness import (
    GREY_LIMIT,
    SIZES,
    Browsing,
    browse,
    by_id,
    click,
    grey_share,
    launch,
    open_app,
    scroll_panes,
    serve,
    wait_for,
)

OFFICER = "Lê Thị Bình"
PERIOD = "2026-9M"
MAX_PARTS = 30  # screen heights at most per screen while scrolling down to its end


class Sweep:
    """The pictures written and every problem seen (grey box, console error) while taking them."""

    def __init__(self) -> None:
        self.written: list[Path] = []
        self.problems: list[str] = []

    def check(self, path: Path, png: bytes, browsing: Browsing) -> None:
        share = grey_share(png)
        if share > GREY_LIMIT:
            self.problems.append(f"{path}: {share:.1%} Flutter grey failure box")
        if browsing.console_errors:
            self.problems += [f"{path}: console {text}" for text in browsing.console_errors]
            browsing.console_errors.clear()


def prepare(db: Path) -> None:
    """A laptop in the middle of the year: profile set, some progress, reports under way."""
    with Workspace.open(db) as ws:
        overview.set_local_profile(ws, "vhxh", OFFICER)
        task_service.update_task(
            ws, "4", status="in_progress", progress=60, note="Đã trình dự thảo kế hoạch", by=OFFICER
        )
        mine = report_service.new_report(ws, unit="vhxh", period=PERIOD, by=OFFICER)
        report_service.set_report(
            ws,
            mine.id,
            fields={"received_direct": "100", "resolved_on_time": "80", "resolved_late": "10"},
        )
        report_service.consolidate(ws, period=PERIOD, by=OFFICER)


def _shoot_scrolling(
    page: Page, browsing: Browsing, sweep: Sweep, folder: Path, name: str
) -> list[Path]:
    """One picture per screen height, scrolling the screen's panes until nothing moves (the
    end); each picture checked as it is taken."""
    height = page.viewport_size["height"] if page.viewport_size else 768
    written: list[Path] = []
    seen: set[bytes] = set()
    folder.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(1200)  # pixels lag the accessibility tree
    for part in range(1, MAX_PARTS + 1):
        path = folder / (f"{name}.png" if part == 1 else f"{name}-{part}.png")
        data = page.screenshot(path=str(path))
        digest = hashlib.sha256(data).digest()
        if digest in seen:  # scrolling moved nothing: the screen's end was reached
            path.unlink()
            break
        seen.add(digest)
        sweep.check(path, data, browsing)
        written.append(path)
        scroll_panes(page, height * 0.9)
        page.wait_for_timeout(600)
    else:
        sweep.problems.append(f"{name}: not at its end after {MAX_PARTS} screen heights")
    sweep.written += written
    return written


def _back_to_top(page: Page) -> None:
    height = page.viewport_size["height"] if page.viewport_size else 768
    scroll_panes(page, -height * 40)


def _go(page: Page, label: str) -> None:
    by_id(page, "nav").get_by_role("button", name=re.compile(f"^{re.escape(label)}")).click()


def shoot_all(out: Path, sizes: list[tuple[int, int]]) -> Sweep:
    from cchc.ui.app import SCREENS

    specs = sorted(SCREENS, key=lambda s: s.order)
    sweep = Sweep()
    with tempfile.TemporaryDirectory(prefix="cchc-screens-") as tmp:
        folder = Path(tmp)
        db = folder / "vhxh.sqlite"
        prepare(db)
        with (
            serve(db, folder / "server.log") as server,
            serve(folder / "empty.sqlite", folder / "empty.log") as empty,
            launch() as browser,
        ):
            for width, height in sizes:
                target = out / f"{width}x{height}"
                with browse(browser, width, height) as browsing:
                    page = browsing.new_page()
                    open_app(page, empty.url, "first-start", timeout=60)
                    _shoot_scrolling(page, browsing, sweep, target, "00-first-start")
                    page.close()

                    page = browsing.new_page()
                    open_app(page, server.url, "dashboard-ready", timeout=60)
                    for number, spec in enumerate(specs, start=1):
                        _go(page, spec.label)
                        name = f"{number:02d}-{spec.key}"
                        _shoot_scrolling(page, browsing, sweep, target, name)
                        opened = {
                            "tasks": [("detail", "task-row-4", "task-detail")],
                            "reports": [
                                ("editor", f"report-row-{PERIOD}-vhxh-1", "report-editor"),
                                ("zone", f"report-row-{PERIOD}-zone-1", "report-missing"),
                            ],
                        }.get(spec.key, [])
                        for suffix, row, shown in opened:
                            _back_to_top(page)
                            click(page, row)
                            wait_for(by_id(page, shown))
                            _shoot_scrolling(page, browsing, sweep, target, f"{name}-{suffix}")
                    page.close()
                    if browsing.outside:
                        sweep.problems.append(f"the app asked beyond 127.0.0.1: {browsing.outside}")
    return sweep


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    return int(width), int(height)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.ui.screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "review")
    parser.add_argument("--size", type=_size, action="append", help="WIDTHxHEIGHT (repeatable)")
    args = parser.parse_args(argv)
    sizes = args.size or list(SIZES)
    sweep = shoot_all(args.out, sizes)
    for path in sweep.written:
        print(path)
    print(f"{len(sweep.written)} screenshots in {args.out}")
    for problem in sweep.problems:
        print(f"FAILED {problem}", file=sys.stderr)
    return 1 if sweep.problems else 0


if __name__ == "__main__":
    sys.exit(main())
