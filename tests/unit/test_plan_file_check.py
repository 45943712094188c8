"""The plan file check (issue 21): each kind of mistake is found at its own line with its own
Vietnamese reason, every problem of a file is listed, and clean files pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.domain.plan_file import check_plan_text
from cchc.services.plan_file import check_plan_file, problem_text

ROOT = Path(__file__).resolve().parents[2]
SEED_2026 = ROOT / "db" / "seeds" / "qd-07-2026.toml"
SECOND = ROOT / "tests" / "plans" / "ke-hoach-xa-dong-ha-2027.toml"


def _second() -> str:
    return SECOND.read_text(encoding="utf-8")


def _line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the nth line equal to `needle`."""
    hits = [i + 1 for i, line in enumerate(text.split("\n")) if line == needle]
    return hits[nth]


def _replace(text: str, old: str, new: str, nth: int = 0) -> str:
    lines = text.split("\n")
    hits = [i for i, line in enumerate(lines) if line == old]
    lines[hits[nth]] = new
    return "\n".join(lines)


def _only(text: str) -> tuple[int, str, str]:
    problems = check_plan_text(text).problems
    assert len(problems) == 1, [problem_text(p) for p in problems]
    p = problems[0]
    return p.line, p.where, problem_text(p)


def test_the_2026_plan_and_the_second_plan_pass_the_check():
    for path in (SEED_2026, SECOND):
        report = check_plan_file(path)
        assert report.ok, report.lines
        assert report.plan is not None
    first = check_plan_file(SEED_2026)
    assert first.lines == (
        "Kế hoạch hợp lệ: 7 lĩnh vực, 26 nhiệm vụ, 15 đơn vị, 9 chỉ tiêu — đặc khu Bạch Long Vĩ, "
        "năm 2026, Quyết định số 07/QĐ-UBND ngày 07/01/2026.",
    )
    second = check_plan_file(SECOND)
    assert second.plan is not None and second.plan.zone.name == "Đông Hà"
    assert second.lines[0].startswith(
        "Kế hoạch hợp lệ: 3 lĩnh vực, 4 nhiệm vụ, 4 đơn vị, 2 chỉ tiêu"
    )


def test_a_lead_unit_the_file_does_not_define_is_named_at_its_line():
    bad = _replace(_second(), 'lead = "Phòng Kinh tế"', 'lead = "Phòng Tài chính"')
    line, where, text = _only(bad)
    assert line == _line_of(bad, 'lead = "Phòng Tài chính"')
    assert where == "tasks[3].lead"
    assert "Cơ quan chủ trì “Phòng Tài chính” không có trong các mục [[units]]" in text
    assert text.startswith(f"Dòng {line} ")


def test_a_partner_the_file_does_not_define_is_named_at_its_line():
    bad = _replace(_second(), 'partners = ["Sở Nội vụ"]', 'partners = ["Sở Tài chính"]')
    line, where, text = _only(bad)
    assert line == _line_of(bad, 'partners = ["Sở Tài chính"]')
    assert where == "tasks[2].partners[0]"
    assert "Cơ quan phối hợp “Sở Tài chính”" in text


def test_a_time_frame_the_parser_cannot_read_is_refused_at_its_line():
    bad = _replace(_second(), 'timeframe = "Quý II/2027"', 'timeframe = "Khi có điều kiện"')
    line, where, text = _only(bad)
    assert line == _line_of(bad, 'timeframe = "Khi có điều kiện"')
    assert where == "tasks[1].timeframe"
    assert "Không đọc được thời gian thực hiện “Khi có điều kiện”" in text


def test_a_duplicate_row_number_names_both_lines():
    bad = _replace(_second(), "stt = 3", "stt = 2")
    line, where, text = _only(bad)
    second_line = _line_of(bad, "stt = 2", nth=1)
    first_line = _line_of(bad, "stt = 2", nth=0)
    assert (line, where) == (second_line, "tasks[2].stt")
    assert f"Số thứ tự 2 bị trùng (đã có ở dòng {first_line})" in text


def test_a_missing_required_field_is_placed_at_its_table():
    bad = _replace(_second(), 'product = "Báo cáo kết quả"', "")
    line, where, text = _only(bad)
    header_of_task_3 = _line_of(bad, "[[tasks]]", nth=2)
    assert (line, where) == (header_of_task_3, "tasks[2].product")
    assert "Thiếu mục bắt buộc" in text


def test_a_toml_syntax_error_gives_its_line():
    bad = _replace(
        _second(), 'content = "Đo lường sự hài lòng của người dân"', 'content = "Đo lường'
    )
    line, where, text = _only(bad)
    assert line == _line_of(bad, 'content = "Đo lường')
    assert "Sai cú pháp TOML" in text


def test_a_task_in_an_area_the_file_does_not_define_is_refused():
    bad = _replace(_second(), 'area = "III"', 'area = "IV"', nth=0)
    line, where, text = _only(bad)
    assert (line, where) == (_line_of(bad, 'area = "IV"'), "tasks[3].area")
    assert "Lĩnh vực “IV” không có" in text


