"""The official PDF of a report, laid out as Nghị định 30/2020/NĐ-CP, Phụ lục I asks.

A4 portrait; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; Liberation Serif (metric-
compatible with Times New Roman, full Vietnamese coverage, SIL OFL) embedded from assets/fonts/;
issuing body top left and the national motto top right, each with its rule; "Số: …" and the
italic place and date on one line; "BÁO CÁO" in bold capitals with its summary line and a short
rule; body 14 pt justified with a 1 cm first-line indent; page numbers top centre from page 2;
"Nơi nhận:" beside the signature block; an appendix table of the plan's tasks.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate

from cchc.paths import resource
from cchc.reports.document import OfficialReport
from cchc.texts import reports as T

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
BODY_SIZE = 14
HEADER_LEFT = 0.42  # share of the text width for the issuing body's column
RULE_GAP = 5.0  # points added under a line that carries a rule

FAMILY = "LiberationSerif"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = (
    FAMILY,
    f"{FAMILY}-Bold",
    f"{FAMILY}-Italic",
    f"{FAMILY}-BoldItalic",
)
_FONT_FILES = {
    REGULAR: "assets/fonts/LiberationSerif-Regular.ttf",
    BOLD: "assets/fonts/LiberationSerif-Bold.ttf",
    ITALIC: "assets/fonts/LiberationSerif-Italic.ttf",
    BOLD_ITALIC: "assets/fonts/LiberationSerif-BoldItalic.ttf",
}
_registered = False


def register_fonts() -> None:
    """Register Liberation Serif (the four faces) with reportlab, once per process."""
    global _registered
    if _registered:
        return
    for name, rel in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource(rel))))
    pdfmetrics.registerFontFamily(
        FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
    )
    _registered = True


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base: dict[str, Any] = {
        "fontName": REGULAR,
        "fontSize": BODY_SIZE,
        "leading": BODY_SIZE * 1.25,
        "textColor": colors.black,
    }
    base.update(kw)
    return ParagraphStyle(name, **base)


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "body": _style(
            "body", alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceBefore=6, spaceAfter=0
        ),
        "part": _style(
            "part", fontName=BOLD, alignment=TA_LEFT, firstLineIndent=10 * mm, spaceBefore=8
        ),
        "sub": _style(
            "sub", fontName=BOLD, alignment=TA_LEFT, firstLineIndent=10 * mm, spaceBefore=6
        ),
        "number": _style("number", fontSize=13, alignment=TA_CENTER, leading=16),
        "place": _style("place", fontName=ITALIC, fontSize=14, alignment=TA_CENTER, leading=17),
        "title": _style("title", fontName=BOLD, alignment=TA_CENTER, spaceBefore=18, leading=17),
        "summary": _style("summary", fontName=BOLD, alignment=TA_CENTER, leading=17),
        "cell": _style("cell", fontSize=12, leading=14.4, alignment=TA_LEFT),
        "cell_c": _style("cell_c", fontSize=12, leading=14.4, alignment=TA_CENTER),
        "cell_head": _style(
            "cell_head", fontName=BOLD, fontSize=12, leading=14.4, alignment=TA_CENTER
        ),
        "app": _style("app", fontSize=10.5, leading=12.6, alignment=TA_LEFT),
        "app_c": _style("app_c", fontSize=10.5, leading=12.6, alignment=TA_CENTER),
        "app_head": _style(
            "app_head", fontName=BOLD, fontSize=10.5, leading=12.6, alignment=TA_CENTER
        ),
        "recip_label": _style("recip_label", fontName=BOLD_ITALIC, fontSize=12, leading=14),
        "recip": _style("recip", fontSize=11, leading=13),
        "verify": _style("verify", fontSize=11, leading=14),
        "sign": _style("sign", fontName=BOLD, alignment=TA_CENTER, leading=17),
        "app_label": _style("app_label", fontName=BOLD, alignment=TA_CENTER, leading=17),
        "app_title": _style("app_title", fontName=BOLD, alignment=TA_CENTER, leading=17),
        "app_sub": _style("app_sub", fontName=ITALIC, alignment=TA_CENTER, leading=17),
        "draft": _style("draft", fontName=BOLD, fontSize=12, alignment=TA_LEFT, leading=14),
    }


class CenteredLines(Flowable):
    """Lines centred in a column, each in its own font, with rules under chosen lines.

    `lines` is a list of (text, font, size); text wider than the column is wrapped. `rules` maps
    a line's index to the rule's length: a positive number of points, or -1 for the line's own
    width (the motto's rule)."""

    def __init__(
        self,
        width: float,
        lines: list[tuple[str, str, float]],
        rules: dict[int, float] | None = None,
    ) -> None:
        super().__init__()
        self.width = width
        self.rules = rules or {}
        self._rows: list[tuple[str, str, float, int]] = []  # text, font, size, source index
        for idx, (text, font, size) in enumerate(lines):
            for part in simpleSplit(text, font, size, width):
                self._rows.append((part, font, size, idx))
        self.height = sum(size * 1.2 for _, _, size, _ in self._rows) + RULE_GAP * len(self.rules)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        y = self.height
        last_of = {}
        for i, row in enumerate(self._rows):
            last_of[row[3]] = i
        for i, (text, font, size, idx) in enumerate(self._rows):
            y -= size * 1.2
            baseline = y + size * 0.25
            canv.setFont(font, size)
            canv.drawCentredString(self.width / 2, baseline, text)
            if idx in self.rules and last_of[idx] == i:
                length = self.rules[idx]
                if length < 0:
                    length = pdfmetrics.stringWidth(text, font, size)
                canv.setLineWidth(0.6)
                rule_y = baseline - size * 0.3 - 1.5  # clear of the dots below (ạ, ệ, ộ)
                canv.line((self.width - length) / 2, rule_y, (self.width + length) / 2, rule_y)
                y -= RULE_GAP


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _header(doc: OfficialReport, st: dict[str, ParagraphStyle]) -> Table:
    left_w = TEXT_WIDTH * HEADER_LEFT
    right_w = TEXT_WIDTH - left_w
    left_lines: list[tuple[str, str, float]] = []
    if doc.parent_body:
        left_lines.append((doc.parent_body, REGULAR, 12))
    body_lines = doc.issuing_body.split("\n")
    for line in body_lines:
        left_lines.append((line, BOLD, 13))
    left = CenteredLines(left_w, left_lines, {len(left_lines) - 1: left_w * 0.4})
    right = CenteredLines(
        right_w,
        [(T.MOTTO_COUNTRY, BOLD, 12.5), (T.MOTTO_WORDS, BOLD, 13.5)],
        {1: -1},
    )
    table = Table(
        [
            [left, right],
            [_p(doc.number_line, st["number"]), _p(doc.place_date, st["place"])],
        ],
        colWidths=[left_w, right_w],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # else a cell defaults to Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _grid(
    rows: tuple[tuple[str, ...], ...],
    fractions: tuple[float, ...],
    width: float,
    head: ParagraphStyle,
    cells: list[ParagraphStyle],
) -> Table:
    data = [[_p(c, head) for c in rows[0]]]
    for row in rows[1:]:
        data.append([_p(c, cells[i % len(cells)]) for i, c in enumerate(row)])
    table = Table(data, colWidths=[width * f for f in fractions], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # else a cell defaults to Helvetica
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _signature(doc: OfficialReport, st: dict[str, ParagraphStyle]) -> Table:
    recips: list[Flowable] = [_p(T.RECIPIENTS_LABEL, st["recip_label"])]
    recips += [_p(f"- {r}", st["recip"]) for r in doc.recipients]
    sign: list[Flowable] = []
    if doc.signer_authority:
        sign.append(_p(doc.signer_authority, st["sign"]))
    sign.append(_p(doc.signer_title, st["sign"]))
    sign.append(Spacer(1, 28 * mm))
    sign.append(_p(doc.signer_name, st["sign"]))
    table = Table([[recips, sign]], colWidths=[TEXT_WIDTH * 0.5, TEXT_WIDTH * 0.5])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # else a cell defaults to Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


APPENDIX_COLS = (0.05, 0.27, 0.14, 0.13, 0.11, 0.08, 0.22)  # the last: documents cited in full
QR_SIZE = 24 * mm


def _qr(payload: str) -> Drawing:
    widget = QrCodeWidget(payload, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0]
    )
    drawing.add(widget)
    return drawing


def _verification(doc: OfficialReport, st: dict[str, ParagraphStyle]) -> Table:
    """The verification code and its QR code, under the signature block."""
    lines = [_p(text, st["verify"]) for text in doc.verification]
    table = Table(
        [[_qr(doc.qr_payload), lines]], colWidths=[QR_SIZE + 4 * mm, TEXT_WIDTH - QR_SIZE - 4 * mm]
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.grey),
                ("LEFTPADDING", (0, 0), (0, 0), 2 * mm),
            ]
        )
    )
    return table


