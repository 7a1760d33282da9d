"""Reading a spreadsheet (.xlsx or .csv) into rows keyed by header, with the row numbers a
person sees in Excel, and writing one back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kiemdiem.safe_cells import csv_unescape, csv_value, write_only_value

# Budgets over what the reader touches, not what it keeps (issue 13 §4): a 110 KB file of
# 12 million empty rows must be refused in a second, not read for minutes.
MAX_ROWS = 200_000  # every row read, empty ones too
MAX_CELLS = 4_000_000  # every cell read, empty ones too
MAX_SECONDS = 20.0  # wall time spent reading one file
MAX_UNZIPPED = 200_000_000  # bytes inside the .xlsx once unzipped
_CHECK_EVERY = 1_000  # rows between two looks at the clock


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
        _scan_sheets(data)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except TableError:
        raise
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError("Tệp không phải tệp Excel (.xlsx) hợp lệ.") from exc
    except ElementTree.ParseError as exc:
        raise TableError("Tệp Excel bị hỏng, không đọc được trang tính.") from exc
    try:
        return _xlsx_rows(book)
    except TableError:
        raise
    except Exception as exc:
        raise TableError("Tệp Excel bị hỏng, không đọc được trang tính đầu tiên.") from exc
    finally:
        book.close()


# Start tags of rows and cells, with or without a namespace prefix; the sheet XML is searched
# as bytes (in C), far faster than parsing it, so a budget-busting file stops in milliseconds.
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CHUNK = 1 << 20


def _scan_sheets(data: bytes) -> None:
    """Rows and cells of every sheet counted before openpyxl opens the file: its read-only
    reader parses each whole sheet on opening when the file gives no size (<dimension>), so
    the budget has to be spent here, stopping at the first chunk past it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if sum(i.file_size for i in infos) > MAX_UNZIPPED:
            raise TableError(
                f"Tệp Excel khi giải nén lớn quá {_number(MAX_UNZIPPED // 1_000_000)} MB; "
                "hãy chia thành nhiều tệp."
            )
        budget = _Budget()
        rows = 0
        for info in infos:
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            with archive.open(info) as source:
                tail = b""
                while chunk := source.read(_CHUNK):
                    # A tag cut by the chunk boundary is found in the next round: the last
                    # bytes are carried over, and a tag is only counted once it is whole.
                    text = tail + chunk
                    cut = text.rfind(b"<")
                    if cut >= 0 and len(text) - cut < 64 and len(chunk) == _CHUNK:
                        whole, tail = text[:cut], text[cut:]
                    else:
                        whole, tail = text, b""
                    rows += len(_ROW_TAG.findall(whole))
                    budget.spend(rows, len(_CELL_TAG.findall(whole)), check_clock=True)


def _xlsx_rows(book: Any) -> Table:
    if not book.worksheets:
        raise TableError("Tệp Excel không có trang tính nào.")
    sheet = book.worksheets[0]
    # Some programs write a wrong size into the file; read every row that is really there.
    sheet.reset_dimensions()
    rows: list[tuple[int, list[Any]]] = []
    headers: list[str] | None = None
    budget = _Budget()
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = list(values)
        budget.spend(number, len(cells))
        if headers is None:
            # The header is the first non-empty row (a title above it is not expected, but
            # empty rows are); row numbers stay those Excel shows.
            if any(_blank(c) is False for c in cells):
                headers = [str(c).strip() if c is not None else "" for c in cells]
            continue
        if all(_blank(c) for c in cells):
            continue
        rows.append((number, cells))
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
    budget = _Budget()
    try:
        first = next(reader)
        budget.spend(1, len(first))
        headers = [csv_unescape(h.strip()) for h in first]
        rows = []
        for number, cells in enumerate(reader, start=2):
            budget.spend(number, len(cells))
            if any(c.strip() for c in cells):
                rows.append((number, [csv_unescape(c) for c in cells]))
    except csv.Error as exc:
        raise TableError(f"Tệp CSV hỏng ở dòng {reader.line_num}: không đọc được.") from exc
    return Table(headers, rows)


def _number(n: int | float) -> str:
    return f"{n:,}".replace(",", ".")


class _Budget:
    """Rows, cells and seconds spent reading one file, each refused past its limit with a
    message saying what to do."""

    def __init__(self) -> None:
        self.cells = 0
        self.started = time.monotonic()

    def spend(self, row_number: int, cells: int, *, check_clock: bool = False) -> None:
        self.cells += cells
        if row_number > MAX_ROWS:
            raise TableError(
                f"Tệp có quá {_number(MAX_ROWS)} dòng (kể cả dòng trống); "
                "hãy xóa các dòng trống hoặc chia thành nhiều tệp."
            )
        if self.cells > MAX_CELLS:
            raise TableError(
                f"Tệp có quá {_number(MAX_CELLS)} ô (kể cả ô trống); "
                "hãy xóa các cột, dòng thừa hoặc chia thành nhiều tệp."
            )
        looks = check_clock or row_number % _CHECK_EVERY == 0
        if looks and time.monotonic() - self.started > MAX_SECONDS:
            raise TableError(
                f"Đọc tệp quá {_number(int(MAX_SECONDS))} giây, đã dừng; "
                "hãy chia thành nhiều tệp nhỏ hơn."
            )


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
