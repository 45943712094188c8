"""Every text of a report comes from the plan of its year (issue 21, deliverable 6): a laptop of
another commune, started with `cchc init --plan` on that commune's 2027 plan, issues an annual
report whose PDF (read back with pdftotext), spreadsheet and command-line lines cite only that
plan's decision, zone, recipients, signers and document numbers, and nothing of the 2026 plan
of Bạch Long Vĩ."""

from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cchc

ROOT = Path(__file__).resolve().parents[2]
SECOND = ROOT / "tests" / "plans" / "ke-hoach-xa-dong-ha-2027.toml"

# What the 2026 plan and its zone would put in a document (the words the catalog held before
# issue 21): none of it may reach a document of the second plan.
FOREIGN = (
    "Bạch Long Vĩ",
    "BẠCH LONG VĨ",
    "07/QĐ-UBND",
    "đặc khu",
    "ĐẶC KHU",
    "Đào Minh Đông",
    "Phòng Văn hóa - Xã hội",
    "BC-VHXH",
    "Lưu: VT, VHXH.",
    "CT, các PCT UBND",
    "Chỉ số cải cách hành chính (PAR Index) được cải thiện",  # 2026's target a, not 2027's
)
# An annual report's figures run from 15/12 of the year before (Nghị định 09/2019/NĐ-CP):
# that date is the only place the year 2026 may appear.
PERIOD_START = "15/12/2026"


# The commune's officers work in the plan's year (the machine's own clock would stamp today's
# date on every submission).
IN_2027 = {"CCHC_NOW": "2027-12-18T09:30:00+07:00"}


def _cli(db: Path, *args: str) -> str:
    return run_cchc("--db", str(db), *args, env=IN_2027, check=True).stdout


def _pdf_text(pdf: Path, *, layout: bool = True) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _flat(pdf: Path) -> str:
    """The PDF's text in reading order with its line breaks folded, to find wrapped phrases."""
    return re.sub(r"\s+", " ", _pdf_text(pdf, layout=False))


def _assert_only_the_second_plan(text: str) -> None:
    for word in FOREIGN:
        assert word not in text, word
    # 2026 appears only as the period's start and as the year the 2027 PAR Index is compared
    # with (the score of the year before, as the report must name it)
    rest = re.sub(r"PAR Index\)\s+năm\s+2026", "", text.replace(PERIOD_START, ""))
    assert "2026" not in rest, "a trace of 2026 beyond the period start and the year compared"


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    """The commune's laptop: its plan loaded, Phòng Kinh tế's annual report submitted, the
    commune's annual report consolidated from it and issued."""
    folder = tmp_path_factory.mktemp("dong-ha")
    db = folder / "cchc.sqlite"
    _cli(db, "init", "--plan", str(SECOND))
    unit = _cli(
        db, "report", "new", "--unit", "kinh_te", "--period", "2027", "--by", "Phạm Văn Bình"
    ).strip()
    _cli(
        db,
        "report",
        "set",
        unit,
        "--section",
        "III=Đã số hóa 120 hồ sơ thủ tục hành chính.",
        "--field",
        "received_direct=10",
        "--field",
        "resolved_on_time=10",
        "--field",
        "tthc_in_force=20",
        "--field",
        "tthc_on_portal=18",
        "--number",
        "3",
        "--date",
        "16/12/2027",
        "--signer",
        "Phạm Văn Bình",
    )
    _cli(db, "report", "submit", unit, "--by", "Phạm Văn Bình")
    zone = _cli(db, "report", "consolidate", "--period", "2027", "--by", "Ngô Thị An").strip()
    _cli(db, "report", "set", zone, "--number", "45", "--date", "18/12/2027")
    _cli(db, "report", "submit", zone, "--by", "Ngô Thị An")
    zone_pdf, unit_pdf = folder / "xa.pdf", folder / "kinh-te.pdf"
    _cli(db, "report", "pdf", zone, "--out", str(zone_pdf))
    _cli(db, "report", "pdf", unit, "--out", str(unit_pdf))
    return {"db": db, "zone": zone, "unit": unit, "zone_pdf": zone_pdf, "unit_pdf": unit_pdf}


