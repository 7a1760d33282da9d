"""Tables as .xlsx (openpyxl): Mẫu 04 and any list document, with the same header lines as
the Word papers so a printed sheet still says who issued it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from kiemdiem.safe_cells import save_book

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "Times New Roman"
# Number formats are codes, not text: Excel and LibreOffice show them with the reader's
# decimal comma ("17,5"), and the cell stays a number a formula can add up (issue 11 §4).
SCORE_FORMAT = "#,##0.0#"
COUNT_FORMAT = "#,##0"
SHARE_FORMAT = "0.00%"
# From this many columns a table is printed across the page (A4 landscape).
_WIDE = 6
# Wrapped text at 12 pt Times New Roman: about one character per unit of column width
# (a little less, to be safe), 15.75 points a line; openpyxl's default width is 13.
_CHARS_PER_WIDTH = 0.95
_LINE_HEIGHT = 15.75
_DEFAULT_WIDTH = 13


def table_xlsx(
    ctx: dict[str, Any],
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    sheet: str = "Danh sách",
    widths: Sequence[int] = (),
    extra: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]] = (),
    groups: Sequence[Group] = (),
) -> bytes:
    """A workbook whose first sheet carries the header, the title and one table; `extra`
    adds (sheet name, columns, rows) sheets, e.g. totals. With `groups` the table has the
    form's two-row header: each group's label over its columns, the other columns' labels
    merged down both rows."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    lines = [
        (ctx.get("SUPERIOR", ""), False),
        (ctx.get("ISSUER", ""), True),
        ("ĐẢNG CỘNG SẢN VIỆT NAM", True),
        (ctx.get("place_date", ""), False),
        (title, True),
        (ctx.get("subtitle", ""), False),
    ]
    for i, (value, bold) in enumerate(lines, start=1):
        ws.cell(row=i, column=1, value=value).font = Font(name=_FONT, bold=bold, size=13)
        # Across the table's width: a narrow table would otherwise cut the header lines at
        # the print area's edge.
        if len(columns) > 1:
            ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=len(columns))
    top = len(lines) + 2
    head = _group_row(ws, top, columns, groups) if groups else top
    _table(ws, head, columns, rows)
    _print_setup(ws, head, len(columns), head + len(rows), first=top)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    _fit_heights(ws, head + 1, rows, widths)
    for name, cols, data in extra:
        more = wb.create_sheet(name)
        _table(more, 1, cols, data)
        # The first column holds the level's full name ("Hoàn thành xuất sắc nhiệm vụ …").
        sizes = (42, *[14] * (len(cols) - 1))
        for i, w in enumerate(sizes, start=1):
            more.column_dimensions[get_column_letter(i)].width = w
        _fit_heights(more, 2, data, sizes)
        _print_setup(more, 1, len(cols), 1 + len(data))
    return save_book(wb)


