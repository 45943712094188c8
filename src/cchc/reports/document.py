"""An official report as plain data, ready to lay out: every string already in Vietnamese.

The services build it from the store; `cchc.reports.pdf` and `cchc.reports.sheet` render it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Block:
    """A heading with its paragraphs, and optionally a table (first row is the header)."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()
    col_widths: tuple[float, ...] = ()  # fractions of the text width, summing to 1
    subheading: bool = False  # a numbered sub-heading (1., 2., …) rather than a part (I., II.)
    after: tuple[str, ...] = ()  # paragraphs under the table


@dataclass(frozen=True)
class TaskRow:
    """One row of the appendix: a task of the plan as it stands at the report's date."""

    stt: str
    content: str
    lead: str
    deadline: str
    state: str
    progress: str
    product: str


@dataclass(frozen=True)
class OfficialReport:
    """A "Báo cáo" laid out per Nghị định 30/2020/NĐ-CP, Phụ lục I."""

    parent_body: str | None  # the governing body, upper line (regular), or None
    issuing_body: str  # the issuing body (bold), may hold "\n"
    number_line: str  # "Số: 12/BC-UBND"
    place_date: str  # "Bạch Long Vĩ, ngày 05 tháng 01 năm 2026"
    summary: str  # the line under "BÁO CÁO"
    intro: str
    blocks: tuple[Block, ...]
    closing: str
    recipients: tuple[str, ...]
    signer_authority: str | None  # "TM. ỦY BAN NHÂN DÂN", or None
    signer_title: str  # "CHỦ TỊCH"
    signer_name: str
    appendix_title: str = ""
    appendix_subtitle: str = ""
    tasks: tuple[TaskRow, ...] = ()
    title: str = "BÁO CÁO"
    draft: bool = False
    metadata: dict[str, str] = field(default_factory=dict)
    verification: tuple[str, ...] = ()  # lines printed beside the QR code (issued reports only)
    qr_payload: str = ""  # what the QR code holds
    # The signed snapshot, machine-readable, embedded in the PDF as a file (issued reports only):
    # `verify` checks it against the visible text. Never part of the snapshot itself.
    embedded: str = ""


def to_data(doc: OfficialReport) -> dict[str, Any]:
    """The document as plain data (JSON-ready): what an issued report's snapshot keeps (the
    embedded copy of the snapshot is not part of it)."""
    data = asdict(doc)
    data.pop("embedded")
    return data


def from_data(data: dict[str, Any]) -> OfficialReport:
    """The document back from `to_data` (lists become tuples again)."""
    blocks = tuple(
        Block(
            heading=b["heading"],
            paragraphs=tuple(b["paragraphs"]),
            table=tuple(tuple(row) for row in b["table"]),
            col_widths=tuple(b["col_widths"]),
            subheading=b["subheading"],
            after=tuple(b["after"]),
        )
        for b in data["blocks"]
    )
    tasks = tuple(TaskRow(**t) for t in data["tasks"])
    plain = {k: v for k, v in data.items() if k not in ("blocks", "tasks")}
    for key in ("recipients", "verification"):
        plain[key] = tuple(plain[key])
    return OfficialReport(**plain, blocks=blocks, tasks=tasks)
