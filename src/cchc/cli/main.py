"""The `cchc` entry point: global options, then the commands of each area."""

from __future__ import annotations

import click

from cchc import __version__
from cchc.cli import plan_cmds, report_cmds, sync_cmds, task_cmds, ui_cmds
from cchc.cli.common import State, closed_pipe

# Each module adds its commands with register(cli).
COMMAND_MODULES = (task_cmds, plan_cmds, report_cmds, ui_cmds, sync_cmds)


@click.group(invoke_without_command=True)
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    help="SQLite file to use (beats the CCHC_DB variable, which beats the user data folder).",
)
@click.version_option(__version__)
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Theo dõi Kế hoạch cải cách hành chính hằng năm của xã, phường, đặc khu.

    With no command, opens the app.
    """
    ctx.obj = State(db)
    if ctx.invoked_subcommand is None:
        ui = cli.commands.get("ui")
        if ui is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(ui)


for _module in COMMAND_MODULES:
    _module.register(cli)


def main() -> int:
    """Console script entry point."""
    try:
        cli(prog_name="cchc")
    except BrokenPipeError:  # output a command's wrapper did not see (click's own help…)
        closed_pipe()
    return 0
