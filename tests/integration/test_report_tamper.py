"""A forged copy of an issued report does not verify (issue 19).

An issued report is a signed snapshot; `cchc report verify FILE.pdf` reads the PDF's own words
and compares them with the words of the document as issued. Each forgery here is made the way a
forger would make it: a copy of the genuine PDF edited with pypdf (a figure, a word of the text,
a task line, a target's verdict), a PDF drawn from scratch around a genuine code, and a genuine
code raw-written into another unit's draft. Each fails with a reason that names what differs;
the genuine PDF passes, on the issuing laptop and at the city."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from cchc.domain.errors import InvalidInput
from cchc.reports import pdf as pdf_layout
from cchc.services import exchange, provenance, report_output
from cchc.services import reports as rs
from cchc.services.workspace import Workspace
from tests.integration.pdf_tamper import replace_text
from tests.integration.worlds import certified_net

NOW = dt.datetime.fromisoformat("2026-03-17T09:00:00+07:00")
PAYMENTS = {
    "received_direct": "100",
    "resolved_on_time": "100",
    "payments_total": "100",
    "payments_online": "85",
}


@pytest.fixture
def net(tmp_path: Path) -> Iterator[dict[str, Workspace]]:
    sites = certified_net(
        tmp_path,
        (("tthcc", "tthcc", "unit"), ("vp", "vp_ubnd", "unit"), ("vhxh", "vhxh", "consolidator")),
        NOW,
    )
    for name in ("tthcc", "vp", "vhxh"):
        exchange.import_bytes(sites[name], exchange.export_bundle(sites["city"]))
    yield sites
    for ws in sites.values():
        ws.close()


def send(src: Workspace, dst: Workspace) -> None:
    result = exchange.import_bytes(dst, exchange.export_bundle(src))
    assert result.rejected == 0, [r.reason for r in result.rejections]


@pytest.fixture
def issued(net, tmp_path) -> dict[str, object]:
    """Trung tâm Phục vụ hành chính công issues its Q1 report (online payments 85 of 100) and
    prints it; the city holds it."""
    ws = net["tthcc"]
    view = rs.new_report(ws, unit="tthcc", period="2026-Q1", by="Nguyễn Văn An")
    rs.set_report(ws, view.id, fields=PAYMENTS, sections={"III": "Kết quả tốt."}, number="15")
    view = rs.submit_report(ws, view.id, by="Nguyễn Văn An")
    out = report_output.write_pdf(ws, view.id, tmp_path / "bao-cao.pdf")
    send(ws, net["city"])
    return {"report": view, "pdf": out}


def _fails(ws: Workspace, path: Path, outcome: str = "embedded_differs") -> provenance.Verification:
    """A copy edited with pypdf keeps the signed snapshot the PDF carries, which no longer says
    what the page shows ("embedded_differs"); a PDF without that copy is read against the
    snapshot held here ("document_differs")."""
    result = provenance.verify(ws, str(path))
    assert (result.ok, result.outcome) == (False, outcome), result.outcome
    return result


def test_the_genuine_pdf_verifies_on_the_issuing_laptop_and_at_the_city(net, issued):
    for ws in (net["tthcc"], net["city"]):
        result = provenance.verify(ws, str(issued["pdf"]))
        assert (result.ok, result.outcome, result.report_id) == (
            True,
            "verified",
            issued["report"].id,
        )
        assert result.differences == []


def test_a_figure_changed_in_a_copy_fails_and_the_answer_names_it(net, issued, tmp_path):
    forged = replace_text(issued["pdf"], tmp_path / "f1.pdf", "85", "95", line_has="85")
    forged = replace_text(forged, tmp_path / "f2.pdf", "85%", "95%")
    for ws in (net["tthcc"], net["city"]):
        result = _fails(ws, forged)
        pairs = [(d.issued, d.presented) for d in result.differences]
        assert ("85", "95") in pairs and ("85%", "95%") in pairs
        assert any("trực tuyến" in d.after for d in result.differences)


def test_a_word_of_the_text_changed_fails(net, issued, tmp_path):
    forged = replace_text(issued["pdf"], tmp_path / "w.pdf", "Kết quả tốt.", "Kết quả đạt.")
    result = _fails(net["city"], forged)
    assert [(d.issued, d.presented) for d in result.differences] == [("tốt.", "đạt.")]


def test_a_task_line_changed_fails(net, issued, tmp_path):
    forged = replace_text(
        issued["pdf"],
        tmp_path / "t.pdf",
        "chưa bắt đầu, tiến độ 0%.",
        "đã hoàn thành, tiến độ 0%.",
        line_has="thời hạn quy định",
    )
    result = _fails(net["city"], forged)
    assert [(d.issued, d.presented) for d in result.differences] == [
        ("chưa bắt đầu,", "đã hoàn thành,")
    ]


def test_a_target_verdict_changed_fails(net, issued, tmp_path):
    text = subprocess.run(
        ["pdftotext", "-layout", str(issued["pdf"]), "-"], capture_output=True, text=True
    ).stdout
    assert "Không đạt" in text  # target c: no task of the plan done yet
    forged = replace_text(issued["pdf"], tmp_path / "v.pdf", "Không đạt", "Đạt")
    result = _fails(net["city"], forged)
    assert [(d.issued, d.presented) for d in result.differences] == [("Không đạt", "Đạt")]


def test_a_pdf_made_from_scratch_around_a_genuine_code_fails(net, issued, tmp_path):
    code = issued["report"].content_code
    scratch = tmp_path / "scratch.pdf"
    pdf_layout.register_fonts()
    page = canvas.Canvas(str(scratch), pagesize=A4)
    page.setFont(pdf_layout.REGULAR, 13)
    page.drawString(80, 760, "BÁO CÁO Kết quả thực hiện công tác cải cách hành chính quý I")
    page.drawString(80, 740, "Giao dịch thanh toán trực tuyến 95")
    page.drawString(80, 720, f"Mã xác thực: {code}")
    page.save()
    assert provenance.code_in_pdf(scratch) == code
    result = _fails(net["city"], scratch, "document_differs")
    assert result.differences and result.report_id == issued["report"].id


def test_a_code_raw_written_into_another_units_draft_proves_nothing(net, issued, tmp_path):
    code = issued["report"].content_code
    vp = net["vp"]
    draft = rs.new_report(vp, unit="vp_ubnd", period="2026-Q1", by="Lê Thị Hoa")
    rs.set_report(vp, draft.id, fields={"received_direct": "7"})
    # A raw write past every service; the laptop's capture still sends it to the city.
    vp.db.conn.execute("UPDATE reports SET content_code = ? WHERE id = ?", (code, draft.id))
    vp.db.conn.commit()
    exchange.import_bytes(net["city"], exchange.export_bundle(vp))
    city = net["city"]
    held = city.db.conn.execute("SELECT id FROM reports WHERE content_code = ?", (code,))
    assert {r[0] for r in held} == {issued["report"].id, draft.id}

    # The genuine report still verifies, by code and by its PDF: the draft is passed over.
    for ref in (code, str(issued["pdf"])):
        result = provenance.verify(city, ref)
        assert (result.ok, result.report_id) == (True, issued["report"].id)
    # The draft's PDF carries no code at all, so it proves nothing…
    draft_pdf = report_output.write_pdf(vp, draft.id, tmp_path / "draft.pdf")
    with pytest.raises(InvalidInput) as err:
        provenance.verify(city, str(draft_pdf))
    assert err.value.key == "verify_pdf_no_code"
    # …and a draft printed with the code pasted in fails on its words.
    forged = replace_text(issued["pdf"], tmp_path / "d.pdf", "100", "7", line_has="100")
    assert not provenance.verify(city, str(forged)).ok


def test_the_qr_payload_is_accepted_as_scanned(net, issued):
    view = issued["report"]
    payload = f"CCHC-BLV {view.content_code} {view.id}"
    assert provenance.verify(net["city"], payload).ok
    assert shutil.which("pdftotext")


def test_the_answer_in_words_names_each_difference(net, issued, tmp_path):
    forged = replace_text(issued["pdf"], tmp_path / "f.pdf", "85", "95", line_has="85")
    lines = provenance.describe(provenance.verify(net["city"], str(forged)))
    assert lines[0].startswith(
        "KHÔNG KHỚP: chữ in trong tệp PDF khác với bản dữ liệu có chữ ký số đính kèm"
    )
    assert any("bản ban hành ghi “85”, tệp này ghi “95”" in line for line in lines)
    assert "Giao dịch thanh toán trực tuyến" in next(line for line in lines if "“95”" in line)


# ---- the machine-readable copy the PDF carries -------------------------------------------------
def _attached(path: Path) -> bytes:
    copies = PdfReader(str(path)).attachments[pdf_layout.EMBEDDED_NAME]
    assert len(copies) == 1
    return bytes(copies[0])


def _rewrap(src: Path, dst: Path, attachment: bytes | None) -> Path:
    """The pages of `src` in a new PDF, with `attachment` as its embedded copy (or none)."""
    writer = PdfWriter()
    for page in PdfReader(str(src)).pages:
        writer.add_page(page)
    if attachment is not None:
        writer.add_attachment(pdf_layout.EMBEDDED_NAME, attachment)
    writer.write(str(dst))
    return dst


def test_the_issued_pdf_carries_its_signed_snapshot_whose_code_is_the_printed_one(issued):
    copy = provenance.read_embedded(_attached(issued["pdf"]))
    assert copy is not None
    assert (copy.report_id, copy.code) == (issued["report"].id, issued["report"].content_code)
    # The copy is the document as issued: laid out again it reads as the page does, word for word.
    page_words = provenance.words(provenance._pdf_text(issued["pdf"]))
    assert provenance.differences(provenance._document_words(copy), page_words) == []


def test_a_forged_copy_fails_on_its_own_embedded_copy_where_the_report_is_not_held(
    net, issued, tmp_path
):
    vp = net["vp"]  # this laptop never received the report of Trung tâm Phục vụ hành chính công
    assert vp.db.conn.execute(
        "SELECT count(*) FROM reports WHERE id = ?", (issued["report"].id,)
    ).fetchone() == (0,)
    forged = replace_text(issued["pdf"], tmp_path / "f.pdf", "Kết quả tốt.", "Kết quả đạt.")
    result = provenance.verify(vp, str(forged))
    assert (result.ok, result.outcome) == (False, "embedded_differs")
    assert [(d.issued, d.presented) for d in result.differences] == [("tốt.", "đạt.")]
    # The genuine copy is whole against its own signed copy, but not held here: not "KHỚP", and
    # the answer names the certified laptop that signed it.
    genuine = provenance.verify(vp, str(issued["pdf"]))
    assert (genuine.ok, genuine.outcome) == (False, "signed_not_held")
    assert genuine.submitted_laptop is not None and genuine.submitted_laptop.certified
    assert genuine.submitted_laptop.scope == ["tthcc"]
    lines = provenance.describe(genuine)
    assert lines[0].startswith("CHƯA XÁC MINH ĐƯỢC: máy này chưa giữ báo cáo mang mã")
    assert any("Trung tâm Phục vụ hành chính công đặc khu, kỳ Quý I/2026" in line for line in lines)
    # Its code alone proves nothing here.
    assert provenance.verify(vp, issued["report"].content_code).outcome == "unknown_code"


def test_an_edited_embedded_copy_matching_the_edited_page_fails_on_its_signature(
    net, issued, tmp_path
):
    forged = replace_text(issued["pdf"], tmp_path / "w.pdf", "Kết quả tốt.", "Kết quả đạt.")
    copy = json.loads(_attached(forged))
    copy["snapshot"] = copy["snapshot"].replace("Kết quả tốt.", "Kết quả đạt.")
    assert "Kết quả đạt." in copy["snapshot"]
    both = _rewrap(forged, tmp_path / "both.pdf", json.dumps(copy, ensure_ascii=False).encode())
    for ws in (net["tthcc"], net["city"]):
        result = provenance.verify(ws, str(both))
        assert (result.ok, result.outcome) == (False, "embedded_invalid")
    line = provenance.describe(provenance.verify(net["city"], str(both)))[0]
    assert line.startswith("KHÔNG KHỚP: bản dữ liệu đính kèm trong tệp PDF không mang chữ ký số")


def test_another_reports_genuine_embedded_copy_does_not_vouch_for_this_page(net, issued, tmp_path):
    vp = net["vp"]
    other = rs.new_report(vp, unit="vp_ubnd", period="2026-Q1", by="Lê Thị Hoa")
    rs.set_report(vp, other.id, fields={"received_direct": "7", "resolved_on_time": "7"})
    rs.submit_report(vp, other.id, by="Lê Thị Hoa")
    other_pdf = report_output.write_pdf(vp, other.id, tmp_path / "other.pdf")
    swapped = _rewrap(issued["pdf"], tmp_path / "swapped.pdf", _attached(other_pdf))
    result = provenance.verify(net["tthcc"], str(swapped))
    assert (result.ok, result.outcome) == (False, "embedded_invalid")


def test_a_forged_copy_stripped_of_its_embedded_copy_is_read_against_the_held_snapshot(
    net, issued, tmp_path
):
    forged = replace_text(issued["pdf"], tmp_path / "f.pdf", "85", "95", line_has="85")
    stripped = _rewrap(forged, tmp_path / "stripped.pdf", None)
    assert pdf_layout.EMBEDDED_NAME not in PdfReader(str(stripped)).attachments
    result = _fails(net["city"], stripped, "document_differs")
    assert ("85", "95") in [(d.issued, d.presented) for d in result.differences]
    genuine = _rewrap(issued["pdf"], tmp_path / "plain.pdf", None)
    assert provenance.verify(net["city"], str(genuine)).ok
