"""The plan as data: the shapes a seed file must have, validated by pydantic when loaded."""

from __future__ import annotations

import datetime as dt
import unicodedata
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator


def _nfc(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    if unicodedata.normalize("NFC", value) != value:
        raise ValueError("must be NFC-normalised Unicode")
    return value


Text = Annotated[str, AfterValidator(_nfc)]
AREA_CODES = ("I", "II", "III", "IV", "V", "VI", "VII")


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


class PlanTask(_Strict):
    """One row of the Phụ lục, words as written."""

    stt: int = Field(ge=1, le=999)
    area: str = Field(pattern=r"^(I|II|III|IV|V|VI|VII)$")
    content: Text
    subitems: tuple[Text, ...] = ()
    lead: Text  # the lead unit as written in the row
    partners: tuple[Text, ...]  # as written; "Các đơn vị có liên quan" is a real value
    timeframe: Text  # verbatim
    product: Text  # verbatim


class PlanSeed(_Strict):
    """The whole plan as loaded from db/seeds/."""

    plan: PlanHeader
    areas: tuple[Area, ...]
    units: tuple[Unit, ...]
    targets: tuple[Target, ...]
    tasks: tuple[PlanTask, ...]

    @model_validator(mode="after")
    def _consistent(self) -> PlanSeed:
        if tuple(a.code for a in self.areas) != AREA_CODES:
            raise ValueError(f"areas must be exactly {', '.join(AREA_CODES)} in order")
        stts = [t.stt for t in self.tasks]
        if stts != list(range(1, len(stts) + 1)):
            raise ValueError("tasks must be numbered 1, 2, 3, … without gaps")
        names = self.unit_names()
        for task in self.tasks:
            for name in (task.lead, *task.partners):
                if name not in names:
                    raise ValueError(f"task {task.stt}: unit {name!r} is not among units")
        codes = [u.code for u in self.units]
        if len(set(codes)) != len(codes):
            raise ValueError("unit codes must be unique")
        return self

    def unit_names(self) -> dict[str, Unit]:
        """Every name and alias the plan uses, mapped to its unit."""
        out: dict[str, Unit] = {}
        for unit in self.units:
            for name in (unit.name, *unit.aliases):
                out[name] = unit
        return out
