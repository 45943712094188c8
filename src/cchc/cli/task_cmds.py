"""`cchc init`, `cchc tasks`, `cchc task show|update|add`, `cchc due`, `cchc units`, `cchc settings`."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from cchc.cli.common import State, echo_json, pass_state, translate_errors
from cchc.domain.dates import format_vn_date, from_iso
from cchc.domain.errors import InvalidInput
from cchc.paths import resolve_db_path
from cchc.services import overview as overview_service
from cchc.services import plan as plan_service
from cchc.services import task_text
from cchc.services import tasks as task_service
from cchc.services.attachments import checked_sha256, materialize
from cchc.services.plan_file import check_plan_file, init_with_plan_file
from cchc.services.tasks import TaskDetail, TaskView
from cchc.texts.tasks import (
    CLI,
    STATE_LABELS,
)
from cchc.texts.ui import TASKS

STATUS_CHOICE = click.Choice(["not_started", "in_progress", "done"])


@click.command()
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Start a new database with this plan file (docs/plan-format.md) instead of the plan shipped with the app.",
)
@pass_state
@translate_errors
def init(state: State, plan_file: Path | None) -> None:
    """Create or migrate the database and load the plan (safe to run again).

    Example: cchc --db ~/cchc.sqlite init
    Example: cchc --db ~/dong-ha.sqlite init --plan ke-hoach-2027.toml
    """
    if plan_file is not None:
        report = check_plan_file(plan_file)
        if not report.ok:
            for line in report.lines:
                click.echo(line)
        init_with_plan_file(resolve_db_path(state.db_option), plan_file)
    with state.workspace() as ws:
        plan = plan_service.plan_on_file(ws)
        click.echo(CLI["init_done"].format(path=ws.path, plan=plan.number or "?", tasks=plan.tasks))


def _line(view: TaskView) -> str:
    stt = f"{view.stt:>2}" if view.stt is not None else " *"
    due = format_vn_date(from_iso(view.due)) or view.timeframe
    return (
        f"{stt}  [{STATE_LABELS[view.state]}, {view.progress:>3}%]  {view.content[:70]}"
        f"\n    Chủ trì: {view.lead} · Thời hạn: {due}"
    )


@click.command("tasks")
@click.option("--unit", help="Lead unit: code, name or alias (diacritics optional).")
@click.option("--status", type=STATUS_CHOICE, help="Recorded status.")
@click.option("--state", "state_", help="Derived state, e.g. done_late, overdue.")
@click.option("--area", type=click.Choice(["I", "II", "III", "IV", "V", "VI", "VII"]))
@click.option("--overdue", is_flag=True, help="Only overdue tasks.")
@click.option("--due-within", type=int, metavar="DAYS", help="Only tasks due within DAYS days.")
@click.option("--search", help="Words to find in content, lead or product; diacritics optional.")
@click.option(
    "--year", type=int, help="The plan of this year (default: this year's, or the latest)."
)
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def tasks_command(
    state: State,
    unit: str | None,
    status: str | None,
    state_: str | None,
    area: str | None,
    overdue: bool,
    due_within: int | None,
    search: str | None,
    year: int | None,
    as_json: bool,
) -> None:
    """List the tasks of a year's plan. Example: cchc tasks --unit "Văn phòng UBND" --due-within 30"""
    with state.workspace() as ws:
        views = task_service.list_tasks(
            ws,
            year=plan_service.checked_year(ws, year),
            unit=unit,
            status=status,
            state=state_,
            area=area,
            overdue=overdue,
            due_within=due_within,
            search=search,
        )
    if as_json:
        echo_json(views)
        return
    if not views:
        click.echo(CLI["no_tasks"])
    for view in views:
        click.echo(_line(view))


@click.group("task")
def task_group() -> None:
    """Show, update or add one task."""


