"""Periods are named in words wherever people read them, never by their code."""

from __future__ import annotations

import pytest

from cchc.services.periods import calendar, period_name
from cchc.ui.screens.report_list import period_label


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("2026-Q1", "Quý I/2026"),
        ("2026-Q4", "Quý IV/2026"),
        ("2026-H1", "6 tháng đầu năm 2026"),
        ("2026-9M", "9 tháng năm 2026"),
        ("2026", "Năm 2026"),
        ("2026-09", "Tháng 9/2026"),
        ("2026-YTD", "Năm 2026 (tính đến nay)"),
        ("không phải kỳ", "không phải kỳ"),
    ],
)
def test_a_period_code_is_named_in_words(code: str, name: str) -> None:
    assert period_name(code) == name


def test_no_period_choice_on_screen_carries_its_code() -> None:
    labels = [period_label(per) for per in calendar().year_periods(2026)]
    assert not [label for label in labels if "2026-" in label]
    assert len(set(labels)) == len(labels)  # each choice still tells itself apart
