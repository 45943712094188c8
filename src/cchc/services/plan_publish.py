"""Publishing a plan (`cchc plan load FILE`, the Kế hoạch screen): the city records the plan of a
new year as one row of `plan_files`, which the sync engine carries to every laptop of the zone as
city data (only the city writes it: ``services.sync_policy``). The row holds the file as loaded
and the plan's rows as the city derived them; a trigger (db/migrations/0086) writes those rows
into the plan's tables wherever the row is stored, so every copy holds the same plan.

Tasks the previous year's plan left unfinished may be carried over: as the file lists them
(``carried_from`` on a row) or chosen at load (``carry``). A carried task is a row of the new
plan that names the task it continues; it starts where that task stood, and its history and
evidence are read through it (``store.tasks_repo``)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cchc.domain.errors import Conflict, InvalidInput, NotFound
from cchc.domain.plan_file import PlanFile
from cchc.domain.roles import Action
from cchc.domain.timeframe import parse_timeframe
from cchc.services.permissions import require
from cchc.services.plan import default_year, plan_years, seed_id
from cchc.services.plan_file import check_plan_file
from cchc.store.uow import transaction
from cchc.texts.plan_publish import CARRY_TIMEFRAME

if TYPE_CHECKING:
    from cchc.services.workspace import Workspace


@dataclass(frozen=True)
class CarriedTask:
    """A task of the new plan carried over from the previous year's plan."""

    stt: int
    from_stt: int
    from_year: int
    content: str


@dataclass(frozen=True)
class LoadedPlan:
    """What `load_plan` recorded (or found already recorded)."""

    number: str
    year: int
    zone: str
    areas: int
    tasks: int
    carried: tuple[CarriedTask, ...]
    already: bool


@dataclass(frozen=True)
class HeldPlan:
    """A plan this database holds, and the year it covers."""

    year: int
    number: str
    date: str  # ISO
    zone: str
    tasks: int
    carried: int
    published: bool  # recorded by the city (`plan load`), not shipped with the app or `init`
    default: bool  # the year commands and screens work on when none is asked for


def held_plans(ws: Workspace) -> list[HeldPlan]:
    """Every plan held, oldest year first (`cchc plan list`)."""
    conn = ws.db.conn
    default = default_year(ws)
    out = []
    rows = conn.execute(
        "SELECT p.year, p.number, p.date, coalesce(z.kind || ' ' || z.name, p.place),"
        " (SELECT count(*) FROM tasks t WHERE t.plan_year = p.year),"
        " (SELECT count(*) FROM tasks t WHERE t.plan_year = p.year AND t.carried_from IS NOT NULL),"
        " EXISTS (SELECT 1 FROM plan_files f WHERE f.id = p.id)"
        " FROM plan p LEFT JOIN plan_zone z ON z.plan_id = p.id ORDER BY p.year"
    ).fetchall()
    for year, number, date, zone, tasks, carried, published in rows:
        out.append(
            HeldPlan(
                year=int(year),
                number=str(number),
                date=str(date),
                zone=str(zone),
                tasks=int(tasks),
                carried=int(carried),
                published=bool(published),
                default=int(year) == default,
            )
        )
    return out


def carry_candidates(ws: Workspace, year: int) -> list[dict[str, Any]]:
    """The unfinished tasks of the plan of `year` (rows of its appendix), which a plan of the
    next year may carry over."""
    rows = ws.db.conn.execute(
        "SELECT stt, content, status, progress FROM tasks WHERE plan_year = ? AND stt IS NOT NULL"
        " AND status != 'done' ORDER BY stt",
        (year,),
    ).fetchall()
    return [{"stt": r[0], "content": r[1], "status": r[2], "progress": r[3]} for r in rows]


