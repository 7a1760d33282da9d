"""Tables as .xlsx (openpyxl): Mẫu 04 and any list document, with the same header lines as
the Word papers so a printed sheet still says who issued it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from kiemdiem.safe_cells import save_book

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "Times New Roman"


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
    _table(ws, len(lines) + 2, columns, rows)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for name, cols, data in extra:
        more = wb.create_sheet(name)
        _table(more, 1, cols, data)
    return save_book(wb)


def _table(ws: Any, top: int, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    for j, head in enumerate(columns, start=1):
        c = ws.cell(row=top, column=j, value=head)
        c.font, c.border = Font(name=_FONT, bold=True, size=12), _BOX
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, row in enumerate(rows, start=top + 1):
        for j, value in enumerate(row, start=1):
            c = ws.cell(row=i, column=j, value=value)
            c.font, c.border = Font(name=_FONT, size=12), _BOX
            c.alignment = Alignment(vertical="top", wrap_text=True)


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
    totals = [[t["label"], t["count"], t["share"]] for t in ctx["totals"]]
    data = {**ctx, "subtitle": f"{ctx['cell']} — năm {ctx['year']}"}
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
    return table_xlsx(ctx, ctx["title"], ctx["columns"], ctx["rows"])
