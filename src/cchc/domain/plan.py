"""The plan as data: the shapes a seed file must have, validated by pydantic when loaded."""

from __future__ import annotations

import datetime as dt
import unicodedata
from enum import StrEnum
from typing import Annotated, NoReturn

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError


def _nfc(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    if unicodedata.normalize("NFC", value) != value:
        raise ValueError("must be NFC-normalised Unicode")
    return value


def _refuse(loc: tuple[str | int, ...], kind: str, message: str) -> NoReturn:
    """Fail validation at `loc` (relative to the model being validated)."""
    error = PydanticCustomError(kind, "{message}", {"message": message})
    raise ValidationError.from_exception_data(
        "PlanSeed", [InitErrorDetails(type=error, loc=loc, input=None)]
    )


Text = Annotated[str, AfterValidator(_nfc)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlanHeader(_Strict):
    """The decision that issues the plan."""

    number: Text  # "07/QĐ-UBND"
    date: dt.date
    issuer: Text  # "Ủy ban nhân dân đặc khu Bạch Long Vĩ"
    place: Text  # "Bạch Long Vĩ"
    title: Text
    year: int = Field(ge=2000, le=2100)
    signer_title: Text
    signer_name: Text


class Area(_Strict):
    """One of the appendix's seven groups I–VII."""

    code: str = Field(pattern=r"^(I|II|III|IV|V|VI|VII)$")
    title: Text
    section_title: Text  # the heading of section II.n in the plan's body
    solutions: tuple[Text, ...] = ()  # section II.n's clauses a), b), …, verbatim


class UnitRole(StrEnum):
    """What a unit does in the plan's reporting chain."""

    CONSOLIDATOR = "consolidator"  # Phòng Văn hóa - Xã hội: units report through it
    UNIT = "unit"
    CITY = "city"  # bodies of Hải Phòng city
    EXTERNAL = "external"  # named but outside the zone's administration
    GROUP = "group"  # a collective value such as "Các đơn vị có liên quan"


class Unit(_Strict):
    """An agency the plan names, with the duties section IV.2 gives it."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text  # the canonical name
    aliases: tuple[Text, ...] = ()  # other spellings the plan uses, as written
    role: UnitRole
    duty_clause: str | None = None  # "a", "b", "đ", … of section IV.2
    duties: tuple[Text, ...] = ()


class TargetOp(StrEnum):
    """How the actual value is compared with the threshold."""

    GE = ">="
    IMPROVED = "improved"  # better than the year before


class Target(_Strict):
    """A chỉ tiêu: section I.2 (a–f) and the appendix's row 18."""

    code: str = Field(pattern=r"^[a-z0-9_]+$")
    source: Text  # "I.2.a", "Phụ lục, dòng 18"
    text: Text  # verbatim
    metric: str = Field(pattern=r"^[a-z0-9_]+$")
    op: TargetOp
    threshold: float | None = None  # percent, or a count; None for IMPROVED


class SeedDocument(_Strict):
    """A document the seed records as a task's evidence: its file ships with the seed."""

    doc_type: Text  # Quyết định, Kế hoạch…
    number: Text  # 07/QĐ-UBND
    date: dt.date
    title: Text = ""
    file: str = Field(pattern=r"^[a-z0-9][a-z0-9_./-]*$")  # beside the seed file, e.g. source/…


class PlanTask(_Strict):
    """One row of the Phụ lục, words as written."""

    stt: int = Field(ge=1, le=999)
    area: str = Field(pattern=r"^[A-Z0-9]{1,8}$")  # one of the plan's areas, any number of them
    content: Text
    subitems: tuple[Text, ...] = ()
    lead: Text  # the lead unit as written in the row
    partners: tuple[Text, ...]  # as written; "Các đơn vị có liên quan" is a real value
    timeframe: Text  # verbatim
    product: Text  # verbatim
    # Facts the plan itself establishes (row 1: the product is this very decision): the task is
    # done on `done_on`, with these documents as its evidence. Identical on every laptop.
    done_on: dt.date | None = None
    evidence: tuple[SeedDocument, ...] = ()
    # A standing duty ("Thường xuyên") judged as its own words ask: "monthly", "quarterly",
    # "half_yearly", "yearly" (a product each reporting slot), "event" (a product on each event)
    # or "figure" (by the figure of its own target). Without it, monthly.
    judged_by: str | None = Field(
        default=None, pattern=r"^(monthly|quarterly|half_yearly|yearly|event|figure)$"
    )


class PlanSeed(_Strict):
    """The whole plan as loaded from db/seeds/."""

    plan: PlanHeader
    areas: tuple[Area, ...]
    units: tuple[Unit, ...]
    targets: tuple[Target, ...]
    tasks: tuple[PlanTask, ...]

    @model_validator(mode="after")
    def _consistent(self) -> PlanSeed:
        # Each problem is reported at the path of the field at fault (e.g. tasks[3].lead), so a
        # malformed seed names the exact place to fix.
        area_codes: set[str] = set()
        for i, area in enumerate(self.areas):
            if area.code in area_codes:
                _refuse(("areas", i, "code"), "duplicate_code", f"area {area.code!r} repeats")
            area_codes.add(area.code)
        if not area_codes:
            _refuse(("areas",), "areas_missing", "the plan names no area")
        for i, task in enumerate(self.tasks):
            if task.area not in area_codes:
                _refuse(
                    ("tasks", i, "area"), "unknown_area", f"area {task.area!r} is not among areas"
                )
        for i, task in enumerate(self.tasks):
            if task.stt != i + 1:
                _refuse(
                    ("tasks", i, "stt"), "stt_sequence", f"expected stt {i + 1}, got {task.stt}"
                )
        seen_codes: set[str] = set()
        seen_names: set[str] = set()
        for i, unit in enumerate(self.units):
            if unit.code in seen_codes:
                _refuse(("units", i, "code"), "duplicate_code", f"unit code {unit.code!r} repeats")
            seen_codes.add(unit.code)
            for j, name in enumerate((unit.name, *unit.aliases)):
                if name in seen_names:
                    loc: tuple[str | int, ...] = (
                        ("units", i, "name") if j == 0 else ("units", i, "aliases", j - 1)
                    )
                    _refuse(loc, "duplicate_name", f"unit name {name!r} names two units")
                seen_names.add(name)
        for i, task in enumerate(self.tasks):
            if task.lead not in seen_names:
                _refuse(
                    ("tasks", i, "lead"), "unknown_unit", f"unit {task.lead!r} is not among units"
                )
            for j, name in enumerate(task.partners):
                if name not in seen_names:
                    _refuse(
                        ("tasks", i, "partners", j),
                        "unknown_unit",
                        f"unit {name!r} is not among units",
                    )
        return self

    def unit_names(self) -> dict[str, Unit]:
        """Every name and alias the plan uses, mapped to its unit."""
        out: dict[str, Unit] = {}
        for unit in self.units:
            for name in (unit.name, *unit.aliases):
                out[name] = unit
        return out
