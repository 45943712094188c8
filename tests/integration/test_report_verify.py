"""Provenance of a consolidated report and its verification code, across real laptops: units
submit on their own certified laptops, the bundles travel, Phòng Văn hóa - Xã hội consolidates
and issues; the code printed in the PDF verifies on any laptop holding the report, and a report
changed after it was issued no longer does."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.domain.errors import InvalidInput
from cchc.domain.verification import code_of, normalize_code
from cchc.services import exchange, provenance, report_output
from cchc.services import reports as rs
from cchc.services.workspace import Workspace
from tests.integration.worlds import certified_net

NOW = dt.datetime.fromisoformat("2026-03-17T09:00:00+07:00")
TTHCC = {
    "received_direct": "40",
    "received_online_full": "20",
    "carried_over": "5",
    "resolved_on_time": "50",
    "resolved_late": "5",
    "pending_within_time": "10",
    "payments_total": "30",
    "payments_online": "27",
}
VP = {"inspections_held": "2", "received_direct": "3", "resolved_on_time": "3"}


@pytest.fixture
def net(tmp_path: Path) -> Iterator[dict[str, Workspace]]:
    sites = certified_net(
        tmp_path,
        (("tthcc", "tthcc", "unit"), ("vp", "vp_ubnd", "unit"), ("vhxh", "vhxh", "consolidator")),
        NOW,
    )
    # Every laptop learns every certificate (the city's bundle carries them).
    for name in ("tthcc", "vp", "vhxh"):
        exchange.import_bytes(sites[name], exchange.export_bundle(sites["city"]))
    yield sites
    for ws in sites.values():
        ws.close()


def send(src: Workspace, dst: Workspace) -> None:
    result = exchange.import_bytes(dst, exchange.export_bundle(src))
    assert result.rejected == 0, [r.reason for r in result.rejections]


def unit_report(ws: Workspace, unit: str, fields: dict[str, str], by: str) -> str:
    view = rs.new_report(ws, unit=unit, period="2026-Q1", by=by)
    rs.set_report(ws, view.id, fields=fields, sections={"III": f"Kết quả của {unit}."})
    return rs.submit_report(ws, view.id, by=by).id


@pytest.fixture
def issued(net, tmp_path):
    """Two unit reports submitted on their laptops, consolidated and issued by VH-XH."""
    tthcc_id = unit_report(net["tthcc"], "tthcc", TTHCC, "Nguyễn Văn An")
    vp_id = unit_report(net["vp"], "vp_ubnd", VP, "Lê Thị Hoa")
    send(net["tthcc"], net["vhxh"])
    send(net["vp"], net["vhxh"])
    zone = rs.consolidate(net["vhxh"], period="2026-Q1", by="Trần Thị Bình")
    zone = rs.submit_report(net["vhxh"], zone.id, by="Trần Thị Bình")
    pdf = report_output.write_pdf(net["vhxh"], zone.id, tmp_path / "bao-cao-quy-1.pdf")
    return {"zone": zone, "tthcc": tthcc_id, "vp": vp_id, "pdf": pdf}


def test_the_consolidated_report_records_which_unit_reports_each_figure_came_from(net, issued):
    zone = issued["zone"]
    prov = zone.provenance
    assert prov is not None
    assert (prov.consolidated_by, prov.laptop.fingerprint, prov.laptop.role) == (
        "Trần Thị Bình",
        exchange.identity(net["vhxh"])["fingerprint"],
        "consolidator",
    )
    by_unit = {s.unit: s for s in prov.sources}
    assert set(by_unit) == {"tthcc", "vp_ubnd"}
    tthcc = by_unit["tthcc"]
    assert (tthcc.report_id, tthcc.revision, tthcc.submitted_by) == (
        issued["tthcc"],
        1,
        "Nguyễn Văn An",
    )
    # The laptop is the one whose signed write of the submission stands: the unit's own.
    assert tthcc.laptop.fingerprint == exchange.identity(net["tthcc"])["fingerprint"]
    assert (tthcc.laptop.role, tthcc.laptop.scope, tthcc.laptop.certified) == (
        "unit",
        ["tthcc"],
        True,
    )
    assert by_unit["vp_ubnd"].laptop.fingerprint == exchange.identity(net["vp"])["fingerprint"]
    assert (
        tthcc.figures["received_direct"] == 40
        and by_unit["vp_ubnd"].figures["received_direct"] == 3
    )
    assert zone.figures["received_direct"] == 43


def test_the_pdf_carries_the_code_and_verify_finds_the_report_and_its_figures(net, issued):
    zone = issued["zone"]
    assert zone.content_code is not None and normalize_code(zone.content_code) == zone.content_code
    assert provenance.code_in_pdf(issued["pdf"]) == zone.content_code
    text = subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", "-layout", str(issued["pdf"]), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"Mã xác thực: {zone.content_code}" in text
    for ref in (zone.content_code, zone.content_code.lower().replace("-", " "), str(issued["pdf"])):
        result = provenance.verify(net["vhxh"], ref)
        assert (result.ok, result.outcome, result.report_id) == (True, "verified", zone.id)
    assert result.submitted_by == "Trần Thị Bình"
    behind = {f.figure: f for f in result.figures}
    assert behind["received_direct"].total == 43
    assert sorted((p.unit_name, p.revision, p.value) for p in behind["received_direct"].parts) == [
        ("Trung tâm Phục vụ hành chính công đặc khu", 1, 40),
        ("Văn phòng Ủy ban nhân dân đặc khu", 1, 3),
    ]
    assert [p.value for p in behind["inspections_held"].parts] == [2]


def test_the_code_verifies_at_the_city_too(net, issued):
    send(net["vhxh"], net["city"])
    result = provenance.verify(net["city"], str(issued["pdf"]))
    assert (result.ok, result.report_id) == (True, issued["zone"].id)
    assert result.submitted_laptop is not None
    assert result.submitted_laptop.fingerprint == exchange.identity(net["vhxh"])["fingerprint"]


def test_one_changed_byte_of_the_issued_content_fails_verification(net, issued):
    zone = issued["zone"]
    conn = net["vhxh"].db.conn
    before = conn.execute(
        "SELECT text FROM report_sections WHERE report_id = ? AND area = 'III'", (zone.id,)
    ).fetchone()[0]
    changed = before.replace("tthcc", "tthcd", 1)
    assert len(changed.encode()) == len(before.encode()) and changed != before
    conn.execute(
        "UPDATE report_sections SET text = ? WHERE report_id = ? AND area = 'III'",
        (changed, zone.id),
    )
    result = provenance.verify(net["vhxh"], str(issued["pdf"]))
    assert (result.ok, result.outcome) == (False, "changed")


def test_a_unit_figure_changed_after_consolidation_fails_verification(net, issued):
    conn = net["vhxh"].db.conn
    conn.execute(
        "UPDATE report_figures SET received_direct = 41 WHERE report_id = ?", (issued["tthcc"],)
    )
    result = provenance.verify(net["vhxh"], issued["zone"].content_code)
    assert (result.ok, result.outcome) == (False, "source_changed")
    assert result.changed_sources == ["Trung tâm Phục vụ hành chính công đặc khu"]


def test_an_unknown_code_or_a_bad_file_does_not_verify_and_changes_nothing(net, issued, tmp_path):
    ws = net["vhxh"]
    other = code_of({"not": "a report"})
    assert provenance.verify(ws, other).outcome == "unknown_code"
    junk = tmp_path / "fake.pdf"
    junk.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    with pytest.raises(InvalidInput):
        provenance.verify(ws, str(junk))
    with pytest.raises(InvalidInput):
        provenance.verify(ws, "not a code")
    plain = tmp_path / "plain.pdf"
    shutil.copy(issued["pdf"], plain)
    plain.write_bytes(plain.read_bytes().replace(b"/Type /Page", b"/Type /Xage"))
    with pytest.raises(InvalidInput):
        provenance.verify(ws, str(plain))
    assert ws.db.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert provenance.verify(ws, str(issued["pdf"])).ok


def test_unit_reports_get_their_own_code_and_drafts_none(net, issued):
    unit = rs.get_report(net["tthcc"], issued["tthcc"])
    assert unit.content_code is not None and unit.provenance is None
    assert provenance.verify(net["tthcc"], unit.content_code).ok
    draft = rs.revise_report(net["tthcc"], issued["tthcc"], by="Nguyễn Văn An")
    assert draft.content_code is None


def test_the_verification_survives_a_fresh_database_connection(net, issued, tmp_path):
    path = Path(net["vhxh"].path)
    conn = sqlite3.connect(str(path))
    try:
        assert conn.execute(
            "SELECT content_code FROM reports WHERE id = ?", (issued["zone"].id,)
        ).fetchone() == (issued["zone"].content_code,)
    finally:
        conn.close()


def test_an_issued_report_prints_the_same_bytes_after_its_sources_are_revised(
    net, issued, tmp_path
):
    """Issued means frozen: the zone report's targets and figures are those of the day it was
    issued, whatever a unit revises afterwards; a new consolidation is a new revision with its
    own code, and its number is given anew when it is signed."""
    first = issued["pdf"].read_bytes()
    revision = rs.revise_report(net["tthcc"], issued["tthcc"], by="Nguyễn Văn An")
    rs.set_report(net["tthcc"], revision.id, fields={"payments_online": "3"})
    rs.submit_report(net["tthcc"], revision.id, by="Nguyễn Văn An")
    send(net["tthcc"], net["vhxh"])
    zone = issued["zone"]
    again = report_output.write_pdf(net["vhxh"], zone.id, tmp_path / "in-lai.pdf")
    assert again.read_bytes() == first
    assert provenance.verify(net["vhxh"], str(again)).ok

    newer = rs.consolidate(net["vhxh"], period="2026-Q1", by="Trần Thị Bình")
    assert (newer.revision, newer.supersedes, newer.number) == (2, zone.id, None)
    rs.set_report(net["vhxh"], newer.id, number="31")
    newer = rs.submit_report(net["vhxh"], newer.id, by="Trần Thị Bình")
    assert newer.content_code not in (None, zone.content_code)
    assert newer.figures["payments_online"] == 3 and zone.figures["payments_online"] == 27
    assert provenance.verify(net["vhxh"], newer.content_code).report_id == newer.id
    assert provenance.verify(net["vhxh"], zone.content_code).report_id == zone.id
