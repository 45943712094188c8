"""The words a document takes from the plan it is written under (issue 21): the decision it
cites, the zone or commune that issues it, its place, recipients, signers and document numbers.
Read from the plan data of the year in question (tables `plan`, `plan_zone`, `unit_reporting`),
never from the text catalog, so another commune's or another year's plan needs no code."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cchc.texts import reports as T

if TYPE_CHECKING:
    from cchc.services.workspace import Workspace


@dataclass(frozen=True)
class Letterhead:
    """One plan's words for its documents."""

    plan_number: str  # "15/QĐ-UBND"
    plan_date: dt.date
    year: int
    place: str  # where the zone's documents are signed: "Đông Hà"
    signer_title: str  # of the decision and of the zone's reports: "Chủ tịch"
    signer_name: str
    kind: str  # "xã", "phường", "đặc khu"
    name: str  # "Đông Hà"
    body: str  # "Ủy ban nhân dân xã Đông Hà"
    doc_suffix: str  # "BC-UBND"
    recipients: tuple[str, ...]
    reporting_through: str  # the consolidating unit, by name
    unit_doc_suffix: dict[str, str] = field(default_factory=dict)  # unit code → "BC-KT"
    unit_signer_title: dict[str, str] = field(default_factory=dict)  # unit code → "TRƯỞNG PHÒNG"

    @property
    def zone_title(self) -> str:
        """The zone at the head of a line: "Xã Đông Hà"."""
        return self.zone[:1].upper() + self.zone[1:]

    @property
    def zone(self) -> str:
        """The zone as a text names it: "xã Đông Hà" (its name alone when the plan has no kind)."""
        return f"{self.kind} {self.name}".strip()

    def zone_header(self) -> str:
        """The issuing body at the top left of the zone's own reports."""
        return T.ZONE_HEADER.format(zone=self.zone.upper())

    def unit_parent(self) -> str:
        """The governing body above a unit's name at the top left of a unit's report."""
        return T.ZONE_PARENT_SHORT.format(zone=self.zone.upper())

    def place_date(self, day: dt.date) -> str:
        return T.place_date(self.place, day.day, day.month, day.year)

    def intro(self, body: str, period: str, start: str, end: str) -> str:
        d = self.plan_date
        return T.INTRO_UNIT.format(
            zone=self.zone,
            year=self.year,
            number=self.plan_number,
            date=T.DATE_WORDS.format(day=d.day, month=d.month, year=d.year),
            signer=self.signer_title,
            kind=self.kind,
            body=body,
            period=period,
            start=start,
            end=end,
        )

    def unit_recipients(self) -> tuple[str, ...]:
        return tuple(
            line.format(kind=self.kind, through=self.reporting_through)
            for line in T.RECIPIENTS_UNIT
        )

    def unit_suffix(self, unit_code: str) -> str:
        return self.unit_doc_suffix.get(unit_code, T.UNIT_DOC_SUFFIX_DEFAULT)

    def unit_signer(self, unit_code: str) -> str:
        return self.unit_signer_title.get(unit_code, T.SIGN_UNIT_TITLE)


def _plan_row(conn: sqlite3.Connection, year: int | None) -> sqlite3.Row | tuple | None:
    cols = "id, number, date, place, year, signer_title, signer_name, issuer"
    if year is not None:
        row = conn.execute(f"SELECT {cols} FROM plan WHERE year = ? LIMIT 1", (year,)).fetchone()
        if row is not None:
            return row  # type: ignore[no-any-return]
        # a year the database holds no plan of: the latest plan before it, else the earliest
        row = conn.execute(
            f"SELECT {cols} FROM plan WHERE year < ? ORDER BY year DESC LIMIT 1", (year,)
        ).fetchone()
        if row is not None:
            return row  # type: ignore[no-any-return]
        return conn.execute(  # type: ignore[no-any-return]
            f"SELECT {cols} FROM plan ORDER BY year LIMIT 1"
        ).fetchone()
    return conn.execute(  # type: ignore[no-any-return]
        f"SELECT {cols} FROM plan ORDER BY year DESC LIMIT 1"
    ).fetchone()


def letterhead(conn: sqlite3.Connection, year: int | None = None) -> Letterhead | None:
    """The words of the plan of `year` (the latest plan when no year is given, or when the
    database holds no plan of that year: the latest before it). None before any plan is loaded."""
    plan = _plan_row(conn, year)
    if plan is None:
        return None
    plan_id, number, date, place, plan_year, signer_title, signer_name, issuer = plan
    zone = conn.execute(
        "SELECT kind, name, body, doc_suffix, recipients, reporting_through"
        " FROM plan_zone WHERE plan_id = ?",
        (plan_id,),
    ).fetchone()
    units = conn.execute(
        "SELECT u.code, r.doc_suffix, r.signer_title FROM unit_reporting r"
        " JOIN units u ON u.id = r.unit_id"
    ).fetchall()
    if zone is not None:
        kind, name, body, doc_suffix, recipients_json, through = zone
        recipients = tuple(json.loads(recipients_json))
    else:  # a plan loaded before the plan file carried its zone: what its header says
        kind, name, body, doc_suffix, through = "", place, issuer, T.ZONE_DOC_SUFFIX_DEFAULT, ""
        recipients = T.RECIPIENTS_FALLBACK
    return Letterhead(
        plan_number=number,
        plan_date=dt.date.fromisoformat(date),
        year=plan_year,
        place=place,
        signer_title=signer_title,
        signer_name=signer_name,
        kind=kind,
        name=name,
        body=body,
        doc_suffix=doc_suffix,
        recipients=recipients,
        reporting_through=through,
        unit_doc_suffix={str(u[0]): str(u[1]) for u in units if u[1] is not None},
        unit_signer_title={str(u[0]): str(u[2]) for u in units if u[2] is not None},
    )


def current(ws: Workspace, year: int | None = None) -> Letterhead | None:
    """The words of the plan of `year`, this year's by default (what screens work on)."""
    return letterhead(ws.db.conn, ws.today().year if year is None else year)


def zone_body(conn: sqlite3.Connection, year: int | None = None) -> str:
    """The zone's body as a report or a line of output names the zone's own report."""
    head = letterhead(conn, year)
    return head.body if head is not None else ""
