"""Checking a plan file (`cchc plan check FILE`): reads the file, lists every problem with its
line and a Vietnamese reason. Touches no database."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from cchc.domain.errors import Conflict, InvalidInput
from cchc.domain.plan_file import CheckResult, PlanFile, Problem, check_plan_text
from cchc.store.uow import transaction

if TYPE_CHECKING:
    from cchc.services.workspace import Workspace
from cchc.texts.plan_file import (
    PLAN_CHECK_LINE,
    PLAN_CHECK_LINE_FILE,
    PLAN_CHECK_NOT_UTF8,
    PLAN_CHECK_OK,
    PLAN_CHECK_TOO_BIG,
    PLAN_CHECK_UNREADABLE,
    PLAN_PROBLEM_OTHER,
    PLAN_PROBLEMS,
)

#: A yearly plan is tens of kilobytes (the 2026 one about 45 kB); anything this large is not one.
MAX_PLAN_BYTES = 2_000_000


@dataclass(frozen=True)
class PlanCheckReport:
    """The outcome for the officer: the lines to show, and whether the file is fit to load."""

    ok: bool
    lines: tuple[str, ...]
    problems: tuple[Problem, ...]
    plan: PlanFile | None


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def problem_text(problem: Problem) -> str:
    """One problem, in Vietnamese, with its line and field."""
    template = PLAN_PROBLEMS.get(problem.kind, PLAN_PROBLEM_OTHER)
    reason = template.format_map(_Blank(problem.values))
    if not problem.where:  # the file as a whole (its syntax)
        return PLAN_CHECK_LINE_FILE.format(line=problem.line, reason=reason)
    return PLAN_CHECK_LINE.format(line=problem.line, where=problem.where, reason=reason)


def summary_text(plan: PlanFile) -> str:
    return PLAN_CHECK_OK.format(
        areas=len(plan.areas),
        tasks=len(plan.tasks),
        units=len(plan.units),
        targets=len(plan.targets),
        zone=f"{plan.zone.kind} {plan.zone.name}",
        year=plan.plan.year,
        number=plan.plan.number,
        date=plan.plan.date.strftime("%d/%m/%Y"),
    )


def check_plan_file(path: Path) -> PlanCheckReport:
    """Check the plan file at `path`; nothing is stored anywhere."""
    try:
        size = path.stat().st_size
        if size > MAX_PLAN_BYTES:
            reason = PLAN_CHECK_TOO_BIG.format(size=size, limit=MAX_PLAN_BYTES)
            line = PLAN_CHECK_UNREADABLE.format(path=path, reason=reason)
            return PlanCheckReport(False, (line,), (Problem(1, "", "too_big"),), None)
        raw = path.read_bytes()
    except OSError as exc:
        line = PLAN_CHECK_UNREADABLE.format(path=path, reason=exc.strerror or str(exc))
        return PlanCheckReport(False, (line,), (), None)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        reason = PLAN_CHECK_NOT_UTF8.format(line=bad_line)
        line = PLAN_CHECK_UNREADABLE.format(path=path, reason=reason)
        problem = Problem(bad_line, "", "not_utf8")
        return PlanCheckReport(False, (line,), (problem,), None)
    result: CheckResult = check_plan_text(text)
    if result.plan is None:
        return PlanCheckReport(
            False, tuple(problem_text(p) for p in result.problems), result.problems, None
        )
    return PlanCheckReport(True, (summary_text(result.plan),), (), result.plan)


def init_with_plan_file(db_path: Path, plan_path: Path) -> PlanFile:
    """Start the database at `db_path` with the plan of `plan_path` (`cchc init --plan FILE`): a
    laptop of another commune, or of another year. The file must pass the check; a database that
    already holds another plan is refused; loading the same file twice changes nothing."""
    from cchc.services.door import Door
    from cchc.services.exchange import capture_suppressed, install_capture
    from cchc.services.plan import (
        PLAN_SOURCE_KEY,
        SEED_CHECKSUM_KEY,
        insert_plan,
        insert_plan_zone,
    )

    report = check_plan_file(plan_path)
    if report.plan is None:
        raise InvalidInput(
            "plan_file_invalid", value=str(plan_path), count=max(1, len(report.problems))
        )
    plan = report.plan
    checksum = hashlib.sha256(plan_path.read_bytes()).hexdigest()
    door = Door.open(db_path, load_plan=False)  # the one way in, without the 2026 plan
    ws = door.workspace
    try:
        held = ws.setting(SEED_CHECKSUM_KEY)
        if held == checksum:
            return plan
        row = ws.db.conn.execute("SELECT number, year FROM plan").fetchone()
        if held is not None or row is not None:
            raise Conflict(
                "plan_db_taken",
                value=str(db_path),
                number=str(row[0]) if row else "?",
                year=str(row[1]) if row else "?",
            )
        with capture_suppressed(ws), transaction(ws.db):
            insert_plan(ws, plan)
            insert_plan_zone(ws, plan)
            ws.set_setting(SEED_CHECKSUM_KEY, checksum)
            ws.set_setting(PLAN_SOURCE_KEY, "file")
        install_capture(ws)
    finally:
        door.close()
    return plan


class PlanZoneView(BaseModel):
    """The zone of the plan on file and its reporting duty, as its plan file states them: what
    the reports will name instead of words fixed in the text catalog."""

    plan_number: str
    year: int
    kind: str
    name: str
    body: str
    parent_body: str
    doc_suffix: str
    recipients: list[str]
    reporting_to: str
    reporting_through: str
    reporting_text: str
    unit_doc_suffix: dict[str, str]  # unit code → "BC-VHXH"
    unit_signer_title: dict[str, str]  # unit code → "TRƯỞNG PHÒNG"


def plan_zone(ws: Workspace) -> PlanZoneView | None:
    """The zone of the plan this database holds; None when its plan predates format 1."""
    conn = ws.db.conn
    row = conn.execute(
        "SELECT p.number, p.year, z.kind, z.name, z.body, z.parent_body, z.doc_suffix,"
        " z.recipients, z.reporting_to, z.reporting_through, z.reporting_text"
        " FROM plan_zone z JOIN plan p ON p.id = z.plan_id ORDER BY p.year DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    units = conn.execute(
        "SELECT u.code, r.doc_suffix, r.signer_title FROM unit_reporting r"
        " JOIN units u ON u.id = r.unit_id ORDER BY u.code"
    ).fetchall()
    return PlanZoneView(
        plan_number=row[0],
        year=row[1],
        kind=row[2],
        name=row[3],
        body=row[4],
        parent_body=row[5],
        doc_suffix=row[6],
        recipients=json.loads(row[7]),
        reporting_to=row[8],
        reporting_through=row[9],
        reporting_text=row[10],
        unit_doc_suffix={str(u[0]): str(u[1]) for u in units if u[1] is not None},
        unit_signer_title={str(u[0]): str(u[2]) for u in units if u[2] is not None},
    )
