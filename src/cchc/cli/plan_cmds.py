"""`cchc plan`: the plan by area, section II's solutions beside the appendix's tasks."""

from __future__ import annotations

import click

from cchc.cli.common import State, echo_json, pass_state, translate_errors
from cchc.services import plan as plan_service
from cchc.texts.plan import PLAN_CLI


@click.command("plan")
@click.option("--area", help="Only this area: I … VII.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def plan_command(state: State, area: str | None, as_json: bool) -> None:
    """The plan by area: the solutions of section II beside the area's tasks.

    Example: cchc plan --area III
    """
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


def register(cli: click.Group) -> None:
    cli.add_command(plan_command)
