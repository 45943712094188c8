"""`cchc plan`: the plan by area, section II's solutions beside the appendix's tasks;
`cchc plan check FILE`: every problem of a plan file, with its line."""

from __future__ import annotations

from pathlib import Path

import click

from cchc.cli.common import EXIT_BAD_INPUT, State, echo_json, fail, pass_state, translate_errors
from cchc.services import plan as plan_service
from cchc.services.plan_file import check_plan_file
from cchc.texts.plan import PLAN_CLI
from cchc.texts.plan_file import PLAN_CHECK_FAILED


@click.group("plan", invoke_without_command=True)
@click.option("--area", help="Only this area: I … VII.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def plan_command(ctx: click.Context, area: str | None, as_json: bool) -> None:
    """The plan by area: the solutions of section II beside the area's tasks.

    Example: cchc plan --area III

    `cchc plan check FILE` checks a plan file without storing anything.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(_show_plan, area=area, as_json=as_json)


@pass_state
@translate_errors
def _show_plan(state: State, area: str | None, as_json: bool) -> None:
    with state.workspace() as ws:
        areas = plan_service.plan_areas(ws, area)
    if as_json:
        echo_json(areas)
        return
    for index, a in enumerate(areas):
        if index:
            click.echo("")
        click.echo(PLAN_CLI["area"].format(code=a.code, title=a.title))
        click.echo(PLAN_CLI["solutions"].format(section=a.section, section_title=a.section_title))
        for item in a.solutions:
            click.echo(f"  {item}")
        click.echo(PLAN_CLI["tasks"])
        for t in a.tasks:
            click.echo(
                PLAN_CLI["task"].format(
                    stt=t.stt if t.stt is not None else "*",
                    content=t.content,
                    lead=t.lead,
                    timeframe=t.timeframe,
                )
            )
        if not a.tasks:
            click.echo(PLAN_CLI["no_tasks"])


@plan_command.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def plan_check_command(file: Path) -> None:
    """Check a plan file (TOML, format of docs/plan-format.md): every problem with its line and
    reason, exit 2 if any; a short summary and exit 0 if none. Nothing is stored.

    Example: cchc plan check ke-hoach-2027.toml
    """
    report = check_plan_file(file)
    for line in report.lines:
        click.echo(line)
    if not report.ok:
        fail(
            PLAN_CHECK_FAILED.format(path=file, count=max(1, len(report.problems))), EXIT_BAD_INPUT
        )


def register(cli: click.Group) -> None:
    cli.add_command(plan_command)
