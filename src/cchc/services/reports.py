"""Report entry, submission, revision and consolidation, shared by the CLI and the UI.

A unit opens a report for a period (its tasks' status and progress pulled in), fills in the text
by area, difficulties, proposals and the figures table, saves drafts, and submits. A submitted
report is locked: it changes only through a new revision, which keeps the old one. Phòng Văn hóa
- Xã hội consolidates the submitted unit reports of a period into the zone's report.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from cchc.domain.dates import format_vn_date, from_iso, parse_vn_date
from cchc.domain.errors import Conflict, InvalidInput, NotFound
from cchc.domain.fields import Field
from cchc.domain.figures import (
    FIGURE_FIELDS,
    Figures,
    FiguresInvalid,
    Problem,
    StockConflict,
    check,
    combine_units,
    parse_value,
    report_problems,
)
from cchc.domain.periods import Period
from cchc.domain.roles import Action
from cchc.domain.status import Status, local_today, state_at, status_of_state
from cchc.domain.targets import metric_of
from cchc.domain.text import nfc
from cchc.domain.value_domains import flagged_columns
from cchc.services import provenance as prov_service
from cchc.services.letterhead import letterhead
from cchc.services.periods import parse_period
from cchc.services.permissions import laptop_authority, require, scope_names
from cchc.services.plan import default_year, plan_in_force
from cchc.services.tasks import officer_name, resolve_unit
from cchc.services.workspace import Workspace
from cchc.store import reports_repo as repo
from cchc.store import tasks_repo
from cchc.store.uow import transaction
from cchc.texts import reports as T

#: The sections of a report besides one per area of the plan (`section_keys`).
OTHER_SECTIONS = ("assessment", "difficulties", "direction", "proposals")
#: The sections the consolidator writes for the zone as a whole: never pieced from unit texts,
#: and kept when the zone's draft is consolidated again.
ZONE_WRITTEN = ("assessment", "direction")
REPORTING_ROLES = ("unit", "consolidator")


def section_keys(conn: Any) -> tuple[str, ...]:
    """A report's sections: one per area of the plan, in its order, then the others."""
    return (*(a["code"] for a in tasks_repo.all_areas(conn)), *OTHER_SECTIONS)


_HEX = re.compile(r"^[0-9a-f]{6,32}$")


class ReportTaskLine(BaseModel):
    """A task as the report states it: pulled in from tracking, editable in the report."""

    task_id: str
    stt: int | None
    area: str | None
    content: str
    subitems: list[str]
    lead: str
    timeframe: str
    due: str | None
    product: str
    state: str
    progress: int
    note: str
    #: columns of this line whose stored value lay outside their domain (an older copy let it
    #: in): read as empty, shown flagged (domain.value_domains.readable_row)
    flagged: list[str] = []


class ReportView(BaseModel):
    """One report with everything in it."""

    id: str
    scope: str
    unit: str | None  # unit code; None for the zone's report
    unit_name: str | None
    scope_name: str = ""  # the unit's name, or the zone's body as the plan of its year names it
    zone_kind: str = ""  # the kind of that zone ("xã", "đặc khu"), as its figures name it
    zone_name: str = ""  # that zone as texts name it: "xã Đông Hà"
    period: str
    period_start: str
    period_end: str
    due: str
    status: str
    revision: int
    supersedes: str | None
    superseded_by: str | None
    number: str | None
    report_date: str | None
    signer_name: str | None
    sections: dict[str, str]
    tasks: list[ReportTaskLine]
    figures: dict[str, int | float | None]
    totals: dict[str, int | None]
    rates: dict[str, float | None]
    sources: list[str]
    missing_units: list[str]  # names of the units that had not submitted when consolidated
    created_by: str
    created_at: str
    updated_at: str
    submitted_by: str | None
    submitted_at: str | None
    late: bool  # submitted after its due date, or still not submitted once it has passed
    content_code: str | None = None  # verification code, fixed when the report was issued
    provenance: prov_service.Provenance | None = None  # consolidated: what each figure came from
    #: every column of the report, its sections, figures and task lines whose stored value lay
    #: outside its domain: read as empty, every reader shows it flagged
    flagged: list[str] = []
    as_of: str = ""  # the one day every task line (and target) of the report is stated at

    def figures_model(self) -> Figures:
        return Figures.model_validate(self.figures)


