"""Reading the plan seed (TOML) into the validated `PlanSeed`, refusing a malformed file with the
path of the bad field."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError

from cchc.domain.errors import SeedInvalid
from cchc.domain.plan import PlanSeed
from cchc.domain.plan_file import PlanFile, seed_projection
from cchc.paths import resource

DEFAULT_SEED = "db/seeds/qd-07-2026.toml"

_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")


def default_seed_path() -> Path:
    """The plan seed shipped with the app (QĐ 07/QĐ-UBND, 2026)."""
    return resource(DEFAULT_SEED)


def field_path(loc: tuple[str | int, ...]) -> str:
    """`("tasks", 3, "lead")` → `"tasks[3].lead"`; list indexes are 0-based, in file order."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


def parse_seed(text: str) -> PlanSeed:
    """Validate a seed given as TOML text; raise SeedInvalid naming the first bad field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_WHERE.search(message)
        if match and match.group(1):
            where = f"line {match.group(1)}"
        else:
            where = f"line {text.count(chr(10)) + 1}"  # "at end of document": the last line
        problem = _TOML_WHERE.sub("", message) if match else message
        lines = text.split("\n")
        number = int(where.removeprefix("line "))
        if 1 <= number <= len(lines):
            problem = f"{problem}: {lines[number - 1]!r}"
        raise SeedInvalid(where=where, problem=problem) from exc
    if "format_version" in data:  # a plan file of format 1: its own parts are checked too,
        try:  # then the seed reads its older part
            PlanFile.model_validate(data)
        except ValidationError as exc:
            _refuse_first(exc)
        data = seed_projection(data)
    try:
        return PlanSeed.model_validate(data)
    except ValidationError as exc:
        _refuse_first(exc)


def _refuse_first(exc: ValidationError) -> NoReturn:
    first = exc.errors(include_url=False)[0]
    problem = first["msg"]
    if first["type"] != "missing" and isinstance(first["input"], str | int | float):
        problem = f"{problem}: {first['input']!r}"
    raise SeedInvalid(where=field_path(tuple(first["loc"])), problem=problem) from exc


def read_seed(path: Path) -> PlanSeed:
    """Read and validate the seed file at `path`; raise SeedInvalid naming the first bad field."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise SeedInvalid(where=str(path), problem=exc.strerror or str(exc)) from exc
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise SeedInvalid(where=f"line {line}", problem="not UTF-8 text") from exc
    return parse_seed(text)


def read_plan_parts(path: Path) -> PlanFile | None:
    """The whole format-1 plan file at `path` (zone, reporting, units' suffixes), for a file
    `read_seed` accepted; None for a seed written before format 1 (no `format_version`)."""
    data = tomllib.loads(path.read_bytes().decode("utf-8"))
    if "format_version" not in data:
        return None
    return PlanFile.model_validate(data)