def test_the_communes_annual_report_cites_its_own_decision_zone_and_signer(issued):
    text = _pdf_text(Path(issued["zone_pdf"]))
    flat = _flat(Path(issued["zone_pdf"]))
    assert "ỦY BAN NHÂN DÂN" in text and "XÃ ĐÔNG HÀ" in text
    assert "Số: 45/BC-UBND" in text
    assert "Đông Hà, ngày 18 tháng 12 năm 2027" in text
    assert (
        "Thực hiện Kế hoạch cải cách hành chính nhà nước xã Đông Hà năm 2027 ban hành kèm theo "
        "Quyết định số 15/QĐ-UBND ngày 12 tháng 01 năm 2027 của Chủ tịch Ủy ban nhân dân xã, "
        "Ủy ban nhân dân xã Đông Hà báo cáo kết quả thực hiện năm 2027"
    ) in flat
    # its three areas, numbered as the plan orders them, and nothing of a fourth
    assert "1. Công tác chỉ đạo, điều hành" in text
    assert "3. Chuyển đổi số" in text
    assert re.search(r"^\s*2\. Cải cách thủ tục hành chính$", text, re.M)
    assert not re.search(r"^\s*4\. ", text, re.M)
    # its recipients and its signer
    for line in ("Sở Nội vụ thành phố Hải Phòng;", "TT Đảng ủy xã;", "Lưu: VT, VP."):
        assert line in text
    assert "TM. ỦY BAN NHÂN DÂN" in text and "CHỦ TỊCH" in text
    assert "Lê Thị Thu Hằng" in text
    # its targets, named by what they measure, with its own thresholds
    assert "Hoàn thành nhiệm vụ của Kế hoạch đúng tiến độ" in flat
    assert "tối thiểu 60%" in flat
    assert "Cổng thông tin điện tử xã" in flat
    assert "CỦA KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2027" in text
    _assert_only_the_second_plan(text)
    _assert_only_the_second_plan(flat)


def test_a_units_report_of_the_commune_carries_its_suffix_signer_and_way_up(issued):
    text = _pdf_text(Path(issued["unit_pdf"]))
    flat = _flat(Path(issued["unit_pdf"]))
    assert "UBND XÃ ĐÔNG HÀ" in text and "PHÒNG KINH TẾ" in text
    assert "Số: 3/BC-KT" in text
    assert "TRƯỞNG PHÒNG" in text and "Phạm Văn Bình" in text
    assert "UBND xã (qua Văn phòng HĐND và UBND xã);" in flat
    _assert_only_the_second_plan(text)
    _assert_only_the_second_plan(flat)


def test_the_spreadsheet_and_command_lines_name_the_commune_not_the_zone_of_2026(issued, tmp_path):
    db = Path(issued["db"])
    out = tmp_path / "xa.csv"
    _cli(db, "report", "export", str(issued["zone"]), "--out", str(out))
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert ["Thông tin", "unit", "Đơn vị", "Ủy ban nhân dân xã Đông Hà"] in rows
    listing = _cli(db, "report", "list")
    assert "Ủy ban nhân dân xã Đông Hà · kỳ Năm 2027" in listing
    targets = _cli(db, "targets", "--period", "2027")
    assert targets.startswith("Chỉ tiêu của Ủy ban nhân dân xã Đông Hà, kỳ Năm 2027")
    verify = _cli(db, "report", "verify", str(issued["zone_pdf"]))
    assert "Báo cáo Ủy ban nhân dân xã Đông Hà, kỳ Năm 2027" in verify
    for text in (json.dumps(rows, ensure_ascii=False), listing, targets, verify):
        _assert_only_the_second_plan(text)


def test_a_section_for_an_area_the_plan_does_not_have_is_refused_naming_its_areas(issued):
    db = Path(issued["db"])
    draft = _cli(
        db, "report", "new", "--unit", "vp_xa", "--period", "2027-Q4", "--by", "Ngô Thị An"
    ).strip()
    before = json.loads(_cli(db, "report", "show", draft, "--json"))
    proc = run_cchc(
        "--db",
        str(db),
        "report",
        "set",
        draft,
        "--section",
        "IV=Cải cách tổ chức bộ máy.",
        env=IN_2027,
    )
    assert proc.returncode == 2
    assert "Mục “IV” không hợp lệ: chọn một lĩnh vực I–III" in proc.stderr
    after = json.loads(_cli(db, "report", "show", draft, "--json"))
    assert after == before
    assert set(after["sections"]) == {
        "I",
        "II",
        "III",
        "assessment",
        "difficulties",
        "direction",
        "proposals",
    }
