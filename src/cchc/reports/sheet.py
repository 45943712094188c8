"""Spreadsheet export that cannot carry formulas.

CSV in UTF-8 with a byte-order mark, which Excel and LibreOffice both open with Vietnamese intact
(without the BOM, Excel reads the file as the local ANSI code page). Text that another laptop
typed reaches these files, so a text cell beginning with a character a spreadsheet reads as the
start of a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return, or their full-width forms)
is neutralised by a leading apostrophe, as OWASP's CSV-injection rule says; numbers stay numbers
(written with a decimal comma, as a Vietnamese locale reads them).

XLSX through XlsxWriter (a maintained writer): every text is written as a string cell (never a
formula, a link or a number guessed from text), numbers as numbers with Vietnamese formats
(thousands by a dot, decimals by a comma, under the vi-VN locale tag ``[$-42A]``).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import xlsxwriter

BOM = "\ufeff"
#: What a spreadsheet may read as the start of a formula or a DDE command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: Excel number formats under the Vietnamese locale: 1.234.567 and 1.234,5.
WHOLE_FORMAT = "[$-42A]#,##0"
DECIMAL_FORMAT = "[$-42A]#,##0.0##"


def safe_text(text: str) -> str:
    """A text cell no spreadsheet runs: one starting like a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return safe_text(str(value))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(value).replace(".", ",")
    return safe_text(str(value))


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """The CSV text (with BOM): comma-separated, quoted as needed, CRLF line ends; text cells
    neutralised, numbers as numbers with a decimal comma."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return BOM + buf.getvalue()


def write_csv(rows: Iterable[Sequence[object]], path: Path) -> Path:
    """Write atomically: a temporary file renamed into place."""
    return _atomic(csv_text(rows).encode("utf-8"), path)


def xlsx_bytes(rows: Iterable[Sequence[object]], sheet_name: str = "Sheet1") -> bytes:
    """A one-sheet workbook holding `rows`: numbers as numbers, text as string cells only."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    whole = book.add_format({"num_format": WHOLE_FORMAT})
    decimal = book.add_format({"num_format": DECIMAL_FORMAT})
    sheet = book.add_worksheet(sheet_name[:31])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(r, c, value, whole)
            elif isinstance(value, float) and math.isfinite(value):
                sheet.write_number(r, c, value, decimal)
            elif isinstance(value, float):
                continue
            else:
                sheet.write_string(r, c, str(value))
    book.close()
    return buf.getvalue()


def write_xlsx(rows: Iterable[Sequence[object]], path: Path, sheet_name: str = "Sheet1") -> Path:
    """Write atomically: a temporary file renamed into place."""
    return _atomic(xlsx_bytes(rows, sheet_name), path)


def _atomic(data: bytes, path: Path) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
