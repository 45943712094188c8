"""`cchc init --plan FILE`: a fresh laptop of another commune starts with that commune's plan
(issue 21) — its decision, areas, units, targets and tasks, and nothing of the 2026 plan."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import run_cchc

ROOT = Path(__file__).resolve().parents[2]
SECOND = ROOT / "tests" / "plans" / "ke-hoach-xa-dong-ha-2027.toml"
SEED_2026 = ROOT / "db" / "seeds" / "qd-07-2026.toml"
PLAN_TABLES = ("plan", "areas", "units", "targets", "tasks", "plan_zone", "unit_reporting")


def _rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _plan_dump(db: Path) -> dict[str, list[tuple]]:
    return {t: sorted(_rows(db, f"SELECT * FROM {t}"), key=repr) for t in PLAN_TABLES}


def test_init_with_a_second_plan_loads_that_plan_only_and_keeps_it_on_every_open(db_path):
    done = run_cchc("--db", str(db_path), "init", "--plan", str(SECOND), check=True)
    assert "kế hoạch 15/QĐ-UBND với 4 nhiệm vụ" in done.stdout

    # a later command opens the database again: the shipped 2026 plan must not creep in
    tasks = json.loads(run_cchc("--db", str(db_path), "tasks", "--json", check=True).stdout)
    assert [t["stt"] for t in tasks] == [1, 2, 3, 4]
    assert _rows(db_path, "SELECT number, year, issuer, signer_name FROM plan") == [
        ("15/QĐ-UBND", 2027, "Ủy ban nhân dân xã Đông Hà", "Lê Thị Thu Hằng")
    ]
    assert _rows(db_path, "SELECT code FROM areas ORDER BY position") == [("I",), ("II",), ("III",)]
    assert sorted(_rows(db_path, "SELECT code FROM units")) == [
        ("kinh_te",),
        ("so_noi_vu",),
        ("ubnd_xa",),
        ("vp_xa",),
    ]
    assert sorted(_rows(db_path, "SELECT code, threshold FROM targets")) == [("a", 100), ("b", 60)]
    leads = _rows(
        db_path,
        "SELECT t.stt, t.area, u.code, t.due FROM tasks t JOIN units u ON u.id = t.lead_unit_id"
        " ORDER BY t.stt",
    )
    assert leads == [
        (1, "I", "vp_xa", "2027-01-30"),  # "Trước ngày 31/01/2027": by the day before
        (2, "II", "vp_xa", "2027-06-30"),
        (3, "II", "vp_xa", "2027-12-31"),
        (4, "III", "kinh_te", "2027-12-31"),
    ]
    assert _rows(
        db_path, "SELECT kind, name, body, doc_suffix, reporting_through FROM plan_zone"
    ) == [("xã", "Đông Hà", "Ủy ban nhân dân xã Đông Hà", "BC-UBND", "Văn phòng HĐND và UBND xã")]
    assert _rows(
        db_path,
        "SELECT u.code, r.doc_suffix, r.signer_title FROM unit_reporting r"
        " JOIN units u ON u.id = r.unit_id ORDER BY u.code",
    ) == [("kinh_te", "BC-KT", "TRƯỞNG PHÒNG"), ("vp_xa", "BC-VP", "CHÁNH VĂN PHÒNG")]
    everything = json.dumps(_plan_dump(db_path), ensure_ascii=False)
    assert "Bạch Long Vĩ" not in everything
    assert "07/QĐ-UBND" not in everything


def test_init_with_the_same_plan_again_changes_nothing(db_path):
    run_cchc("--db", str(db_path), "init", "--plan", str(SECOND), check=True)
    before = _plan_dump(db_path)
    again = run_cchc("--db", str(db_path), "init", "--plan", str(SECOND))
    assert again.returncode == 0
    assert _plan_dump(db_path) == before


def test_init_with_another_plan_on_a_database_that_holds_one_is_refused_unchanged(db_path):
    run_cchc("--db", str(db_path), "init", check=True)  # the 2026 plan
    before = _plan_dump(db_path)
    proc = run_cchc("--db", str(db_path), "init", "--plan", str(SECOND))
    assert proc.returncode == 2
    assert "đã có Kế hoạch số 07/QĐ-UBND (năm 2026)" in proc.stderr
    assert _plan_dump(db_path) == before


def test_init_with_a_bad_plan_lists_its_problems_and_creates_no_database(db_path, tmp_path):
    text = SECOND.read_text(encoding="utf-8").replace(
        'lead = "Phòng Kinh tế"', 'lead = "Phòng Tài chính"'
    )
    bad = tmp_path / "ke-hoach.toml"
    bad.write_text(text, encoding="utf-8")
    proc = run_cchc("--db", str(db_path), "init", "--plan", str(bad))
    assert proc.returncode == 2
    assert "(tasks[3].lead): Cơ quan chủ trì “Phòng Tài chính”" in proc.stdout
    assert "có 1 lỗi nên chưa được nạp" in proc.stderr
    assert not db_path.exists()
