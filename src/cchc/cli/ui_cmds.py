"""`cchc ui`: open the app (window, or browser when the desktop client is missing)."""

from __future__ import annotations

import click

from cchc.cli.common import State, fail, pass_state
from cchc.paths import resolve_db_path

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@click.command("ui")
@click.option("--web", is_flag=True, help="Serve the app to a browser instead of a window.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to serve on (web mode). Anything but loopback needs --allow-remote.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Port to serve on (web mode); default: a free one.",
)
@click.option(
    "--open-browser/--no-open-browser",
    default=False,
    help="With --web: also open the system browser.",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow --host to be a non-loopback address (other machines can then connect).",
)
@pass_state
def ui_command(
    state: State,
    web: bool,
    host: str,
    port: int | None,
    open_browser: bool,
    allow_remote: bool,
) -> None:
    """Open the app. Example: cchc ui   (or: cchc ui --web --port 8550)"""
    if host not in LOOPBACK and not allow_remote:
        fail(
            f"Lỗi: địa chỉ “{host}” không phải địa chỉ nội bộ của máy (127.0.0.1); "
            "thêm --allow-remote nếu thật sự muốn cho máy khác truy cập."
        )
    from cchc.ui.app import run  # flet is imported only when the UI is wanted

    db_path = resolve_db_path(state.db_option)
    # Create/migrate the database and load the plan before serving, so errors show here.
    with state.workspace():
        pass
    run(db_path, web=web, host=host, port=port or None, open_browser=open_browser, echo=click.echo)


def register(cli: click.Group) -> None:
    cli.add_command(ui_command)
