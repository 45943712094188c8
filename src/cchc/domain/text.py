"""Text rules: NFC everywhere, and matching that ignores case and Vietnamese diacritics."""

from __future__ import annotations

import unicodedata

from cchc.domain.value_domains import neutralise


def nfc(text: str) -> str:
    """Text as the app stores it: NFC, without invisible format characters (a bidi override or
    a zero-width mark pasted from a web page would reorder or hide what a screen or PDF shows;
    every other copy refuses them: domain.value_domains)."""
    return neutralise(unicodedata.normalize("NFC", text))


def fold(text: str) -> str:
    """Lower case without diacritics: "Tập huấn" and "tap huan" fold alike; đ folds to d."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def matches(query: str, *haystacks: str) -> bool:
    """Every word of the query occurs in one of the haystacks, diacritics and case ignored."""
    words = fold(query).split()
    folded = " ".join(fold(h) for h in haystacks)
    return all(word in folded for word in words)


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut between words (never inside one) and ended with "…"."""
    clean = " ".join(text.split())
    if len(clean) <= limit:
        return clean
    cut = clean[: limit - 1]
    if " " in cut and not clean[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–") + "…"