def _show_text(detail: TaskDetail) -> None:
    """The Nhiệm vụ screen's detail as text: the same facts and history lines."""
    click.echo(f"{TASKS['detail_heading'].format(ref=detail.stt or detail.id)}: {detail.content}")
    for item in detail.subitems:
        click.echo(f"  - {item}")
    for label, value in task_text.facts(detail):
        click.echo(f"{label}: {value}")
    if detail.documents:
        click.echo(f"{TASKS['documents_heading']}:")
        for doc in detail.documents:
            click.echo(f"  {task_text.document_line(doc)}")
    if detail.history:
        click.echo(f"{TASKS['history_heading']}:")
        for line in task_text.history_lines(detail.history):
            click.echo(f"  {line}")


@task_group.command("show")
@click.argument("ref")
@click.option(
    "--year", type=int, help="The plan of this year (default: this year's, or the latest)."
)
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def task_show(state: State, ref: str, year: int | None, as_json: bool) -> None:
    """Show one task: REF is a row of the year's plan or a task id.
    Example: cchc task show 4 --year 2026"""
    with state.workspace() as ws:
        detail = task_service.get_task(ws, ref, plan_service.checked_year(ws, year))
    if as_json:
        echo_json(detail)
    else:
        _show_text(detail)


@task_group.command("update")
@click.argument("ref")
@click.option("--status", type=STATUS_CHOICE)
@click.option("--progress", type=int, help="Percent done, 0–100.")
@click.option("--note")
@click.option("--by", help="The officer making the update.")
@click.option("--attach", type=click.Path(path_type=Path), help="Evidence file (sản phẩm).")
@click.option("--doc-type", help="Kế hoạch, Báo cáo, Quyết định…")
@click.option("--doc-number", help="e.g. 12/KH-UBND")
@click.option("--doc-date", help="DD/MM/YYYY")
@click.option("--doc-title")
@click.option("--done-on", help="DD/MM/YYYY the task was completed (default today).")
@click.option("--due", help="DD/MM/YYYY, for a task whose deadline is set later.")
@click.option(
    "--year", type=int, help="The plan of this year (default: this year's, or the latest)."
)
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def task_update(
    state: State,
    ref: str,
    status: str | None,
    progress: int | None,
    note: str | None,
    by: str | None,
    attach: Path | None,
    doc_type: str | None,
    doc_number: str | None,
    doc_date: str | None,
    doc_title: str | None,
    done_on: str | None,
    due: str | None,
    year: int | None,
    as_json: bool,
) -> None:
    """Record progress. Example:
    cchc task update 4 --status done --done-on 20/03/2026 --by "Nguyễn Văn A"
    --attach kh.pdf --doc-type "Kế hoạch" --doc-number 12/KH-UBND --doc-date 15/03/2026
    """
    evidence = None
    doc_fields = (doc_type, doc_number, doc_date)
    if attach is not None or any(doc_fields):
        if attach is None or not all(doc_fields):
            raise InvalidInput("attach_incomplete")
        evidence = task_service.Evidence(
            file=attach,
            doc_type=doc_type or "",
            number=doc_number or "",
            date=doc_date or "",
            title=doc_title or "",
        )
    with state.workspace() as ws:
        detail = task_service.update_task(
            ws,
            ref,
            status=status,
            progress=progress,
            note=note,
            by=by,
            done_on=done_on,
            due=due,
            evidence=evidence,
            year=plan_service.checked_year(ws, year),
        )
    if as_json:
        echo_json(detail)
    else:
        click.echo(
            CLI["updated"].format(
                ref=ref, state=STATE_LABELS[detail.state], progress=detail.progress
            )
        )