def load_plan(
    ws: Workspace, path: Path, carry: Iterable[int] = (), by: str | None = None
) -> LoadedPlan:
    """Record the plan of the file at `path` so it travels to every laptop of the zone, carrying
    over the previous year's unfinished rows the file lists and those of `carry`. The city only;
    a file with any problem (`cchc plan check`) is refused and nothing is stored."""
    require(ws, Action.TASK_PLAN)
    report = check_plan_file(path)
    if report.plan is None:
        raise InvalidInput("plan_file_invalid", value=str(path), count=max(1, len(report.problems)))
    plan = report.plan
    source = path.read_bytes()
    digest = hashlib.sha256(source).hexdigest()
    conn = ws.db.conn
    number, year = plan.plan.number, plan.plan.year
    plan_id = seed_id(number, "plan", number)
    held = conn.execute("SELECT source_sha256 FROM plan_files WHERE id = ?", (plan_id,)).fetchone()
    if held is not None and held[0] == digest and not tuple(carry):
        return _loaded(ws, plan, already=True)
    same_year = conn.execute("SELECT number FROM plan WHERE year = ?", (year,)).fetchone()
    if same_year is not None:
        raise Conflict("plan_year_held", year=str(year), number=str(same_year[0]))
    zone = f"{plan.zone.kind} {plan.zone.name}"
    held_zone = conn.execute(
        "SELECT z.kind || ' ' || z.name FROM plan_zone z JOIN plan p ON p.id = z.plan_id"
        " ORDER BY p.year DESC LIMIT 1"
    ).fetchone()
    if held_zone is not None and held_zone[0] != zone:
        raise Conflict("plan_other_zone", value=zone, zone=str(held_zone[0]))
    for index, task in enumerate(plan.tasks):
        if task.evidence:
            raise InvalidInput("plan_file_evidence", value=str(task.stt), index=str(index))
    body, carried = plan_body(ws, plan, tuple(carry))
    with transaction(ws.db):
        conn.execute(
            "INSERT INTO plan_files (id, year, number, zone, source, source_sha256, body, carried,"
            " loaded_at, loaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                plan_id,
                year,
                number,
                zone,
                source.decode("utf-8"),
                digest,
                json.dumps(body, ensure_ascii=False, sort_keys=True),
                json.dumps(
                    [
                        {"stt": c.stt, "from_stt": c.from_stt, "from_year": c.from_year}
                        for c in carried
                    ]
                ),
                ws.now_iso(),
                by or "",
            ),
        )
    return _loaded(ws, plan, already=False)


def _loaded(ws: Workspace, plan: PlanFile, *, already: bool) -> LoadedPlan:
    year = plan.plan.year
    conn = ws.db.conn
    carried = [
        CarriedTask(int(r[0]), int(r[1]), int(r[2]), str(r[3]))
        for r in conn.execute(
            "SELECT t.stt, c.stt, c.plan_year, t.content FROM tasks t"
            " JOIN tasks c ON c.id = t.carried_from WHERE t.plan_year = ? ORDER BY t.stt",
            (year,),
        )
    ]
    tasks = conn.execute("SELECT count(*) FROM tasks WHERE plan_year = ?", (year,)).fetchone()[0]
    return LoadedPlan(
        number=plan.plan.number,
        year=year,
        zone=f"{plan.zone.kind} {plan.zone.name}",
        areas=len(plan.areas),
        tasks=int(tasks),
        carried=tuple(carried),
        already=already,
    )