def story(doc: OfficialReport) -> list[Flowable]:
    """The flowables of the whole document, in order."""
    st = _styles()
    out: list[Flowable] = []
    if doc.draft:
        out.append(_p(T.DRAFT_MARK, st["draft"]))
    out.append(_header(doc, st))
    out.append(_p(doc.title, st["title"]))
    out.append(CenteredLines(TEXT_WIDTH, [(doc.summary, BOLD, BODY_SIZE)], {0: TEXT_WIDTH * 0.3}))
    out.append(Spacer(1, 6))
    out.append(_p(doc.intro, st["body"]))
    for block in doc.blocks:
        heading = _p(block.heading, st["sub" if block.subheading else "part"])
        first: list[Flowable] = [heading]
        if block.paragraphs:
            first.append(_p(block.paragraphs[0], st["body"]))
        out.append(KeepTogether(first))
        out.extend(_p(text, st["body"]) for text in block.paragraphs[1:])
        if block.table:
            out.append(Spacer(1, 6))
            fractions = block.col_widths or tuple(1 / len(block.table[0]) for _ in block.table[0])
            cells = [st["cell"]] + [st["cell_c"]] * (len(fractions) - 1)
            out.append(_grid(block.table, fractions, TEXT_WIDTH, st["cell_head"], cells))
        if block.after:
            out.append(Spacer(1, 4))
        out.extend(_p(text, st["body"]) for text in block.after)
    # The signature never stands on a page alone: the body's last paragraph and the closing line
    # go with it (a signature page without body text could be swapped for another).
    tail = [out.pop()] if isinstance(out[-1], Paragraph) else []
    out.append(
        KeepTogether([*tail, _p(doc.closing, st["body"]), Spacer(1, 8), _signature(doc, st)])
    )
    if doc.verification:
        out.append(Spacer(1, 6 * mm))
        out.append(KeepTogether([_verification(doc, st)]))
    if doc.tasks:
        out.append(PageBreak())
        out.append(_p(T.APPENDIX_LABEL, st["app_label"]))
        out.append(_p(doc.appendix_title, st["app_title"]))
        out.append(_p(doc.appendix_subtitle, st["app_sub"]))
        out.append(Spacer(1, 8))
        rows: tuple[tuple[str, ...], ...] = (T.APPENDIX_HEAD,) + tuple(
            (t.stt, t.content, t.lead, t.deadline, t.state, t.progress, t.product)
            for t in doc.tasks
        )
        cells = [st["app_c"], st["app"], st["app"], st["app_c"], st["app_c"], st["app_c"]]
        cells.append(st["app"])
        out.append(_grid(rows, APPENDIX_COLS, TEXT_WIDTH, st["app_head"], cells))
    return out


