"""Amendments read in words: the card says what would change ("Thời hạn: từ Quý I/2026 sang Quý
II/2026", "Đơn vị chủ trì: từ A sang B", "Bỏ nhiệm vụ khỏi Kế hoạch"), a decision dated before its
proposal is refused (service and screen), and the task's history reads in words and dd/mm/yyyy."""

from __future__ import annotations

import pytest

from cchc.domain.errors import InvalidInput
from cchc.services import amendments as am
from cchc.services import task_text
from cchc.services.amendment_text import change_lines
from cchc.services.tasks import get_task
from cchc.texts.errors import describe
from cchc.ui.screens.amendments_panel import AmendmentsPanel
from tests.integration.screen_ctx import ScreenContext, control_tagged, shown_texts


def _move_row_4(ws):
    return am.propose(
        ws,
        unit="vhxh",
        action="change",
        task="4",
        timeframe="Quý II/2026",
        lead="vp_ubnd",
        reason="Chờ hướng dẫn của thành phố.",
        by="Hà",
    )


def test_a_change_is_shown_as_old_and_new_values_in_words(ws):
    prop = _move_row_4(ws)
    assert change_lines(prop) == [
        "Đơn vị chủ trì: từ Phòng Văn hóa - Xã hội sang Văn phòng Ủy ban nhân dân đặc khu",
        "Thời hạn: từ Quý I/2026 sang Quý II/2026",
    ]


def test_the_change_still_reads_old_to_new_once_the_task_has_changed(ws):
    prop = _move_row_4(ws)
    am.forward(ws, prop.id, by="Bình")
    done = am.decide(ws, prop.id, approve=True, number="45/QĐ-UBND", date="10/07/2026", by="C")
    assert get_task(ws, "4").timeframe == "Quý II/2026"
    assert "Thời hạn: từ Quý I/2026 sang Quý II/2026" in change_lines(done)


def test_a_drop_and_an_addition_are_said_in_words(ws):
    drop = am.propose(ws, unit="vhxh", action="drop", task="6", reason="Thành phố hủy.", by="A")
    add = am.propose(
        ws,
        unit="vhxh",
        action="add",
        area="I",
        content="Tổ chức hội nghị sơ kết",
        timeframe="Quý III/2026",
        reason="Thành phố giao thêm.",
        by="A",
    )
    assert change_lines(drop) == ["Bỏ nhiệm vụ khỏi Kế hoạch"]
    assert change_lines(add) == [
        "Thêm nhiệm vụ mới",
        "Lĩnh vực: I",
        "Nội dung: Tổ chức hội nghị sơ kết",
        "Đơn vị chủ trì: Phòng Văn hóa - Xã hội",
        "Thời hạn: Quý III/2026",
    ]


def test_the_amendment_card_shows_the_change_and_no_raw_code(ws, db_path):
    prop = _move_row_4(ws)
    panel = AmendmentsPanel(ScreenContext(ws, db_path))
    panel.refresh()
    card = control_tagged(panel.amend_box, f"amendment-{prop.id[:8]}")
    texts = shown_texts(card)
    assert "Thời hạn: từ Quý I/2026 sang Quý II/2026" in texts
    assert not any(prop.id[:8] in t for t in texts)


def test_a_decision_dated_before_the_proposal_is_refused_and_changes_nothing(ws):
    prop = _move_row_4(ws)  # proposed on 10/07/2026 (island)
    am.forward(ws, prop.id, by="Bình")
    with pytest.raises(InvalidInput) as caught:
        am.decide(ws, prop.id, approve=True, number="45/QĐ-UBND", date="09/07/2026", by="C")
    assert caught.value.key == "decision_before_proposal"
    assert describe(caught.value) == (
        "Ngày quyết định 09/07/2026 trước ngày đề xuất 10/07/2026: quyết định không thể ban "
        "hành trước khi có đề xuất."
    )
    after = am.get_amendment(ws, prop.id)
    assert (after.status, after.decision_number) == ("forwarded", None)
    assert get_task(ws, "4").timeframe == "Quý I/2026"
    # the same day is allowed
    am.decide(ws, prop.id, approve=True, number="45/QĐ-UBND", date="10/07/2026", by="C")


def test_the_decision_dialog_shows_the_refusal_and_keeps_the_proposal_open(ws, db_path):
    prop = _move_row_4(ws)
    am.forward(ws, prop.id, by="Bình")
    ctx = ScreenContext(ws, db_path)
    panel = AmendmentsPanel(ctx)
    panel.refresh()
    panel._decide(prop.id, True)
    dialog = ctx.page.dialogs[-1]
    control_tagged(dialog, "decision-number").content.value = "45/QĐ-UBND"
    control_tagged(dialog, "decision-date").content.value = "01/07/2026"
    control_tagged(dialog, "decision-save").content.on_click(None)
    assert ctx.page.dialogs == [dialog]  # still open, with the reason
    assert any("trước ngày đề xuất 10/07/2026" in t for t in shown_texts(dialog))
    assert am.get_amendment(ws, prop.id).status == "forwarded"


def test_the_history_of_an_amended_task_reads_in_words_and_dates(ws):
    prop = _move_row_4(ws)
    am.forward(ws, prop.id, by="Bình")
    am.decide(ws, prop.id, approve=True, number="45/QĐ-UBND", date="10/07/2026", by="Cường")
    lines = task_text.history_lines(get_task(ws, "4").history)
    assert lines == [
        "10/07/2026 12:00 · Cường · điều chỉnh đơn vị chủ trì từ “Phòng Văn hóa - Xã hội” sang "
        "“Văn phòng Ủy ban nhân dân đặc khu”",
        "10/07/2026 12:00 · Cường · điều chỉnh thời gian thực hiện từ “Quý I/2026” sang "
        "“Quý II/2026”",
        "10/07/2026 12:00 · Cường · điều chỉnh theo Quyết định 45/QĐ-UBND (10/07/2026)",
    ]


def test_a_history_written_with_derived_columns_still_reads_in_words(ws):
    """Histories written before (or by another laptop) may hold window_start, due and the lead's
    id: they are left out or read as dates, never as column names or ISO dates."""
    from cchc.services.tasks import HistoryView

    entries = [
        HistoryView(
            at="2026-07-10T05:00:00+00:00",
            actor="Cường",
            action="amended",
            field="window_start",
            old_value="2026-01-01",
            new_value="2026-04-01",
        ),
        HistoryView(
            at="2026-07-10T05:00:00+00:00",
            actor="Cường",
            action="amended",
            field="timeframe",
            old_value="Quý I/2026",
            new_value="Quý II/2026",
        ),
        HistoryView(
            at="2026-07-10T05:00:00+00:00",
            actor="Cường",
            action="updated",
            field="due",
            old_value="2026-03-31",
            new_value="2026-06-30",
        ),
    ]
    text = "\n".join(task_text.history_lines(entries))
    assert "window_start" not in text and "2026-0" not in text
    assert "từ “Quý I/2026” sang “Quý II/2026”" in text
    assert "31/03/2026" in text and "30/06/2026" in text
