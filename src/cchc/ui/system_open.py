"""Opening a file with the program the laptop associates with its type (desktop window only)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def open_with_system(path: Path) -> None:
    """Open ``path`` as a double click would; raises OSError when the system cannot."""
    if sys.platform.startswith("win"):
        os.startfile(str(path))  # type: ignore[attr-defined]
    elif sys.platform == "darwin":
        subprocess.Popen(["open", str(path)])
    else:
        subprocess.Popen(["xdg-open", str(path)])
