"""The zone's report read back as the city reads it (issue 19, deliverable 5): the outline's
sections present, "đánh giá chung" and "phương hướng, nhiệm vụ kỳ tới" with the consolidator's
words; the internal list of units that have not reported kept on screen and out of the PDF; the
appendix citing each task's issued documents by number and date; the signature page carrying
body text; targets named in the plan's words. Text by pdftotext, pages by pdftoppm."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from cchc.services import reports as rs
from cchc.services import tasks as task_service
from cchc.services.report_output import write_pdf
from cchc.services.workspace import Workspace

NOON = dt.datetime(2026, 6, 17, 5, 0, tzinfo=dt.UTC)  # 17/06/2026, after the Q2 cut-off


@pytest.fixture
def ws(db_path):
    workspace = Workspace.open(db_path, clock=lambda: NOON)
    yield workspace
    workspace.close()


@pytest.fixture
def issued(ws, tmp_path) -> tuple[rs.ReportView, Path]:
    plan = tmp_path / "ke-hoach.pdf"
    plan.write_bytes(b"%PDF-1.4 signed plan")
    task_service.update_task(
        ws,
        "4",
        status="done",
        done_on="18/03/2026",
        by="Nguyễn Thị Hoa",
        evidence=task_service.Evidence(
            file=plan, doc_type="Kế hoạch", number="12/KH-UBND", date="15/03/2026"
        ),
    )
    unit = rs.new_report(ws, unit="tthcc", period="2026-Q2", by="A")
    rs.set_report(
        ws,
        unit.id,
        fields={"received_direct": "50", "resolved_on_time": "50"},
        sections={"III": "Đã tiếp nhận 50 hồ sơ, giải quyết đúng hạn cả 50 hồ sơ."},
    )
    rs.submit_report(ws, unit.id, by="A")
    zone = rs.consolidate(ws, period="2026-Q2", by="B")
    assert zone.missing_units  # the others have not reported: the screen says so
    rs.set_report(
        ws,
        zone.id,
        number="41",
        sections={
            "assessment": "Công tác cải cách hành chính quý II được triển khai đồng bộ.",
            "direction": "Tập trung hoàn thành các nhiệm vụ đến hạn trong quý III.",
        },
    )
    # Consolidating the draft again keeps what Phòng Văn hóa - Xã hội wrote.
    zone = rs.consolidate(ws, period="2026-Q2", by="B")
    assert zone.sections["direction"].startswith("Tập trung hoàn thành")
    zone = rs.submit_report(ws, zone.id, by="B")
    return zone, write_pdf(ws, zone.id, tmp_path / "bao-cao-quy-2.pdf")


def _text(path: Path, *pages: int) -> str:
    args = ["pdftotext", "-layout"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True)
    return unicodedata.normalize("NFC", out.stdout)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_outline_has_every_section_in_the_citys_order(issued):
    zone, path = issued
    text = _flat(_text(path))
    headings = [
        "I. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
        "II. SỐ LIỆU GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU",
        "IV. ĐÁNH GIÁ CHUNG",
        "V. KHÓ KHĂN, VƯỚNG MẮC",
        "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ III",
        "VII. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    places = [text.index(h) for h in headings]
    assert places == sorted(places)
    assert "Công tác cải cách hành chính quý II được triển khai đồng bộ." in text
    assert "Tập trung hoàn thành các nhiệm vụ đến hạn trong quý III." in text
    assert "Chỉ tiêu tại dòng 18 Phụ lục" in text and "t18)" not in text


def test_the_units_not_yet_reported_stay_out_of_the_outgoing_pdf(issued):
    zone, path = issued
    text = _flat(_text(path))
    assert "CHƯA GỬI BÁO CÁO" not in text.upper()
    missing = [n for n in zone.missing_units if n not in text]
    assert missing, "no unit missing from the report is named as missing"
    assert "Cổng Thông tin điện tử đặc khu" in zone.missing_units
    assert "Cổng Thông tin điện tử đặc khu" not in text  # leads no task: only the list named it


def test_the_appendix_cites_the_documents_each_task_issued(issued):
    zone, path = issued
    # Cell by cell, as drawn (pdftotext's layout interleaves the narrow columns' lines).
    text = "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
    flat = _flat(unicodedata.normalize("NFC", text).split("CÁC NHIỆM VỤ CỤ THỂ", 1)[-1])
    assert "Văn bản đã" in flat  # the column's head ("Văn bản đã ban hành", wrapped)
    assert "Quyết định số 07/QĐ-UBND ngày 07/01/2026" in flat  # row 1: the decision itself
    assert "Kế hoạch số 12/KH-UBND ngày 15/03/2026" in flat  # row 4
    assert "Chưa có văn bản" in flat
    assert "Kế hoạch của UBND đặc khu" not in flat  # the expected product is not a document


def test_the_signature_page_carries_body_text_and_the_page_is_drawn(issued, tmp_path):
    zone, path = issued
    pages = len(PdfReader(str(path)).pages)
    signed = next(n for n in range(1, pages + 1) if "TM. ỦY BAN NHÂN DÂN" in _text(path, n))
    page = _flat(_text(path, signed))
    closing = "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính"
    assert closing in page
    before = page.split(closing, 1)[0].strip()
    assert len(before.split()) >= 5, "the body's last lines stand above the closing"
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", str(signed), "-l", str(signed), "-png", str(path),
         str(tmp_path / "ky")],
        check=True,
    )  # fmt: skip
    [image] = list(tmp_path.glob("ky*.png"))
    data = image.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 3000  # a drawn page, not a blank one
