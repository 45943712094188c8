"""The plan file, format 1: the documented shape of a commune's yearly Kế hoạch CCHC as data
(docs/plan-format.md, JSON Schema in db/schema/plan-file.v1.json), and the check that lists every
problem of a file with its line (`cchc plan check`). Pure: text in, models and problems out."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from cchc.domain.plan import PlanHeader, SeedDocument, Target, TargetOp, Unit, _nfc
from cchc.domain.timeframe import DeadlineKind, parse_timeframe

FORMAT_VERSION = 1

Text = Annotated[str, AfterValidator(_nfc)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Decision(PlanHeader):
    """The decision that issues the plan (TOML table [plan]): number, date, issuer, place where it
    is signed, the plan's title as the decision quotes it, the year it covers, and its signer."""


class Zone(_Strict):
    """The commune or special zone whose plan this is, as its reports name it."""

    kind: Text  # "đặc khu", "xã", "phường"
    name: Text  # "Bạch Long Vĩ"
    body: Text  # "Ủy ban nhân dân đặc khu Bạch Long Vĩ": the body that issues and signs reports
    parent_body: Text  # "Ủy ban nhân dân thành phố Hải Phòng": the body it reports to
    doc_suffix: Text  # "BC-UBND": what follows the number of the body's own reports
    recipients: tuple[Text, ...] = Field(min_length=1)  # "Nơi nhận" of the body's reports


class PlanArea(_Strict):
    """One group (lĩnh vực) of the appendix; any number of them, in the file's order."""

    code: str = Field(pattern=r"^[A-Z0-9]{1,8}$")  # "I", "II", … as the appendix numbers them
    title: Text
    section_title: Text  # the heading of the matching part of section II
    solutions: tuple[Text, ...] = ()  # that part's clauses a), b), …, verbatim


class PlanUnit(Unit):
    """An agency the plan names; the units that report also carry their report's number suffix
    and the title of the one who signs it."""

    doc_suffix: Text | None = None  # "BC-VHXH"
    signer_title: Text | None = None  # "TRƯỞNG PHÒNG"


class PlanFileTask(_Strict):
    """One row of the appendix, words as written."""

    stt: int = Field(ge=1, le=999)
    area: str = Field(pattern=r"^[A-Z0-9]{1,8}$")
    content: Text
    subitems: tuple[Text, ...] = ()
    lead: Text
    partners: tuple[Text, ...] = ()
    timeframe: Text  # in officials' words: "Trước ngày 15/01/2026", "Quý II/2026", "Cả năm 2026"
    product: Text
    # What the plan itself establishes (a row whose product is the decision itself is done on
    # `done_on` with these documents as evidence), and how a standing duty is judged: "monthly",
    # "quarterly", "half_yearly", "yearly", "event" or "figure" (monthly when absent).
    done_on: dt.date | None = None
    evidence: tuple[SeedDocument, ...] = ()
    judged_by: str | None = Field(
        default=None, pattern=r"^(monthly|quarterly|half_yearly|yearly|event|figure)$"
    )
    # A task carried over from last year's plan: its row there. The task keeps its history and
    # evidence, and is marked as carried over from that row (`cchc plan load`).
    carried_from: int | None = Field(default=None, ge=1, le=999)


class Reporting(_Strict):
    """Who reports to whom: units report to `to` through `through`, as the plan's text says."""

    to: Text  # a unit name: "Ủy ban nhân dân đặc khu"
    through: Text  # a unit name: the consolidator, "Phòng Văn hóa - Xã hội"
    text: Text  # the plan's sentence, verbatim


class PlanFile(_Strict):
    """A whole plan file, format 1."""

    format_version: Literal[1]
    plan: Decision
    zone: Zone
    areas: tuple[PlanArea, ...] = Field(min_length=1)
    units: tuple[PlanUnit, ...] = Field(min_length=1)
    targets: tuple[Target, ...] = ()
    tasks: tuple[PlanFileTask, ...] = Field(min_length=1)
    reporting: Reporting

    def unit_names(self) -> dict[str, Unit]:
        """Every name and alias the plan uses, mapped to its unit."""
        out: dict[str, Unit] = {}
        for unit in self.units:
            for name in (unit.name, *unit.aliases):
                out[name] = unit
        return out


# Keys format 1 adds to the seed shape of cchc.domain.plan.PlanSeed (dropped when the plan is
# loaded through that older shape).
_FILE_ONLY_KEYS = ("format_version", "zone", "reporting")
_UNIT_FILE_ONLY_KEYS = ("doc_suffix", "signer_title")
_TASK_FILE_ONLY_KEYS = ("carried_from",)


