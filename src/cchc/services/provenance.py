"""Where each figure of a report came from, and the verification code that proves its content.

When Phòng Văn hóa - Xã hội consolidates, the zone report records a snapshot of every unit report
it summed: which revision, submitted by whom and when, from which laptop (the site whose signed
write of the submission stands on this copy, with its certificate's fingerprint, role and scope),
and the unit's figures. When a report is issued (submitted) its canonical content gets a short
verification code, printed in the PDF with a QR code. `verify` takes a code (or a PDF, whose code
it reads from the text) and says whether a report held here has exactly that content, who
submitted and consolidated it, and which unit figures make each total. A report changed after it
was issued (or a unit report changed after it was summed) no longer verifies.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cchc.domain.errors import InvalidInput
from cchc.domain.figures import FIGURE_FIELDS, Figures
from cchc.domain.verification import CODE_PATTERN, code_of, normalize_code
from cchc.services.workspace import Workspace
from cchc.store import provenance_repo as prov_repo
from cchc.store import reports_repo as repo
from sync.signing import fingerprint
from sync.trust import Certificate

MAX_PDF_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 300
_CODE_IN_TEXT = re.compile(rf"Mã xác thực:\s*({CODE_PATTERN})")


class Laptop(BaseModel):
    """A laptop (sync site) as its certificate describes it."""

    site: str | None
    fingerprint: str | None = None
    role: str | None = None
    scope: list[str] = []
    certified: bool = False
    revoked: bool = False


class SourceReport(BaseModel):
    """One unit report summed into a consolidated report."""

    report_id: str
    unit: str
    unit_name: str
    revision: int
    submitted_by: str | None
    submitted_at: str | None
    laptop: Laptop
    figures: dict[str, int | float]


class Provenance(BaseModel):
    """What a consolidated report was built from, fixed when it was consolidated."""

    consolidated_by: str
    consolidated_at: str
    laptop: Laptop
    sources: list[SourceReport]


class FigurePart(BaseModel):
    unit_name: str
    revision: int
    value: int | float


class FigureBehind(BaseModel):
    """A total of the consolidated report and the unit figures it was summed from."""

    figure: str
    total: int | float | None
    parts: list[FigurePart]


class Verification(BaseModel):
    """The answer of `cchc report verify`."""

    code: str
    ok: bool
    outcome: str  # verified, unknown_code, changed, source_changed
    report_id: str | None = None
    scope: str | None = None
    unit_name: str | None = None
    period: str | None = None
    revision: int | None = None
    number: str | None = None
    report_date: str | None = None
    submitted_by: str | None = None
    submitted_at: str | None = None
    submitted_laptop: Laptop | None = None
    provenance: Provenance | None = None
    figures: list[FigureBehind] = []
    changed_sources: list[str] = []  # unit names whose report changed after it was summed


# ---- laptops ---------------------------------------------------------------------------------
def laptop_of(ws: Workspace, site: str | None) -> Laptop:
    """A site as the certificates held here describe it (newest certificate first)."""
    if site is None:
        return Laptop(site=None)
    conn = ws.db.conn
    revoked = prov_repo.revoked_keys(conn)
    for row in prov_repo.site_certificates(conn, site):
        try:
            cert = Certificate.parse(bytes(row["body"]), bytes(row["sig"]))
        except Exception:  # a certificate this copy cannot read proves nothing
            continue
        return Laptop(
            site=site,
            fingerprint=fingerprint(cert.key),
            role=cert.role,
            scope=list(cert.scope),
            certified=True,
            revoked=cert.key in revoked,
        )
    return Laptop(site=site)


def _writer(ws: Workspace, table: str, row_id: str, column: str) -> Laptop:
    return laptop_of(ws, prov_repo.cell_origin(ws.db.conn, table, row_id, column))


# ---- consolidation -----------------------------------------------------------------------------
def _figures(ws: Workspace, report_id: str) -> Figures:
    row = repo.figures(ws.db.conn, report_id)
    if row is None:
        return Figures()
    return Figures.model_validate({k: row[k] for k in FIGURE_FIELDS})


def _entered(fig: Figures) -> dict[str, int | float]:
    return {k: v for k, v in fig.model_dump().items() if v is not None}


def snapshot(ws: Workspace, sources: list[dict[str, Any]], actor: str, now: str) -> dict[str, Any]:
    """The provenance of a consolidation of the unit report rows `sources`."""
    conn = ws.db.conn
    return Provenance(
        consolidated_by=actor,
        consolidated_at=now,
        laptop=laptop_of(ws, prov_repo.local_site(conn)),
        sources=[
            SourceReport(
                report_id=r["id"],
                unit=r["unit_code"],
                unit_name=r["unit_name"],
                revision=r["revision"],
                submitted_by=r["submitted_by"],
                submitted_at=r["submitted_at"],
                laptop=_writer(ws, "reports", r["id"], "submitted_by"),
                figures=_entered(_figures(ws, r["id"])),
            )
            for r in sources
        ],
    ).model_dump()


def provenance_of(row: dict[str, Any]) -> Provenance | None:
    """The provenance recorded on a report row, if it is a consolidated one."""
    try:
        data = json.loads(row.get("provenance") or "[]")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    try:
        return Provenance.model_validate(data)
    except ValueError:
        return None


# ---- the verification code ---------------------------------------------------------------------
def canonical_content(ws: Workspace, report_id: str) -> dict[str, Any]:
    """The report as data, the same on every laptop that holds it: what the code is over."""
    conn = ws.db.conn
    row = repo.report(conn, report_id)
    if row is None:
        raise InvalidInput("report_not_found", ref=report_id)
    keys = [
        "id",
        "scope",
        "unit_code",
        "period",
        "period_start",
        "period_end",
        "due",
        "revision",
        "supersedes",
        "number",
        "report_date",
        "signer_name",
        "created_by",
        "submitted_by",
        "submitted_at",
    ]
    try:
        provenance = json.loads(row["provenance"] or "[]")
        sources = json.loads(row["sources"])
        missing = json.loads(row["missing_units"])
    except ValueError:
        provenance, sources, missing = row["provenance"], row["sources"], row["missing_units"]
    return {
        "v": 1,
        **{k: row[k] for k in keys},
        "sections": {s["area"]: s["text"] for s in repo.sections(conn, report_id)},
        "figures": _figures(ws, report_id).model_dump(),
        "tasks": sorted(
            [t["task_id"], t["state"], t["progress"], t["note"]]
            for t in repo.task_lines(conn, report_id)
        ),
        "sources": sources,
        "missing_units": missing,
        "provenance": provenance,
    }


def code_for(ws: Workspace, report_id: str) -> str:
    """The verification code of a report's content as held now."""
    return code_of(canonical_content(ws, report_id))


