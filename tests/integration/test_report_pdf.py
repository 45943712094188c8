"""The official PDF read back: motto, number, dated place line, every task with its diacritics,
A4 pages, page numbers from page 2, embedded fonts and no Helvetica; the CSV keeps Vietnamese."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from cchc.reports import pdf
from cchc.services import reports as rs
from cchc.services.report_output import write_export, write_pdf
from cchc.services.tasks import list_tasks
from cchc.services.workspace import Workspace

NOON = dt.datetime(2027, 1, 5, 5, 0, tzinfo=dt.UTC)  # 05/01/2027 on the island


@pytest.fixture
def ws(db_path):
    workspace = Workspace.open(db_path, clock=lambda: NOON)
    yield workspace
    workspace.close()


@pytest.fixture
def annual(ws, tmp_path):
    unit = rs.new_report(ws, unit="tthcc", period="2026", by="A")
    rs.set_report(
        ws,
        unit.id,
        fields={
            "received_direct": "120",
            "resolved_on_time": "118",
            "resolved_late": "2",
            "payments_total": "40",
            "payments_online": "33",
        },
        sections={
            "III": "Đã tiếp nhận 120 hồ sơ; giải quyết đúng hạn 118 hồ sơ.",
            "difficulties": "Đường truyền ra đảo chập chờn, ảnh hưởng dịch vụ công.",
        },
    )
    rs.submit_report(ws, unit.id, by="A")
    zone = rs.consolidate(ws, period="2026", by="B")
    rs.set_report(ws, zone.id, number="12", report_date="05/01/2027")
    out = tmp_path / "bao-cao-nam-2026.pdf"
    write_pdf(ws, zone.id, out)
    return zone, out


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _pdftotext(path, *args: str) -> str:
    exe = shutil.which("pdftotext")
    assert exe, "poppler-utils (pdftotext) is needed to read the PDF back"
    return subprocess.run(
        [exe, *args, str(path), "-"], capture_output=True, check=True, text=True, encoding="utf-8"
    ).stdout


def test_the_pdf_holds_the_motto_number_and_dated_place_line(annual):
    _, path = annual
    first = _flat(_pdftotext(path, "-f", "1", "-l", "1"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "Số: 12/BC-UBND" in first
    assert "Bạch Long Vĩ, ngày 05 tháng 01 năm 2027" in first
    assert "ỦY BAN NHÂN DÂN" in first and "ĐẶC KHU BẠCH LONG VĨ" in first
    assert "BÁO CÁO" in first
    assert "Kết quả thực hiện công tác cải cách hành chính năm 2026" in first


def test_every_task_appears_with_its_diacritics(annual, ws):
    _, path = annual
    text = _flat(_pdftotext(path))
    tasks = list_tasks(ws)
    assert len(tasks) == 26
    for task in tasks:
        assert _flat(task.content).rstrip(" .") in text, task.stt
    # The appendix's content column, read alone, holds each sub-item (rows 3, 19, 23).
    left = pdf.MARGIN_LEFT + pdf.TEXT_WIDTH * pdf.APPENDIX_COLS[0]
    width = pdf.TEXT_WIDTH * pdf.APPENDIX_COLS[1]
    column = _flat(
        _pdftotext(path, "-x", str(int(left)), "-y", "0", "-W", str(int(width) + 1), "-H", "842")
    )
    for task in tasks:
        for sub in task.subitems:
            assert _flat(sub) in column, task.stt
    assert "Nơi nhận:" in text
    assert "TM. ỦY BAN NHÂN DÂN" in text and "CHỦ TỊCH" in text
    assert "Trung tâm Phục vụ hành chính công đặc khu: Đã tiếp nhận 120 hồ sơ" in text


def test_pages_are_a4_and_numbered_from_page_two(annual):
    _, path = annual
    reader = PdfReader(str(path))
    assert len(reader.pages) >= 3
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - 595.28) <= 1 and abs(float(box.height) - 841.89) <= 1
    assert not _pdftotext(path, "-f", "1", "-l", "1").lstrip().startswith("1")
    for n in range(2, len(reader.pages) + 1):
        top = _pdftotext(
            path, "-f", str(n), "-l", str(n), "-y", "0", "-H", "60", "-W", "595", "-x", "0"
        )
        assert top.split() == [str(n)]


def test_fonts_are_embedded_and_none_is_helvetica(annual):
    _, path = annual
    reader = PdfReader(str(path))
    seen = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            seen.add(name.split("+")[-1])
            assert "Helvetica" not in name
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, name
    assert seen <= {
        "LiberationSerif",
        "LiberationSerif-Bold",
        "LiberationSerif-Italic",
        "LiberationSerif-BoldItalic",
    }
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"} <= seen


def test_a_draft_is_marked_and_a_unit_report_names_its_unit(ws, tmp_path):
    unit = rs.new_report(ws, unit="vp_ubnd", period="2026-Q1", by="A")
    out = tmp_path / "vp.pdf"
    write_pdf(ws, unit.id, out)
    text = _flat(_pdftotext(out, "-f", "1", "-l", "1"))
    assert "DỰ THẢO" in text
    assert "VĂN PHÒNG ỦY BAN NHÂN DÂN ĐẶC KHU" in text
    assert "/BC-VP" in text
    assert "Rà soát, hệ thống hóa văn bản quy phạm pháp luật" in text


def test_the_csv_has_a_bom_and_vietnamese_intact(annual, ws, tmp_path):
    zone, _ = annual
    out = tmp_path / "bao-cao.csv"
    write_export(ws, zone.id, out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "Hồ sơ tiếp nhận trực tiếp" in text
    assert "received_direct,Hồ sơ tiếp nhận trực tiếp,120" in text
    assert "Đường truyền ra đảo chập chờn" in text
    assert "Ban hành Kế hoạch cải cách hành chính năm 2026" in text
    assert text == unicodedata.normalize("NFC", text)


def test_export_refuses_other_formats_and_missing_folders(ws, tmp_path):
    from cchc.domain.errors import InvalidInput

    view = rs.new_report(ws, unit="vp_ubnd", period="2026-Q1", by="A")
    with pytest.raises(InvalidInput) as info:
        write_export(ws, view.id, tmp_path / "x.xls")
    assert info.value.key == "export_format"
    with pytest.raises(InvalidInput) as info:
        write_pdf(ws, view.id, tmp_path / "no" / "x.pdf")
    assert info.value.key == "out_dir_missing"
    assert not (tmp_path / "x.xls").exists() and not (tmp_path / "no").exists()


def test_the_xlsx_is_a_workbook_with_vietnamese_text_and_numbers(annual, ws, tmp_path):
    import xml.etree.ElementTree as ET
    import zipfile

    zone, _ = annual
    out = tmp_path / "bao-cao.xlsx"
    write_export(ws, zone.id, out)
    with zipfile.ZipFile(out) as z:
        assert {
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/worksheets/sheet1.xml",
        } <= set(z.namelist())
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                ET.fromstring(z.read(name))  # every part is well-formed XML
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
        assert "Báo cáo" in z.read("xl/workbook.xml").decode("utf-8")
        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        shared = [
            "".join(t.text or "" for t in si.iterfind(".//m:t", ns))
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iterfind("m:si", ns)
        ]
    # XlsxWriter keeps text in the shared-string table (cell type "s"), as Excel itself does
    cells = {
        c.get("r"): (
            shared[int(c.findtext("m:v", namespaces=ns) or 0)]
            if c.get("t") == "s"
            else c.findtext("m:v", namespaces=ns)
        )
        for c in sheet.iterfind(".//m:c", ns)
    }
    row = next(int(ref[1:]) for ref, v in cells.items() if v == "received_direct")
    assert cells[f"C{row}"] == "Hồ sơ tiếp nhận trực tiếp"
    assert cells[f"D{row}"] == "120"
    assert "Đường truyền ra đảo chập chờn, ảnh hưởng dịch vụ công." in "".join(
        v for v in cells.values() if v
    )


def test_csv_rates_use_a_decimal_comma(annual, ws, tmp_path):
    zone, _ = annual
    out = tmp_path / "r.csv"
    write_export(ws, zone.id, out)
    text = out.read_text(encoding="utf-8-sig")
    assert 'online_payment_share,Tỷ lệ thanh toán trực tuyến,"82,5"' in text


def test_pdf_rates_are_in_the_one_vietnamese_format_of_the_screens(annual):
    """118 of 120 on time: 98,3% as on the screens (the PDF wrote 98,33% beside their 16,7%)."""
    _, out = annual
    text = _flat(_pdftotext(out))
    assert "98,3%" in text
    assert "98,33%" not in text
