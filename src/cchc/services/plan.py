"""Load the plan seed into the database: once, identically on every laptop, never twice."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from cchc.domain.errors import InvalidInput, NotFound
from cchc.domain.plan import Area, PlanSeed
from cchc.domain.plan_file import PlanArea as PlanFileArea
from cchc.domain.plan_file import PlanFile
from cchc.domain.timeframe import parse_timeframe
from cchc.store import tasks_repo
from cchc.store.seed_file import default_seed_path, read_plan_parts, read_seed
from cchc.store.uow import transaction
from cchc.texts.reports import area_choices

if TYPE_CHECKING:
    from cchc.services.workspace import Workspace

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:cchc-bach-long-vi:plan-seed")
SEED_CHECKSUM_KEY = "plan_seed_sha256"
#: Set to "file" when the database was started with `cchc init --plan FILE`: the shipped seed is
#: then never loaded into it.
PLAN_SOURCE_KEY = "plan_source"


def seed_id(plan_number: str, kind: str, key: str | int) -> str:
    """A deterministic id for a row loaded from the seed: the same on every laptop."""
    return uuid.uuid5(_NAMESPACE, f"{plan_number}|{kind}|{key}").hex


def ensure_plan_loaded(ws: Workspace, seed_path: Path | None = None) -> bool:
    """Load the plan if this file's seed has not been loaded yet; True when rows were written.

    Rows already present are left alone (a decided amendment may have changed them), so loading
    twice changes nothing.
    """
    if seed_path is None and ws.setting(PLAN_SOURCE_KEY) == "file":
        return False  # this database holds the plan of its own file (`cchc init --plan`)
    path = seed_path or default_seed_path()
    checksum = hashlib.sha256(path.read_bytes()).hexdigest()
    if ws.setting(SEED_CHECKSUM_KEY) == checksum:
        return False
    seed = read_seed(path)
    parts = read_plan_parts(path)
    with transaction(ws.db):
        _insert_seed(ws, seed)
        _insert_seed_facts(ws, seed, path.parent)
        if parts is not None:
            insert_plan_zone(ws, parts)
        ws.set_setting(SEED_CHECKSUM_KEY, checksum)
    return True


def insert_plan(ws: Workspace, seed: PlanSeed | PlanFile) -> None:
    """Write the plan's rows (decision, areas, units, targets, tasks); rows present are kept."""
    _insert_seed(ws, seed)


def insert_plan_zone(ws: Workspace, plan: PlanFile) -> None:
    """Write the plan file's zone, reporting duty and units' report suffixes and signers (after
    the plan's rows); rows present are kept."""
    number = plan.plan.number
    zone, reporting = plan.zone, plan.reporting
    conn = ws.db.conn
    conn.execute(
        "INSERT OR IGNORE INTO plan_zone (plan_id, format_version, kind, name, body, parent_body,"
        " doc_suffix, recipients, reporting_to, reporting_through, reporting_text)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            seed_id(number, "plan", number),
            plan.format_version,
            zone.kind,
            zone.name,
            zone.body,
            zone.parent_body,
            zone.doc_suffix,
            _json(zone.recipients),
            reporting.to,
            reporting.through,
            reporting.text,
        ),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO unit_reporting (unit_id, doc_suffix, signer_title) VALUES (?, ?, ?)",
        [
            (seed_id(number, "unit", u.code), u.doc_suffix, u.signer_title)
            for u in plan.units
            if u.doc_suffix is not None or u.signer_title is not None
        ],
    )


