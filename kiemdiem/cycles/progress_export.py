"""The progress dashboard as an .xlsx: units, steps and the late list on three sheets."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font

from kiemdiem.cycles.progress import MEASURES, Progress
from kiemdiem.cycles.reminders import Reminder
from kiemdiem.safe_cells import save_book


def _sheet(book: Workbook, title: str, headers: list[str], rows: list[list[object]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for col, header in zip(sheet.columns, headers, strict=False):
        width = max([len(header)] + [len(str(c.value or "")) for c in col[:200]])
        sheet.column_dimensions[col[0].column_letter].width = min(60, width + 2)
    sheet.freeze_panes = "A2"


def workbook(progress: Progress, late: list[Reminder]) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    headers = ["Đơn vị", "Mã"]
    for label in MEASURES.values():
        headers += [label, "Phải có", "Tỷ lệ (%)", "Chậm"]
    headers.append("Nhận xét phải trả lời đã quá hạn")
    unit_rows = []
    for row in [*progress.units, progress.total]:
        name = row.organization.name if row is not progress.total else "Tổng cộng"
        values: list[object] = [name, row.organization.code or ""]
        for m in row.measures:
            values += [m.done, m.expected, m.percent, "Chậm" if m.late else ""]
        values.append(row.tally.feedback_owed)
        unit_rows.append(values)
    _sheet(book, "Theo đơn vị", headers, unit_rows)
    step_rows: list[list[object]] = []
    for s in progress.steps:
        counted = "; ".join(f"{m.label}: {m.done}/{m.expected}" for m in s.measures)
        step_rows.append(
            [s.step.order, s.step.title, s.step.starts_on, s.step.ends_on,
             s.label, counted]
        )  # fmt: skip
    _sheet(book, "Theo bước", ["Bước", "Nội dung", "Từ ngày", "Hạn", "Tình trạng", "Số liệu"],
           step_rows)  # fmt: skip
    for ws in (book["Theo bước"],):
        for cells in ws.iter_rows(min_row=2, min_col=3, max_col=4):
            for cell in cells:
                cell.number_format = "dd/mm/yyyy"
    late_rows: list[list[object]] = []
    for r in late:
        for name in r.reviews:
            late_rows.append([r.organization.name, "Chưa nộp bản tự kiểm điểm", name])
        for item in r.feedback:
            late_rows.append([r.organization.name, "Nhận xét quá hạn", item])
        for name in r.reports:
            late_rows.append([r.organization.name, "Chưa gửi báo cáo kiểm điểm tập thể", name])
        if r.meeting:
            late_rows.append([r.organization.name, "Chưa họp kiểm điểm", ""])
    _sheet(book, "Chậm", ["Đơn vị phải làm", "Việc", "Chi tiết"], late_rows)
    return save_book(book)
