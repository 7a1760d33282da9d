"""Spreadsheet cells that stay text (issue 13, "formula injection").

A member's name or a reason typed by a person goes into every export. openpyxl stores any
string beginning with "=" as a formula, and Excel or LibreOffice run a CSV cell beginning with
= + - @ tab or CR as one (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`). Every writer passes its
cells through here, at the lowest level it writes: numbers, dates and None pass untouched,
only strings are looked at. XLSX keeps the exact text as a string cell (nothing is added to
the name); CSV gets the OWASP rule, a leading apostrophe, which the CSV reader takes off again
so an export imported back gives the same name."""

from __future__ import annotations

import io
from typing import Any

# The characters a spreadsheet program reads as the start of a formula or a command.
LIVE_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_ESCAPE = "'"


def is_live(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(LIVE_PREFIXES)


def csv_value(value: Any) -> Any:
    """The OWASP rule for CSV: a live prefix gets an apostrophe in front (shown, never run)."""
    return CSV_ESCAPE + value if is_live(value) else value


def csv_unescape(value: str) -> str:
    """What `csv_value` added, taken off: an apostrophe followed by a live prefix."""
    if value.startswith(CSV_ESCAPE) and value[1:].startswith(LIVE_PREFIXES):
        return value[1:]
    return value


def text_cells(book: Any) -> None:
    """Every formula cell of an ordinary (not write-only) workbook becomes a string cell with
    the same text. The application writes no formulas of its own, so any "formula" here is
    text someone typed."""
    for sheet in book.worksheets:
        for cell in sheet._cells.values():
            if cell.data_type == "f":
                cell.data_type = "s"


def save_book(book: Any) -> bytes:
    """The workbook as bytes, with `text_cells` applied first: the one way writers save."""
    text_cells(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_only_value(sheet: Any, value: Any) -> Any:
    """For a write-only sheet (cells are streamed, `text_cells` cannot walk them): a string
    that openpyxl would take for a formula becomes a string cell."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value
