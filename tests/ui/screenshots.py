"""Screenshots of every screen at the laptops' two sizes, for review by people, in one command:

    .venv/bin/python -m tests.ui.screenshots [--out artifacts/review] [--size 1366x768 ...]

A laptop of Phòng Văn hóa - Xã hội (the consolidator) is prepared through the services, as the
app would have written it: task 4 in progress with a note, a draft 9-month report with figures.
The real `cchc ui --web` serves it to Debian's Chromium (offline); each destination of the navigation rail is opened in turn and photographed one screen
height at a time while scrolling down, then the task detail, the report editor and the first
start of an empty laptop. Files: <out>/<width>x<height>/<nn>-<screen>[-<part>].png.
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
from tests.ui.harness import SIZES, browse, by_id, click, launch, open_app, serve

OFFICER = "Lê Thị Bình"
PERIOD = "2026-9M"
MAX_PARTS = 5  # screen heights photographed per screen while scrolling down


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


def _shoot(page: Page, path: Path) -> bytes:
    page.wait_for_timeout(1200)  # pixels lag the accessibility tree
    path.parent.mkdir(parents=True, exist_ok=True)
    data = page.screenshot(path=str(path))
    return hashlib.sha256(data).digest()


def _shoot_scrolling(page: Page, folder: Path, name: str) -> list[Path]:
    """One picture per screen height, scrolling the screen's panes until nothing moves."""
    width = page.viewport_size["width"] if page.viewport_size else 1366
    height = page.viewport_size["height"] if page.viewport_size else 768
    written: list[Path] = []
    seen: set[bytes] = set()
    for part in range(1, MAX_PARTS + 1):
        path = folder / (f"{name}.png" if part == 1 else f"{name}-{part}.png")
        digest = _shoot(page, path)
        if digest in seen:  # scrolling moved nothing: the screen's end was reached
            path.unlink()
            break
        seen.add(digest)
        written.append(path)
        for x in (0.35, 0.8):  # a list and its detail pane scroll on their own: move both
            page.mouse.move(width * x, height * 0.6)
            page.mouse.wheel(0, height * 0.8)
    return written


def _go(page: Page, label: str) -> None:
    by_id(page, "nav").get_by_role("button", name=re.compile(f"^{re.escape(label)}")).click()


def shoot_all(out: Path, sizes: list[tuple[int, int]]) -> list[Path]:
    from cchc.ui.app import SCREENS

    specs = sorted(SCREENS, key=lambda s: s.order)
    written: list[Path] = []
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
                    written += _shoot_scrolling(page, target, "00-first-start")
                    page.close()

                    page = browsing.new_page()
                    open_app(page, server.url, "dashboard-ready", timeout=60)
                    for number, spec in enumerate(specs, start=1):
                        _go(page, spec.label)
                        written += _shoot_scrolling(page, target, f"{number:02d}-{spec.key}")
                        if spec.key == "tasks":
                            click(page, "task-row-4")
                            written += _shoot_scrolling(page, target, f"{number:02d}-tasks-detail")
                        if spec.key == "reports":
                            click(page, f"report-row-{PERIOD}-vhxh-1")
                            written += _shoot_scrolling(
                                page, target, f"{number:02d}-reports-editor"
                            )
                    page.close()
                    if browsing.outside:
                        raise SystemExit(f"the app asked beyond 127.0.0.1: {browsing.outside}")
    return written


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    return int(width), int(height)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.ui.screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "review")
    parser.add_argument("--size", type=_size, action="append", help="WIDTHxHEIGHT (repeatable)")
    args = parser.parse_args(argv)
    sizes = args.size or list(SIZES)
    written = shoot_all(args.out, sizes)
    for path in written:
        print(path)
    print(f"{len(written)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
