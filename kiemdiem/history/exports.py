"""The draft reward lists as XLSX and DOCX, and the report as XLSX. DOCX with the Party's
header and signature block (ballots.docx_parts); XLSX one sheet per list or table."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from kiemdiem.ballots import docx_parts as d
from kiemdiem.history.models import QUALITY4
from kiemdiem.history.reports import Dist, Report
from kiemdiem.history.rewards import RewardList, RewardsPage
from kiemdiem.safe_cells import save_book

LIST_HEADERS = ["STT", "Họ tên / tên", "Mã", "Chi bộ / đơn vị", "Số năm liền",
                "Số năm tiêu biểu", "Tỷ lệ phiếu năm nay", "Tình trạng"]  # fmt: skip


def _sheet_title(n: int, text: str) -> str:
    bad = set("[]:*?/\\")
    clean = "".join("-" if ch in bad else ch for ch in text)
    return f"{n}. {clean}"[:31]


def _book() -> Workbook:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    return book


def _save(book: Workbook) -> bytes:
    return save_book(book)


def _rows(lst: RewardList) -> list[list[Any]]:
    return [[i, ln.name, ln.code, ln.unit, ln.years, "—" if ln.honoured is None else ln.honoured,
             ln.share_text, ln.status_name]
            for i, ln in enumerate(lst.lines, start=1)]  # fmt: skip


def rewards_xlsx(page: RewardsPage) -> bytes:
    book = _book()
    bold = Font(bold=True)
    if not page.lists:
        book.create_sheet("Danh sách").append([page.note or "Không có ai đủ điều kiện."])
    for n, lst in enumerate(page.lists, start=1):
        sheet = book.create_sheet(_sheet_title(n, lst.unit))
        sheet.append([lst.title])
        sheet.append([f"{lst.unit} — năm {page.year}"])
        sheet.append([f"Hạn mức: {lst.limit_text}. Căn cứ: {lst.source}"])
        sheet.append([])
        sheet.append(LIST_HEADERS)
        for cell in sheet[5]:
            cell.font = bold
        sheet["A1"].font = bold
        for row in _rows(lst):
            sheet.append(row)
        if lst.open_slots:
            sheet.append([])
            sheet.append([f"Cấp ủy chọn {lst.open_slots} trong số các trường hợp bằng nhau."])
    return _save(book)


def rewards_docx(page: RewardsPage, superior: str) -> bytes:
    doc = d.new_document(size=13)
    d.party_header(doc, superior, page.root.name, place_date=f"ngày … tháng … năm {page.year}")
    d.para(doc, "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", align="center", bold=True, size=14)
    d.para(doc, f"Năm {page.year} (dự thảo)", align="center", italic=True)
    if not page.lists:
        d.para(doc, page.note or "Không có ai đủ điều kiện.")
    for lst in page.lists:
        d.para(doc, f"{lst.title} — {lst.unit}", bold=True)
        d.para(doc, f"Hạn mức: {lst.limit_text}. Căn cứ: {lst.source}.", italic=True, size=12)
        table = doc.add_table(rows=1, cols=len(LIST_HEADERS))
        d.grid(table)
        for cell, h in zip(table.rows[0].cells, LIST_HEADERS, strict=True):
            d.cell_text(cell, h, bold=True, align="center", size=11)
        for row in _rows(lst):
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                d.cell_text(cell, str(value), size=11)
        if lst.open_slots:
            d.para(doc, f"Cấp ủy chọn {lst.open_slots} trong số các trường hợp bằng nhau.",
                   italic=True, size=12)  # fmt: skip
    d.para(doc)
    d.signatures(doc, [("Người lập", []), (f"T/M {page.root.name}", [])])
    return d.to_bytes(doc)


def _cols(dist: Dist) -> list[int]:
    return [dist.counts.get(c, 0) for c in QUALITY4] + [dist.unrated]


def report_xlsx(report: Report) -> bytes:
    book = _book()
    bold = Font(bold=True)
    names = [*QUALITY4, "Chưa có kết quả"]
    units = book.create_sheet("Theo đơn vị")
    units.append([f"Xếp loại đảng viên năm {report.year} — {report.root.name}"])
    units.append(["Đơn vị", "Số đảng viên", *names, "Chậm tiến độ", "Vượt hạn mức"])
    for cell in units[2]:
        cell.font = bold
    for u in report.units:
        units.append([u.organization.name, u.members.total, *_cols(u.members),
                      "; ".join(u.late), "; ".join(f"{v.label}: {v.used}/{v.allowed} {v.level}"
                                                    for v in u.breaches)])  # fmt: skip
    units.append(["Tổng cộng", report.total.total, *_cols(report.total)])
    years = book.create_sheet("Qua các năm")
    years.append(["Năm", "Số đảng viên", *names])
    for cell in years[1]:
        cell.font = bold
    for y, dist in report.by_year:
        years.append([y, dist.total, *_cols(dist)])
    orgs = book.create_sheet("Tổ chức, tập thể")
    orgs.append(["Đối tượng", "Mức", "Số lượng"])
    for what, dist in (("Tổ chức đảng", report.cells), ("Tập thể", report.collectives)):
        for _, name, n, _ in dist.org_bars:
            orgs.append([what, name, n])
    flagged = book.create_sheet("Chậm, vượt hạn mức")
    flagged.append(["Đơn vị", "Chậm tiến độ", "Vượt hạn mức"])
    for u in report.flagged:
        flagged.append([u.organization.name, "; ".join(u.late),
                        "; ".join(f"{v.label}: {v.used}/{v.allowed} {v.level}"
                                  for v in u.breaches)])  # fmt: skip
    return _save(book)
