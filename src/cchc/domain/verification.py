"""The verification code of an issued report: a short digest of its canonical content.

The canonical content is the report as data (JSON: sorted keys, NFC text, no insignificant
whitespace). Its SHA-256, in base32, gives a code of 16 characters read in groups of four
("ABCD-EFGH-JKLM-NPQR", 80 bits): short enough to type, long enough that no changed report
shares it by chance. The same content gives the same code on every laptop.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from typing import Any

CODE_LENGTH = 16
CODE_PATTERN = r"[A-Z2-7]{4}(?:-[A-Z2-7]{4}){3}"
_CODE_RE = re.compile(rf"^{CODE_PATTERN}$")


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_nfc(v) for v in value]
    return value


def canonical_bytes(content: dict[str, Any]) -> bytes:
    """The content as the bytes the code is computed over."""
    return json.dumps(
        _nfc(content), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


def code_of(content: dict[str, Any]) -> str:
    """The verification code of `content`."""
    digest = hashlib.sha256(b"cchc-report-v1\x00" + canonical_bytes(content)).digest()
    text = base64.b32encode(digest).decode("ascii")[:CODE_LENGTH]
    return "-".join(text[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(text: str) -> str | None:
    """A code as typed ("abcd efgh-jklm npqr") in its canonical form, or None if it is not one."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(raw) != CODE_LENGTH:
        return None
    code = "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))
    return code if _CODE_RE.match(code) else None
