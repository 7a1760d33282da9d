"""Tables as .xlsx (openpyxl): Mẫu 04 and any list document, with the same header lines as
the Word papers so a printed sheet still says who issued it."""

from __future__ import annotations

from collections.abc import Sequence
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


def table_xlsx(
    ctx: dict[str, Any],
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    sheet: str = "Danh sách",
    widths: Sequence[int] = (),
    extra: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]] = (),
) -> bytes:
    """A workbook whose first sheet carries the header, the title and one table; `extra`
    adds (sheet name, columns, rows) sheets, e.g. totals."""
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
    _table(ws, top, columns, rows)
    _print_setup(ws, top, len(columns), top + len(rows))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for name, cols, data in extra:
        more = wb.create_sheet(name)
        _table(more, 1, cols, data)
        _print_setup(more, 1, len(cols), 1 + len(data))
    return save_book(wb)


def _table(ws: Any, top: int, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    for j, head in enumerate(columns, start=1):
        c = ws.cell(row=top, column=j, value=head)
        c.font, c.border = Font(name=_FONT, bold=True, size=12), _BOX
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
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


def _print_setup(ws: Any, head: int, ncols: int, last: int) -> None:
    """How an office prints the sheet: A4, landscape when wide, one page wide however long,
    the header row repeated on every page, panes frozen under it, only the table printed."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = (
        ws.ORIENTATION_LANDSCAPE if ncols >= _WIDE else ws.ORIENTATION_PORTRAIT
    )
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.print_title_rows = f"{head}:{head}"
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
        extra=[("Tổng hợp", ["Mức xếp loại", "Số lượng", "Tỷ lệ"], totals)],
    )


def listing_xlsx(ctx: dict[str, Any]) -> bytes:
    # `values`, where a paper gives them, are the rows with numbers kept as numbers (the Word
    # paper prints `rows`, the same values as text).
    rows = ctx.get("values") or ctx["rows"]
    return table_xlsx(ctx, ctx["title"], ctx["columns"], rows, widths=ctx.get("widths", ()))