# ---- reading ----------------------------------------------------------------------------------
def _find(ws: Workspace, ref: str) -> dict[str, Any]:
    text = (ref or "").strip().lower()
    conn = ws.db.conn
    if not _HEX.match(text):
        raise NotFound("report_not_found", ref=ref)
    ids = repo.report_ids_with_prefix(conn, text)
    if len(ids) != 1:
        raise NotFound("report_not_found", ref=ref)
    row = repo.report(conn, ids[0])
    assert row is not None
    return row


def figures_of(conn: Any, report_id: str) -> Figures:
    row = repo.figures(conn, report_id)
    if row is None:
        return Figures()
    return Figures.model_validate({k: row[k] for k in FIGURE_FIELDS})


def _unit_names(ws: Workspace, ids: list[str]) -> list[str]:
    names = {u["id"]: u["name"] for u in repo.units(ws.db.conn)}
    return [names.get(i, i) for i in ids]


def get_report(ws: Workspace, ref: str) -> ReportView:
    """One report by id (or a unique prefix of at least 6 characters)."""
    row = _find(ws, ref)
    conn = ws.db.conn
    head = letterhead(conn, parse_period(row["period"]).year)
    fig = figures_of(conn, row["id"])
    sections = {key: "" for key in section_keys(conn)}
    flagged = flagged_columns(row)
    for s in repo.sections(conn, row["id"]):
        sections[s["area"]] = s["text"]
        flagged += flagged_columns(s)
    flagged += flagged_columns(repo.figures(conn, row["id"]) or {})
    lines = repo.task_lines(conn, row["id"])
    for t in lines:
        flagged += flagged_columns(t)
    return ReportView(
        id=row["id"],
        scope=row["scope"],
        unit=row["unit_code"],
        unit_name=row["unit_name"],
        scope_name=row["unit_name"] or (head.body if head else ""),
        zone_kind=head.kind if head else "",
        zone_name=head.zone if head else "",
        period=row["period"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        due=row["due"],
        status=row["status"],
        revision=row["revision"],
        supersedes=row["supersedes"],
        superseded_by=repo.superseded_by(conn, row["id"]),
        number=row["number"],
        report_date=row["report_date"],
        signer_name=row["signer_name"],
        sections=sections,
        tasks=[
            ReportTaskLine(
                task_id=t["task_id"],
                stt=t["stt"],
                area=t["area"],
                content=t["content"],
                subitems=json.loads(t["subitems"]),
                lead=t["lead_text"],
                timeframe=t["timeframe"],
                due=t["due"],
                product=t["product"],
                state=t["state"],
                progress=t["progress"],
                note=t["note"],
                flagged=flagged_columns(t),
            )
            for t in lines
        ],
        figures=fig.model_dump(),
        totals={
            "received": fig.received,
            "to_handle": fig.to_handle,
            "resolved": fig.resolved,
            "pending": fig.pending,
            "survey_answers": fig.survey_answers,
        },
        rates=fig.rates(),
        sources=json.loads(row["sources"]),
        missing_units=_unit_names(ws, json.loads(row["missing_units"])),
        created_by=row["created_by"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        submitted_by=row["submitted_by"],
        submitted_at=row["submitted_at"],
        late=_late(row, ws.today()),
        content_code=row["content_code"],
        provenance=prov_service.provenance_of(row),
        flagged=list(dict.fromkeys(flagged)),
        as_of=reference_date(row, ws.today()).isoformat(),
    )


def _late(row: Mapping[str, Any], today: dt.date) -> bool:
    due = dt.date.fromisoformat(row["due"])
    if row["submitted_at"]:
        return local_today(dt.datetime.fromisoformat(row["submitted_at"])) > due
    return today > due


def list_reports(
    ws: Workspace, *, period: str | None = None, unit: str | None = None
) -> list[ReportView]:
    """Reports of a period and/or a unit, every revision."""
    code = parse_period(period).code if period else None
    unit_id = resolve_unit(ws, unit)["id"] if unit else None
    rows = repo.reports(ws.db.conn, period=code, unit_id=unit_id)
    return [get_report(ws, r["id"]) for r in rows]


def latest(rows: list[dict[str, Any]], *, submitted_only: bool = False) -> dict[str, Any] | None:
    """The newest revision among one unit's reports of one period."""
    chosen = [r for r in rows if r["status"] == "submitted"] if submitted_only else rows
    return max(chosen, key=lambda r: r["revision"], default=None)


# ---- writing ----------------------------------------------------------------------------------
def _task_rows(ws: Workspace, unit_id: str | None, year: int) -> list[dict[str, Any]]:
    """The tasks of the plan in force in `year` (of one lead unit when given)."""
    dropped = repo.dropped_task_ids(ws.db.conn)
    tasks = tasks_repo.all_tasks(ws.db.conn, plan_in_force(ws, year))
    rows = [t for t in tasks if t["id"] not in dropped]
    if unit_id is not None:
        rows = [t for t in rows if t["lead_unit_id"] == unit_id]
    return rows


def reference_date(row: Mapping[str, Any], today: dt.date) -> dt.date:
    """The one day a report states every task line and target at: its cut-off (the period's
    last day), or the report's date (today while it is a draft) when that comes first. A report
    of a period not begun yet is stated at its cut-off, as its targets are."""
    start = dt.date.fromisoformat(row["period_start"])
    end = dt.date.fromisoformat(row["period_end"])
    day = from_iso(row.get("report_date")) or today
    return min(end, day) if day >= start else end


_ORDER = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE)


def _task_state(row: Mapping[str, Any], day: dt.date, claimed: Status | None = None) -> str:
    """A task's state on `day`: the further of its tracking as it stood that day and `claimed`
    (a report line's status), judged against its due date and the day it was done. A task done
    after `day` was not done on it, whatever the line claims."""
    tracked = Status(row["status"])
    status = tracked if claimed is None else max(tracked, claimed, key=_ORDER.index)
    return state_at(status, from_iso(row["due"]), from_iso(row["done_on"]), day).value


def restate_lines(ws: Workspace, report_id: str) -> None:
    """Every task line of a report stated at the report's reference date: the status each line
    claims, its due date and the day the task was done, judged on that one day. Called inside
    the caller's transaction (before a report is issued, and when its date is changed)."""
    conn = ws.db.conn
    row = repo.report(conn, report_id)
    assert row is not None
    day = reference_date(row, ws.today())
    now = ws.now_iso()
    for line in repo.task_lines(conn, report_id):
        task = tasks_repo.task_by_id(conn, line["task_id"])
        claimed = status_of_state(line["state"])
        if task is None or (claimed is Status.DONE and not task["done_on"]):
            continue  # a line's own "done" with no day tracked keeps what it was judged when set
        state = _task_state(task, day, claimed)
        if state != line["state"]:
            repo.update(conn, "report_tasks", line["id"], {"state": state, "updated_at": now})


def _insert_children(
    ws: Workspace,
    report_id: str,
    now: str,
    sections: Mapping[str, str],
    task_lines: list[dict[str, Any]],
    fig: Figures,
) -> None:
    conn = ws.db.conn
    for key in section_keys(conn):
        repo.insert(
            conn,
            "report_sections",
            {
                "id": uuid.uuid4().hex,
                "report_id": report_id,
                "area": key,
                "text": sections.get(key, ""),
                "updated_at": now,
            },
        )
    for line in task_lines:
        repo.insert(
            conn,
            "report_tasks",
            {
                "id": uuid.uuid4().hex,
                "report_id": report_id,
                "task_id": line["task_id"],
                "state": line["state"],
                "progress": line["progress"],
                "note": line.get("note", ""),
                "updated_at": now,
            },
        )
    repo.insert(
        conn,
        "report_figures",
        {"id": uuid.uuid4().hex, "report_id": report_id, **fig.model_dump(), "updated_at": now},
    )


def _fresh_task_lines(
    ws: Workspace, unit_id: str | None, year: int, day: dt.date
) -> list[dict[str, Any]]:
    """Each task of the plan of `year` (of one lead unit, or all) as its tracking stood on `day`."""
    return [
        {
            "task_id": t["id"],
            "state": _task_state(t, day),
            "progress": t["progress"],
            "note": "",
        }
        for t in _task_rows(ws, unit_id, year)
    ]


def plan_year(ws: Workspace) -> int:
    """The year the reports open on: this year when a plan covers it, else the latest plan's
    (this year before a plan is loaded)."""
    return default_year(ws)


def reporting_unit(ws: Workspace, unit: str) -> dict[str, Any]:
    """A unit that reports: one of the zone's agencies (not a group, a city body or outsiders)."""
    row = resolve_unit(ws, unit)
    if row["role"] not in REPORTING_ROLES:
        raise InvalidInput("unit_not_reporting", value=unit)
    return row


def new_report(ws: Workspace, *, unit: str, period: str, by: str | None = None) -> ReportView:
    """Open a unit's draft report for a period, its tasks' status and progress pulled in."""
    per = parse_period(period)
    unit_row = reporting_unit(ws, unit)
    require(ws, Action.REPORT_WRITE, str(unit_row["code"]))
    actor = officer_name(ws, by)
    existing = repo.reports(ws.db.conn, period=per.code, scope="unit", unit_id=unit_row["id"])
    if existing:
        newest = latest(existing)
        assert newest is not None
        raise Conflict("report_exists", unit=unit_row["name"], period=per.code, ref=newest["id"])
    report_id = uuid.uuid4().hex
    now = ws.now_iso()
    with transaction(ws.db):
        repo.insert(
            ws.db.conn, "reports", _report_row(report_id, "unit", unit_row["id"], per, actor, now)
        )
        day = reference_date(_report_row(report_id, "unit", None, per, actor, now), ws.today())
        lines = _fresh_task_lines(ws, unit_row["id"], per.year, day)
        _insert_children(ws, report_id, now, {}, lines, Figures())
    return get_report(ws, report_id)


def _report_row(
    report_id: str, scope: str, unit_id: str | None, per: Period, actor: str, now: str
) -> dict[str, Any]:
    return {
        "id": report_id,
        "scope": scope,
        "unit_id": unit_id,
        "period": per.code,
        "period_start": per.start.isoformat(),
        "period_end": per.end.isoformat(),
        "due": per.due.isoformat(),
        "status": "draft",
        "revision": 1,
        "created_by": actor,
        "created_at": now,
        "updated_at": now,
    }


def _writer(ws: Workspace, row: Mapping[str, Any]) -> None:
    """Refuse, before anything is written, a report this laptop may not write (the sync policy's
    rule: a unit's report by that unit, the zone's by the consolidator)."""
    if row["scope"] == "zone":
        _consolidator(ws)
        return
    code = next((u["code"] for u in repo.units(ws.db.conn) if u["id"] == row["unit_id"]), None)
    require(ws, Action.REPORT_WRITE, code)


def _consolidator(ws: Workspace) -> None:
    found = laptop_authority(ws)
    if not found.may(Action.REPORT_CONSOLIDATE):
        raise InvalidInput("report_consolidator", value=scope_names(ws, found))


def _editable(ws: Workspace, ref: str) -> dict[str, Any]:
    row = _find(ws, ref)
    _writer(ws, row)
    if row["status"] != "draft":
        raise Conflict("report_locked", ref=row["id"][:8])
    return row


def parse_assignments(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """NAME=VALUE pairs as given on the command line (the value may contain "=")."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InvalidInput("field_syntax", value=item)
        out[name.strip()] = value
    return out


def set_report(
    ws: Workspace,
    ref: str,
    *,
    fields: Mapping[str, str] | None = None,
    sections: Mapping[str, str] | None = None,
    progress: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
    statuses: Mapping[str, str] | None = None,
    number: str | None = None,
    report_date: str | None = None,
    signer: str | None = None,
) -> ReportView:
    """Edit a draft: figures, section texts, task status, progress and notes, number, date and
    signer. A task's status (not_started, in_progress, done) gives its state with the tracking
    rules: overdue and done late are derived from the due date, never typed.

    Every value is checked first; on any problem nothing is written."""
    row = _editable(ws, ref)
    conn = ws.db.conn
    fields = dict(fields or {})
    sections = dict(sections or {})
    progress = dict(progress or {})
    notes = dict(notes or {})
    statuses = dict(statuses or {})
    if not any((fields, sections, progress, notes, statuses, number, report_date, signer)):
        raise InvalidInput("nothing_to_set")
    if fields and row["scope"] == "zone":
        raise InvalidInput("report_zone_no_figures", ref=row["id"][:8])

    values = {  # an empty value clears a figure
        name: (parse_value(name, raw) if raw.strip() else None) for name, raw in fields.items()
    }
    unknown = [
        name for name, raw in fields.items() if not raw.strip() and name not in FIGURE_FIELDS
    ]
    if unknown:
        parse_value(unknown[0], "0")
    old_fig = figures_of(conn, row["id"])
    new_fig = check(Figures.model_validate({**old_fig.model_dump(), **values}))

    section_texts: dict[str, str] = {}
    keys = section_keys(conn)
    area_codes = keys[: -len(OTHER_SECTIONS)]
    for key, text in sections.items():
        norm = key.strip()
        norm = norm.upper() if norm.upper() in area_codes else norm.lower()
        if norm not in keys:
            raise InvalidInput("section_unknown", value=key, areas=T.area_range(area_codes))
        section_texts[norm] = nfc(text.strip())

    lines = {line["task_id"]: line for line in repo.task_lines(conn, row["id"])}
    by_stt = {str(line["stt"]): tid for tid, line in lines.items() if line["stt"] is not None}

    def line_id(task_ref: str) -> str:
        key = task_ref.strip()
        if key in by_stt:
            return by_stt[key]
        prefix = key.lower() if _HEX.match(key.lower()) else None
        matches = [tid for tid in lines if prefix and tid.startswith(prefix)]
        if len(matches) != 1:
            raise InvalidInput("task_not_in_report", value=task_ref)
        return matches[0]

    line_updates: dict[str, dict[str, Any]] = {}
    for task_ref, raw in progress.items():
        tid = line_id(task_ref)
        try:
            value = int(raw.strip().rstrip("%"))
        except ValueError:
            raise InvalidInput("report_progress_range", stt=task_ref, value=raw) from None
        if not 0 <= value <= 100:
            raise InvalidInput("report_progress_range", stt=task_ref, value=raw)
        line_updates.setdefault(tid, {})["progress"] = value
    for task_ref, text in notes.items():
        line_updates.setdefault(line_id(task_ref), {})["note"] = nfc(text.strip())
    day = reference_date(row, ws.today())  # every line is stated at the report's one date
    for task_ref, raw in statuses.items():
        tid = line_id(task_ref)
        try:
            status = Status(raw.strip())
        except ValueError:
            raise InvalidInput("report_status_unknown", stt=task_ref, value=raw) from None
        task = tasks_repo.task_by_id(conn, tid)
        assert task is not None
        if status is Status.DONE:  # done with no day recorded: done today, as tracking has it
            done = from_iso(task["done_on"]) or ws.today()
            if done > day:  # the report states its tasks on `day`: this one was not done then
                raise InvalidInput(
                    "report_done_after_cutoff",
                    stt=task_ref,
                    value=raw,
                    done=format_vn_date(done),
                    date=format_vn_date(day),
                )
            task = {**task, "done_on": done.isoformat()}
        line_updates.setdefault(tid, {})["state"] = _task_state(task, day, status)
        if status is Status.DONE:
            line_updates[tid]["progress"] = 100

    meta: dict[str, Any] = {}
    if number is not None:
        meta["number"] = nfc(number.strip()) or None
    if report_date is not None:
        meta["report_date"] = parse_vn_date(report_date, Field.REPORT_DATE).isoformat()
    if signer is not None:
        meta["signer_name"] = nfc(signer.strip()) or None

    now = ws.now_iso()
    with transaction(ws.db):
        if values:
            fig_row = repo.figures(conn, row["id"])
            assert fig_row is not None
            repo.update(
                conn, "report_figures", fig_row["id"], {**new_fig.model_dump(), "updated_at": now}
            )
        current = {s["area"]: s for s in repo.sections(conn, row["id"])}
        for key, text in section_texts.items():
            if key not in current:  # a report opened before this section was in the outline
                repo.insert(
                    conn,
                    "report_sections",
                    {
                        "id": uuid.uuid4().hex,
                        "report_id": row["id"],
                        "area": key,
                        "text": text,
                        "updated_at": now,
                    },
                )
                continue
            repo.update(
                conn, "report_sections", current[key]["id"], {"text": text, "updated_at": now}
            )
        for tid, upd in line_updates.items():
            repo.update(conn, "report_tasks", lines[tid]["id"], {**upd, "updated_at": now})
        repo.update(conn, "reports", row["id"], {**meta, "updated_at": now})
        if "report_date" in meta:  # the report's date moved: so did the day its lines state
            restate_lines(ws, row["id"])
    return get_report(ws, row["id"])


def submission_problems(ws: Workspace, ref: str) -> list[Problem]:
    """Everything that stops a draft from being submitted, all at once (as DHIS2's Complete
    runs every validation rule): a report with nothing entered, and every figure that breaks a
    rule or leaves a dossier unaccounted for."""
    row = _find(ws, ref)
    conn = ws.db.conn
    fig = figures_of(conn, row["id"])
    texts = [s["text"] for s in repo.sections(conn, row["id"])]
    texts += [t["note"] for t in repo.task_lines(conn, row["id"])]
    return report_problems(fig, texts)


def may_write(ws: Workspace, ref: str) -> bool:
    """Whether this laptop may change this report (its unit's, or the zone's for the
    consolidator): the screen shows the others read-only, as every other copy would refuse."""
    try:
        _writer(ws, _find(ws, ref))
    except InvalidInput:
        return False
    return True


def submit_report(ws: Workspace, ref: str, *, by: str | None = None) -> ReportView:
    """Lock a draft. It must hold something, and its figures must balance: every dossier to
    handle is accounted for. Every problem is listed at once (FiguresInvalid)."""
    row = _editable(ws, ref)
    found = submission_problems(ws, row["id"])
    if found:
        raise FiguresInvalid(found)
    actor = officer_name(ws, by)
    now = ws.now_iso()
    with transaction(ws.db):
        repo.update(
            ws.db.conn,
            "reports",
            row["id"],
            {
                "status": "submitted",
                "submitted_by": actor,
                "submitted_at": now,
                "report_date": row["report_date"] or ws.today().isoformat(),
                "updated_at": now,
            },
        )
        # Every task line stated at the one date the issued report speaks of (its cut-off, or
        # its date if earlier), the date its targets are judged at.
        restate_lines(ws, row["id"])
        # Issued: its content and its document are fixed from now on in a snapshot signed by
        # this laptop, proved by the code derived from both.
        from cchc.services.report_output import issue  # builds the document from this module

        issue(ws, row["id"])
    return get_report(ws, row["id"])


def revise_report(ws: Workspace, ref: str, *, by: str | None = None) -> ReportView:
    """A new draft revision of a submitted report; the submitted one stays as it was."""
    row = _find(ws, ref)
    _writer(ws, row)
    conn = ws.db.conn
    if row["status"] != "submitted":
        raise Conflict("report_not_submitted", ref=row["id"][:8])
    newer = repo.superseded_by(conn, row["id"])
    if newer is not None:
        raise Conflict("report_superseded", ref=row["id"][:8], newer=newer[:8])
    actor = officer_name(ws, by)
    old = get_report(ws, row["id"])
    new_id = uuid.uuid4().hex
    now = ws.now_iso()
    with transaction(ws.db):
        repo.insert(
            conn,
            "reports",
            {
                "id": new_id,
                "scope": row["scope"],
                "unit_id": row["unit_id"],
                "period": row["period"],
                "period_start": row["period_start"],
                "period_end": row["period_end"],
                "due": row["due"],
                "status": "draft",
                "revision": row["revision"] + 1,
                "supersedes": row["id"],
                # A revision is a new document: it gets its own number when it is signed.
                "signer_name": row["signer_name"],
                "sources": row["sources"],
                "missing_units": row["missing_units"],
                "provenance": row["provenance"],
                "created_by": actor,
                "created_at": now,
                "updated_at": now,
            },
        )
        _insert_children(
            ws,
            new_id,
            now,
            old.sections,
            [line.model_dump() for line in old.tasks],
            old.figures_model(),
        )
    return get_report(ws, new_id)


# ---- consolidation ------------------------------------------------------------------------------
#: The figures of each plan measure (a target keyed tNN measures row NN of the Phụ lục), by
#: metric: their owner is that row's lead unit.
_METRIC_STOCKS = {
    "tthc_on_portal_rate": ("tthc_in_force", "tthc_on_portal"),
}
#: Zone-wide scores (section I.2 a and f): owned by the consolidating unit, which reports to UBND.
_ZONE_SCORES = ("par_index", "par_index_previous", "service_satisfaction")


def stock_owners(ws: Workspace, year: int | None = None) -> dict[str, str | None]:
    """For each stock figure, the unit that owns it, read from the plan (of the year in force
    in `year`, the default year when not given): the lead unit of the Phụ lục row whose measure
    it is (target tNN → row NN); the zone-wide scores belong to the consolidating unit."""
    conn = ws.db.conn
    year = plan_in_force(ws, year if year is not None else default_year(ws))
    owners: dict[str, str | None] = {}
    leads = {t["stt"]: t["lead_unit_id"] for t in tasks_repo.all_tasks(conn, year) if t["stt"]}
    for target in repo.targets(conn, year):
        code = str(target["code"])
        metric = metric_of(code, target["metric"])
        if code.startswith("t") and code[1:].isdigit():
            for name in _METRIC_STOCKS.get(metric, ()):
                owners[name] = leads.get(int(code[1:]))
    consolidator = next((u["id"] for u in repo.units(conn) if u["role"] == "consolidator"), None)
    for name in _ZONE_SCORES:
        owners[name] = consolidator
    return owners


def zone_figures(
    ws: Workspace, rows: list[dict[str, Any]], year: int | None = None
) -> tuple[Figures, list[StockConflict]]:
    """The zone's figures from the units' report rows: flows summed, stocks from their owner
    (as the plan in force in `year` says)."""
    conn = ws.db.conn
    figures = {r["unit_id"]: figures_of(conn, r["id"]) for r in rows}
    return combine_units(figures, stock_owners(ws, year))


def expected_units(ws: Workspace, year: int | None = None) -> list[dict[str, Any]]:
    """The units that report each period: the zone's agencies that lead a task (of the plan in
    force in `year`, the default year when not given) or have duties."""
    year = plan_in_force(ws, year if year is not None else default_year(ws))
    leads = repo.lead_unit_ids(ws.db.conn, year)
    return [
        u
        for u in repo.units(ws.db.conn)
        if u["role"] in REPORTING_ROLES and (u["id"] in leads or u["duty_clause"])
    ]


def consolidate(ws: Workspace, *, period: str, by: str | None = None) -> ReportView:
    """Build (or rebuild) the zone's report of a period from the units' submitted reports.

    Figures are summed and rates recomputed from the sums; each unit's text goes under its area;
    units that have not submitted are listed. A zone draft is rebuilt in place; once the zone
    report is submitted, consolidating again opens a new revision."""
    per = parse_period(period)
    _consolidator(ws)
    actor = officer_name(ws, by)
    conn = ws.db.conn
    unit_rows = repo.reports(conn, period=per.code, scope="unit")
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for r in unit_rows:
        by_unit.setdefault(r["unit_id"], []).append(r)
    units_in_order = repo.units(conn)
    submitted: list[dict[str, Any]] = []
    for unit in units_in_order:
        chosen = latest(by_unit.get(unit["id"], []), submitted_only=True)
        if chosen is not None:
            submitted.append(chosen)
    done_ids = {r["unit_id"] for r in submitted}
    missing = [u["id"] for u in expected_units(ws, per.year) if u["id"] not in done_ids]

    zone_rows = repo.reports(conn, period=per.code, scope="zone")
    newest = latest(zone_rows)
    sections: dict[str, str] = {}
    if newest is not None:  # what the consolidator wrote stays (a revision starts from it)
        for s in repo.sections(conn, newest["id"]):
            if s["area"] in ZONE_WRITTEN:
                sections[s["area"]] = s["text"]
    for key in section_keys(conn):
        if key in ZONE_WRITTEN:
            continue
        parts = []
        for r in submitted:
            text = next((s["text"] for s in repo.sections(conn, r["id"]) if s["area"] == key), "")
            if text.strip():
                parts.append(f"{r['unit_name']}: {text.strip()}")
        sections[key] = "\n\n".join(parts)
    fig, _ = zone_figures(ws, submitted, per.year)
    # One date for every line of the zone's report: its cut-off (today if earlier), the date its
    # targets are judged at; never each unit's own day and the live state side by side.
    draft = newest if newest is not None and newest["status"] == "draft" else None
    day = reference_date(draft or _report_row("", "zone", None, per, actor, ""), ws.today())
    lines = _fresh_task_lines(ws, None, per.year, day)
    unit_lines: dict[str, dict[str, Any]] = {}
    for r in submitted:  # a unit's own report of its task beats the live tracking value
        for line in repo.task_lines(conn, r["id"]):
            unit_lines[line["task_id"]] = line
    tasks_by_id = {t["id"]: t for t in tasks_repo.all_tasks(conn)}
    for line in lines:
        reported = unit_lines.get(line["task_id"])
        if reported is not None:
            claimed = status_of_state(reported["state"])
            task = tasks_by_id[line["task_id"]]
            own_word = claimed is Status.DONE and not task["done_on"]  # kept as the unit judged it
            line.update(
                state=reported["state"] if own_word else _task_state(task, day, claimed),
                progress=reported["progress"],
                note=reported["note"],
            )

    now = ws.now_iso()
    extra = {
        "sources": json.dumps([r["id"] for r in submitted]),
        "missing_units": json.dumps(missing),
        "provenance": json.dumps(
            prov_service.snapshot(ws, submitted, actor, now), ensure_ascii=False, sort_keys=True
        ),
        "updated_at": now,
    }
    with transaction(ws.db):
        if newest is not None and newest["status"] == "draft":
            report_id = newest["id"]
            repo.delete_children(conn, report_id)
            repo.update(conn, "reports", report_id, extra)
        else:
            report_id = uuid.uuid4().hex
            row = _report_row(report_id, "zone", None, per, actor, now)
            if newest is not None:
                row.update(
                    revision=newest["revision"] + 1,
                    supersedes=newest["id"],
                    signer_name=newest["signer_name"],
                )
            repo.insert(conn, "reports", {**row, **extra})
        _insert_children(ws, report_id, now, sections, lines, fig)
    return get_report(ws, report_id)


class UnitSubmission(BaseModel):
    """Where one expected unit stands for a period: its newest report, if any."""

    unit: str
    unit_name: str
    report_id: str | None
    status: str  # "missing", "draft" or "submitted"
    revision: int | None
    late: bool


def period_overview(ws: Workspace, *, period: str) -> list[UnitSubmission]:
    """For Phòng Văn hóa - Xã hội: each expected unit's report of a period, or its absence."""
    per = parse_period(period)
    conn = ws.db.conn
    today = ws.today()
    out = []
    for unit in expected_units(ws, per.year):
        rows = repo.reports(conn, period=per.code, scope="unit", unit_id=unit["id"])
        newest = latest(rows)
        if newest is None:
            out.append(
                UnitSubmission(
                    unit=unit["code"],
                    unit_name=unit["name"],
                    report_id=None,
                    status="missing",
                    revision=None,
                    late=today > per.due,
                )
            )
            continue
        out.append(
            UnitSubmission(
                unit=unit["code"],
                unit_name=unit["name"],
                report_id=newest["id"],
                status=newest["status"],
                revision=newest["revision"],
                late=_late(newest, today),
            )
        )
    return out
