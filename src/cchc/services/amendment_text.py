"""What an amendment would change, in words, written once for the card on Kinh phí and the
command line: "Thời hạn: từ Quý I/2026 sang Quý II/2026", "Đơn vị chủ trì: từ A sang B", "Bỏ
nhiệm vụ khỏi Kế hoạch"; never a column name or a raw value (nor "→": the screen's font has no
arrow and draws a box)."""

from __future__ import annotations

from cchc.domain.text import shorten
from cchc.services.amendments import CHANGEABLE, AmendmentView
from cchc.texts.reports import AMENDMENT_CHANGE as W

#: a long content is cut on the card (the task's own page has it whole)
CONTENT_WIDTH = 120


def _value(key: str, value: str) -> str:
    return shorten(value, CONTENT_WIDTH) if key == "content" else value


def change_lines(a: AmendmentView) -> list[str]:
    """One line per change the proposal makes, from the old value to the new where the old is known
    (kept with the proposal, or, for a proposal still open, the task as it stands)."""
    proposal = a.proposal
    if a.action == "drop":
        return [W["drop"]]
    if a.action == "add":
        lines = [W["add"]]
        if proposal.get("area"):
            lines.append(W["only_new"].format(label=W["area"], new=proposal["area"]))
        for key in CHANGEABLE:
            if proposal.get(key):
                lines.append(W["only_new"].format(label=W[key], new=_value(key, proposal[key])))
        return lines
    was = proposal.get("was")
    if not isinstance(was, dict):
        was = a.current if a.status in ("proposed", "forwarded") else {}
    lines = []
    for key in CHANGEABLE:
        if key not in proposal:
            continue
        new = _value(key, str(proposal[key]))
        old = was.get(key)
        if old:
            lines.append(W["was_new"].format(label=W[key], old=_value(key, str(old)), new=new))
        else:
            lines.append(W["only_new"].format(label=W[key], new=new))
    return lines