def test_an_unknown_field_such_as_a_typo_is_refused_at_its_line():
    bad = _replace(_second(), 'product = "Hồ sơ được số hóa"', 'san_pham = "Hồ sơ được số hóa"')
    problems = check_plan_text(bad).problems
    reasons = {(p.where, p.line) for p in problems}
    assert ("tasks[3].san_pham", _line_of(bad, 'san_pham = "Hồ sơ được số hóa"')) in reasons
    assert ("tasks[3].product", _line_of(bad, "[[tasks]]", nth=3)) in reasons
    texts = [problem_text(p) for p in problems]
    assert any("Mục không có trong định dạng kế hoạch" in t for t in texts)


def test_a_reporting_unit_the_file_does_not_define_is_refused():
    bad = _replace(_second(), 'through = "Văn phòng HĐND và UBND xã"', 'through = "Phòng Nội vụ"')
    line, where, text = _only(bad)
    assert (line, where) == (_line_of(bad, 'through = "Phòng Nội vụ"'), "reporting.through")


def test_a_unit_name_used_twice_is_refused():
    bad = _replace(_second(), 'name = "Phòng Kinh tế"', 'name = "Văn phòng xã"')
    problems = check_plan_text(bad).problems
    wheres = {p.where for p in problems}
    assert "units[1].name" in wheres
    # the task that named the vanished unit as lead is reported too, at its own line
    assert "tasks[3].lead" in wheres


@pytest.mark.parametrize(
    ("old", "new", "where", "reason"),
    [
        ("format_version = 1", "format_version = 2", "format_version", "Phiên bản định dạng"),
        ("date = 2027-01-12", 'date = "12/01/2027"', "plan.date", "Phải là một ngày"),
        ("year = 2027", "year = 1850", "plan.year", "lớn hơn hoặc bằng 2000"),
        ('role = "unit"', 'role = "phòng"', "units[1].role", "không nằm trong các giá trị"),
        ('kind = "xã"', 'kind = ""', "zone.kind", "Không được để trống"),
    ],
)
def test_a_wrong_value_is_refused_at_its_line_in_vietnamese(old, new, where, reason):
    bad = _replace(_second(), old, new)
    line, got_where, text = _only(bad)
    assert (line, got_where) == (_line_of(bad, new), where)
    assert reason in text


def test_every_problem_of_a_file_is_listed_in_line_order():
    bad = _second()
    bad = _replace(bad, 'lead = "Phòng Kinh tế"', 'lead = "Phòng Tài chính"')
    bad = _replace(bad, 'timeframe = "Quý II/2027"', 'timeframe = "Khi có điều kiện"')
    bad = _replace(bad, "stt = 3", "stt = 2")
    bad = _replace(bad, "year = 2027", 'year = "năm nay"')
    problems = check_plan_text(bad).problems
    assert [p.where for p in problems] == [
        "plan.year",
        "tasks[1].timeframe",
        "tasks[2].stt",
        "tasks[3].lead",
    ]
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_bytes(_second().encode("utf-8").replace("Đông Hà".encode(), b"\xd0ong H\xe0", 1))
    report = check_plan_file(path)
    assert not report.ok
    assert "không phải văn bản UTF-8" in report.lines[0]


def test_a_time_frame_left_in_last_years_words_is_refused_at_its_line():
    # copying the 2026 plan into 2027 and forgetting one year is the likely slip
    bad = _replace(_second(), 'timeframe = "Quý II/2027"', 'timeframe = "Quý II/2026"')
    line, where, text = _only(bad)
    assert (line, where) == (_line_of(bad, 'timeframe = "Quý II/2026"'), "tasks[1].timeframe")
    assert "có hạn trong năm 2026, khác năm của Kế hoạch (2027)" in text


def test_a_problem_inside_a_list_written_over_several_lines_points_at_that_element():
    seed = SEED_2026.read_text(encoding="utf-8")
    # the third alias of Cổng Thông tin điện tử đặc khu is made to repeat a name of another unit
    bad = seed.replace(
        '"Công Thông tin điện tử đặc khu", "Công TTĐT đặc khu"]',
        '"Công Thông tin điện tử đặc khu",\n    "Văn phòng UBND đặc khu",\n]',
    )
    line, where, text = _only(bad)
    assert where == "units[5].aliases[2]"
    assert line == _line_of(bad, '    "Văn phòng UBND đặc khu",')
    assert "“Văn phòng UBND đặc khu” đã dùng cho một đơn vị khác" in text


def test_a_file_far_too_large_to_be_a_plan_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "plan.toml"
    with path.open("wb") as fh:
        fh.write(b"# " + b"x" * 2_100_000 + b"\n")
    report = check_plan_file(path)
    assert not report.ok and report.plan is None
    assert "tệp quá lớn (2100003 byte, tối đa 2000000 byte)" in report.lines[0]
