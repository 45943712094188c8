"""Numbers as Vietnamese writes them, the one formatter every screen, report and command uses:
a comma before decimals and a dot between thousands (1.234,5), percentages with one decimal
at most (94,4%), amounts in đồng (15.000.000 đ). Pure: no I/O."""

from __future__ import annotations

import re

DASH = "—"

# A whole number as people type it: plain digits, or groups of three after a dot (the Vietnamese
# way: 1.200, 15.000.000), a space, or a comma (as a spreadsheet copied from English writes it).
# One separator throughout; a group of other than three digits is a typing error, never guessed.
_WHOLE = re.compile(r"^-?(\d+|\d{1,3}(\.\d{3})+|\d{1,3}( \d{3})+|\d{1,3}(,\d{3})+)$")


def parse_whole(text: str) -> int:
    """ "1.200" → 1200, "15.000.000" → 15000000, "1200" → 1200, "-3" → -3 (the caller judges the
    sign). "1,5", "1.20", "12.00.000" and words raise ValueError. The one parser of whole numbers:
    report figures and budget amounts alike."""
    raw = (text or "").strip().replace("\u00a0", " ").replace("\u202f", " ")
    if not _WHOLE.match(raw):
        raise ValueError(f"not a whole number: {text!r}")
    return int(re.sub(r"[., ]", "", raw))


def format_number(value: float | None, *, decimals: int = 1) -> str:
    """1234.56 → "1.234,6"; 12.0 → "12"; None → "—". Trailing zeros are dropped."""
    if value is None:
        return DASH
    rounded = round(float(value), decimals)
    whole, _, fraction = f"{abs(rounded):,.{decimals}f}".partition(".")
    fraction = fraction.rstrip("0")
    text = whole.replace(",", ".") + ("," + fraction if fraction else "")
    return ("-" if rounded < 0 else "") + text


def format_percent(value: float | None, *, decimals: int = 1) -> str:
    """94.444 → "94,4%"; 100 → "100%"; None → "—"."""
    if value is None:
        return DASH
    return format_number(value, decimals=decimals) + "%"


def format_money(value: int | None) -> str:
    """15000000 → "15.000.000 đ"; None → "—"."""
    if value is None:
        return DASH
    return format_number(value, decimals=0) + " đ"