def _insert_seed(ws: Workspace, seed: PlanSeed | PlanFile) -> None:
    areas: tuple[Area | PlanFileArea, ...] = seed.areas
    number = seed.plan.number
    now = ws.now_iso()
    conn = ws.db.conn
    header = seed.plan
    conn.execute(
        "INSERT OR IGNORE INTO plan (id, number, date, issuer, place, title, year, signer_title,"
        " signer_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            seed_id(number, "plan", number),
            header.number,
            header.date.isoformat(),
            header.issuer,
            header.place,
            header.title,
            header.year,
            header.signer_title,
            header.signer_name,
        ),
    )
    year = header.year
    conn.executemany(
        "INSERT OR IGNORE INTO areas (id, plan_year, code, title, section_title, position,"
        " solutions) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                seed_id(number, "area", a.code),
                year,
                a.code,
                a.title,
                a.section_title,
                i + 1,
                _json(a.solutions),
            )
            for i, a in enumerate(areas)
        ],
    )
    # A database loaded before the solutions were part of the seed gets them now (areas are
    # seed data, identical on every laptop and never edited, so this overwrites nothing).
    conn.executemany(
        "UPDATE areas SET solutions = ? WHERE plan_year = ? AND code = ? AND solutions = '[]'",
        [(_json(a.solutions), year, a.code) for a in areas],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO units (id, code, name, aliases, role, duty_clause, duties)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                seed_id(number, "unit", u.code),
                u.code,
                u.name,
                _json(u.aliases),
                u.role.value,
                u.duty_clause,
                _json(u.duties),
            )
            for u in seed.units
        ],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO targets (id, plan_year, code, source, text, metric, op, threshold)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                seed_id(number, "target", t.code),
                year,
                t.code,
                t.source,
                t.text,
                t.metric,
                t.op.value,
                t.threshold,
            )
            for t in seed.targets
        ],
    )
    names = seed.unit_names()
    rows = []
    for task in seed.tasks:
        deadline = parse_timeframe(task.timeframe)
        rows.append(
            (
                seed_id(number, "task", task.stt),
                task.stt,
                task.area,
                task.content,
                _json(task.subitems),
                seed_id(number, "unit", names[task.lead].code),
                task.lead,
                _json(task.partners),
                _json([seed_id(number, "unit", names[p].code) for p in task.partners]),
                task.timeframe,
                deadline.kind.value,
                deadline.window_start.isoformat() if deadline.window_start else None,
                deadline.due.isoformat() if deadline.due else None,
                (task.judged_by or deadline.cadence.value) if deadline.cadence else None,
                int(deadline.flagged),
                task.product,
                "plan",
                number,
                header.date.isoformat(),
                header.issuer,
                now,
                now,
                year,
            )
        )
    conn.executemany(
        "INSERT OR IGNORE INTO tasks (id, stt, area, content, subitems, lead_unit_id, lead_text,"
        " partners, partner_unit_ids, timeframe, deadline_kind, window_start, due, cadence,"
        " timeframe_flagged, product, origin, source_number, source_date, source_issuer,"
        " created_at, updated_at, plan_year) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _insert_seed_facts(ws: Workspace, seed: PlanSeed, folder: Path) -> None:
    """What the plan itself establishes about its tasks (row 1 is done by this very decision):
    the task done on its date, its evidence documents with their files. A task someone has
    already tracked is left as it stands."""
    number = seed.plan.number
    conn = ws.db.conn
    now = ws.now_iso()
    for task in seed.tasks:
        task_id = seed_id(number, "task", task.stt)
        if task.done_on is not None:
            conn.execute(
                "UPDATE tasks SET status = 'done', progress = 100, done_on = ? "
                "WHERE id = ? AND status = 'not_started' AND done_on IS NULL",
                (task.done_on.isoformat(), task_id),
            )
        if task.judged_by is not None:  # copies loaded before the plan said how
            conn.execute(
                "UPDATE tasks SET cadence = ? WHERE id = ? AND deadline_kind = 'standing'",
                (task.judged_by, task_id),
            )
        for doc in task.evidence:
            data = (folder / doc.file).read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            conn.execute(
                "INSERT OR IGNORE INTO attachment_blobs (id, size, data) VALUES (?, ?, ?)",
                (digest, len(data), data),
            )
            conn.execute(
                "INSERT OR IGNORE INTO documents (id, task_id, doc_type, number, date, title,"
                " sha256, file_name, size, added_by, created_at) VALUES"
                " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    seed_id(number, "document", f"{task.stt}|{doc.number}"),
                    task_id,
                    doc.doc_type,
                    doc.number,
                    doc.date.isoformat(),
                    doc.title,
                    digest,
                    Path(doc.file).name,
                    len(data),
                    seed.plan.issuer,
                    now,
                ),
            )


