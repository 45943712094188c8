"""Where each figure of a report came from, and the verification code that proves its content.

When Phòng Văn hóa - Xã hội consolidates, the zone report records a snapshot of every unit report
it summed: which revision, submitted by whom and when, from which laptop (the site whose signed
write of the submission stands on this copy, with its certificate's fingerprint, role and scope),
and the unit's figures. When a report is issued (submitted) its canonical content gets a short
verification code, printed in the PDF with a QR code; the PDF also carries the signed snapshot
as an attached file. `verify` takes a code (or a PDF, whose code it reads from the text, and
whose words it checks against its attached snapshot and the issued one) and says whether a report
held here has exactly that content, who submitted and consolidated it, and which unit figures
make each total. A report changed after it was issued (or a unit report changed after it was
summed) no longer verifies.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cchc.domain.dates import format_island_time, format_vn_date, from_iso
from cchc.domain.errors import InvalidInput, NotFound
from cchc.domain.figures import FIGURE_FIELDS, STOCK_FIELDS, Figures
from cchc.domain.verification import (
    CODE_PATTERN,
    canonical_bytes,
    code_in_text,
    code_of,
    differences,
    issue_code,
    issue_message,
    qr_payload,
    words,
)
from cchc.reports import pdf
from cchc.reports.document import OfficialReport
from cchc.reports.document import from_data as document_from_data
from cchc.services.letterhead import Letterhead, letterhead
from cchc.services.periods import PeriodInvalid, parse_period, period_name
from cchc.services.workspace import Workspace
from cchc.store import provenance_repo as prov_repo
from cchc.store import reports_repo as repo
from cchc.texts import reports as T
from sync.signing import fingerprint
from sync.signing import verify as check_signature
from sync.trust import Certificate

MAX_PDF_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 300
EMBEDDED_FORMAT = "cchc-issued-report-v1"
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


class TextDifference(BaseModel):
    """Where a presented document's words differ from the issued document's."""

    issued: str  # the words as issued ("" when the PDF added words)
    presented: str  # the words in the PDF ("" when the PDF lost words)
    after: str  # the issued words just before, to find the place


class Verification(BaseModel):
    """The answer of `cchc report verify`."""

    code: str
    ok: bool
    outcome: str  # verified, unknown_code, changed, source_changed, document_differs
    report_id: str | None = None
    scope: str | None = None
    unit_name: str | None = None
    zone_kind: str = ""  # the kind of the zone of the report's plan ("xã", "đặc khu")
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
    differences: list[TextDifference] = []  # a PDF's words that are not the words issued


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


# ---- issuing: the signed snapshot ---------------------------------------------------------------
def issue(ws: Workspace, report_id: str, document: dict[str, Any]) -> str:
    """Fix a report as issued: its data and its document (`document`, as laid out, every figure,
    text, task line and verdict in words) in one snapshot, signed with this laptop's key; the
    code is derived from both. Called inside the submission's transaction. Returns the code."""
    from cchc.services.exchange import open_engine

    engine = open_engine(ws)
    snapshot = {
        "v": 2,
        "report_id": report_id,
        "content": canonical_content(ws, report_id),
        "document": document,
        "issuer": {"site": engine.site_id, "key": engine.key.public.hex()},
    }
    body = canonical_bytes(snapshot)
    signature = engine.key.sign(issue_message(body))
    code = issue_code(body, signature)
    repo.update(
        ws.db.conn,
        "reports",
        report_id,
        {
            "issue_snapshot": body.decode("utf-8"),
            "issue_signature": signature.hex(),
            "content_code": code,
        },
    )
    return code


class Issued(BaseModel):
    """A report's issued snapshot, its signature checked and its code derived."""

    report_id: str
    code: str
    snapshot: dict[str, Any]
    site: str | None
    key: str
    body: str = ""  # the snapshot's canonical text, as signed
    signature: str = ""  # hex