def _page_number(canv: Any, doc: BaseDocTemplate) -> None:
    """Page numbers from page 2, top centre in the top margin, 13 pt upright."""
    canv.saveState()
    canv.setFont(REGULAR, 13)
    canv.drawCentredString(
        MARGIN_LEFT + TEXT_WIDTH / 2, PAGE_HEIGHT - MARGIN_TOP + 5 * mm, str(doc.page)
    )
    canv.restoreState()


def _first_page(canv: Any, doc: BaseDocTemplate) -> None:
    canv.setFont(REGULAR, BODY_SIZE)  # no default Helvetica left in the page's resources


#: The name of the file an issued report's PDF carries: its signed snapshot, machine-readable.
EMBEDDED_NAME = "cchc-ban-phat-hanh.json"


def _embed(data: bytes, name: str, payload: bytes) -> bytes:
    """The PDF `data` with `payload` attached as the file `name` (deterministic: same bytes in,
    same bytes out)."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.add_attachment(name, payload)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render(doc: OfficialReport) -> bytes:
    """The PDF's bytes; an issued report's carries its signed snapshot as an attached file."""
    register_fonts()
    buf = io.BytesIO()
    template = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=doc.metadata.get("title", doc.summary),
        author=doc.metadata.get("author", ""),
        subject=doc.metadata.get("subject", ""),
        creator="cchc-bach-long-vi",
        lang="vi-VN",
        initialFontName=REGULAR,
        initialFontSize=BODY_SIZE,
        invariant=1,  # no creation time nor random id: the same document gives the same bytes
    )
    template.build(story(doc), onFirstPage=_first_page, onLaterPages=_page_number)
    if doc.embedded:
        return _embed(buf.getvalue(), EMBEDDED_NAME, doc.embedded.encode("utf-8"))
    return buf.getvalue()


def write(doc: OfficialReport, path: Path) -> Path:
    """Render and write atomically (a temporary file renamed into place)."""
    data = render(doc)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
