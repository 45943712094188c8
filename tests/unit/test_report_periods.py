"""Reporting periods: the national cut-offs, due dates from the data file, and refused strings."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.domain.periods import PeriodCalendar, PeriodInvalid, PeriodKind
from cchc.services.periods import calendar, load_calendar

D = dt.date


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2026-01", PeriodKind.MONTH, D(2025, 12, 15), D(2026, 1, 14)),
        ("2026-02", PeriodKind.MONTH, D(2026, 1, 15), D(2026, 2, 14)),
        ("2026-12", PeriodKind.MONTH, D(2026, 11, 15), D(2026, 12, 14)),
        ("2026-Q1", PeriodKind.Q1, D(2025, 12, 15), D(2026, 3, 14)),
        ("2026-Q2", PeriodKind.Q2, D(2026, 3, 15), D(2026, 6, 14)),
        ("2026-Q3", PeriodKind.Q3, D(2026, 6, 15), D(2026, 9, 14)),
        ("2026-Q4", PeriodKind.Q4, D(2026, 9, 15), D(2026, 12, 14)),
        ("2026-H1", PeriodKind.H1, D(2025, 12, 15), D(2026, 6, 14)),
        ("2026-9M", PeriodKind.M9, D(2025, 12, 15), D(2026, 9, 14)),
        ("2026", PeriodKind.YEAR, D(2025, 12, 15), D(2026, 12, 14)),
    ],
)
def test_each_period_string_covers_the_national_cut_off_days(text, kind, start, end):
    period = calendar().parse(text)
    assert (period.code, period.kind, period.start, period.end) == (text, kind, start, end)


def test_due_dates_come_from_the_data_file_days_after_end_and_pinned_dates():
    assert calendar().parse("2026-Q1").due == D(2026, 3, 17)
    assert calendar().parse("2026").due == D(2026, 12, 16)  # pinned in [years.2026.due_dates]


def test_a_year_can_have_its_own_cut_offs_without_code(tmp_path):
    path = tmp_path / "periods.toml"
    path.write_text(
        '[default]\nmonth_start_day = 15\nmonth_end_day = 14\ncumulative_start = "12-15"\n'
        'due_days_after_end = 3\n[default.cutoffs]\nQ1 = "03-14"\nH1 = "06-14"\n9M = "09-14"\n'
        'Y = "12-14"\n[years.2027]\ncumulative_start = "12-20"\ndue_days_after_end = 5\n'
        '[years.2027.cutoffs]\nH1 = "06-20"\n',
        encoding="utf-8",
    )
    cal = load_calendar(path)
    h1 = cal.parse("2027-H1")
    assert (h1.start, h1.end, h1.due) == (D(2026, 12, 20), D(2027, 6, 20), D(2027, 6, 25))
    assert cal.parse("2026-H1").end == D(2026, 6, 14)


@pytest.mark.parametrize(
    "text",
    [
        "2026-13",
        "2026-00",
        "26-01",
        "2026-Q5",
        "2026-Q0",
        "2026-Q",
        "2026/01",
        "",
        "năm 2026",
        "2026-1",
        "2026-H2",
        "2026-12M",
    ],
)
def test_other_period_strings_are_refused_quoting_the_value(text):
    with pytest.raises(PeriodInvalid) as info:
        calendar().parse(text)
    # the value as typed; the other parameters are the valid forms in the year typed (issue 21:
    # the message names no fixed year)
    assert info.value.params["value"] == text
    assert set(info.value.params) - {"value"} == {
        "year",
        *(f"form_{k}" for k in ("01", "12", "q1", "q2", "q3", "q4", "h1", "9m")),
    }


def test_a_calendar_without_all_cut_offs_is_refused():
    with pytest.raises(Exception) as info:
        PeriodCalendar(
            {
                "default": {
                    "month_start_day": 15,
                    "month_end_day": 14,
                    "cumulative_start": "12-15",
                    "due_days_after_end": 3,
                    "cutoffs": {"Q1": "03-14"},
                }
            }
        )
    assert info.value.params["where"] == "cutoffs"


def test_months_within_a_quarter_are_its_three_months():
    cal = calendar()
    assert [p.code for p in cal.months_within(cal.parse("2026-Q1"))] == [
        "2026-01",
        "2026-02",
        "2026-03",
    ]


def test_every_period_of_a_year_has_its_first_and_last_day_by_the_decree():
    got = {p.code: (p.start, p.end) for p in calendar().year_periods(2026)}
    months = {
        f"2026-{m:02d}": (D(2026, m - 1, 15) if m > 1 else D(2025, 12, 15), D(2026, m, 14))
        for m in range(1, 13)
    }
    assert got == {
        **months,
        "2026-Q1": (D(2025, 12, 15), D(2026, 3, 14)),
        "2026-Q2": (D(2026, 3, 15), D(2026, 6, 14)),
        "2026-Q3": (D(2026, 6, 15), D(2026, 9, 14)),
        "2026-Q4": (D(2026, 9, 15), D(2026, 12, 14)),
        "2026-H1": (D(2025, 12, 15), D(2026, 6, 14)),
        "2026-9M": (D(2025, 12, 15), D(2026, 9, 14)),
        "2026": (D(2025, 12, 15), D(2026, 12, 14)),
    }
    # The quarters, like the months, follow each other without a gap or an overlap.
    quarters = [calendar().parse(f"2026-Q{q}") for q in range(1, 5)]
    for before, after in zip(quarters, quarters[1:], strict=False):
        assert after.start == before.end + dt.timedelta(days=1)
    assert [p.code for p in calendar().months_within(quarters[1])] == [
        "2026-04",
        "2026-05",
        "2026-06",
    ]


def test_the_calendar_file_names_its_legal_source():
    assert "09/2019/NĐ-CP" in calendar().source(2026)
    assert "Điều 12" in calendar().source(2026)


def test_an_unknown_period_gets_a_message_listing_the_valid_forms():
    from cchc.texts.errors import describe

    with pytest.raises(PeriodInvalid) as info:
        calendar().parse("2026-Q5")
    text = describe(info.value)
    assert "2026-Q5" in text
    assert "YYYY-Q1" in describe(PeriodInvalid(value="quý 1"))  # no year typed: none made up
    for form in ("2026-01", "2026-12", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2026-H1"):
        assert form in text
    assert "2026-9M" in text and "09/2019/NĐ-CP" in text
