"""Start the app: a desktop window when the Flet client is at hand, else the same UI in a browser.

Web mode always serves everything from this machine (`no_cdn=True`, CanvasKit renderer): the
page makes no request beyond 127.0.0.1 (see shared notes: skwasm hung about 1 run in 25).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import platform
import socket
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import flet as ft

from cchc.paths import resource
from cchc.services import letterhead
from cchc.services import overview as overview_service
from cchc.texts.ui import APP_TITLE, APP_TITLE_BARE, DESKTOP_FALLBACK, FIRST_START
from cchc.ui.context import AppContext
from cchc.ui.exchange_panel import dashboard_exchange_panel
from cchc.ui.screens import (
    ScreenSpec,
    dashboard,
    panels,
    plan_money,
    plan_years,
    reports,
    settings,
    sync,
    tasks,
)
from cchc.ui.shell import Shell
from cchc.ui.widgets import heading, tagged

# The navigation, in order. Adding a screen is one line: its module's SPEC
# (reports.SPEC, sync.SPEC when those screens land).
SCREENS: list[ScreenSpec] = [
    dashboard.SPEC,
    tasks.SPEC,
    reports.SPEC,
    sync.SPEC,
    settings.SPEC,
    plan_money.SPEC,
    plan_years.SPEC,
]

# Dashboard panels from other areas, in order (sync's "last exchange per peer" goes here too).
dashboard.EXTRA_PANELS[:] = [panels.targets_panel, dashboard_exchange_panel]


def build_main(
    db_path: Path, *, desktop: bool, screens: Sequence[ScreenSpec] | None = None
) -> Callable[[ft.Page], None]:
    """The Flet entry point for one window or browser tab on the database at `db_path`."""

    def main(page: ft.Page) -> None:
        page.theme_mode = ft.ThemeMode.LIGHT
        page.theme = ft.Theme(color_scheme_seed=ft.Colors.BLUE)
        page.padding = 0
        if desktop:
            page.window.min_width = 1024
            page.window.min_height = 640
            page.window.width = 1366
            page.window.height = 768
        ctx = AppContext(page, db_path, desktop=desktop)
        head = ctx.call(letterhead.current)
        page.title = (
            APP_TITLE.format(year=head.year, zone=head.zone_title) if head else APP_TITLE_BARE
        )
        page.on_close = lambda e: ctx.close()
        shell = Shell(ctx, screens or SCREENS)
        page.on_keyboard_event = shell.on_key

        def start_shell(profile: overview_service.LocalProfile | None = None) -> None:
            # One update draws the window and the dashboard together (`go` sends it).
            page.controls[:] = [shell.view]
            shell.go("dashboard", profile=profile)

        profile = ctx.call(overview_service.local_profile)
        if profile.complete:
            start_shell(profile)
        else:
            page.controls[:] = [_first_start(ctx, start_shell)]
            page.update()

    return main


def _plan_year(ctx: AppContext) -> int:
    head = ctx.call(letterhead.current)
    return head.year if head is not None else ctx.call(lambda ws: ws.today().year)


def _first_start(ctx: AppContext, then: Callable[..., None]) -> ft.Control:
    """Journey 1: before anything else, which unit this laptop belongs to and who uses it."""
    from cchc.ui.screens.settings import ProfileForm

    def saved(profile: overview_service.LocalProfile) -> None:
        then(profile)
        ctx.notify(FIRST_START["saved"].format(unit=profile.unit_name, officer=profile.officer))

    form = ProfileForm(ctx, FIRST_START["start"], saved)
    return tagged(
        "first-start",
        ft.Container(
            ft.Column(
                [
                    heading(FIRST_START["title"].format(year=_plan_year(ctx))),
                    ft.Text(FIRST_START["intro"], width=620),
                    form.view,
                ],
                spacing=18,
                tight=True,
            ),
            padding=ft.Padding.all(40),
        ),
    )


# ---- starting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DesktopCheck:
    """Whether the Flet desktop window can open here; if not, why and what to do (Vietnamese)."""

    available: bool
    why: str = ""
    artifact: str = "flet-linux-…-amd64.tar.gz"
    reason: str = ""  # no_flet_desktop, no_display, no_client

    def advice(self) -> str:
        how = DESKTOP_FALLBACK[f"how_{self.reason}"] if self.reason else ""
        return how.format(artifact=self.artifact, version=_flet_version())


def _flet_version() -> str:
    from flet.version import flet_version

    return str(flet_version)


# flet-desktop 1.0.x picks its Linux client build by the system's glibc (newest not above it).
_GLIBC_BUILDS = (
    ((2, 28), "debian10"),
    ((2, 31), "ubuntu20.04"),
    ((2, 35), "ubuntu22.04"),
    ((2, 36), "debian12"),
    ((2, 39), "ubuntu24.04"),
)


def _glibc() -> tuple[int, int]:
    try:
        text = os.confstr("CS_GNU_LIBC_VERSION") or ""
        major, minor = text.split()[-1].split(".")[:2]
        return int(major), int(minor)
    except (AttributeError, ValueError, OSError, IndexError):
        return (0, 0)


def client_artifact_name() -> str:
    """The client archive flet-desktop would fetch for this OS (what IT staff must carry in)."""
    if sys.platform.startswith("win"):
        return "flet-windows.zip"
    if sys.platform == "darwin":
        return "flet-macos.tar.gz"
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    glibc = _glibc()
    distro = _GLIBC_BUILDS[0][1]
    for needed, name in _GLIBC_BUILDS:
        if glibc >= needed:
            distro = name
    return f"flet-linux-{distro}-light-{arch}.tar.gz"


def has_display() -> bool:
    """False on a Linux machine with no graphical session (no X11 nor Wayland display)."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def desktop_check() -> DesktopCheck:
    """Look, without downloading anything, for what flet-desktop needs to open its window."""
    artifact = client_artifact_name()
    if importlib.util.find_spec("flet_desktop") is None:
        return _missing("no_flet_desktop", artifact)
    if not has_display():
        return _missing("no_display", artifact)
    try:
        import flet_desktop
        import flet_desktop.version

        version = str(flet_desktop.version.version or _flet_version())
    except Exception:
        return _missing("no_flet_desktop", artifact)
    if version != _flet_version():
        return _missing("no_flet_desktop", artifact)
    if _client_present(version, Path(flet_desktop.__file__).parent, artifact):
        return DesktopCheck(True, "", artifact)
    return _missing("no_client", artifact)


