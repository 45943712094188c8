"""One Vietnamese number format: 94,4%, 1.234,5, 15.000.000 đ."""

from __future__ import annotations

import pytest

from cchc.domain.numbers import format_money, format_number, format_percent, parse_whole


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (94.444, "94,4%"),
        (16.666, "16,7%"),
        (100, "100%"),
        (100.0, "100%"),
        (0, "0%"),
        (83.25, "83,2%"),  # banker's rounding of the float is fine; one decimal at most
        (None, "—"),
    ],
)
def test_percentages_have_a_decimal_comma_and_one_decimal_at_most(value, expected):
    assert format_percent(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1234.56, "1.234,6"), (12.0, "12"), (-3.5, "-3,5"), (1000000, "1.000.000"), (None, "—")],
)
def test_numbers_use_dots_between_thousands_and_a_decimal_comma(value, expected):
    assert format_number(value) == expected


def test_amounts_are_whole_dong_with_dots_between_thousands():
    assert format_money(15_000_000) == "15.000.000 đ"
    assert format_money(0) == "0 đ"
    assert format_money(None) == "—"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Tổ chức tập huấn nghiệp vụ", 50, "Tổ chức tập huấn nghiệp vụ"),
        ("Tổ chức tập huấn nghiệp vụ", 14, "Tổ chức tập…"),
        ("Tổ chức tập huấn nghiệp vụ", 12, "Tổ chức tập…"),
        ("Tổ chức, tập huấn", 10, "Tổ chức…"),
    ],
)
def test_shortened_names_are_cut_between_words_never_inside_one(text, limit, expected):
    from cchc.domain.text import shorten

    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.200", 1200),
        ("15.000.000", 15_000_000),
        ("1200", 1200),
        (" 1 200 ", 1200),
        ("15,000,000", 15_000_000),
        ("0", 0),
        ("-3", -3),
    ],
)
def test_a_whole_number_is_read_with_or_without_thousand_separators(typed, value):
    assert parse_whole(typed) == value


@pytest.mark.parametrize(
    "typed", ["1,5", "1.20", "12.00.000", "1.200,000", "", "một", "1.2.3", "1e3"]
)
def test_a_whole_number_with_misplaced_separators_or_words_is_refused(typed):
    with pytest.raises(ValueError):
        parse_whole(typed)


def test_report_figures_and_budget_amounts_read_thousand_dots_alike():
    from cchc.domain.figures import parse_value
    from cchc.services.budget import parse_money

    assert parse_value("payments_total", "1.200") == parse_money("1.200") == 1200
