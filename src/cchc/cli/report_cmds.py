"""`cchc report …`, `cchc targets`, `cchc budget …`, `cchc amendment …`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from cchc.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILURE,
    State,
    echo_json,
    fail,
    pass_state,
    translate_errors,
)
from cchc.domain.dates import format_vn_date, from_iso
from cchc.domain.figures import FiguresInvalid
from cchc.services import amendments as amendment_service
from cchc.services import budget as budget_service
from cchc.services import plan as plan_service
from cchc.services import provenance as prov_service
from cchc.services import report_output
from cchc.services import reports as report_service
from cchc.services import targets as target_service
from cchc.services.amendment_text import change_lines
from cchc.services.letterhead import letterhead
from cchc.services.periods import parse_period, period_name
from cchc.services.reports import ReportView
from cchc.texts import reports as T
from cchc.texts.plan import NARRATIVE_GUIDE
from cchc.texts.roles import CLI as ROLE_CLI
from cchc.texts.sync import flagged_text

F = TypeVar("F", bound=Callable[..., Any])
PERIOD_HELP = "YYYY-01 … YYYY-12, YYYY-Q1 … YYYY-Q4, YYYY-H1, YYYY-9M, YYYY (YYYY: the year)"


def figure_errors(func: F) -> F:
    """Every problem of a figures table on its own line, each figure named in Vietnamese."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FiguresInvalid as err:
            lines = [T.problem_text(p.key, p.field, p.params, as_typed=True) for p in err.problems]
            fail("Lỗi: " + "\n".join(lines), EXIT_BAD_INPUT)

    return wrapper  # type: ignore[return-value]


def _summary(view: ReportView) -> str:
    who = view.scope_name
    status = T.REPORT_STATUS[view.status]
    late = T.CLI["late"].format(due=format_vn_date(from_iso(view.due))) if view.late else ""
    return T.CLI["report_line"].format(
        id=view.id,
        who=who,
        period=period_name(view.period),
        status=status,
        revision=view.revision,
        late=late,
    )


@click.group("report")
def report_group() -> None:
    """Báo cáo CCHC của đơn vị và của đặc khu: nhập, gửi, tổng hợp, in PDF."""


@report_group.command("new")
@click.option("--unit", required=True, help="The reporting unit: code, name or alias.")
@click.option("--period", required=True, help=PERIOD_HELP)
@click.option("--by", help="Officer's name (default: this laptop's officer).")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def report_new(state: State, unit: str, period: str, by: str | None, as_json: bool) -> None:
    """Open a unit's draft report for a period; prints its id.

    Example: cchc report new --unit "Trung tâm Phục vụ hành chính công" --period 2026-Q1
    """
    with state.workspace() as ws:
        view = report_service.new_report(ws, unit=unit, period=period, by=by)
    if as_json:
        echo_json(view)
    else:
        click.echo(view.id)


