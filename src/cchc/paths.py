"""Where things live: the database, its attachments, and the files shipped with the app."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "cchc-bach-long-vi"
DB_FILE_NAME = "cchc.sqlite"
ENV_DB = "CCHC_DB"

_SOURCE_ROOT = Path(__file__).resolve().parent.parent.parent  # the checkout, in an editable install
_BUNDLED_ROOT = Path(__file__).resolve().parent / "_bundled"  # inside a built wheel


def user_data_dir() -> Path:
    """The per-user data folder of this OS (no extra dependency)."""
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_DIR_NAME


def resolve_db_path(cli_value: str | os.PathLike[str] | None) -> Path:
    """`--db` beats the CCHC_DB environment variable, which beats the user data folder."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    return user_data_dir() / DB_FILE_NAME


def resource(relpath: str) -> Path:
    """A file or folder shipped with the app, under db/ or assets/."""
    for root in (_SOURCE_ROOT, _BUNDLED_ROOT):
        candidate = root / relpath
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"missing app resource: {relpath}")
