"""E-mail addresses are checked before anything is written: "abc" and a space are refused in
Vietnamese, never crash."""

from __future__ import annotations

import pytest

import cchc.texts.exchange  # noqa: F401  (registers the messages)
from cchc.domain.email_address import checked_address
from cchc.domain.errors import InvalidInput
from cchc.texts.errors import describe


@pytest.mark.parametrize(
    "typed",
    [
        "abc",
        "",
        " ",
        "van thu@blv.gov.vn",
        "vanthu@blv",
        "a@@blv.gov.vn",
        "@blv.gov.vn",
        "vanthu@.gov.vn",
        "a@b.c",
        "x" * 250 + "@blv.gov.vn",
        "vanthu@blv.gov.vn, khac@blv.gov.vn",
        "vanthu@blv.gov.vn\r\nBcc: x@y.vn",
    ],
)
def test_a_malformed_address_is_refused_with_a_vietnamese_message(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        checked_address(typed)
    text = describe(caught.value)
    assert text.startswith("Địa chỉ thư")
    assert "string index" not in text


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (" vanthu@baclongvi.gov.vn ", "vanthu@baclongvi.gov.vn"),
        ("a.b-c@so-noi-vu.vn", "a.b-c@so-noi-vu.vn"),
    ],
)
def test_a_wellformed_address_is_kept_without_blanks(typed: str, kept: str) -> None:
    assert checked_address(typed) == kept