def _json(values: tuple[str, ...] | list[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


class AreaTask(BaseModel):
    """A task of an area, as the plan lists it."""

    id: str
    stt: int | None
    content: str
    lead: str
    timeframe: str
    status: str


class PlanArea(BaseModel):
    """One area I–VII: its section II heading and solutions beside its tasks."""

    code: str
    title: str
    section: str  # "II.3"
    section_title: str
    solutions: list[str]
    tasks: list[AreaTask]


def plan_areas(ws: Workspace, area: str | None = None, year: int | None = None) -> list[PlanArea]:
    """The plan of `year` (the default year) by area: section II's solutions beside the
    appendix's tasks of each area."""
    year = year if year is not None else default_year(ws)
    conn = ws.db.conn
    areas = tasks_repo.all_areas(conn, year)
    wanted = area.strip().upper() if area else None
    codes = [a["code"] for a in areas]  # the plan's, as many as it has
    if wanted is not None and wanted not in codes:
        raise InvalidInput("area_unknown", value=area, areas=area_choices(codes))
    tasks = tasks_repo.all_tasks(conn, year)
    out = []
    for row in areas:
        if wanted is not None and row["code"] != wanted:
            continue
        out.append(
            PlanArea(
                code=row["code"],
                title=row["title"],
                section=f"II.{row['position']}",
                section_title=row["section_title"],
                solutions=json.loads(row["solutions"] or "[]"),
                tasks=[
                    AreaTask(
                        id=t["id"],
                        stt=t["stt"],
                        content=t["content"],
                        lead=t["lead_text"],
                        timeframe=t["timeframe"],
                        status=t["status"],
                    )
                    for t in tasks
                    if t["area"] == row["code"]
                ],
            )
        )
    return out


class PlanOnFile(BaseModel):
    """What the database holds of the plan: its number and how many tasks."""

    number: str | None
    tasks: int


def plan_on_file(ws: Workspace) -> PlanOnFile:
    row = ws.db.conn.execute("SELECT number, year FROM plan ORDER BY year DESC LIMIT 1").fetchone()
    if row is None:
        return PlanOnFile(number=None, tasks=len(tasks_repo.all_tasks(ws.db.conn)))
    return PlanOnFile(number=str(row[0]), tasks=len(tasks_repo.all_tasks(ws.db.conn, row[1])))


# ---- years side by side --------------------------------------------------------------------------


def plan_years(ws: Workspace) -> list[int]:
    """The years of the plans this database holds, oldest first."""
    return [int(r[0]) for r in ws.db.conn.execute("SELECT DISTINCT year FROM plan ORDER BY year")]


def default_year(ws: Workspace) -> int:
    """The year a command or screen works on when none is asked for: this year on the island
    when a plan covers it, else the latest plan held (the current year before any plan)."""
    years = plan_years(ws)
    today = ws.today().year
    if not years or today in years:
        return today
    return years[-1]


def plan_in_force(ws: Workspace, year: int) -> int:
    """The year of the plan that governs `year`: its own plan, else the latest earlier one, else
    the first plan held (`year` itself when none is)."""
    years = plan_years(ws)
    if not years or year in years:
        return year
    earlier = [y for y in years if y < year]
    return earlier[-1] if earlier else years[0]


def checked_year(ws: Workspace, year: int | None) -> int:
    """`year` when a plan of that year is held (the default year when None); else refused."""
    if year is None:
        return default_year(ws)
    if year not in plan_years(ws):
        raise NotFound("plan_year_unknown", value=str(year))
    return year
