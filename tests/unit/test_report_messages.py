"""Every error key the reports area raises has a Vietnamese message, in NFC, once imported."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import cchc.services.amendments
import cchc.services.budget
import cchc.services.report_output
import cchc.services.reports
import cchc.services.targets  # noqa: F401
from cchc.domain.errors import InvalidInput
from cchc.texts import reports as T
from cchc.texts.errors import MESSAGES, describe

SRC = Path(__file__).resolve().parents[2] / "src" / "cchc"
FILES = [
    SRC / "domain" / "figures.py",
    SRC / "domain" / "periods.py",
    SRC / "services" / "reports.py",
    SRC / "services" / "budget.py",
    SRC / "services" / "amendments.py",
    SRC / "services" / "report_output.py",
    SRC / "services" / "targets.py",
]
KEY = re.compile(r'(?:InvalidInput|Conflict|NotFound|Problem)\(\s*(?:key=)?"([a-z_]+)"')


def test_every_raised_key_has_a_registered_message():
    keys = set()
    for path in FILES:
        keys |= set(KEY.findall(path.read_text(encoding="utf-8")))
    assert len(keys) > 30
    missing = sorted(k for k in keys if k not in MESSAGES)
    assert missing == []


def test_messages_are_nfc_and_quote_the_value():
    for text in T.MESSAGES.values():
        assert unicodedata.normalize("NFC", text) == text
    err = InvalidInput("money_invalid", value="-5")
    assert describe(err) == "Số tiền “-5” không hợp lệ: nhập số đồng, không âm (ví dụ 15000000)."


def test_a_figure_problem_names_the_figure_in_vietnamese_and_as_typed():
    text = T.problem_text("figure_negative", "received_postal", {"value": -1}, as_typed=True)
    assert text == (
        "Hồ sơ tiếp nhận qua dịch vụ bưu chính công ích (received_postal) không được âm: "
        "đã nhập -1."
    )


def test_on_screen_a_figure_problem_names_the_figure_in_vietnamese_only():
    text = T.problem_text("figure_negative", "received_postal", {"value": -1})
    assert text == "Hồ sơ tiếp nhận qua dịch vụ bưu chính công ích không được âm: đã nhập -1."
