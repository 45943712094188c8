"""Every user-facing text of the app, in Vietnamese, NFC-normalised. One module per area."""

import unicodedata


def nfc(text: str) -> str:
    """Return `text` in NFC, the one form every stored and shown string uses."""
    return unicodedata.normalize("NFC", text)
