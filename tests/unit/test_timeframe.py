"""The time-frame parser reads every form the plan uses (and the common ones it does not use yet),
keeps the words, and flags what it cannot read instead of guessing or crashing."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.domain.deadline import Cadence, DeadlineKind
from cchc.domain.timeframe import parse_timeframe

D = dt.date
HARD, WINDOW, YEAR = DeadlineKind.HARD_DATE, DeadlineKind.WINDOW, DeadlineKind.YEAR
STANDING, LATER = DeadlineKind.STANDING, DeadlineKind.SET_LATER

ROW_19_TIMEFRAME = (
    "Theo hướng dẫn của Trung ương và Kế hoạch số 310/KH-UBND ngày 24/11/2025 của UBND thành phố"
)

# (words, kind, window_start, due)
# Issue 19: "Trước ngày D" is met by the day before D (D itself is late); "chậm nhất", "đến
# hết", "trong" and a bare "ngày" include D. (These rows read D for "trước" before.)
DATED_FORMS = [
    ("Trước ngày 15/01/2026", HARD, None, D(2026, 1, 14)),
    ("Trước 30/06/2026", HARD, None, D(2026, 6, 29)),
    ("Trước ngày 30/6/2026", HARD, None, D(2026, 6, 29)),
    ("Trước ngày 29/02/2028", HARD, None, D(2028, 2, 28)),
    ("Trước ngày 01/01/2027", HARD, None, D(2026, 12, 31)),
    ("Chậm nhất ngày 15/3/2026", HARD, None, D(2026, 3, 15)),
    ("Chậm nhất là ngày 15/3/2026", HARD, None, D(2026, 3, 15)),
    ("Đến hết ngày 30/6/2026", HARD, None, D(2026, 6, 30)),
    ("Trong ngày 30/6/2026", HARD, None, D(2026, 6, 30)),
    ("Hoàn thành trước ngày 15 tháng 01 năm 2026", HARD, None, D(2026, 1, 14)),
    ("Quý I/2026", WINDOW, D(2026, 1, 1), D(2026, 3, 31)),
    ("Quý I năm 2026", WINDOW, D(2026, 1, 1), D(2026, 3, 31)),
    ("Quý II/2026", WINDOW, D(2026, 4, 1), D(2026, 6, 30)),
    ("Quý III/2026", WINDOW, D(2026, 7, 1), D(2026, 9, 30)),
    ("Quý IV/2026", WINDOW, D(2026, 10, 1), D(2026, 12, 31)),
    ("Quý II/2027", WINDOW, D(2027, 4, 1), D(2027, 6, 30)),
    ("Quý 1/2026", WINDOW, D(2026, 1, 1), D(2026, 3, 31)),
    ("Quý 3 năm 2026", WINDOW, D(2026, 7, 1), D(2026, 9, 30)),
    ("trong Quý I/2026", WINDOW, D(2026, 1, 1), D(2026, 3, 31)),
    ("Quý III,IV/2026", WINDOW, D(2026, 7, 1), D(2026, 12, 31)),
    ("Quý III, IV/2026", WINDOW, D(2026, 7, 1), D(2026, 12, 31)),
    ("Quý I và II/2026", WINDOW, D(2026, 1, 1), D(2026, 6, 30)),
    ("Quý II, III và IV năm 2026", WINDOW, D(2026, 4, 1), D(2026, 12, 31)),
    # Non-contiguous quarters: one window from the first quarter's start to the last one's end.
    ("Quý I và III/2026", WINDOW, D(2026, 1, 1), D(2026, 9, 30)),
    ("6 tháng đầu năm 2026", WINDOW, D(2026, 1, 1), D(2026, 6, 30)),
    ("6 tháng cuối năm 2026", WINDOW, D(2026, 7, 1), D(2026, 12, 31)),
    ("Tháng 3/2026", WINDOW, D(2026, 3, 1), D(2026, 3, 31)),
    ("Tháng 02/2028", WINDOW, D(2028, 2, 1), D(2028, 2, 29)),
    ("Tháng 12 năm 2026", WINDOW, D(2026, 12, 1), D(2026, 12, 31)),
    ("Cả năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31)),
    ("Năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31)),
    ("Trong năm 2027", YEAR, D(2027, 1, 1), D(2027, 12, 31)),
]

STANDING_FORMS = [
    ("Thường xuyên", Cadence.MONTHLY),
    ("Hằng tháng", Cadence.MONTHLY),
    ("Hàng tháng", Cadence.MONTHLY),
    ("Hằng quý", Cadence.QUARTERLY),
    ("Hàng quý", Cadence.QUARTERLY),
    ("6 tháng một lần", Cadence.HALF_YEARLY),
    ("Hằng năm", Cadence.YEARLY),
    ("Hàng năm", Cadence.YEARLY),
]

SET_LATER_FORMS = [
    ROW_19_TIMEFRAME,
    "Theo chỉ đạo của Ủy ban nhân dân thành phố",
    "Theo kế hoạch của Sở Nội vụ",
    "Theo hướng dẫn của Bộ Nội vụ",
]

# Every time frame of the plan's 26 rows: (stt, words, kind, window_start, due, cadence).
PLAN_ROWS = [
    (1, "Trước ngày 15/01/2026", HARD, None, D(2026, 1, 14), None),
    (2, "Cả năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31), None),
    (3, "Cả năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31), None),
    (4, "Quý I/2026", WINDOW, D(2026, 1, 1), D(2026, 3, 31), None),
    (5, "Cả năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31), None),
    (6, "Quý III,IV/2026", WINDOW, D(2026, 7, 1), D(2026, 12, 31), None),
    (7, "Cả năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31), None),
    (8, "Cả năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31), None),
    (9, "Cả năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31), None),
    (10, "Cả năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31), None),
    (11, "Quý I năm 2026", WINDOW, D(2026, 1, 1), D(2026, 3, 31), None),
    (12, "Thường xuyên", STANDING, None, None, Cadence.MONTHLY),
    (13, "Thường xuyên", STANDING, None, None, Cadence.MONTHLY),
    (14, "Thường xuyên", STANDING, None, None, Cadence.MONTHLY),
    (15, "Thường xuyên", STANDING, None, None, Cadence.MONTHLY),
    (16, "Thường xuyên", STANDING, None, None, Cadence.MONTHLY),
    (17, "Thường xuyên", STANDING, None, None, Cadence.MONTHLY),
    (18, "Thường xuyên", STANDING, None, None, Cadence.MONTHLY),
    (19, ROW_19_TIMEFRAME, LATER, None, None, None),
    (20, "Cả năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31), None),
    (21, "Cả năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31), None),
    (22, "Cả năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31), None),
    (23, "Cả năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31), None),
    (24, "Cả năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31), None),
    (25, "Cả năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31), None),
    (26, "Cả năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31), None),
]

MALFORMED = [
    "",
    "   ",
    "Trước ngày 31/02/2026",  # no such date
    "Trước ngày 29/02/2027",  # not a leap year
    "Trước ngày 15/13/2026",
    "Trước ngày 00/01/2026",
    "Quý V/2026",
    "Quý 0/2026",
    "Quý 5/2026",
    "Quý II,I/2026",  # out of order: not guessed
    "Quý I,I/2026",  # repeated
    "Quý I",  # no year
    "Tháng 13/2026",
    "Tháng 0/2026",
    "Năm 0000",
    "Cả năm",
    "Sớm nhất có thể",
    "Khi có chỉ đạo",
    "2026",
    "15/01/2026",
    "Trước ngày 15/01/26",
]


@pytest.mark.parametrize(("words", "kind", "start", "due"), DATED_FORMS)
def test_a_dated_form_becomes_its_kind_window_and_due_date(words, kind, start, due):
    deadline = parse_timeframe(words)
    assert (deadline.kind, deadline.window_start, deadline.due) == (kind, start, due)
    assert deadline.cadence is None
    assert deadline.flagged is False
    assert deadline.text == words


@pytest.mark.parametrize(("words", "cadence"), STANDING_FORMS)
def test_a_standing_duty_has_a_reporting_cadence_and_no_due_date(words, cadence):
    deadline = parse_timeframe(words)
    assert (deadline.kind, deadline.cadence) == (STANDING, cadence)
    assert (deadline.window_start, deadline.due, deadline.flagged) == (None, None, False)


@pytest.mark.parametrize("words", SET_LATER_FORMS)
def test_words_naming_outside_guidance_leave_the_due_date_to_be_set_later(words):
    deadline = parse_timeframe(words)
    assert (deadline.kind, deadline.due, deadline.window_start) == (LATER, None, None)
    assert deadline.flagged is False
    assert deadline.text == words


@pytest.mark.parametrize(("stt", "words", "kind", "start", "due", "cadence"), PLAN_ROWS)
def test_every_time_frame_of_the_plan_is_read(stt, words, kind, start, due, cadence):
    deadline = parse_timeframe(words)
    assert (deadline.kind, deadline.window_start, deadline.due, deadline.cadence) == (
        kind,
        start,
        due,
        cadence,
    ), f"row {stt}"


@pytest.mark.parametrize("words", MALFORMED)
def test_words_that_cannot_be_read_are_kept_and_flagged_never_guessed(words):
    deadline = parse_timeframe(words)
    assert deadline.kind is DeadlineKind.UNPARSED
    assert deadline.flagged is True
    assert (deadline.window_start, deadline.due, deadline.cadence) == (None, None, None)
    assert deadline.text == words


@pytest.mark.parametrize(
    ("words", "same_as"),
    [
        ("QUÝ I/2026", "Quý I/2026"),
        ("quý i/2026", "Quý I/2026"),
        ("  Quý   III , IV / 2026  ", "Quý III,IV/2026"),
        ("Qúy II/2026", "Quý II/2026"),
        ("THƯỜNG XUYÊN", "Thường xuyên"),
        ("Thường\txuyên.", "Thường xuyên"),
        ("trước   ngày 15/01/2026", "Trước ngày 15/01/2026"),
        ("CẢ NĂM 2026", "Cả năm 2026"),
        ("6  THÁNG ĐẦU NĂM 2026", "6 tháng đầu năm 2026"),
        ("theo HƯỚNG DẪN của Trung ương", "Theo hướng dẫn của Trung ương"),
    ],
)
def test_case_and_whitespace_do_not_change_the_reading(words, same_as):
    got, expected = parse_timeframe(words), parse_timeframe(same_as)
    assert got.model_dump(exclude={"text"}) == expected.model_dump(exclude={"text"})
    assert got.kind is not DeadlineKind.UNPARSED


@pytest.mark.parametrize("words", ["Quý I/2026", "Trước ngày 15/01/2026", "Thường xuyên"])
def test_decomposed_input_is_read_and_kept_as_nfc(words):
    decomposed = unicodedata.normalize("NFD", words)
    assert decomposed != words
    deadline = parse_timeframe(decomposed)
    assert deadline.text == words
    assert deadline.model_dump(exclude={"text"}) == parse_timeframe(words).model_dump(
        exclude={"text"}
    )


def test_the_words_are_kept_as_given_not_tidied():
    assert parse_timeframe("  quý i/2026 ").text == "  quý i/2026 "


@given(st.text())
def test_no_text_makes_the_parser_raise_and_the_reading_is_coherent(words):
    deadline = parse_timeframe(words)
    assert deadline.text == unicodedata.normalize("NFC", words)
    assert deadline.flagged is (deadline.kind is DeadlineKind.UNPARSED)
    if deadline.window_start is not None:
        assert deadline.due is not None and deadline.window_start <= deadline.due
    assert (deadline.cadence is not None) is (deadline.kind is DeadlineKind.STANDING)


@given(st.text(alphabet=st.sampled_from("QuýTrướcngàyThángNămcả/0123456789IVX,và .-"), max_size=40))
def test_near_miss_time_frames_never_raise_and_keep_their_words(words):
    deadline = parse_timeframe(words)
    assert deadline.text == words
    assert deadline.flagged is (deadline.kind is DeadlineKind.UNPARSED)


# Time frames as officials write them in other plans: dates in words, a verb before the frame,
# recurring duties named with "định kỳ", and on-demand duties.
OFFICIAL_FORMS = [
    # "trước": the day before the date named (issue 19)
    ("Trước ngày 15 tháng 01 năm 2026", HARD, None, D(2026, 1, 14), None),
    ("Chậm nhất ngày 30 tháng 6 năm 2026", HARD, None, D(2026, 6, 30), None),
    ("Hoàn thành trước ngày 20 tháng 3 năm 2026", HARD, None, D(2026, 3, 19), None),
    ("ngày 05 tháng 9 năm 2026", HARD, None, D(2026, 9, 5), None),
    ("Thực hiện trước ngày 15/01/2026", HARD, None, D(2026, 1, 14), None),
    ("Hoàn thành trong Quý I/2026", WINDOW, D(2026, 1, 1), D(2026, 3, 31), None),
    ("Hoàn thành trong quý III năm 2026", WINDOW, D(2026, 7, 1), D(2026, 9, 30), None),
    (
        "Triển khai thực hiện trong 6 tháng đầu năm 2026",
        WINDOW,
        D(2026, 1, 1),
        D(2026, 6, 30),
        None,
    ),
    ("Ban hành trong tháng 4/2026", WINDOW, D(2026, 4, 1), D(2026, 4, 30), None),
    ("Thực hiện trong năm 2026", YEAR, D(2026, 1, 1), D(2026, 12, 31), None),
    ("Định kỳ hằng tháng", STANDING, None, None, Cadence.MONTHLY),
    ("Định kỳ hàng tháng", STANDING, None, None, Cadence.MONTHLY),
    ("định kỳ hằng quý", STANDING, None, None, Cadence.QUARTERLY),
    ("Định kỳ hàng quý", STANDING, None, None, Cadence.QUARTERLY),
    ("Định kỳ hằng năm", STANDING, None, None, Cadence.YEARLY),
    ("Định kỳ hàng năm", STANDING, None, None, Cadence.YEARLY),
    ("Định kỳ 6 tháng", STANDING, None, None, Cadence.HALF_YEARLY),
    ("Báo cáo định kỳ hằng quý", STANDING, None, None, Cadence.QUARTERLY),
    ("Thực hiện thường xuyên", STANDING, None, None, Cadence.MONTHLY),
    ("Khi có yêu cầu", DeadlineKind.ON_DEMAND, None, None, None),
    ("Thực hiện khi có yêu cầu", DeadlineKind.ON_DEMAND, None, None, None),
    ("Theo yêu cầu của Ủy ban nhân dân thành phố", DeadlineKind.ON_DEMAND, None, None, None),
    ("Đột xuất khi có yêu cầu", DeadlineKind.ON_DEMAND, None, None, None),
]


@pytest.mark.parametrize(("words", "kind", "start", "due", "cadence"), OFFICIAL_FORMS)
def test_official_wordings_are_read_to_their_dates(words, kind, start, due, cadence):
    deadline = parse_timeframe(words)
    assert (deadline.kind, deadline.window_start, deadline.due, deadline.cadence) == (
        kind,
        start,
        due,
        cadence,
    )
    assert deadline.flagged is False
    assert deadline.text == words


@pytest.mark.parametrize(
    "words",
    [
        "Định kỳ",  # no cadence named: not guessed
        "Định kỳ hằng tuần lễ",
        "Hoàn thành",  # a verb with no frame
        "Thực hiện sớm",
        "Trước ngày 31 tháng 02 năm 2026",  # no such day
        "Trước ngày 15 tháng 13 năm 2026",
        "ngày 15 tháng 01",  # no year
        "Hoàn thành trong quý V/2026",
    ],
)
def test_official_wordings_that_cannot_be_read_stay_flagged(words):
    deadline = parse_timeframe(words)
    assert (deadline.kind, deadline.flagged, deadline.due) == (DeadlineKind.UNPARSED, True, None)
