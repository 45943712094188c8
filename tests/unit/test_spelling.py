"""One spelling convention in every user-facing text: the tone mark placed as the plan itself
writes it (Văn hóa, khóa, Ủy ban, not hoá, khoá, Uỷ), and one name per task state."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

import cchc.texts
from cchc.texts import reports as report_texts
from cchc.texts import tasks as task_texts

# oa/oe/uy ending a syllable: the plan's (old) style marks the first vowel (hóa, khỏe, thủy).
NEW_STYLE = re.compile(r"(?i)(o[áàảãạ]|o[éèẻẽẹ]|(?<!q)u[ýỳỷỹỵ])(?!\w)")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings(item)


def _catalog() -> Iterator[tuple[str, str]]:
    for info in pkgutil.iter_modules(cchc.texts.__path__):
        module = importlib.import_module(f"cchc.texts.{info.name}")
        for name, value in vars(module).items():
            if not name.startswith("_"):
                for text in _strings(value):
                    yield f"{info.name}.{name}", text


def test_every_text_places_the_tone_mark_as_the_plan_does():
    found = [(where, m.group(0)) for where, text in _catalog() for m in NEW_STYLE.finditer(text)]
    assert found == []


def test_a_task_state_has_one_name_on_every_screen_and_report():
    for state, label in task_texts.STATE_LABELS.items():
        assert report_texts.TASK_STATES[state] == label, state
    assert task_texts.STATUS_LABELS["not_started"] == task_texts.STATE_LABELS["not_started"]


def test_dates_are_asked_for_one_way():
    """ngày/tháng/năm on every form; dd/mm/yyyy stood beside it."""
    assert [where for where, text in _catalog() if "dd/mm" in text.lower()] == []
