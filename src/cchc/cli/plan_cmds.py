"""`cchc plan`: the plan by area, section II's solutions beside the appendix's tasks;
`cchc plan check FILE`: every problem of a plan file, with its line; `cchc plan load FILE`: the
city publishes a new year's plan; `cchc plan list`: the plans held and the year each covers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from cchc.cli.common import EXIT_BAD_INPUT, State, echo_json, fail, pass_state, translate_errors
from cchc.services import plan as plan_service
from cchc.services import plan_publish
from cchc.services.plan_file import check_plan_file
from cchc.texts import plan_publish as PT
from cchc.texts.plan import PLAN_CLI
from cchc.texts.plan_file import PLAN_CHECK_FAILED


@click.group("plan", invoke_without_command=True)
@click.option("--area", help="Only this area: I … VII.")
@click.option(
    "--year", type=int, help="The plan of this year (default: this year's, or the latest)."
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def plan_command(ctx: click.Context, area: str | None, year: int | None, as_json: bool) -> None:
    """The plan by area: the solutions of section II beside the area's tasks.

    Example: cchc plan --area III --year 2026

    `cchc plan check FILE` checks a plan file without storing anything; `cchc plan load FILE`
    publishes a new year's plan (the city); `cchc plan list` shows the plans held.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(_show_plan, area=area, year=year, as_json=as_json)


@pass_state
@translate_errors
def _show_plan(state: State, area: str | None, year: int | None, as_json: bool) -> None:
    with state.workspace() as ws:
        areas = plan_service.plan_areas(ws, area, plan_service.checked_year(ws, year))
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


@plan_command.command("load")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--carry",
    "carry",
    type=int,
    multiple=True,
    help="A row of last year's plan, unfinished, to carry over (repeat for several).",
)
@click.option("--by", help="The officer loading the plan.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def plan_load_command(
    state: State, file: Path, carry: tuple[int, ...], by: str | None, as_json: bool
) -> None:
    """Publish the plan of a new year (the city only): checked first as `plan check` does (any
    problem: each listed, exit 2, nothing stored), then recorded so that it travels to every
    laptop of the zone with the next bundles. Rows the file marks `carried_from`, and those
    given with --carry, continue last year's unfinished tasks with their history and evidence.

    Example: cchc plan load ke-hoach-2027.toml --carry 12 --carry 20
    """
    report = check_plan_file(file)
    if not report.ok:
        for line in report.lines:
            click.echo(line)
        fail(
            PLAN_CHECK_FAILED.format(path=file, count=max(1, len(report.problems))), EXIT_BAD_INPUT
        )
    with state.workspace() as ws:
        loaded = plan_publish.load_plan(ws, file, carry, by)
    if as_json:
        echo_json(dataclasses.asdict(loaded))
        return
    if loaded.already:
        click.echo(PT.PLAN_LOAD_ALREADY.format(number=loaded.number, year=loaded.year))
        return
    click.echo(
        PT.PLAN_LOAD_DONE.format(
            number=loaded.number,
            year=loaded.year,
            zone=loaded.zone,
            areas=loaded.areas,
            tasks=loaded.tasks,
            carried=len(loaded.carried),
            previous=loaded.year - 1,
        )
    )
    for c in loaded.carried:
        click.echo(
            PT.PLAN_LOAD_CARRIED.format(
                stt=c.stt, from_stt=c.from_stt, from_year=c.from_year, content=c.content
            )
        )


@plan_command.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def plan_list_command(state: State, as_json: bool) -> None:
    """The plans this laptop holds, the year each covers, and the year commands work on when
    none is given.

    Example: cchc plan list
    """
    with state.workspace() as ws:
        plans = plan_publish.held_plans(ws)
    if as_json:
        echo_json([dataclasses.asdict(p) for p in plans])
        return
    if not plans:
        click.echo(PT.PLAN_LIST_NONE)
        return
    click.echo(PT.PLAN_LIST_HEADER)
    for p in plans:
        click.echo(
            PT.PLAN_LIST_ROW.format(
                year=p.year,
                number=p.number,
                date=f"{p.date[8:10]}/{p.date[5:7]}/{p.date[:4]}",
                zone=p.zone,
                tasks=p.tasks,
                carried=PT.PLAN_LIST_CARRIED.format(count=p.carried) if p.carried else "",
                source=PT.PLAN_LIST_PUBLISHED if p.published else "",
            )
        )
    default = next((p.year for p in plans if p.default), None)
    if default is not None:
        click.echo(PT.PLAN_LIST_DEFAULT.format(year=default))


def register(cli: click.Group) -> None:
    cli.add_command(plan_command)