@task_group.command("add")
@click.option("--content", required=True)
@click.option("--lead", required=True, help="Lead unit: code, name or alias.")
@click.option("--partner", "partners", multiple=True, help="A partner unit (repeatable).")
@click.option("--due", help="DD/MM/YYYY")
@click.option(
    "--timeframe",
    help="The assigning document's words, e.g. \"Quý III/YYYY\" (YYYY: the plan's year).",
)
@click.option("--source-number", required=True, help="The assigning document's number.")
@click.option("--source-date", required=True, help="DD/MM/YYYY")
@click.option("--source-issuer", required=True, help="e.g. UBND thành phố Hải Phòng")
@click.option("--origin", type=click.Choice(["city", "zone"]), help="Default: from the issuer.")
@click.option("--product", default="")
@click.option("--by", help="The officer adding the task.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def task_add(
    state: State,
    content: str,
    lead: str,
    partners: tuple[str, ...],
    due: str | None,
    timeframe: str | None,
    source_number: str,
    source_date: str,
    source_issuer: str,
    origin: str | None,
    product: str,
    by: str | None,
    as_json: bool,
) -> None:
    """Add a task assigned outside the plan; prints its id. Example:
    cchc task add --content "Báo cáo …" --lead "Công an đặc khu" --timeframe "Quý III/2026"
    --source-number 123/UBND-NC --source-date 02/07/2026 --source-issuer "UBND thành phố"
    """
    with state.workspace() as ws:
        detail = task_service.add_task(
            ws,
            content=content,
            lead=lead,
            partners=list(partners),
            due=due,
            timeframe=timeframe,
            source_number=source_number,
            source_date=source_date,
            source_issuer=source_issuer,
            origin=origin,
            product=product,
            by=by,
        )
    if as_json:
        echo_json(detail)
        return
    click.echo(detail.id)
    if detail.timeframe_flagged:
        click.echo(CLI["timeframe_flagged"].format(value=detail.timeframe), err=True)


@click.command("attachment")
@click.argument("sha256")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Copy it here.")
@pass_state
@translate_errors
def attachment_command(state: State, sha256: str, out: Path | None) -> None:
    """The evidence file with this SHA-256 (from `task show --json`): prints where it is stored,
    writing it from the synced bytes first when it came from another laptop. Only a SHA-256
    (64 hex digits) is accepted, never a path.

    Example: cchc attachment 9f86d08… --out ke-hoach.pdf
    """
    digest = checked_sha256(sha256.strip().lower())
    with state.workspace() as ws:
        path = materialize(ws.db.conn, ws.attachments_dir, digest)
    if out is not None:
        shutil.copyfile(path, out)
        path = out
    click.echo(str(path))


@click.command("due")
@click.option("--days", type=int, default=14, show_default=True)
@click.option("--unit")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def due_command(state: State, days: int, unit: str | None, as_json: bool) -> None:
    """Per unit: overdue tasks and those due within DAYS. Example: cchc due --days 30"""
    with state.workspace() as ws:
        overview = task_service.due_overview(ws, days=days, unit=unit)
    if as_json:
        echo_json(overview)
        return
    if not overview:
        click.echo(CLI["nothing_due"])
    for entry in overview:
        click.echo(f"{entry.unit_name}")
        for heading, views in (
            (CLI["overdue_heading"], entry.overdue),
            (CLI["due_soon_heading"].format(days=days), entry.due_soon),
        ):
            if views:
                click.echo(f"  {heading}:")
                for view in views:
                    click.echo("    " + _line(view).replace("\n", "\n    "))


@click.command("units")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def units_command(state: State, as_json: bool) -> None:
    """List the units the plan names, with their codes."""
    with state.workspace() as ws:
        units = overview_service.units(ws)
    if as_json:
        echo_json([{"id": u.id, "code": u.code, "name": u.name, "role": u.role} for u in units])
        return
    for unit in units:
        click.echo(f"{unit.code:<14} {unit.name}")


@click.command("settings")
@click.option("--unit", help="The unit this laptop belongs to (code or name).")
@click.option("--officer", help="The officer's name, used when --by is not given.")
@pass_state
@translate_errors
def settings_command(state: State, unit: str | None, officer: str | None) -> None:
    """Set this laptop's unit and officer. Example: cchc settings --unit vhxh --officer "Lê Thị B\""""
    with state.workspace() as ws:
        profile = overview_service.set_local_profile(ws, unit, officer)
    click.echo(
        CLI["profile_saved"].format(
            unit=profile.unit_name or "—",
            code=profile.unit_code or "—",
            officer=profile.officer or "—",
        )
    )


def register(cli: click.Group) -> None:
    for command in (
        init,
        tasks_command,
        task_group,
        attachment_command,
        due_command,
        units_command,
        settings_command,
    ):
        cli.add_command(command)
