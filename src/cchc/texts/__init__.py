"""Every user-facing text of the app, in Vietnamese, NFC-normalised. One module per area."""