def issued_snapshot(row: dict[str, Any]) -> Issued | None:
    """The snapshot a report row carries, if it is whole: it parses, it names this report, its
    signature verifies under the key it names. None for a draft or anything forged or damaged."""
    if row.get("status") != "submitted" or not row.get("issue_snapshot"):
        return None
    try:
        body = str(row["issue_snapshot"]).encode("utf-8")
        signature = bytes.fromhex(str(row["issue_signature"] or ""))
        snapshot = json.loads(body)
        issuer = snapshot["issuer"]
        key = bytes.fromhex(issuer["key"])
        if snapshot.get("report_id") != row["id"] or canonical_bytes(snapshot) != body:
            return None
        check_signature(key, signature, issue_message(body), "issued report")
    except Exception:  # whatever is wrong with it, it proves nothing
        return None
    return Issued(
        report_id=row["id"],
        code=issue_code(body, signature),
        snapshot=snapshot,
        site=issuer.get("site"),
        key=issuer["key"],
        body=body.decode("utf-8"),
        signature=signature.hex(),
    )


def issued_document(issued: Issued) -> OfficialReport:
    """The document exactly as issued, with its code and QR: what every print lays out."""
    doc = document_from_data(issued.snapshot["document"])
    return replace(
        doc,
        draft=False,
        verification=tuple(line.format(code=issued.code) for line in T.VERIFY_PDF_LINES),
        qr_payload=qr_payload(issued.code, issued.report_id),
        embedded=embedded_copy(issued),
    )


# ---- verifying ---------------------------------------------------------------------------------
class PresentedPdf(BaseModel):
    """What a presented PDF holds: the text a reader sees and the copy of the signed snapshot
    it carries as an attached file (None when it carries none)."""

    text: str
    embedded: bytes | None = None


