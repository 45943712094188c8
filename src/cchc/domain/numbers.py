"""Numbers as Vietnamese writes them, the one formatter every screen, report and command uses:
a comma before decimals and a dot between thousands (1.234,5), percentages with one decimal
at most (94,4%), amounts in đồng (15.000.000 đ). Pure: no I/O."""

from __future__ import annotations

DASH = "—"


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