def seed_projection(data: dict[str, Any]) -> dict[str, Any]:
    """The part of a format-1 file that `PlanSeed` reads (the 2026 loader's shape)."""
    out = {k: v for k, v in data.items() if k not in _FILE_ONLY_KEYS}
    units = out.get("units")
    if isinstance(units, list):
        out["units"] = [
            {k: v for k, v in u.items() if k not in _UNIT_FILE_ONLY_KEYS}
            if isinstance(u, dict)
            else u
            for u in units
        ]
    tasks = out.get("tasks")
    if isinstance(tasks, list):
        out["tasks"] = [
            {k: v for k, v in t.items() if k not in _TASK_FILE_ONLY_KEYS}
            if isinstance(t, dict)
            else t
            for t in tasks
        ]
    return out


def plan_file_schema() -> dict[str, Any]:
    """The JSON Schema of format 1, as committed in db/schema/plan-file.v1.json."""
    schema = PlanFile.model_json_schema()
    schema["$id"] = "https://cchc.invalid/schema/plan-file.v1.json"
    schema["title"] = "Kế hoạch cải cách hành chính — tệp kế hoạch, định dạng 1"
    return schema


# ---- the check -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a plan file: where (the 1-based line, the field path) and what (a kind
    the text catalog words in Vietnamese, with its values)."""

    line: int
    where: str
    kind: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    problems: tuple[Problem, ...]
    plan: PlanFile | None  # set only when there is no problem


_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")
_ARRAY_TABLE = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\-]+)\s*\]\]")
_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-]+)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def field_path(loc: tuple[str | int, ...]) -> str:
    """`("tasks", 3, "lead")` → `"tasks[3].lead"`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out  # "" for the file as a whole


def _strings_in(fragment: str) -> int:
    """How many "…" strings a line of a TOML array holds (escaped quotes do not count)."""
    return fragment.replace('\\"', "").count('"') // 2


class _Lines:
    """Where each table, each element of an array of tables and each key starts in the text."""

    def __init__(self, text: str) -> None:
        self.tables: dict[tuple[str, int | None], int] = {}
        self.keys: dict[tuple[str, int | None, str], int] = {}
        self.top_keys: dict[str, int] = {}
        # (table, index, key, element): the line of each element of a multi-line array
        self.items: dict[tuple[str, int | None, str, int], int] = {}
        counts: dict[str, int] = {}
        current: tuple[str, int | None] | None = None
        open_array: tuple[str, int | None, str] | None = None
        element = 0
        for number, line in enumerate(text.split("\n"), start=1):
            stripped = line.strip()
            if open_array is not None:
                if stripped.startswith('"'):
                    for _ in range(_strings_in(stripped)):
                        self.items[(*open_array, element)] = number
                        element += 1
                    continue
                if stripped.startswith("]"):
                    open_array = None
                    continue
                if not stripped or stripped.startswith("#"):
                    continue
                open_array = None
            if m := _ARRAY_TABLE.match(line):
                name = m.group(1)
                index = counts.get(name, 0)
                counts[name] = index + 1
                current = (name, index)
                self.tables.setdefault(current, number)
            elif m := _TABLE.match(line):
                current = (m.group(1), None)
                self.tables.setdefault(current, number)
            elif m := _KEY.match(line):
                if current is None:
                    self.top_keys.setdefault(m.group(1), number)
                else:
                    self.keys.setdefault((*current, m.group(1)), number)
                    value = line.split("=", 1)[1].split("#", 1)[0].strip()
                    if value.startswith("[") and "]" not in value:
                        open_array, element = (*current, m.group(1)), _strings_in(value)

    def line_of(self, loc: tuple[str | int, ...]) -> int:
        if not loc:
            return 1
        head = str(loc[0])
        if head in self.top_keys:
            return self.top_keys[head]
        index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
        rest = loc[2:] if index is not None else loc[1:]
        table = (head, index)
        if table not in self.tables:
            return self.tables.get((head, None), 1)
        if rest and isinstance(rest[0], str) and (head, index, rest[0]) in self.keys:
            if len(rest) > 1 and isinstance(rest[1], int):
                at = self.items.get((head, index, rest[0], rest[1]))
                if at is not None:
                    return at
            return self.keys[(head, index, rest[0])]
        return self.tables[table]


def _pydantic_problems(exc: ValidationError, lines: _Lines) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        values = {"detail": str(err["msg"])}
        given = err.get("input")
        if isinstance(given, str | int | float) and not isinstance(given, bool):
            values["value"] = str(given)
        ctx = err.get("ctx") or {}
        for key in ("expected", "ge", "le", "min_length", "pattern"):
            if key in ctx:
                values[key] = str(ctx[key])
        if kind == "value_error":
            kind = "empty" if "must not be empty" in err["msg"] else "not_nfc"
        out.append(Problem(lines.line_of(loc), field_path(loc), kind, values))
    return out


