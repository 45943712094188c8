"""`cchc plan check FILE` as an officer runs it: exit 2 and every problem with its line on a bad
file, exit 0 and a summary on a good one, and no database written or created either way."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.conftest import run_cchc

ROOT = Path(__file__).resolve().parents[2]
SEED_2026 = ROOT / "db" / "seeds" / "qd-07-2026.toml"
SECOND = ROOT / "tests" / "plans" / "ke-hoach-xa-dong-ha-2027.toml"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_bad_plan_exits_2_lists_each_problem_at_its_line_and_stores_nothing(db_path, tmp_path):
    run_cchc("--db", str(db_path), "init", check=True)
    before = _digest(db_path)
    lines = SECOND.read_text(encoding="utf-8").split("\n")
    lead = lines.index('lead = "Phòng Kinh tế"')
    lines[lead] = 'lead = "Phòng Tài chính"'
    frame = lines.index('timeframe = "Quý II/2027"')
    lines[frame] = 'timeframe = "Khi có điều kiện"'
    bad = tmp_path / "ke-hoach-loi.toml"
    bad.write_text("\n".join(lines), encoding="utf-8")

    proc = run_cchc("--db", str(db_path), "plan", "check", str(bad))

    assert proc.returncode == 2
    assert proc.stdout.splitlines() == [
        f"Dòng {frame + 1} (tasks[1].timeframe): Không đọc được thời gian thực hiện "
        "“Khi có điều kiện” (ví dụ đọc được: “Trước ngày 15/01/2027”, “Quý II/2027”, "
        "“Tháng 6/2027”, “Cả năm 2027”).",
        f"Dòng {lead + 1} (tasks[3].lead): Cơ quan chủ trì “Phòng Tài chính” không có trong "
        "các mục [[units]] của tệp.",
    ]
    assert f"Tệp kế hoạch {bad} có 2 lỗi; chưa có gì được lưu." in proc.stderr
    assert _digest(db_path) == before


def test_a_syntax_error_exits_2_with_its_line_and_creates_no_database(tmp_path):
    fresh_db = tmp_path / "never.db"
    lines = SECOND.read_text(encoding="utf-8").split("\n")
    broken = lines.index("[[units]]")
    lines[broken] = "[[units]"
    bad = tmp_path / "ke-hoach.toml"
    bad.write_text("\n".join(lines), encoding="utf-8")

    proc = run_cchc("--db", str(fresh_db), "plan", "check", str(bad))

    assert proc.returncode == 2
    assert proc.stdout.startswith(f"Dòng {broken + 1}: Sai cú pháp TOML")
    assert not fresh_db.exists()


def test_the_2026_plan_and_a_second_commune_plan_pass_with_a_summary(tmp_path):
    fresh_db = tmp_path / "never.db"
    first = run_cchc("--db", str(fresh_db), "plan", "check", str(SEED_2026))
    second = run_cchc("--db", str(fresh_db), "plan", "check", str(SECOND))

    assert (first.returncode, second.returncode) == (0, 0)
    assert first.stdout.strip() == (
        "Kế hoạch hợp lệ: 7 lĩnh vực, 26 nhiệm vụ, 15 đơn vị, 9 chỉ tiêu — đặc khu Bạch Long Vĩ, "
        "năm 2026, Quyết định số 07/QĐ-UBND ngày 07/01/2026."
    )
    assert second.stdout.strip() == (
        "Kế hoạch hợp lệ: 3 lĩnh vực, 4 nhiệm vụ, 4 đơn vị, 2 chỉ tiêu — xã Đông Hà, "
        "năm 2027, Quyết định số 15/QĐ-UBND ngày 12/01/2027."
    )
    assert not fresh_db.exists()


def test_plan_by_area_still_works_beside_the_check_subcommand(db_path):
    run_cchc("--db", str(db_path), "init", check=True)
    proc = run_cchc("--db", str(db_path), "plan", "--area", "III", check=True)
    assert proc.stdout.startswith("III. Cải cách thủ tục hành chính\n")
    missing = run_cchc("--db", str(db_path), "plan", "check", str(db_path.parent / "none.toml"))
    assert missing.returncode == 2
    assert "Không đọc được tệp" in missing.stdout