def _json(values: Iterable[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def plan_body(
    ws: Workspace, plan: PlanFile, carry: tuple[int, ...]
) -> tuple[dict[str, Any], list[CarriedTask]]:
    """The plan's rows as every copy will hold them: ids derived from the decision's number (a
    unit the zone already has keeps its id), tasks carried over starting where they stood."""
    conn = ws.db.conn
    header, number, year = plan.plan, plan.plan.number, plan.plan.year
    unit_ids = {str(r[0]): str(r[1]) for r in conn.execute("SELECT code, id FROM units")}
    for unit in plan.units:
        unit_ids.setdefault(unit.code, seed_id(number, "unit", unit.code))
    names = plan.unit_names()
    previous = year - 1

    def old_task(stt: int) -> dict[str, Any]:
        if previous not in plan_years(ws):
            raise InvalidInput("plan_carry_no_previous", value=str(stt), year=str(previous))
        cursor = conn.execute(
            "SELECT * FROM tasks WHERE plan_year = ? AND stt = ?", (previous, stt)
        )
        row = cursor.fetchone()
        if row is None:
            raise NotFound("plan_carry_row_unknown", value=str(stt), year=str(previous))
        found = dict(zip([d[0] for d in cursor.description], row, strict=True))
        if found["status"] == "done":
            raise Conflict("plan_carry_row_done", value=str(stt), year=str(previous))
        return found

    tasks: list[dict[str, Any]] = []
    carried: list[CarriedTask] = []
    taken: set[int] = set()

    def carry_from(stt: int) -> dict[str, Any]:
        if stt in taken:
            raise InvalidInput("plan_carry_twice", value=str(stt), year=str(previous))
        taken.add(stt)
        return old_task(stt)

    for task in plan.tasks:
        deadline = parse_timeframe(task.timeframe)
        row: dict[str, Any] = {
            "id": seed_id(number, "task", task.stt),
            "stt": task.stt,
            "area": task.area,
            "content": task.content,
            "subitems": _json(task.subitems),
            "lead_unit_id": unit_ids[names[task.lead].code],
            "lead_text": task.lead,
            "partners": _json(task.partners),
            "partner_unit_ids": json.dumps([unit_ids[names[p].code] for p in task.partners]),
            "timeframe": task.timeframe,
            "deadline_kind": deadline.kind.value,
            "window_start": deadline.window_start.isoformat() if deadline.window_start else None,
            "due": deadline.due.isoformat() if deadline.due else None,
            "cadence": (task.judged_by or deadline.cadence.value) if deadline.cadence else None,
            "timeframe_flagged": int(deadline.flagged),
            "product": task.product,
            "status": "done" if task.done_on else "not_started",
            "progress": 100 if task.done_on else 0,
            "done_on": task.done_on.isoformat() if task.done_on else None,
            "origin": "plan",
            "source_number": number,
            "source_date": header.date.isoformat(),
            "source_issuer": header.issuer,
            "plan_year": year,
            "carried_from": None,
        }
        if task.carried_from is not None:
            old = carry_from(task.carried_from)
            row.update(carried_from=old["id"], status=old["status"], progress=old["progress"])
            carried.append(CarriedTask(task.stt, task.carried_from, previous, task.content))
        tasks.append(row)
    next_stt = max(t.stt for t in plan.tasks)
    area_codes = {a.code for a in plan.areas}
    for stt in carry:
        old = carry_from(stt)
        next_stt += 1
        words = CARRY_TIMEFRAME.format(year=year)
        deadline = parse_timeframe(words)
        tasks.append(
            {
                **{k: old[k] for k in ("content", "subitems", "lead_unit_id", "lead_text")},
                **{k: old[k] for k in ("partners", "partner_unit_ids", "product")},
                "id": seed_id(number, "task", next_stt),
                "stt": next_stt,
                "area": old["area"] if old["area"] in area_codes else None,
                "timeframe": words,
                "deadline_kind": deadline.kind.value,
                "window_start": deadline.window_start.isoformat()
                if deadline.window_start
                else None,
                "due": deadline.due.isoformat() if deadline.due else None,
                "cadence": None,
                "timeframe_flagged": int(deadline.flagged),
                "status": old["status"],
                "progress": old["progress"],
                "done_on": None,
                "origin": "plan",
                "source_number": number,
                "source_date": header.date.isoformat(),
                "source_issuer": header.issuer,
                "plan_year": year,
                "carried_from": old["id"],
            }
        )
        carried.append(CarriedTask(next_stt, stt, previous, str(old["content"])))
    plan_id = seed_id(number, "plan", number)
    body = {
        "plan": {
            "id": plan_id,
            "number": number,
            "date": header.date.isoformat(),
            "issuer": header.issuer,
            "place": header.place,
            "title": header.title,
            "year": year,
            "signer_title": header.signer_title,
            "signer_name": header.signer_name,
        },
        "zone": {
            "format_version": plan.format_version,
            "kind": plan.zone.kind,
            "name": plan.zone.name,
            "body": plan.zone.body,
            "parent_body": plan.zone.parent_body,
            "doc_suffix": plan.zone.doc_suffix,
            "recipients": _json(plan.zone.recipients),
            "reporting_to": plan.reporting.to,
            "reporting_through": plan.reporting.through,
            "reporting_text": plan.reporting.text,
        },
        "areas": [
            {
                "id": seed_id(number, "area", a.code),
                "plan_year": year,
                "code": a.code,
                "title": a.title,
                "section_title": a.section_title,
                "position": i + 1,
                "solutions": _json(a.solutions),
            }
            for i, a in enumerate(plan.areas)
        ],
        "units": [
            {
                "id": unit_ids[u.code],
                "code": u.code,
                "name": u.name,
                "aliases": _json(u.aliases),
                "role": u.role.value,
                "duty_clause": u.duty_clause,
                "duties": _json(u.duties),
            }
            for u in plan.units
        ],
        "unit_reporting": [
            {
                "unit_id": unit_ids[u.code],
                "doc_suffix": u.doc_suffix,
                "signer_title": u.signer_title,
            }
            for u in plan.units
            if u.doc_suffix is not None or u.signer_title is not None
        ],
        "targets": [
            {
                "id": seed_id(number, "target", t.code),
                "plan_year": year,
                "code": t.code,
                "source": t.source,
                "text": t.text,
                "metric": t.metric,
                "op": t.op.value,
                "threshold": t.threshold,
            }
            for t in plan.targets
        ],
        "tasks": tasks,
    }
    return body, carried
