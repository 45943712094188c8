"""The verification code of an issued report: a short digest of its canonical content.

The canonical content is the report as data (JSON: sorted keys, NFC text, no insignificant
whitespace). Its SHA-256, in base32, gives a code of 16 characters read in groups of four
("ABCD-EFGH-JKLM-NPQR", 80 bits): short enough to type, long enough that no changed report
shares it by chance. The same content gives the same code on every laptop.
"""

from __future__ import annotations

import base64
import difflib
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


# ---- the issued snapshot: signed, and the code derived from it and its signature ---------------
ISSUE_DOMAIN = b"cchc-report-issue-v2\x00"
QR_PREFIX = "CCHC-BLV"
_CODE_ANYWHERE = re.compile(rf"(?<![A-Z2-7-]){CODE_PATTERN}(?![A-Z2-7-])")


def issue_message(snapshot: bytes) -> bytes:
    """What the issuing laptop signs: the snapshot's canonical bytes, under this format's tag."""
    return ISSUE_DOMAIN + snapshot


def issue_code(snapshot: bytes, signature: bytes) -> str:
    """The verification code of an issued report: derived from its snapshot and the issuing
    laptop's signature over it, so neither can be swapped without the code changing."""
    digest = hashlib.sha256(
        ISSUE_DOMAIN + hashlib.sha256(snapshot).digest() + hashlib.sha256(signature).digest()
    ).digest()
    text = base64.b32encode(digest).decode("ascii")[:CODE_LENGTH]
    return "-".join(text[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def qr_payload(code: str, report_id: str) -> str:
    """What the PDF's QR code holds."""
    return f"{QR_PREFIX} {code} {report_id}"


def code_in_text(text: str) -> str | None:
    """The code a typed or scanned text carries: a code alone ("abcd efgh jklm npqr") or the
    QR's payload as scanned ("CCHC-BLV ABCD-EFGH-JKLM-NPQR <id>")."""
    alone = normalize_code(text)
    if alone is not None:
        return alone
    raw = unicodedata.normalize("NFC", text or "").strip()
    if raw.upper().startswith(QR_PREFIX):
        found = _CODE_ANYWHERE.search(raw[len(QR_PREFIX) :].upper())
        return found.group(0) if found else None
    return None


# ---- the document's words, compared ------------------------------------------------------------
def words(text: str) -> list[str]:
    """The words of a document's text, as a PDF reader extracts them (NFC, no layout)."""
    return unicodedata.normalize("NFC", text or "").split()


def differences(issued: list[str], held: list[str], limit: int = 8) -> list[tuple[str, str, str]]:
    """Where `held` (the words of the document presented) differs from `issued` (the words of
    the document as issued): (words as issued, words as presented, the issued words just
    before), the first `limit` of them."""
    matcher = difflib.SequenceMatcher(a=issued, b=held, autojunk=False)
    out: list[tuple[str, str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        before = " ".join(issued[max(0, i1 - 6) : i1])
        out.append((" ".join(issued[i1:i2]), " ".join(held[j1:j2]), before))
        if len(out) >= limit:
            break
    return out