def _read_pdf(path: Path) -> PresentedPdf:
    """A PDF's text as a reader extracts it, and its embedded snapshot, bounded; raises
    InvalidInput for anything else."""
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
        text = "\n".join(page.extract_text() or "" for page in pages)
        copies = reader.attachments.get(pdf.EMBEDDED_NAME) or []
        embedded = bytes(copies[0]) if copies else None
        if embedded is not None and len(embedded) > MAX_PDF_BYTES:
            raise InvalidInput("verify_pdf_too_big", value=str(path), limit=MAX_PDF_BYTES // 2**20)
        return PresentedPdf(text=text, embedded=embedded)
    except InvalidInput:
        raise
    except Exception as exc:  # hostile bytes: pypdf may fail in any way; say so, echo nothing
        raise InvalidInput("verify_pdf_unreadable", value=str(path)) from exc


def _pdf_text(path: Path) -> str:
    return _read_pdf(path).text


def _bytes_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def embedded_copy(issued: Issued) -> str:
    """The machine-readable copy of an issued report that its PDF carries: the signed snapshot
    as issued, its signature and its code."""
    return json.dumps(
        {
            "format": EMBEDDED_FORMAT,
            "snapshot": issued.body,
            "signature": issued.signature,
            "code": issued.code,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def read_embedded(data: bytes, report_id_hint: str | None = None) -> Issued | None:
    """The signed snapshot an embedded copy holds, if it is whole: its snapshot's signature
    verifies under the key it names and the code is the one derived from both. None for
    anything else."""
    try:
        copy = json.loads(data.decode("utf-8"))
        if not isinstance(copy, dict) or copy.get("format") != EMBEDDED_FORMAT:
            return None
        snapshot = json.loads(str(copy["snapshot"]))
        row = {
            "id": snapshot["report_id"],
            "status": "submitted",
            "issue_snapshot": copy["snapshot"],
            "issue_signature": copy["signature"],
        }
    except Exception:  # whatever is wrong with it, it proves nothing
        return None
    found = issued_snapshot(row)
    if found is None or found.code != copy.get("code"):
        return None
    return found


def code_in_pdf(path: Path) -> str:
    """The verification code printed in a report's PDF, read back from its text."""
    found = _CODE_IN_TEXT.search(" ".join(_pdf_text(path).split()))
    if found:
        return found.group(1)
    raise InvalidInput("verify_pdf_no_code", value=str(path))


def _figures_behind(totals: dict[str, Any], prov: Provenance) -> list[FigureBehind]:
    out = []
    for name in FIGURE_FIELDS:
        parts = [
            FigurePart(unit_name=s.unit_name, revision=s.revision, value=s.figures[name])
            for s in prov.sources
            if name in s.figures
        ]
        if parts or totals.get(name) is not None:
            out.append(FigureBehind(figure=name, total=totals.get(name), parts=parts))
    return out


def _signer(ws: Workspace, issued: Issued) -> Laptop:
    """The laptop that signed a snapshot, as the certificates held here describe its key."""
    laptop = laptop_of(ws, issued.site)
    key_print = fingerprint(bytes.fromhex(issued.key))
    if laptop.fingerprint not in (None, key_print):
        return Laptop(site=issued.site, fingerprint=key_print)
    return laptop


def _signed_elsewhere(ws: Workspace, code: str, embedded: Issued) -> Verification:
    content = embedded.snapshot.get("content") or {}
    names = {u["code"]: u["name"] for u in repo.units(ws.db.conn)}
    return Verification(
        code=code,
        ok=False,
        outcome="signed_not_held",
        report_id=embedded.report_id,
        scope=content.get("scope"),
        unit_name=names.get(content.get("unit_code") or ""),
        period=content.get("period"),
        revision=content.get("revision"),
        number=content.get("number"),
        report_date=content.get("report_date"),
        submitted_by=content.get("submitted_by"),
        submitted_at=content.get("submitted_at"),
        submitted_laptop=_signer(ws, embedded),
    )


def _document_words(issued: Issued) -> list[str]:
    """The words of the document `issued` lays out, as a reader extracts them from its PDF."""
    return words(_bytes_text(pdf.render(issued_document(issued))))


def _genuine(ws: Workspace, code: str) -> Issued | None:
    """The one report whose signed snapshot derives `code`. A code written into any other row
    (a draft, another unit's report) derives nothing and is passed over."""
    for report_id in prov_repo.reports_with_code(ws.db.conn, code):
        row = repo.report(ws.db.conn, report_id)
        found = issued_snapshot(row) if row is not None else None
        if found is not None and found.code == code:
            return found
    return None


def verify(ws: Workspace, ref: str) -> Verification:
    """Whether the report of code (or QR payload, or PDF) `ref` is genuine: a report held here was
    issued under that code by a signed snapshot, its data still is that snapshot, the unit
    reports it summed are unchanged, and (for a PDF) the document's own words are the words
    issued, every figure, text, task line and verdict."""
    text = (ref or "").strip()
    code = code_in_text(text)
    presented: PresentedPdf | None = None
    if code is None:
        path = Path(text)
        if not (text.lower().endswith(".pdf") or path.is_file()):
            raise InvalidInput("verify_code_invalid", value=text[:40])
        presented = _read_pdf(path)
        found = _CODE_IN_TEXT.search(" ".join(presented.text.split()))
        if not found:
            raise InvalidInput("verify_pdf_no_code", value=str(path))
        code = found.group(1)
    embedded: Issued | None = None
    failed: dict[str, Any] | None = None  # the embedded copy's verdict, when it fails
    if presented is not None and presented.embedded is not None:
        # The PDF's own machine-readable copy: it must be signed, carry the printed code, and
        # say word for word what the page shows; a mismatch fails, whatever this laptop holds.
        embedded = read_embedded(presented.embedded)
        if embedded is None or embedded.code != code:
            embedded, failed = None, {"outcome": "embedded_invalid"}
        else:
            found_diffs = differences(_document_words(embedded), words(presented.text))
            if found_diffs:
                failed = {
                    "outcome": "embedded_differs",
                    "differences": [
                        TextDifference(issued=a, presented=b, after=c) for a, b, c in found_diffs
                    ],
                }
    issued = _genuine(ws, code)
    if issued is None and embedded is not None and failed is None:
        # Not held here, but the PDF is whole against the signed copy it carries: say who signed
        # it, and that the figures behind it cannot be checked until its data arrives.
        return _signed_elsewhere(ws, code, embedded)
    if issued is None:
        return Verification(code=code, ok=False, outcome="unknown_code").model_copy(
            update=failed or {}
        )
    conn = ws.db.conn
    report_id = issued.report_id
    row = repo.report(conn, report_id)
    assert row is not None
    content = issued.snapshot["content"]
    prov = provenance_of({"provenance": json.dumps(content.get("provenance"))})
    laptop = _signer(ws, issued)
    answer = Verification(
        code=code,
        ok=False,
        outcome="changed",
        report_id=report_id,
        scope=content.get("scope"),
        unit_name=row["unit_name"] or _zone(ws, content.get("period")).body,
        zone_kind=_zone(ws, content.get("period")).kind,
        period=content.get("period"),
        revision=content.get("revision"),
        number=content.get("number"),
        report_date=content.get("report_date"),
        submitted_by=content.get("submitted_by"),
        submitted_at=content.get("submitted_at"),
        submitted_laptop=laptop,
        provenance=prov,
        figures=_figures_behind(content.get("figures") or {}, prov) if prov else [],
    )
    if failed is not None:
        return answer.model_copy(update=failed)
    if presented is not None and (embedded is None or embedded.body != issued.body):
        found_diffs = differences(_document_words(issued), words(presented.text))
        if found_diffs:
            return answer.model_copy(
                update={
                    "outcome": "document_differs",
                    "differences": [
                        TextDifference(issued=a, presented=b, after=c) for a, b, c in found_diffs
                    ],
                }
            )
    if canonical_content(ws, report_id) != content:
        return answer  # the data held here is no longer what was issued under this code
    changed = []
    for source in prov.sources if prov else []:
        held = repo.report(conn, source.report_id)
        if held is None or _entered(_figures(ws, source.report_id)) != source.figures:
            changed.append(source.unit_name)
    if changed:
        return answer.model_copy(update={"outcome": "source_changed", "changed_sources": changed})
    return answer.model_copy(update={"ok": True, "outcome": "verified"})


# ---- the answer in words -----------------------------------------------------------------------
def _laptop(laptop: Laptop | None) -> str:
    if laptop is None or laptop.site is None:
        return T.LAPTOP_UNKNOWN
    if not laptop.certified:
        return T.LAPTOP_UNCERTIFIED.format(site=laptop.site[:12])
    if laptop.revoked:
        return T.LAPTOP_REVOKED.format(fingerprint=laptop.fingerprint)
    return T.LAPTOP_CERTIFIED.format(
        fingerprint=laptop.fingerprint, role=laptop.role, scope=", ".join(laptop.scope)
    )


def _value(value: int | float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)


def _year_of(period: str | None) -> int | None:
    """The year a report's period belongs to ("2026-Q1" → 2026), the year its scores measure."""
    head = (period or "")[:4]
    return int(head) if head.isdigit() else None


def _zone(ws: Workspace, period: str | None) -> Letterhead:
    """The zone as the plan of the report's year names it."""
    try:
        year = parse_period(period or "").year
    except PeriodInvalid:
        year = None
    head = letterhead(ws.db.conn, year)
    if head is None:  # an issued report implies a plan; a database stripped of it says so
        raise NotFound("plan_missing")
    return head


def describe(v: Verification) -> list[str]:
    """The answer in words, as `cchc report verify` prints it and the screen shows it."""
    lines = [T.VERIFY_OUTCOME[v.outcome].format(code=v.code, units="; ".join(v.changed_sources))]
    for d in v.differences:
        lines.append(
            T.VERIFY_DIFFERENCE.format(
                after=d.after or "…",
                issued=d.issued or T.VERIFY_NOTHING,
                presented=d.presented or T.VERIFY_NOTHING,
            )
        )
    if v.report_id is None:
        return lines
    L = T.VERIFY_LINES
    lines.append(
        L["report"].format(
            who=v.unit_name or "",
            period=period_name(v.period or ""),
            revision=v.revision,
            number=v.number or "…",
            date=format_vn_date(from_iso(v.report_date)),
            id=v.report_id[:8],
        )
    )
    lines.append(
        L["submitted"].format(
            by=v.submitted_by,
            at=format_island_time(v.submitted_at),
            laptop=_laptop(v.submitted_laptop),
        )
    )
    prov = v.provenance
    if prov is None:
        return lines
    lines.append(
        L["consolidated"].format(
            by=prov.consolidated_by,
            at=format_island_time(prov.consolidated_at),
            laptop=_laptop(prov.laptop),
        )
    )
    lines.append(L["sources_head"])
    for s in prov.sources:
        lines.append(
            L["source"].format(
                unit=s.unit_name,
                revision=s.revision,
                id=s.report_id[:8],
                by=s.submitted_by,
                at=format_island_time(s.submitted_at),
                laptop=_laptop(s.laptop),
            )
        )
    lines.append(L["figures_head"])
    for f in v.figures:
        joiner = "; " if f.figure in STOCK_FIELDS else " + "
        parts = joiner.join(f"{_value(p.value)} ({p.unit_name}, lần {p.revision})" for p in f.parts)
        line = L["stock"] if f.figure in STOCK_FIELDS else L["figure"]
        lines.append(
            line.format(
                label=T.figure_label(f.figure, v.zone_kind, _year_of(v.period)),
                total=_value(f.total),
                parts=parts or "–",
            )
        )
    return lines