@report_group.command("set")
@click.argument("report_id")
@click.option("--field", "fields", multiple=True, metavar="NAME=VALUE", help="A figure.")
@click.option(
    "--section",
    "sections",
    multiple=True,
    metavar="AREA=TEXT",
    help="Text of an area of the plan (I, II, …), or difficulties, or proposals.",
)
@click.option("--progress", multiple=True, metavar="STT=PERCENT", help="A task's progress.")
@click.option("--note", "notes", multiple=True, metavar="STT=TEXT", help="A note on a task.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    metavar="STT=STATUS",
    help="A task's status in this report: not_started, in_progress or done.",
)
@click.option("--number", help="The report's number (before /BC-…), given when it is signed.")
@click.option("--date", "report_date", metavar="DD/MM/YYYY", help="Date of the report.")
@click.option("--signer", help="Name of the person who signs.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
@figure_errors
def report_set(
    state: State,
    report_id: str,
    fields: tuple[str, ...],
    sections: tuple[str, ...],
    progress: tuple[str, ...],
    notes: tuple[str, ...],
    statuses: tuple[str, ...],
    number: str | None,
    report_date: str | None,
    signer: str | None,
    as_json: bool,
) -> None:
    """Fill in a draft report. Nothing is written if any value is refused.

    Example: cchc report set 3f2a… --field received_direct=40 --section III="Đã tiếp nhận…"
    """
    parse = report_service.parse_assignments
    with state.workspace() as ws:
        view = report_service.set_report(
            ws,
            report_id,
            fields=parse(fields),
            sections=parse(sections),
            progress=parse(progress),
            notes=parse(notes),
            statuses=parse(statuses),
            number=number,
            report_date=report_date,
            signer=signer,
        )
    if as_json:
        echo_json(view)
    else:
        click.echo(_summary(view))


@report_group.command("submit")
@click.argument("report_id")
@click.option("--by", help="Officer's name.")
@pass_state
@translate_errors
@figure_errors
def report_submit(state: State, report_id: str, by: str | None) -> None:
    """Submit (lock) a draft report. Example: cchc report submit 3f2a…"""
    with state.workspace() as ws:
        view = report_service.submit_report(ws, report_id, by=by)
    click.echo(_summary(view))


@report_group.command("revise")
@click.argument("report_id")
@click.option("--by", help="Officer's name.")
@pass_state
@translate_errors
def report_revise(state: State, report_id: str, by: str | None) -> None:
    """Open a new revision of a submitted report (the old one is kept); prints the new id."""
    with state.workspace() as ws:
        view = report_service.revise_report(ws, report_id, by=by)
    click.echo(view.id)


@report_group.command("consolidate")
@click.option("--period", required=True, help=PERIOD_HELP)
@click.option("--by", help="Officer's name.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def report_consolidate(state: State, period: str, by: str | None, as_json: bool) -> None:
    """Build the zone's report from the units' submitted reports; prints its id.

    Example: cchc report consolidate --period 2026-Q1
    """
    with state.workspace() as ws:
        view = report_service.consolidate(ws, period=period, by=by)
    if as_json:
        echo_json(view)
        return
    click.echo(view.id)
    if view.missing_units:
        click.echo(T.CLI["missing"].format(units="; ".join(view.missing_units)), err=True)


@report_group.command("show")
@click.argument("report_id")
@click.option(
    "--solutions",
    is_flag=True,
    help="Under each area, the solutions of section II of the plan its text is written against.",
)
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def report_show(state: State, report_id: str, solutions: bool, as_json: bool) -> None:
    """Show a report: its figures, rates, texts and tasks."""
    with state.workspace() as ws:
        view = report_service.get_report(ws, report_id)
        areas = {a.code: a for a in plan_service.plan_areas(ws)} if solutions else {}
    if as_json:
        echo_json(view)
        return
    click.echo(_summary(view))
    click.echo("  " + T.TASKS_AS_OF.format(date=format_vn_date(from_iso(view.as_of))))
    year = parse_period(view.period).year  # the year each score measures
    for name, value in view.figures.items():
        if value is not None:
            click.echo(f"  {T.figure_label(name, view.zone_kind, year)} ({name}): {value}")
    for key, rate in view.rates.items():
        if rate is not None:
            click.echo(f"  {T.RATE_LABELS[key]}: {rate}")
    for key, text in view.sections.items():
        area = areas.get(key)
        if area is not None:
            click.echo(NARRATIVE_GUIDE.format(code=key, section=area.section))
            for item in area.solutions:
                click.echo(f"    {item}")
        if text or area is not None:
            click.echo(f"[{key}] {text}")
    if view.flagged:
        click.echo(f"⚠ {flagged_text(view.flagged)}")


@report_group.command("list")
@click.option("--period", help="Only this period.")
@click.option("--unit", help="Only this unit.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def report_list(state: State, period: str | None, unit: str | None, as_json: bool) -> None:
    """List reports, every revision."""
    with state.workspace() as ws:
        views = report_service.list_reports(ws, period=period, unit=unit)
    if as_json:
        echo_json([v.model_dump(exclude={"tasks", "sections"}) for v in views])
        return
    for view in views:
        click.echo(_summary(view))


@report_group.command("status")
@click.option("--period", required=True, help=PERIOD_HELP)
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def report_status(state: State, period: str, as_json: bool) -> None:
    """Which units have reported for a period, which are drafts, which are missing or late.

    Example: cchc report status --period 2026-Q1
    """
    with state.workspace() as ws:
        rows = report_service.period_overview(ws, period=period)
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        status = T.SUBMISSION_STATUS[row.status]
        late = f" · {T.CLI['late_short']}" if row.late else ""
        click.echo(f"{row.unit_name}: {status}{late}")


@report_group.command("pdf")
@click.argument("report_id")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="FILE.pdf")
@pass_state
@translate_errors
def report_pdf(state: State, report_id: str, out: str) -> None:
    """Write the official PDF (Nghị định 30/2020/NĐ-CP). Example: cchc report pdf 3f2a… --out q1.pdf"""
    with state.workspace() as ws:
        path = report_output.write_pdf(ws, report_id, Path(out))
    click.echo(T.CLI["written"].format(path=path))


@report_group.command("export")
@click.argument("report_id")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="FILE.csv or FILE.xlsx")
@pass_state
@translate_errors
def report_export(state: State, report_id: str, out: str) -> None:
    """Write the report as a spreadsheet: CSV (UTF-8 with BOM) or XLSX, by the file's suffix.

    Example: cchc report export 3f2a… --out bao-cao-quy-1.xlsx
    """
    with state.workspace() as ws:
        path = report_output.write_export(ws, report_id, Path(out))
    click.echo(T.CLI["written"].format(path=path))


@report_group.command("verify")
@click.argument("code_or_pdf")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def report_verify(state: State, code_or_pdf: str, as_json: bool) -> None:
    """Check a report's verification code (or its PDF) against the reports held here.

    Says whether that exact content was issued, who submitted and consolidated it, and the unit
    figures behind each total. Exits 0 when it matches, 1 when it does not.

    Example: cchc report verify ABCD-EFGH-JKLM-NPQR   or   cchc report verify bao-cao.pdf
    """
    with state.workspace() as ws:
        result = prov_service.verify(ws, code_or_pdf)
    if as_json:
        echo_json(result)
    else:
        for line in prov_service.describe(result):
            click.echo(line)
    if not result.ok:
        raise SystemExit(EXIT_FAILURE)


@click.command("targets")
@click.option("--period", help="A period; without it, the year to date.")
@click.option("--unit", help="A unit; without it, the whole zone.")
@click.option(
    "--final",
    "final_year",
    type=int,
    help="The final result of a year, once its last day has passed (e.g. --final YYYY).",
)
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def targets_command(
    state: State, period: str | None, unit: str | None, final_year: int | None, as_json: bool
) -> None:
    """The plan's targets against actuals: met, not met, or not enough data.

    Example: cchc targets --period 2026-H1 --json      cchc targets --final 2026
    """
    if final_year is not None and period:
        fail("Lỗi: " + T.CLI["final_with_period"], EXIT_BAD_INPUT)
    with state.workspace() as ws:
        view = target_service.measure(ws, period=period, unit=unit, final_year=final_year)
        head = letterhead(ws.db.conn, dt.date.fromisoformat(view.end).year)
    zone_body = head.body if head is not None else ""
    if as_json:
        echo_json(view.targets)
        return
    click.echo(
        T.CLI["targets_head"].format(
            who=view.scope_name or zone_body,
            period=period_name(view.period),
            start=format_vn_date(from_iso(view.start)),
            end=format_vn_date(from_iso(view.end)),
        )
    )
    for t in view.targets:
        actual = "–" if t.actual is None else f"{t.actual:g}"
        threshold = "" if t.threshold is None else f"≥ {t.threshold:g}"
        click.echo(
            f"  {t.code:<4} {T.TARGET_STATUS[t.status]:<21} {actual:>7} {threshold:<6} "
            f"{t.short or t.title}"
        )
        if t.reading:
            click.echo(f"       {T.CLI['reading']}: {t.reading}")
        if len(t.measures) > 1:
            for m in t.measures:
                value = "–" if m.actual is None else f"{m.actual:g}"
                click.echo(f"       - {m.label}: {value} ({T.TARGET_STATUS[m.status]})")
        if t.tasks:
            counts: dict[str, int] = {}
            for line in t.tasks:
                counts[line.verdict_text] = counts.get(line.verdict_text, 0) + 1
            click.echo("       " + "; ".join(f"{k}: {n}" for k, n in counts.items()))
        for note in t.notes:
            click.echo(f"       {T.CLI['note']}: {note}")
    for note in view.notes:
        click.echo(f"  {T.CLI['note']}: {note}")


@click.group("budget")
def budget_group() -> None:
    """Kinh phí từng nhiệm vụ: dự trù, được duyệt, đã chi."""


@budget_group.command("set")
@click.argument("task_ref")
@click.option("--estimate", help="Estimate in đồng (sent to Phòng Tài chính in Q1).")
@click.option("--sent-on", metavar="DD/MM/YYYY", help="Day the estimate went to Phòng Tài chính.")
@click.option("--approved", help="Amount approved by UBND đặc khu, in đồng.")
@click.option("--approved-on", metavar="DD/MM/YYYY")
@click.option("--spent", help="Amount spent so far, in đồng.")
@click.option("--note")
@click.option("--by", help="Officer's name.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def budget_set(
    state: State,
    task_ref: str,
    estimate: str | None,
    sent_on: str | None,
    approved: str | None,
    approved_on: str | None,
    spent: str | None,
    note: str | None,
    by: str | None,
    as_json: bool,
) -> None:
    """Record a task's budget. Example: cchc budget set 4 --estimate 15.000.000 --sent-on 20/02/2026"""
    with state.workspace() as ws:
        line = budget_service.set_budget(
            ws,
            task_ref,
            estimate=estimate,
            approved=approved,
            spent=spent,
            sent_on=sent_on,
            approved_on=approved_on,
            note=note,
            by=by,
        )
    if as_json:
        echo_json(line)
    else:
        click.echo(T.CLI["budget_saved"].format(task=line.stt or line.task_id[:8]))


@budget_group.command("appraise")
@click.argument("task_ref")
@click.option("--amount", required=True, help="Amount appraised, in đồng.")
@click.option("--date", "date_", required=True, metavar="DD/MM/YYYY", help="Day appraised.")
@click.option("--note", help="Phòng Tài chính's finding.")
@click.option(
    "--submitted-on", metavar="DD/MM/YYYY", help="Day submitted to UBND đặc khu for decision."
)
@click.option("--by", help="Officer's name.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def budget_appraise(
    state: State,
    task_ref: str,
    amount: str,
    date_: str,
    note: str | None,
    submitted_on: str | None,
    by: str | None,
    as_json: bool,
) -> None:
    """Phòng Tài chính appraises a unit's estimate and submits it to UBND đặc khu.

    Example: cchc budget appraise 4 --amount 14.000.000 --date 10/03/2026 --submitted-on 12/03/2026
    """
    with state.workspace() as ws:
        line = budget_service.appraise(
            ws, task_ref, amount=amount, on=date_, note=note, submitted_on=submitted_on, by=by
        )
    _budget_done(line, as_json, "budget_appraised")


@budget_group.command("allocate")
@click.argument("task_ref")
@click.option("--amount", required=True, help="Amount allocated by UBND đặc khu, in đồng.")
@click.option("--decision-number", required=True, help="Decision number, e.g. 52/QĐ-UBND.")
@click.option("--decision-date", required=True, metavar="DD/MM/YYYY", help="Decision date.")
@click.option("--by", help="Officer's name.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def budget_allocate(
    state: State,
    task_ref: str,
    amount: str,
    decision_number: str,
    decision_date: str,
    by: str | None,
    as_json: bool,
) -> None:
    """Record the allocation UBND đặc khu decided (leadership, or Phòng Tài chính recording it).

    Example: cchc budget allocate 4 --amount 12.000.000 --decision-number 52/QĐ-UBND
    --decision-date 25/03/2026
    """
    with state.workspace() as ws:
        line = budget_service.allocate(
            ws,
            task_ref,
            amount=amount,
            decision_number=decision_number,
            decision_date=decision_date,
            by=by,
        )
    _budget_done(line, as_json, "budget_allocated")


@budget_group.command("check")
@click.argument("task_ref")
@click.option("--date", "date_", required=True, metavar="DD/MM/YYYY", help="Day checked.")
@click.option("--note", required=True, help="What the check found.")
@click.option("--by", help="Officer's name.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def budget_check(
    state: State, task_ref: str, date_: str, note: str, by: str | None, as_json: bool
) -> None:
    """Phòng Tài chính records its check of a unit's spending on a task."""
    with state.workspace() as ws:
        line = budget_service.check_spending(ws, task_ref, on=date_, note=note, by=by)
    _budget_done(line, as_json, "budget_checked")


def _budget_done(line: budget_service.BudgetLine, as_json: bool, key: str) -> None:
    if as_json:
        echo_json(line)
    else:
        click.echo(ROLE_CLI[key].format(task=line.stt or line.task_id[:8]))


def _money(value: int | None) -> str:
    return "–" if value is None else f"{value:,}".replace(",", ".")


@budget_group.command("show")
@click.option("--unit", help="Only the tasks this unit leads.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def budget_show(state: State, unit: str | None, as_json: bool) -> None:
    """Budgets with totals by area, by unit and overall."""
    with state.workspace() as ws:
        view = budget_service.show_budget(ws, unit=unit)
    if as_json:
        echo_json(view)
        return
    click.echo(" | ".join(T.BUDGET_HEAD))
    for line in view.lines:
        click.echo(
            f"{line.stt or '*'} | {line.content[:50]} | {line.unit_name} | "
            f"{_money(line.estimate)} | {_money(line.approved)} | {_money(line.spent)}"
            + (f"  ({T.CLI['estimate_late']})" if line.estimate_late else "")
            + (f"\n    ⚠ {flagged_text(line.flagged)}" if line.flagged else "")
        )
    for label, group in ((T.CLI["by_area"], view.by_area), (T.CLI["by_unit"], view.by_unit)):
        click.echo(label)
        for key, tot in group.items():
            click.echo(
                f"  {key}: {_money(tot.estimate)} | {_money(tot.approved)} | {_money(tot.spent)}"
            )
    t = view.total
    click.echo(f"{T.BUDGET_TOTAL}: {_money(t.estimate)} | {_money(t.approved)} | {_money(t.spent)}")


@click.group("amendment")
def amendment_group() -> None:
    """Đề xuất điều chỉnh kế hoạch: đơn vị đề xuất, Phòng VH-XH trình, UBND quyết định."""


@amendment_group.command("propose")
@click.option("--unit", required=True, help="The proposing unit.")
@click.option("--action", required=True, type=click.Choice(["add", "change", "drop"]))
@click.option("--task", "task_ref", help="The task to change or drop (row 1–26 or id).")
@click.option("--content", help="The (new) content of the task.")
@click.option("--lead", help="The (new) lead unit.")
@click.option("--timeframe", help="The (new) time frame, as the decision will write it.")
@click.option("--product", help="The (new) product.")
@click.option("--area", help="The area (I, II, … as the plan numbers them) of a task to add.")
@click.option("--reason", required=True, help="Why.")
@click.option("--by", help="Officer's name.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def amendment_propose(
    state: State,
    unit: str,
    action: str,
    task_ref: str | None,
    content: str | None,
    lead: str | None,
    timeframe: str | None,
    product: str | None,
    area: str | None,
    reason: str,
    by: str | None,
    as_json: bool,
) -> None:
    """Propose adding, changing or dropping a task; prints the proposal's id.

    Example: cchc amendment propose --unit vhxh --action drop --task 6 --reason "Thành phố hủy"
    """
    with state.workspace() as ws:
        view = amendment_service.propose(
            ws,
            unit=unit,
            action=action,
            reason=reason,
            task=task_ref,
            content=content,
            lead=lead,
            timeframe=timeframe,
            product=product,
            area=area,
            by=by,
        )
    if as_json:
        echo_json(view)
    else:
        click.echo(view.id)


@amendment_group.command("forward")
@click.argument("amendment_id")
@click.option("--by", help="Officer's name.")
@pass_state
@translate_errors
def amendment_forward(state: State, amendment_id: str, by: str | None) -> None:
    """Phòng Văn hóa - Xã hội forwards a proposal to UBND đặc khu."""
    with state.workspace() as ws:
        view = amendment_service.forward(ws, amendment_id, by=by)
    click.echo(
        T.CLI["amendment_state"].format(id=view.id[:8], status=T.AMENDMENT_STATUS[view.status])
    )


@amendment_group.command("decide")
@click.argument("amendment_id")
@click.option("--approve/--reject", required=True, help="UBND đặc khu's decision.")
@click.option("--decision-number", "--number", "number", required=True, help="e.g. 45/QĐ-UBND.")
@click.option(
    "--decision-date", "--date", "date_", required=True, metavar="DD/MM/YYYY", help="Its date."
)
@click.option("--by", help="Officer's name.")
@pass_state
@translate_errors
def amendment_decide(
    state: State, amendment_id: str, approve: bool, number: str, date_: str, by: str | None
) -> None:
    """Record UBND đặc khu's decision; an approval changes the plan's task (with history).

    Example: cchc amendment decide 9c1e… --approve --decision-number 45/QĐ-UBND
    --decision-date 20/03/2026
    """
    with state.workspace() as ws:
        view = amendment_service.decide(
            ws, amendment_id, approve=approve, number=number, date=date_, by=by
        )
    click.echo(
        T.CLI["amendment_state"].format(id=view.id[:8], status=T.AMENDMENT_STATUS[view.status])
    )


@amendment_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@translate_errors
def amendment_list(state: State, as_json: bool) -> None:
    """Every proposal and where it stands."""
    with state.workspace() as ws:
        views = amendment_service.list_amendments(ws)
    if as_json:
        echo_json(views)
        return
    for v in views:
        task = f" #{v.task_stt}" if v.task_stt else ""
        click.echo(
            f"{v.id[:8]}  {T.AMENDMENT_ACTIONS[v.action]}{task}  "
            f"{T.AMENDMENT_STATUS[v.status]}  {v.unit}: {v.reason}"
        )
        for line in change_lines(v):
            click.echo(f"    {line}")


def register(cli: click.Group) -> None:
    for command in (report_group, targets_command, budget_group, amendment_group):
        cli.add_command(command)
