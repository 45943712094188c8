"""Spreadsheet export: CSV in UTF-8 with a byte-order mark, which Excel and LibreOffice both open
with Vietnamese intact (without the BOM, Excel reads the file as the local ANSI code page)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

BOM = "\ufeff"


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """The CSV text (with BOM): comma-separated, quoted as needed, CRLF line ends."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return BOM + buf.getvalue()


def write_csv(rows: Iterable[Sequence[object]], path: Path) -> Path:
    """Write atomically: a temporary file renamed into place."""
    data = csv_text(rows).encode("utf-8")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
