"""The plan seed is the source plan as data: every row pinned to the verbatim source text, every
time frame readable, and a malformed seed refused at the exact path of the bad field."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from cchc.domain.deadline import DeadlineKind
from cchc.domain.errors import SeedInvalid
from cchc.domain.plan import PlanSeed, UnitRole
from cchc.domain.timeframe import parse_timeframe
from cchc.store.seed_file import default_seed_path, field_path, parse_seed, read_seed

ROOT = Path(__file__).resolve().parents[2]
SEED_PATH = ROOT / "db" / "seeds" / "qd-07-2026.toml"
SOURCE_PATH = ROOT / "db" / "seeds" / "source" / "qd-07-2026-ke-hoach-cchc-bach-long-vi.txt"
SOURCE = SOURCE_PATH.read_text(encoding="utf-8")
SOURCE_LINES = SOURCE.split("\n")
# Whitespace collapsed (joins paragraphs split by a page break) and the conversion's Markdown
# emphasis asterisks removed (seed decision D10).
SOURCE_FLAT = " ".join(SOURCE.replace("*", "").split())

VHXH = "Phòng Văn hóa - Xã hội"
VP = "Văn phòng UBND đặc khu"
TTHCC = "Trung tâm Phục vụ hành chính công đặc khu"
YEAR = "Cả năm 2026"
STANDING = "Thường xuyên"
ROW_19_TIMEFRAME = (
    "Theo hướng dẫn của Trung ương và Kế hoạch số 310/KH-UBND ngày 24/11/2025 của UBND thành phố"
)

# Every row of the Phụ lục: (stt, lead as written, time frame as written).
LEADS_AND_TIMEFRAMES = [
    (1, VHXH, "Trước ngày 15/01/2026"),
    (2, VHXH, YEAR),
    (3, VP, YEAR),
    (4, VHXH, "Quý I/2026"),
    (5, VHXH, YEAR),
    (6, VHXH, "Quý III,IV/2026"),
    (7, VP, YEAR),
    (8, VP, YEAR),
    (9, VP, YEAR),
    (10, VP, YEAR),
    (11, TTHCC, "Quý I năm 2026"),
    (12, TTHCC, STANDING),
    (13, "Cổng thông tin điện tử đặc khu", STANDING),
    (14, TTHCC, STANDING),
    (15, TTHCC, STANDING),
    (16, TTHCC, STANDING),
    (17, TTHCC, STANDING),
    (18, TTHCC, STANDING),
    (19, VHXH, ROW_19_TIMEFRAME),
    (20, VHXH, YEAR),
    (21, VHXH, YEAR),
    (22, VHXH, YEAR),
    (23, "Phòng Tài chính", YEAR),
    (24, "Công an đặc khu", YEAR),
    (25, VHXH, YEAR),
    (26, VHXH, YEAR),
]

ROW_21_HALVES = (
    "Tiếp tục triển khai thực hiện các văn bản quy phạm pháp luật về xây dựng, quản lý đội ngũ cán"
    " bộ, công chức, viên chức theo quy định của Luật Cán bộ, công chức; Luật Viên chức, các quy"
    " định khác có liên",
    "nhằm xây dựng đội ngũ cán bộ, công chức, viên chức có đủ năng lực, phẩm chất, cơ cấu hợp lý,"
    " đáp ứng yêu cầu nhiệm vụ và sự phát triển đất nước trong giai đoạn mới",
)


@pytest.fixture(scope="module")
def seed() -> PlanSeed:
    return read_seed(SEED_PATH)


def row_cells(task) -> str:
    return "\t".join([task.lead, task.partners[0], task.timeframe, task.product])


def test_the_source_text_is_kept_in_the_repository_as_nfc_utf8():
    assert SOURCE_PATH.read_bytes().decode("utf-8") == SOURCE
    assert unicodedata.normalize("NFC", SOURCE) == SOURCE
    assert "Số: 07/QĐ-UBND" in SOURCE


def test_the_default_seed_path_is_the_shipped_plan(seed):
    assert default_seed_path().resolve() == SEED_PATH.resolve()
    assert read_seed(default_seed_path()) == seed


def test_the_seed_loads_with_the_decisions_header(seed):
    plan = seed.plan
    assert plan.number == "07/QĐ-UBND"
    assert plan.date == dt.date(2026, 1, 7)
    assert plan.issuer == "Ủy ban nhân dân đặc khu Bạch Long Vĩ"
    assert plan.place == "Bạch Long Vĩ"
    assert plan.title == "Kế hoạch Cải cách hành chính nhà nước đặc khu Bạch Long Vĩ năm 2026"
    assert (plan.year, plan.signer_title, plan.signer_name) == (2026, "Chủ tịch", "Đào Minh Đông")


def test_the_seed_has_the_seven_areas_with_their_appendix_and_section_titles(seed):
    assert [(a.code, a.title, a.section_title) for a in seed.areas] == [
        ("I", "Chỉ đạo điều hành, kiểm tra và tuyên truyền", "Công tác chỉ đạo, điều hành"),
        ("II", "Cải cách thể chế", "Cải cách thể chế"),
        ("III", "Cải cách thủ tục hành chính", "Cải cách thủ tục hành chính"),
        ("IV", "Cải cách tổ chức bộ máy", "Cải cách tổ chức bộ máy"),
        ("V", "Cải cách chế độ công vụ", "Cải cách chế độ công vụ"),
        ("VI", "Cải cách tài chính công", "Cải cách tài chính công"),
        (
            "VII",
            "Xây dựng Chính quyền điện tử, Chính quyền số",
            "Xây dựng và phát triển chính quyền điện tử, chính quyền số",
        ),
    ]
    for area in seed.areas:
        assert f"\n{area.code}. {area.title}\t" in SOURCE
        assert f". {area.section_title}\n" in SOURCE


def test_the_seed_has_26_tasks_in_their_areas(seed):
    assert [t.stt for t in seed.tasks] == list(range(1, 27))
    areas = {t.stt: t.area for t in seed.tasks}
    expected = {
        **dict.fromkeys(range(1, 7), "I"),
        **dict.fromkeys(range(7, 11), "II"),
        **dict.fromkeys(range(11, 19), "III"),
        **dict.fromkeys(range(19, 21), "IV"),
        **dict.fromkeys(range(21, 23), "V"),
        23: "VI",
        **dict.fromkeys(range(24, 27), "VII"),
    }
    assert areas == expected


def test_every_task_has_its_lead_unit_and_time_frame_as_the_source_writes_them(seed):
    assert [(t.stt, t.lead, t.timeframe) for t in seed.tasks] == LEADS_AND_TIMEFRAMES


@pytest.mark.parametrize("stt", [s for s in range(1, 27) if s not in (3, 19, 21, 23)])
def test_a_plain_row_is_one_line_of_the_source_table_cell_for_cell(seed, stt):
    task = seed.tasks[stt - 1]
    assert task.subitems == ()
    assert len(task.partners) == 1
    assert f"{stt}\t{task.content}\t{row_cells(task)}" in SOURCE_LINES


@pytest.mark.parametrize(("stt", "marker"), [(3, ""), (19, "- ")])
def test_a_row_with_a_header_keeps_the_header_as_content_and_the_sub_row_as_subitem(
    seed, stt, marker
):
    task = seed.tasks[stt - 1]
    header = SOURCE_LINES.index(f"{stt}\t{task.content}\t\t\t\t")
    (subitem,) = task.subitems
    assert SOURCE_LINES[header + 1] == f"\t{marker}{subitem}\t{row_cells(task)}"


def test_row_21_joins_the_two_halves_split_by_the_page_break(seed):
    task = seed.tasks[20]
    first, second = ROW_21_HALVES
    assert task.content == f"{first} {second}"
    assert f"21\t{first}\t{row_cells(task)}" in SOURCE_LINES
    assert f"\t{second}\t\t\t\t" in SOURCE_LINES


def test_row_23_drops_the_html_markup_and_lists_its_three_items(seed):
    task = seed.tasks[22]
    (line,) = [ln for ln in SOURCE_LINES if ln.startswith("23\t")]
    assert task.content == "Cải cách tài chính công"  # the heading of its group VI (D5)
    assert len(task.subitems) == 3
    for item in task.subitems:
        assert f" - {item}" in line
        assert "<" not in item and not item.startswith("-")
    assert line.endswith(f"\t{row_cells(task)}")
    assert all("<" not in text for t in seed.tasks for text in (t.content, *t.subitems))


def test_each_tasks_words_occur_in_the_source(seed):
    for task in seed.tasks:
        pieces = [task.lead, *task.partners, task.timeframe, task.product, *task.subitems]
        pieces += ROW_21_HALVES if task.stt == 21 else [task.content]
        for piece in pieces:
            assert " ".join(piece.split()) in SOURCE_FLAT, (task.stt, piece)


def test_the_source_s_own_wordings_are_kept_verbatim(seed):
    assert seed.tasks[13].product == "Báo kết quả rà soát, văn bản đề nghị thẩm định chất lượng,"
    assert "đảm bảo đầy đủ, thời 100% thủ tục" in seed.tasks[11].content
    assert seed.tasks[20].content.count("có liên nhằm") == 1


def test_every_time_frame_in_the_seed_is_read(seed):
    for task in seed.tasks:
        deadline = parse_timeframe(task.timeframe)
        assert deadline.kind is not DeadlineKind.UNPARSED, (task.stt, task.timeframe)
        assert deadline.text == task.timeframe


def test_every_text_in_the_seed_is_nfc(seed):
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list | tuple):
            for v in value:
                yield from strings(v)

    texts = list(strings(seed.model_dump(mode="json")))
    assert len(texts) > 200
    for text in texts:
        assert unicodedata.normalize("NFC", text) == text, text


def test_every_lead_and_partner_names_a_unit(seed):
    names = seed.unit_names()
    for task in seed.tasks:
        for name in (task.lead, *task.partners):
            assert name in names, (task.stt, name)
    assert names["Văn phòng UBND đặc khu"].code == "vp_ubnd"
    assert names["Cổng thông tin điện tử đặc khu"].code == "cong_ttdt"
    assert names["Công Thông tin điện tử đặc khu"].code == "cong_ttdt"
    assert names["Các đơn vị có liên quan"].role is UnitRole.GROUP
    assert names["Các cơ quan, đơn vị có liên quan"].role is UnitRole.GROUP


def test_units_carry_the_roles_and_duty_clauses_of_section_iv_2(seed):
    by_code = {u.code: u for u in seed.units}
    assert {code: (u.role.value, u.duty_clause, len(u.duties)) for code, u in by_code.items()} == {
        "vhxh": ("consolidator", "a", 4),
        "vp_ubnd": ("unit", "b", 4),
        "tai_chinh": ("unit", "đ", 4),
        "tthcc": ("unit", "e", 1),
        "tt_dvsnc": ("unit", "f", 2),
        "cong_ttdt": ("unit", "f", 2),
        "cong_an": ("unit", None, 0),
        "bcd_khcn_cds": ("group", "g", 1),
        "don_vi_duoc_giao": ("group", "h", 1),
        "mttq": ("external", "i", 1),
        "so_noi_vu": ("city", None, 0),
        "ubnd_tp": ("city", None, 0),
        "ubnd_dk": ("unit", None, 0),
        "cac_don_vi": ("group", None, 0),
        "cac_co_quan_don_vi": ("group", None, 0),
    }
    assert by_code["vhxh"].name == "Phòng Văn hóa - Xã hội"
    assert by_code["cong_ttdt"].name == "Cổng Thông tin điện tử đặc khu"


def test_every_duty_and_every_unit_name_occurs_in_the_source(seed):
    for unit in seed.units:
        for duty in unit.duties:
            assert duty in SOURCE_FLAT, (unit.code, duty)
        for name in unit.aliases:
            assert name in SOURCE_FLAT, (unit.code, name)
        if unit.code != "cong_ttdt":  # its correct spelling never appears in full (D9)
            assert unit.name in SOURCE_FLAT, unit.code


def test_the_targets_are_section_i_2_and_rows_12_13_and_18(seed):
    assert [(t.code, t.source, t.metric, t.op.value, t.threshold) for t in seed.targets] == [
        ("a", "I.2.a", "par_index", "improved", None),
        ("b", "I.2.b", "city_tasks_done_on_time", ">=", 100),
        ("c", "I.2.c", "plan_tasks_done_on_time", ">=", 100),
        ("d", "I.2.d", "inspections_held", ">=", 1),
        ("e", "I.2.e", "dossiers_tracked", ">=", 100),
        ("f", "I.2.f", "satisfaction", ">=", 90),
        ("t12", "Phụ lục, dòng 12", "tthc_published_on_time", ">=", 100),
        ("t13", "Phụ lục, dòng 13", "tthc_on_portal", ">=", 100),
        ("t18", "Phụ lục, dòng 18", "online_payment_share", ">=", 80),
    ]
    for target in seed.targets:
        assert target.text in SOURCE_FLAT, target.code
    assert seed.targets[-1].text == seed.tasks[17].content
    assert [t.text for t in seed.targets[-3:-1]] == [seed.tasks[11].content, seed.tasks[12].content]


# Malformed seeds: (what is wrong, replace this text, with this, expected `where`).
SEED_TEXT = SEED_PATH.read_text(encoding="utf-8")
MALFORMED = [
    ("a wrong type", "stt = 4\n", 'stt = "bốn"\n', "tasks[3].stt"),
    ("a missing field", 'product = "Kết quả điều tra"\n', "", "tasks[1].product"),
    (
        "an unknown lead unit",
        'lead = "Công an đặc khu"',
        'lead = "Công an thành phố"',
        "tasks[23].lead",
    ),
    (
        "an unknown partner unit",
        'partners = ["Trung tâm Phục vụ hành chính công đặc khu"]',
        'partners = ["Trung tâm không có thật"]',
        "tasks[12].partners[0]",
    ),
    ("an unknown field", "stt = 1\n", 'stt = 1\ncolour = "red"\n', "tasks[0].colour"),
    (
        "an area outside I–VII",
        'stt = 26\narea = "VII"',
        'stt = 26\narea = "VIII"',
        "tasks[25].area",
    ),
    ("a row out of sequence", "stt = 26\n", "stt = 27\n", "tasks[25].stt"),
    ("an empty product", 'product = "Báo cáo kết quả"\n', 'product = " "\n', "tasks[5].product"),
    (
        "decomposed text",
        'content = "Kiểm tra nội bộ"',
        'content = "' + unicodedata.normalize("NFD", "Kiểm tra nội bộ") + '"',
        "tasks[2].content",
    ),
    ("a bad date in the header", "date = 2026-01-07", 'date = "07/01/2026"', "plan.date"),
    ("a repeated unit code", 'code = "cong_an"', 'code = "vhxh"', "units[6].code"),
    (
        "a name given to two units",
        'aliases = ["UBND đặc khu",',
        'aliases = ["Văn phòng UBND đặc khu",',
        "units[12].aliases[0]",
    ),
    ("an unknown target operator", 'op = "improved"', 'op = "better"', "targets[0].op"),
]


@pytest.mark.parametrize(
    ("wrong", "old", "new", "where"), MALFORMED, ids=[case[0] for case in MALFORMED]
)
def test_a_malformed_seed_is_refused_naming_the_bad_field(tmp_path, wrong, old, new, where):
    assert SEED_TEXT.count(old) >= 1, wrong
    path = tmp_path / "seed.toml"
    path.write_text(SEED_TEXT.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SeedInvalid) as caught:
        read_seed(path)
    assert caught.value.params["where"] == where
    assert caught.value.params["problem"]


def test_a_wrong_type_is_refused_quoting_the_bad_value(tmp_path):
    path = tmp_path / "seed.toml"
    path.write_text(SEED_TEXT.replace("stt = 4\n", 'stt = "bốn"\n', 1), encoding="utf-8")
    with pytest.raises(SeedInvalid) as caught:
        read_seed(path)
    assert caught.value.params == {
        "where": "tasks[3].stt",
        "problem": "Input should be a valid integer, unable to parse string as an integer: 'bốn'",
    }


def test_an_unknown_unit_is_refused_quoting_its_name(tmp_path):
    path = tmp_path / "seed.toml"
    text = SEED_TEXT.replace('lead = "Công an đặc khu"', 'lead = "Công an thành phố"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SeedInvalid) as caught:
        read_seed(path)
    assert caught.value.params == {
        "where": "tasks[23].lead",
        "problem": "unit 'Công an thành phố' is not among units",
    }


def test_bad_toml_is_refused_naming_the_line_and_quoting_it(tmp_path):
    lines = SEED_TEXT.split("\n")
    number = lines.index("stt = 5") + 1
    lines[number - 1] = "stt = "
    path = tmp_path / "seed.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SeedInvalid) as caught:
        read_seed(path)
    assert caught.value.params == {"where": f"line {number}", "problem": "Invalid value: 'stt = '"}


def test_a_seed_that_is_not_utf8_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "seed.toml"
    path.write_bytes(b'# ok\n# ok\ntitle = "K\xea ho\xe1ch"\n')
    with pytest.raises(SeedInvalid) as caught:
        read_seed(path)
    assert caught.value.params == {"where": "line 3", "problem": "not UTF-8 text"}


def test_a_missing_seed_file_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "absent.toml"
    with pytest.raises(SeedInvalid) as caught:
        read_seed(path)
    assert caught.value.params["where"] == str(path)


def test_an_empty_seed_is_refused_at_its_first_missing_section():
    with pytest.raises(SeedInvalid) as caught:
        parse_seed("")
    assert caught.value.params == {"where": "plan", "problem": "Field required"}


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        (("tasks", 3, "lead"), "tasks[3].lead"),
        (("tasks", 12, "partners", 0), "tasks[12].partners[0]"),
        (("plan", "date"), "plan.date"),
        (("areas",), "areas"),
        ((), "(document)"),
    ],
)
def test_a_field_path_reads_like_the_file(loc, path):
    assert field_path(loc) == path


def test_section_ii_solutions_are_data_beside_each_area(seed):
    counts = {a.code: len(a.solutions) for a in seed.areas}
    assert counts == {"I": 4, "II": 4, "III": 6, "IV": 4, "V": 4, "VI": 2, "VII": 6}
    for area in seed.areas:
        for i, item in enumerate(area.solutions):
            assert item.startswith(("a) ", "b) ", "c) ", "d) ", "đ) ", "e) ")), area.code
            assert item in SOURCE_FLAT, (area.code, i)  # verbatim (page breaks joined)
    assert seed.areas[1].solutions[3].endswith("số hóa công tác phổ biến, giáo dục pháp luật.")
    assert seed.areas[6].solutions[-1].startswith("e) Tiếp tục duy trì hiệu quả")
    assert "Danh mục nhiệm vụ" not in seed.areas[6].solutions[-1]


def test_row_1_is_done_by_the_decision_itself_on_07_01_2026():
    """The plan's own fact (issue 19): row 1's product, the Kế hoạch, is issued by this very
    decision on 07/01/2026; "Trước ngày 15/01/2026" means by 14/01/2026, so it is on time."""
    row1 = next(t for t in read_seed(default_seed_path()).tasks if t.stt == 1)
    assert row1.done_on == dt.date(2026, 1, 7)
    assert [(d.doc_type, d.number, d.date) for d in row1.evidence] == [
        ("Quyết định", "07/QĐ-UBND", dt.date(2026, 1, 7))
    ]
    assert (default_seed_path().parent / row1.evidence[0].file).read_text().count(
        "Số: 07/QĐ-UBND"
    ) == 1
    others = [t.stt for t in read_seed(default_seed_path()).tasks if t.done_on or t.evidence]
    assert others == [1]
