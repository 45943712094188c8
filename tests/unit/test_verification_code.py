"""The verification code: the same content gives the same code everywhere; any change, even of one
character or of its Unicode form's bytes that change the words, gives another."""

from __future__ import annotations

import unicodedata

from cchc.domain.verification import canonical_bytes, code_of, normalize_code

CONTENT = {
    "id": "ab",
    "figures": {"received_direct": 40, "par_index": 81.25},
    "text": "Đã tiếp nhận.",
}


def test_the_code_is_sixteen_base32_characters_in_groups_of_four():
    code = code_of(CONTENT)
    assert len(code) == 19 and code.count("-") == 3
    assert normalize_code(code) == code


def test_the_code_does_not_depend_on_key_order_or_unicode_form():
    reordered = {"text": CONTENT["text"], "figures": CONTENT["figures"], "id": "ab"}
    decomposed = {**CONTENT, "text": unicodedata.normalize("NFD", CONTENT["text"])}
    assert code_of(reordered) == code_of(CONTENT) == code_of(decomposed)
    assert canonical_bytes(reordered) == canonical_bytes(CONTENT)


def test_one_changed_character_or_figure_changes_the_code():
    assert code_of({**CONTENT, "text": "Đã tiếp nhận,"}) != code_of(CONTENT)
    assert code_of({**CONTENT, "figures": {"received_direct": 41, "par_index": 81.25}}) != code_of(
        CONTENT
    )


def test_codes_are_read_as_typed_and_anything_else_is_refused():
    code = code_of(CONTENT)
    assert normalize_code(code.lower().replace("-", " ")) == code
    for bad in ("", "ABCD", code + "A", code.replace(code[0], "1"), "../etc/passwd"):
        assert normalize_code(bad) is None
