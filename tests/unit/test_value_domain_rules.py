"""The stated domain of each synchronised column, judged alone (domain.value_domains)."""

from __future__ import annotations

import pytest

from cchc.domain import value_domains as vd
from cchc.domain.text import nfc


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("budgets", "estimate", float("inf")),
        ("budgets", "spent", 1e308),
        ("budgets", "approved", 10**13 + 1),
        ("budgets", "estimate", 1.5),
        ("budgets", "estimate", True),
        ("report_figures", "par_index", float("nan")),
        ("report_figures", "received_direct", -1),
        ("tasks", "progress", 101),
        ("tasks", "done_on", "9999-12-31"),
        ("tasks", "done_on", "2026-02-30"),
        ("tasks", "updated_at", "9999-01-01T00:00:00+07:00"),
        ("tasks", "subitems", "[1"),
        ("tasks", "subitems", '{"a": 1}'),
        ("amendments", "proposal", "[]"),
        ("report_sections", "text", "x" * (vd.LONG_TEXT + 1)),
        ("task_updates", "officer", "Minh\u202e"),
        ("task_updates", "officer", "Mi\u200bnh"),
        ("task_updates", "note", "ghi chú\x00"),
        ("documents", "title", b"bytes"),
        ("some_later_table", "amount", float("-inf")),
        ("attachment_blobs", "data", "không phải tệp"),
        ("attachment_blobs", "data", b"x" * (vd.MAX_FILE_BYTES + 1)),
        ("attachment_blobs", "size", vd.MAX_FILE_BYTES + 1),
        ("reports", "issue_signature", "ab" * 65),
        ("reports", "issue_signature", "AB" * 64),
        ("reports", "issue_snapshot", "[]"),
    ],
)
def test_a_value_outside_its_domain_is_named_with_a_reason(table, column, value) -> None:
    found = vd.judge(table, column, value)
    assert found is not None
    assert found.params["column"] == column


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("budgets", "estimate", 80_000_000),
        ("budgets", "estimate", None),
        ("report_figures", "par_index", 87.5),
        ("tasks", "done_on", "2026-12-31"),
        ("tasks", "updated_at", "2026-04-20T09:00:00+07:00"),
        ("tasks", "subitems", '["a", "b"]'),
        ("report_sections", "text", "Dòng một\nDòng hai\tcột"),
        ("task_updates", "officer", "Nguyễn Văn Minh"),
        ("attachment_blobs", "data", b"%PDF-1.4"),
        ("reports", "issue_signature", "ab" * 64),
        ("reports", "issue_snapshot", '{"report_id": "r1"}'),
    ],
)
def test_honest_values_lie_in_their_domain(table, column, value) -> None:
    assert vd.judge(table, column, value) is None


def test_text_typed_here_loses_its_invisible_format_characters() -> None:
    assert nfc("Phòng\u200b Tài\u202e chính\ufeff") == "Phòng Tài chính"
    assert nfc("Dòng một\nDòng hai") == "Dòng một\nDòng hai"


def test_a_reader_gets_empty_flagged_values_for_what_an_older_copy_let_in() -> None:
    row = vd.readable_row(
        {"estimate": float("inf"), "spent": 1e308, "approved": 5, "note": "a\u202eb"}
    )
    assert (row["estimate"], row["spent"], row["approved"], row["note"]) == (None, None, 5, "ab")
    assert vd.flagged_columns(row) == ["estimate", "spent", "note"]
    honest = {"estimate": 5, "note": "ok"}
    assert vd.readable_row(dict(honest)) == honest
