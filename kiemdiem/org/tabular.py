"""Reading a spreadsheet (.xlsx or .csv) into rows keyed by header, with the row numbers a
person sees in Excel, and writing one back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kiemdiem.safe_cells import csv_unescape, csv_value, write_only_value

MAX_ROWS = 200_000


class TableError(ValueError):
    """The file cannot be read as a table at all."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as shown in the spreadsheet, cells)


def read_table(data: bytes, filename: str) -> Table:
    name = filename.lower()
    if name.endswith(".csv"):
        return _read_csv(data)
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    raise TableError("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).")


def _read_xlsx(data: bytes) -> Table:
    if not data:
        raise TableError("Tệp trống.")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError("Tệp không phải tệp Excel (.xlsx) hợp lệ.") from exc
    try:
        return _xlsx_rows(book)
    except TableError:
        raise
    except Exception as exc:
        raise TableError("Tệp Excel bị hỏng, không đọc được trang tính đầu tiên.") from exc
    finally:
        book.close()


def _xlsx_rows(book: Any) -> Table:
    if not book.worksheets:
        raise TableError("Tệp Excel không có trang tính nào.")
    sheet = book.worksheets[0]
    # Some programs write a wrong size into the file; read every row that is really there.
    sheet.reset_dimensions()
    rows: list[tuple[int, list[Any]]] = []
    headers: list[str] | None = None
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = list(values)
        if headers is None:
            # The header is the first non-empty row (a title above it is not expected, but
            # empty rows are); row numbers stay those Excel shows.
            if any(_blank(c) is False for c in cells):
                headers = [str(c).strip() if c is not None else "" for c in cells]
            continue
        if all(_blank(c) for c in cells):
            continue
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise TableError(f"Tệp có quá {MAX_ROWS:,} dòng.".replace(",", "."))
    if headers is None:
        raise TableError("Tệp trống: không có dòng tiêu đề.")
    return Table(headers, rows)


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError("Tệp CSV phải được lưu với mã UTF-8.") from exc
    if not text.strip():
        raise TableError("Tệp trống: không có dòng tiêu đề.")
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    headers = [csv_unescape(h.strip()) for h in next(reader)]
    rows = [
        (number, [csv_unescape(c) for c in cells])
        for number, cells in enumerate(reader, start=2)
        if any(c.strip() for c in cells)
    ]
    if len(rows) > MAX_ROWS:
        raise TableError(f"Tệp có quá {MAX_ROWS:,} dòng.".replace(",", "."))
    return Table(headers, rows)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str,
    notes: Sequence[Sequence[str]] = (),
) -> bytes:
    """A workbook in write-only mode (streams 50,000 rows without holding cells in memory).
    Dates are real dates shown as dd/mm/yyyy; `notes` becomes a second sheet "Hướng dẫn"."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=h)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    def date_cell(value: Any) -> Any:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "dd/mm/yyyy"
        return cell

    for row in rows:
        # Plain values where no format is needed (a styled cell per value doubles the time);
        # None writes no cell at all.
        sheet.append(
            [date_cell(v) if isinstance(v, dt.date) else write_only_value(sheet, v) for v in row]
        )
    if notes:
        guide = book.create_sheet("Hướng dẫn")
        for line in notes:
            guide.append([write_only_value(guide, v) for v in line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_value(h) for h in headers])
    for row in rows:
        writer.writerow(
            [v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else csv_value(v) for v in row]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