def _fit_heights(ws: Any, first: int, rows: Sequence[Sequence[Any]], widths: Sequence[int]) -> None:
    """Row heights for wrapped text: LibreOffice and Excel keep the default height of a row
    written by openpyxl, so a long criterion or note overprinted the next row."""
    for i, row in enumerate(rows, start=first):
        lines = 1
        for j, value in enumerate(row):
            width = widths[j] if j < len(widths) else _DEFAULT_WIDTH
            per_line = max(1, int(width * _CHARS_PER_WIDTH))
            text = "" if value is None or isinstance(value, Share) else str(value)
            lines = max(lines, sum(-(-len(p) // per_line) or 1 for p in text.split("\n")))
        if lines > 1:
            ws.row_dimensions[i].height = _LINE_HEIGHT * lines


@dataclass(frozen=True)
class Group:
    """A header over columns first..last (1-based) of a two-row table header."""

    label: str
    first: int
    last: int


def _group_row(ws: Any, top: int, columns: Sequence[str], groups: Sequence[Group]) -> int:
    """Writes the upper header row and merges; returns the row of the column labels."""
    grouped = {j for g in groups for j in range(g.first, g.last + 1)}
    for g in groups:
        _head_cell(ws, top, g.first, g.label)
        for j in range(g.first + 1, g.last + 1):
            ws.cell(row=top, column=j).border = _BOX
        ws.merge_cells(start_row=top, start_column=g.first, end_row=top, end_column=g.last)
    for j, label in enumerate(columns, start=1):
        if j not in grouped:
            _head_cell(ws, top, j, label)
            ws.cell(row=top + 1, column=j).border = _BOX
            ws.merge_cells(start_row=top, start_column=j, end_row=top + 1, end_column=j)
    return top + 1


def _head_cell(ws: Any, row: int, col: int, value: str) -> None:
    c = ws.cell(row=row, column=col, value=value)
    c.font, c.border = Font(name=_FONT, bold=True, size=12), _BOX
    c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _table(ws: Any, top: int, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    for j, head in enumerate(columns, start=1):
        # Under a two-row header the merged cells above already carry the label.
        if ws.cell(row=top, column=j).coordinate not in ws.merged_cells:
            _head_cell(ws, top, j, head)
    for i, row in enumerate(rows, start=top + 1):
        for j, value in enumerate(row, start=1):
            fmt = ""
            if isinstance(value, Share):
                value, fmt = value.value, SHARE_FORMAT
            elif isinstance(value, Decimal | float):
                fmt = SCORE_FORMAT
            elif isinstance(value, int) and not isinstance(value, bool):
                fmt = COUNT_FORMAT
            c = ws.cell(row=i, column=j, value=value)
            c.font, c.border = Font(name=_FONT, size=12), _BOX
            c.alignment = Alignment(vertical="top", wrap_text=True)
            if fmt:
                c.number_format = fmt


class Share:
    """A fraction written as a number shown as a percentage (0.125 → "12,50%", as the Word
    paper prints it)."""

    def __init__(self, value: float) -> None:
        self.value = value


def _print_setup(ws: Any, head: int, ncols: int, last: int, *, first: int = 0) -> None:
    """How an office prints the sheet: A4, landscape when wide, one page wide however long,
    the header rows (`first`..`head`) repeated on every page, panes frozen under them, only
    the table printed."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = (
        ws.ORIENTATION_LANDSCAPE if ncols >= _WIDE else ws.ORIENTATION_PORTRAIT
    )
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.print_title_rows = f"{first or head}:{head}"
    ws.freeze_panes = ws.cell(row=head + 1, column=1).coordinate
    ws.print_area = f"A1:{get_column_letter(max(ncols, 1))}{max(last, head)}"
    ws.print_options.horizontalCentered = True


MAU04_COLUMNS = [
    "STT",
    "Họ và tên",
    "Tự xếp loại",
    "Chi ủy đề xuất",
    "Số phiếu",
    "Tỷ lệ",
    "Cấp ủy quyết định",
    "Ghi chú",
]


def mau04_xlsx(ctx: dict[str, Any]) -> bytes:
    rows = [
        [
            r["no"],
            r["name"],
            r["self_level"],
            r["proposed"],
            r["votes"],
            r["shares"],
            r["decided"],
            r["note"],
        ]
        for r in ctx["rows"]
    ]
    n = ctx.get("classified") or 0
    totals = [
        [t["label"], t["count"], Share(t["count"] / n) if n else t["share"]] for t in ctx["totals"]
    ]
    subtitle = (
        f"{ctx['cell']} — năm {ctx['year']}: {ctx['members_total']} đảng viên (chính thức "
        f"{ctx['official']}, dự bị {ctx['probationary']}; miễn sinh hoạt {ctx['exempt']}); "
        f"{ctx['classified']} đảng viên được xếp loại"
    )
    data = {**ctx, "subtitle": subtitle}
    return table_xlsx(
        data,
        "BIỂU TỔNG HỢP KẾT QUẢ XẾP LOẠI ĐẢNG VIÊN (MẪU 04)",
        MAU04_COLUMNS,
        rows,
        sheet="Mẫu 04",
        widths=(6, 28, 12, 12, 26, 34, 14, 40),
        # The form's header: the vote's two columns under one heading.
        groups=[Group("Kết quả biểu quyết", 5, 6)],
        extra=[("Tổng hợp", ["Mức xếp loại", "Số lượng", "Tỷ lệ"], totals)],
    )


def listing_xlsx(ctx: dict[str, Any]) -> bytes:
    # `values`, where a paper gives them, are the rows with numbers kept as numbers (the Word
    # paper prints `rows`, the same values as text).
    rows = ctx.get("values") or ctx["rows"]
    return table_xlsx(ctx, ctx["title"], ctx["columns"], rows, widths=ctx.get("widths", ()))