def _list(data: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    items = data.get(key)
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def _reference_problems(data: dict[str, Any], lines: _Lines) -> list[Problem]:
    """What the fields' own types cannot see: names and codes that refer to one another, rows
    numbered twice, time frames that cannot be read. Works on the raw data, so these are listed
    even when some field is also wrong."""
    out: list[Problem] = []

    def add(loc: tuple[str | int, ...], kind: str, **values: Any) -> None:
        out.append(Problem(lines.line_of(loc), field_path(loc), kind, {**values}))

    area_codes: set[str] = set()
    for i, area in _list(data, "areas"):
        code = area.get("code")
        if isinstance(code, str):
            if code in area_codes:
                add(("areas", i, "code"), "duplicate_area", value=code)
            area_codes.add(code)

    names: set[str] = set()
    unit_codes: set[str] = set()
    for i, unit in _list(data, "units"):
        code = unit.get("code")
        if isinstance(code, str):
            if code in unit_codes:
                add(("units", i, "code"), "duplicate_unit_code", value=code)
            unit_codes.add(code)
        spellings = [unit.get("name")]
        aliases = unit.get("aliases")
        if isinstance(aliases, list):
            spellings += aliases
        for j, name in enumerate(spellings):
            if not isinstance(name, str):
                continue
            if name in names:
                loc: tuple[str | int, ...] = (
                    ("units", i, "name") if j == 0 else ("units", i, "aliases", j - 1)
                )
                add(loc, "duplicate_unit_name", value=name)
            names.add(name)

    target_codes: set[str] = set()
    for i, target in _list(data, "targets"):
        code = target.get("code")
        if isinstance(code, str):
            if code in target_codes:
                add(("targets", i, "code"), "duplicate_target", value=code)
            target_codes.add(code)
        op, threshold = target.get("op"), target.get("threshold")
        if op == TargetOp.GE.value and threshold is None:
            add(("targets", i, "op"), "threshold_missing", value=str(code))
        if op == TargetOp.IMPROVED.value and threshold is not None:
            add(("targets", i, "threshold"), "threshold_extra", value=str(code))

    header = data.get("plan")
    year = header.get("year") if isinstance(header, dict) else None
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        year = None  # a wrong year is reported once, at its own line, not at every task
    seen_stt: dict[int, int] = {}
    for i, task in _list(data, "tasks"):
        stt = task.get("stt")
        if isinstance(stt, int) and not isinstance(stt, bool):
            if stt in seen_stt:
                add(("tasks", i, "stt"), "duplicate_stt", value=str(stt), first=str(seen_stt[stt]))
            else:
                seen_stt[stt] = lines.line_of(("tasks", i, "stt"))
        area_code = task.get("area")
        if isinstance(area_code, str) and area_codes and area_code not in area_codes:
            add(("tasks", i, "area"), "unknown_area", value=area_code)
        lead = task.get("lead")
        if isinstance(lead, str) and lead.strip() and lead not in names:
            add(("tasks", i, "lead"), "unknown_lead", value=lead)
        partners = task.get("partners")
        if isinstance(partners, list):
            for j, name in enumerate(partners):
                if isinstance(name, str) and name.strip() and name not in names:
                    add(("tasks", i, "partners", j), "unknown_partner", value=name)
        frame = task.get("timeframe")
        if isinstance(frame, str) and frame.strip():
            deadline = parse_timeframe(frame)
            if deadline.kind is DeadlineKind.UNPARSED:
                add(("tasks", i, "timeframe"), "timeframe_unread", value=frame)
            elif year is not None and deadline.due is not None and deadline.due.year != year:
                # a frame copied from last year's plan and not updated is the likely mistake
                add(
                    ("tasks", i, "timeframe"),
                    "timeframe_other_year",
                    value=frame,
                    due_year=str(deadline.due.year),
                    year=str(year),
                )

    reporting = data.get("reporting")
    if isinstance(reporting, dict):
        for key in ("to", "through"):
            name = reporting.get(key)
            if isinstance(name, str) and name.strip() and name not in names:
                add(("reporting", key), "unknown_reporting_unit", value=name)
    return out


def check_plan_text(text: str) -> CheckResult:
    """Every problem of a plan file given as text, each with its line; the plan when none."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_WHERE.search(message)
        line = int(match.group(1)) if match and match.group(1) else text.count("\n") + 1
        detail = _TOML_WHERE.sub("", message)
        return CheckResult((Problem(line, "", "toml_syntax", {"detail": detail}),), None)
    lines = _Lines(text)
    problems: list[Problem] = []
    plan: PlanFile | None = None
    try:
        plan = PlanFile.model_validate(data)
    except ValidationError as exc:
        problems += _pydantic_problems(exc, lines)
    problems += _reference_problems(data, lines)
    problems.sort(key=lambda p: p.line)
    return CheckResult(tuple(problems), None if problems else plan)