def _missing(reason: str, artifact: str) -> DesktopCheck:
    why = DESKTOP_FALLBACK[f"why_{reason}"].format(version=_flet_version())
    return DesktopCheck(False, why, artifact, reason)


def _client_present(version: str, package_dir: Path, artifact: str) -> bool:
    view_path = os.environ.get("FLET_VIEW_PATH")
    if view_path:
        folder = Path(view_path)
        if (folder / "flet").is_file() or (folder / "flet.exe").is_file():
            return True
        if folder.is_dir() and any(p.suffix == ".app" for p in folder.iterdir()):
            return True
    client_url = os.environ.get("FLET_CLIENT_URL", "")
    if client_url.startswith("file:") and Path(urlparse(client_url).path).is_file():
        return True
    cache = Path.home() / ".flet" / "client"
    if cache.is_dir() and any(
        p.is_dir() and p.name.startswith("flet-desktop-") and p.name.endswith(f"-{version}")
        for p in cache.iterdir()
    ):
        return True
    return (package_dir / "app" / artifact).is_file()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _assets_dir() -> str | None:
    try:
        return str(resource("assets"))
    except FileNotFoundError:
        return None


def _open_browser_when_up(url: str, host: str, port: int) -> None:
    def wait_then_open() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((host, port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        webbrowser.open(url)

    threading.Thread(target=wait_then_open, daemon=True).start()


def warm_up(db_path: Path) -> None:
    """Open the workspace once before the first window or tab asks for it: the database is
    created or migrated, the plan loaded and the sync engine's modules imported now, while the
    web engine starts, rather than during the first page load the officer waits for. A file
    that cannot be opened is left for the page to explain."""
    from cchc.services.door import FAILURES, Door

    with contextlib.suppress(*FAILURES):
        Door.open(db_path).close()


def serve_web(
    db_path: Path, host: str, port: int | None, *, open_browser: bool, echo: Callable[[str], None]
) -> None:
    """Serve the UI to a browser on host:port (loopback unless asked), fully offline."""
    port = port or free_port(host)
    warm_up(db_path)
    url = f"http://{host}:{port}/"
    # Flet opens no browser and prints nothing of its own in forced web-server mode.
    os.environ["FLET_FORCE_WEB_SERVER"] = "true"
    os.environ["FLET_WEB_NO_CDN"] = "true"
    echo(DESKTOP_FALLBACK["serving"].format(url=url))
    if open_browser:
        _open_browser_when_up(url, host, port)
    ft.run(
        build_main(db_path, desktop=False),
        name="",
        host=host,
        port=port,
        view=ft.AppView.WEB_BROWSER,
        assets_dir=_assets_dir(),
        no_cdn=True,
        web_renderer=ft.WebRenderer.CANVAS_KIT,
    )


def run(
    db_path: Path,
    *,
    web: bool,
    host: str,
    port: int | None,
    open_browser: bool,
    echo: Callable[[str], None],
) -> None:
    """`cchc ui`: the window if possible; otherwise the browser, saying why and what to do."""
    if web:
        serve_web(db_path, host, port, open_browser=open_browser, echo=echo)
        return
    check = desktop_check()
    if check.available:
        warm_up(db_path)
        ft.run(
            build_main(db_path, desktop=True),
            view=ft.AppView.FLET_APP,
            assets_dir=_assets_dir(),
        )
        return
    port = port or free_port(host)
    echo(
        DESKTOP_FALLBACK["message"].format(
            why=check.why, url=f"http://{host}:{port}/", advice=check.advice()
        )
    )
    # Without a graphical display, Python's webbrowser would start a text browser in this
    # terminal; the user opens the printed address instead.
    serve_web(db_path, host, port, open_browser=has_display(), echo=echo)