# ---- verifying ---------------------------------------------------------------------------------
def code_in_pdf(path: Path) -> str:
    """The verification code printed in a report's PDF, read back from its text."""
    from pypdf import PdfReader

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidInput("verify_file", value=str(path), errno=exc.errno) from exc
    if size > MAX_PDF_BYTES:
        raise InvalidInput("verify_pdf_too_big", value=str(path), limit=MAX_PDF_BYTES // 2**20)
    try:
        reader = PdfReader(str(path))
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise InvalidInput("verify_pdf_too_big", value=str(path), limit=MAX_PDF_BYTES // 2**20)
        for page in pages:
            found = _CODE_IN_TEXT.search(" ".join((page.extract_text() or "").split()))
            if found:
                return found.group(1)
    except InvalidInput:
        raise
    except Exception as exc:  # hostile bytes: pypdf may fail in any way; say so, echo nothing
        raise InvalidInput("verify_pdf_unreadable", value=str(path)) from exc
    raise InvalidInput("verify_pdf_no_code", value=str(path))


def _figures_behind(ws: Workspace, report_id: str, prov: Provenance) -> list[FigureBehind]:
    totals = _figures(ws, report_id).model_dump()
    out = []
    for name in FIGURE_FIELDS:
        parts = [
            FigurePart(unit_name=s.unit_name, revision=s.revision, value=s.figures[name])
            for s in prov.sources
            if name in s.figures
        ]
        if parts or totals[name] is not None:
            out.append(FigureBehind(figure=name, total=totals[name], parts=parts))
    return out


def verify(ws: Workspace, ref: str) -> Verification:
    """Whether a report held here has exactly the content of code (or PDF) `ref`."""
    text = (ref or "").strip()
    code = normalize_code(text)
    if code is None:
        path = Path(text)
        if not (text.lower().endswith(".pdf") or path.is_file()):
            raise InvalidInput("verify_code_invalid", value=text[:40])
        code = code_in_pdf(path)
    conn = ws.db.conn
    ids = prov_repo.reports_with_code(conn, code)
    if not ids:
        return Verification(code=code, ok=False, outcome="unknown_code")
    report_id = ids[0]
    row = repo.report(conn, report_id)
    assert row is not None
    prov = provenance_of(row)
    answer = Verification(
        code=code,
        ok=False,
        outcome="changed",
        report_id=report_id,
        scope=row["scope"],
        unit_name=row["unit_name"],
        period=row["period"],
        revision=row["revision"],
        number=row["number"],
        report_date=row["report_date"],
        submitted_by=row["submitted_by"],
        submitted_at=row["submitted_at"],
        submitted_laptop=_writer(ws, "reports", report_id, "submitted_by"),
        provenance=prov,
        figures=_figures_behind(ws, report_id, prov) if prov else [],
    )
    if code_for(ws, report_id) != code:
        return answer  # the content held here is not what was issued under this code
    changed = []
    for source in prov.sources if prov else []:
        held = repo.report(conn, source.report_id)
        if held is None or _entered(_figures(ws, source.report_id)) != source.figures:
            changed.append(source.unit_name)
    if changed:
        return answer.model_copy(update={"outcome": "source_changed", "changed_sources": changed})
    return answer.model_copy(update={"ok": True, "outcome": "verified"})
