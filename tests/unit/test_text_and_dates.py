"""Matching ignores diacritics; dates are read strictly as DD/MM/YYYY."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.domain.dates import parse_vn_date
from cchc.domain.errors import InvalidInput
from cchc.domain.fields import Field
from cchc.domain.text import fold, matches


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("tap huan", "Tham gia tập huấn công tác cải cách hành chính"),
        ("TẬP HUẤN", "Tham gia tập huấn công tác cải cách hành chính"),
        ("dac khu", "Công an đặc khu"),
        ("iso 9001", "TCVN ISO 9001:2015"),
    ],
)
def test_search_finds_text_with_or_without_diacritics(query, text):
    assert matches(query, text)


def test_search_needs_every_word():
    assert not matches("tap huan ngan sach", "Tham gia tập huấn")


def test_fold_turns_d_with_stroke_into_d():
    assert fold("Đặc khu") == "dac khu"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("05/01/2026", dt.date(2026, 1, 5)), ("5/1/2026", dt.date(2026, 1, 5))],
)
def test_vietnamese_dates_are_read_day_first(text, expected):
    assert parse_vn_date(text) == expected


@pytest.mark.parametrize("text", ["2026-01-05", "", "ngày 5"])
def test_malformed_dates_are_refused_with_the_value_quoted(text):
    with pytest.raises(InvalidInput) as caught:
        parse_vn_date(text, Field.DOC_DATE)
    assert caught.value.key == "bad_date"
    assert caught.value.params == {"field": "doc_date", "value": text}


@pytest.mark.parametrize(
    ("text", "key"),
    [("31/02/2026", "date_not_on_calendar"), ("05/13/2026", "month_not_on_calendar")],
)
def test_a_well_formed_date_missing_from_the_calendar_is_told_apart(text, key):
    with pytest.raises(InvalidInput) as caught:
        parse_vn_date(text, Field.DOC_DATE)
    assert caught.value.key == key
    assert caught.value.params["value"] == text
