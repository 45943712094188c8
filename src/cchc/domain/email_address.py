"""An e-mail address as a mail client will take it: one address, ``local@domain.tld``, no
spaces. Checked before any file is written, so a typo never becomes a message nobody gets."""

from __future__ import annotations

import re

from cchc.domain.errors import InvalidInput

MAX_ADDRESS = 254
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,63}}")


def checked_address(text: str) -> str:
    """The address without surrounding blanks, or InvalidInput("email_invalid")."""
    address = (text or "").strip()
    if len(address) > MAX_ADDRESS or not _ADDRESS.fullmatch(address):
        shown = address if len(address) <= 60 else address[:57] + "…"
        raise InvalidInput("email_invalid", value=shown)
    return address
