"""Edit the text of a real PDF as a forger would, with pypdf: find a run of text as a reader
sees it (through each font's ToUnicode map) and write other words in its place, in the same
embedded font, leaving every other byte of the page's drawing as it was."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ByteStringObject, ContentStream, DictionaryObject, NameObject


def _cmap(font: DictionaryObject) -> dict[int, str]:
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for a, b in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(a, 16)] = bytes.fromhex(b).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for a, b, c in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for i, code in enumerate(range(int(a, 16), int(b, 16) + 1)):
                out[code] = chr(int(c, 16) + i)
    return out


def _raw(value: object) -> bytes:
    original = getattr(value, "original_bytes", None)
    return bytes(original) if original is not None else bytes(str(value), "latin-1")


def replace_text(src: Path, dst: Path, old: str, new: str, *, line_has: str = "") -> Path:
    """Copy `src` to `dst` with the first text run that reads `old` (and `line_has`) changed to
    read `new`. Fails if no run matches or the font lacks a letter of `new`."""
    reader = PdfReader(str(src))
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        fonts = page["/Resources"]["/Font"]
        maps = {
            name: _cmap(ref.get_object())
            for name, ref in fonts.items()
            if "/ToUnicode" in ref.get_object()
        }
        content = ContentStream(page.get_contents(), writer)
        font = None
        for operands, op in content.operations:
            if op == b"Tf":
                font = str(operands[0])
            if op != b"Tj" or font not in maps:
                continue
            text = "".join(maps[font].get(b, "\ufffd") for b in _raw(operands[0]))
            if old in text and line_has in text:
                changed = text.replace(old, new, 1)
                back = {ch: code for code, ch in maps[font].items()}
                missing = [ch for ch in changed if ch not in back]
                assert not missing, f"the embedded font has no {missing}"
                operands[0] = ByteStringObject(bytes(back[ch] for ch in changed))
                page[NameObject("/Contents")] = writer._add_object(content)
                writer.write(str(dst))
                return dst
    raise AssertionError(f"no text run reads {old!r} in {src}")
