"""`cchc plan load FILE`, `cchc plan list` and `--year`, through the real command line (issue 21):
the city publishes the 2027 plan with carried-over rows; a bad file is refused with each problem
and its line, exit 2, nothing stored; a unit laptop may not publish; each year stays readable."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from tests.conftest import run_cchc

ROOT = Path(__file__).resolve().parents[2]
PLAN_2027 = ROOT / "tests" / "plans" / "ke-hoach-bach-long-vi-2027.toml"
MARCH_2026 = {"CCHC_NOW": "2026-03-20T09:00:00+07:00"}
JANUARY_2027 = {"CCHC_NOW": "2027-01-12T09:00:00+07:00"}


def _dump(db: Path) -> str:
    """Every row of every table, for "nothing changed" (the file's bytes move with WAL)."""
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        text = "".join(
            repr(sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)) for n in names
        )
    finally:
        conn.close()
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_city_loads_2027_carrying_two_rows_and_both_years_stay_readable(db_path):
    db = ("--db", str(db_path))
    run_cchc(*db, "init", check=True, env=MARCH_2026)
    run_cchc(*db, "task", "update", "4", "--status", "in_progress", "--progress", "40",
             "--by", "Trần Thị Bình", check=True, env=MARCH_2026)  # fmt: skip
    loaded = run_cchc(*db, "plan", "load", str(PLAN_2027), "--carry", "8", "--by", "Sở Nội vụ",
                      env=JANUARY_2027)  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    assert "Đã nạp Kế hoạch số 05/QĐ-UBND năm 2027" in loaded.stdout
    assert "Dòng 3: chuyển tiếp từ dòng 4 năm 2026" in loaded.stdout
    assert "Dòng 6: chuyển tiếp từ dòng 8 năm 2026" in loaded.stdout

    listed = run_cchc(*db, "plan", "list", check=True, env=JANUARY_2027).stdout
    assert "Năm 2026: Kế hoạch số 07/QĐ-UBND ngày 07/01/2026" in listed
    assert "Năm 2027: Kế hoạch số 05/QĐ-UBND ngày 08/01/2027" in listed
    assert "6 nhiệm vụ, 2 chuyển tiếp" in listed
    assert "Năm làm việc mặc định: 2027." in listed
    plans = json.loads(run_cchc(*db, "plan", "list", "--json", check=True, env=JANUARY_2027).stdout)
    assert [(p["year"], p["tasks"], p["published"]) for p in plans] == [
        (2026, 26, False),
        (2027, 6, True),
    ]

    # 2027 by default in January 2027; 2026 on asking; a year with no plan is refused.
    tasks = json.loads(run_cchc(*db, "tasks", "--json", check=True, env=JANUARY_2027).stdout)
    assert [t["stt"] for t in tasks] == [1, 2, 3, 4, 5, 6]
    old = json.loads(
        run_cchc(*db, "tasks", "--year", "2026", "--json", check=True, env=JANUARY_2027).stdout
    )
    assert len(old) == 26
    shown = run_cchc(*db, "task", "show", "3", check=True, env=JANUARY_2027).stdout
    assert "Chuyển tiếp từ dòng 4 Kế hoạch năm 2026" in shown
    assert "Tiến độ 40%" in shown
    row_4_2026 = run_cchc(*db, "task", "show", "4", "--year", "2026", check=True, env=JANUARY_2027)
    assert "Kế hoạch tuyên truyền" in row_4_2026.stdout
    missing = run_cchc(*db, "tasks", "--year", "2025", env=JANUARY_2027)
    assert missing.returncode == 2 and "Không có Kế hoạch năm 2025" in missing.stderr


def test_loading_a_bad_plan_file_lists_its_problems_exits_2_and_stores_nothing(db_path, tmp_path):
    db = ("--db", str(db_path))
    run_cchc(*db, "init", check=True, env=JANUARY_2027)
    bad = tmp_path / "ke-hoach-loi.toml"
    text = PLAN_2027.read_text(encoding="utf-8")
    text = text.replace('timeframe = "Quý III/2027"', 'timeframe = "Quý mười/2027"')
    text = text.replace('lead = "Phòng Tài chính"', 'lead = "Phòng Không Có"')
    bad.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    frame_line = lines.index('timeframe = "Quý mười/2027"') + 1
    lead_line = lines.index('lead = "Phòng Không Có"') + 1
    before = _dump(db_path)

    result = run_cchc(*db, "plan", "load", str(bad), env=JANUARY_2027)
    assert result.returncode == 2
    assert f"Dòng {lead_line}" in result.stdout and "Phòng Không Có" in result.stdout
    assert f"Dòng {frame_line}" in result.stdout and "Quý mười/2027" in result.stdout
    assert "2 lỗi" in result.stderr
    assert _dump(db_path) == before


def test_a_unit_laptop_may_not_load_a_plan_and_stores_nothing(db_path):
    db = ("--db", str(db_path))
    run_cchc(*db, "init", check=True, env=JANUARY_2027)
    run_cchc(*db, "settings", "--unit", "tthcc", "--officer", "An", check=True, env=JANUARY_2027)
    before = _dump(db_path)
    result = run_cchc(*db, "plan", "load", str(PLAN_2027), env=JANUARY_2027)
    assert result.returncode == 2, result.stdout
    assert "Lỗi:" in result.stderr
    assert _dump(db_path) == before
