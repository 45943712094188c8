"""Every score names the year it measures (issue 19, deliverable 3: "scores carry the year they
measure"). The decision's target a reads "Chỉ số cải cách hành chính (PAR Index) … được cải
thiện": the 2026 index against the 2025 one; target f's second measure is the 2026 survey of
UBND đặc khu's service. A label that says "năm nay" or "năm trước" says nothing once the page is
read a year later: the PDF, the screens' words and the command line name 2026 and 2025."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from cchc.services import provenance, report_output
from cchc.services import reports as rs
from cchc.services import targets as ts
from cchc.services.workspace import Workspace
from tests.conftest import run_cchc

WHEN = dt.datetime(2026, 6, 20, 5, 0, tzinfo=dt.UTC)
PAR_2026 = "Chỉ số cải cách hành chính (PAR Index) năm 2026"
PAR_2025 = "Chỉ số cải cách hành chính (PAR Index) năm 2025"


@pytest.fixture
def zone(db_path):
    ws = Workspace.open(db_path, clock=lambda: WHEN)
    unit = rs.new_report(ws, unit="vhxh", period="2026-Q2", by="A")
    rs.set_report(
        ws,
        unit.id,
        fields={
            "received_direct": "10",
            "resolved_on_time": "10",
            "par_index": "82.5",
            "par_index_previous": "80",
            "service_satisfaction": "91",
        },
    )
    rs.submit_report(ws, unit.id, by="A")
    view = rs.consolidate(ws, period="2026-Q2", by="B")
    rs.set_report(ws, view.id, number="21")
    view = rs.submit_report(ws, view.id, by="B")
    yield ws, view
    ws.close()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_names_the_year_of_every_score_and_of_target_a(zone, tmp_path):
    ws, view = zone
    out = report_output.write_pdf(ws, view.id, tmp_path / "q2.pdf")
    text = _flat(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    )
    assert PAR_2026 in text and PAR_2025 in text
    assert "đặc khu năm 2026 (%, kết quả đo lường cùng Sở Nội vụ)" in text
    assert "được cải thiện (năm 2026 so với năm 2025)" in text
    assert "năm nay" not in text and "năm trước" not in text


def test_the_targets_the_verification_and_the_spreadsheet_name_the_year(zone):
    ws, view = zone
    targets = ts.measure(ws, period="2026-Q2")
    a = next(t for t in targets.targets if t.code == "a")
    assert a.short.endswith("(năm 2026 so với năm 2025)") and a.year == 2026
    assert a.measures[0].label == "Chỉ số PAR Index năm 2026 so với năm 2025"
    f = next(t for t in targets.targets if t.code == "f")
    assert f.short.endswith("(năm 2026)")
    assert "Ủy ban nhân dân đặc khu năm 2026" in f.measures[1].label
    # the year to date of 2026 names 2026 too
    assert next(t for t in ts.measure(ws).targets if t.code == "a").year == 2026

    lines = provenance.describe(provenance.verify(ws, view.content_code))
    assert any(line.startswith(f"- {PAR_2026}: 82,5") for line in lines)
    assert any(line.startswith(f"- {PAR_2025}: 80") for line in lines)

    labels = [row[2] for row in report_output.export_rows(ws, view.id)]
    assert PAR_2026 in labels and PAR_2025 in labels


def test_the_command_line_names_the_year_of_every_score(zone, db_path):
    ws, view = zone
    env = {"CCHC_NOW": WHEN.isoformat()}
    shown = run_cchc("--db", str(db_path), "report", "show", view.id, env=env, check=True).stdout
    assert f"{PAR_2026} (par_index): 82.5" in shown
    assert f"{PAR_2025} (par_index_previous): 80" in shown
    # the one date the report states its tasks at (issue 19): its cut-off, 14/06/2026
    assert "được tính đến hết ngày 14/06/2026." in shown
    listed = run_cchc("--db", str(db_path), "targets", "--period", "2026-Q2", env=env, check=True)
    assert "được cải thiện (năm 2026 so với năm 2025)" in listed.stdout
    assert "Ủy ban nhân dân đặc khu năm 2026" in listed.stdout
