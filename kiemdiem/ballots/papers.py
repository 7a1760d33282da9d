"""Printed ballot papers and the counting committee's tally sheet, as plain data that the
print page (HTML, A4 @page) and the Word file (DOCX) both render.

The paper follows the local forms research/regulations.md §3.6 found: the Party header,
"PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM …", one row per candidate in the
ballot's order, and one column per level named in full (or the chi ủy's proposed level with
"Đồng ý" / "Không đồng ý" where the profile approves a proposal, 001 §2.2.5); one mark per
row; rows with none or two marks are not counted; the paper is not signed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.shared import Mm

from kiemdiem.ballots import docx_parts as d
from kiemdiem.ballots.counting import APPROVE_PROPOSAL, BLANK, CHOICE_NAMES, choices_for
from kiemdiem.rules import Level

# What is classified, as the paper's title names it (research §3.4, §3.6).
TITLES = {
    "members": "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM {year}",
    "organization": "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TỔ CHỨC ĐẢNG NĂM {year}",
    "collective": "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TẬP THỂ LÃNH ĐẠO, QUẢN LÝ NĂM {year}",
    "leaders": "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CÁN BỘ LÃNH ĐẠO, QUẢN LÝ NĂM {year}",
}
INSTRUCTIONS = (
    "Đồng chí đồng ý mức nào thì đánh dấu (X) vào ô tương ứng; mỗi dòng chỉ đánh dấu một ô. "
    "Dòng không đánh dấu hoặc đánh dấu từ hai ô trở lên không được tính. "
    "Phiếu không phải ký tên."
)
APPROVE_INSTRUCTIONS = (
    "Đồng chí đồng ý với mức chi ủy đề xuất thì đánh dấu (X) vào ô “Đồng ý”, không đồng ý "
    "thì đánh dấu vào ô “Không đồng ý”; mỗi dòng chỉ đánh dấu một ô. Dòng không đánh dấu hoặc "
    "đánh dấu cả hai ô không được tính. Phiếu không phải ký tên."
)


@dataclass(frozen=True, slots=True)
class Line:
    """One candidate's row: the name, a note (the post held, to tell namesakes apart) and,
    for an approval ballot, the level the chi ủy proposes."""

    name: str
    note: str = ""
    proposed: Level | None = None


@dataclass(frozen=True, slots=True)
class Sheet:
    superior: str  # the direct superior's name, e.g. "Đảng bộ xã A"
    issuer: str  # the organization holding the vote, e.g. "Chi bộ xóm 1"
    kind: str  # a key of TITLES
    year: int
    method: str  # choose_level | approve_proposal
    lines: tuple[Line, ...]
    round: int = 1

    @property
    def title(self) -> str:
        return TITLES[self.kind].format(year=self.year)

    @property
    def subtitle(self) -> str:
        return f"(Bỏ phiếu lần {self.round})" if self.round > 1 else ""

    @property
    def approve(self) -> bool:
        return self.method == APPROVE_PROPOSAL

    @property
    def columns(self) -> list[str]:
        """The headers of the marking columns, in full."""
        return [CHOICE_NAMES[c] for c in choices_for(self.method)]

    @property
    def instructions(self) -> str:
        return APPROVE_INSTRUCTIONS if self.approve else INSTRUCTIONS

    def proposed_name(self, line: Line) -> str:
        return line.proposed.label if line.proposed is not None else "(chưa đề xuất)"

    @property
    def tally_columns(self) -> list[str]:
        return [*self.columns, CHOICE_NAMES[BLANK], "Cộng"]


def default_per_sheet(sheet: Sheet) -> int:
    """How many ballots fit one A4 page: few candidates, two or three per page (cut apart)."""
    n = len(sheet.lines)
    if n <= 5:
        return 3
    if n <= 12:
        return 2
    return 1


def _ballot(doc: DocumentObject, sheet: Sheet, size: float) -> None:
    d.party_header(doc, sheet.superior, sheet.issuer, size=size)
    d.para(doc, sheet.title, align="center", bold=True, size=size + 1, after=0)
    if sheet.subtitle:
        d.para(doc, sheet.subtitle, align="center", italic=True, size=size, after=0)
    if sheet.approve:
        head = ["STT", "Họ và tên", "Mức chi ủy đề xuất", *sheet.columns]
        mm = [12, 62, 50, 18, 18]
    else:
        head = ["STT", "Họ và tên", *sheet.columns]
        mm = [12, 60, 22, 22, 22, 22]
    table = doc.add_table(rows=1 + len(sheet.lines), cols=len(head))
    d.grid(table)
    for cell, h in zip(table.rows[0].cells, head, strict=True):
        d.cell_text(cell, h, bold=True, align="center", size=size - 2)
    for i, line in enumerate(sheet.lines, start=1):
        cells = table.rows[i].cells
        d.cell_text(cells[0], str(i), align="center", size=size)
        d.cell_text(cells[1], line.name, size=size)
        if line.note:
            d.para(cells[1], line.note, italic=True, size=size - 3, after=0)
        if sheet.approve:
            d.cell_text(cells[2], sheet.proposed_name(line), size=size - 1)
    d.widths(table, mm)
    d.para(doc, sheet.instructions, italic=True, size=size - 2, align="justify")


def ballots_docx(sheet: Sheet, *, copies: int, per_sheet: int | None = None) -> bytes:
    """`copies` ballots, `per_sheet` to an A4 page with a cut line between them."""
    per = per_sheet or default_per_sheet(sheet)
    size = 13 if per == 1 else 11
    doc = d.new_document(size=size, margins=(12, 12, 15, 12))
    copies = max(1, copies)
    for i in range(copies):
        if i and i % per == 0:
            doc.add_section(WD_SECTION.NEW_PAGE)
            s = doc.sections[-1]
            s.top_margin, s.bottom_margin = Mm(12), Mm(12)
            s.left_margin, s.right_margin = Mm(15), Mm(12)
        elif i:
            d.para(doc, "✂ " + "- " * 40, align="center", size=8, after=6)
        _ballot(doc, sheet, size)
    return d.to_bytes(doc)


def tally_docx(sheet: Sheet, committee: Sequence[str] = ()) -> bytes:
    """The counting committee's worksheet: the papers at the top, one row per candidate
    with wide cells for the tally marks, and the committee's signatures."""
    doc = d.new_document(size=13, margins=(15, 15, 20, 12))
    d.party_header(doc, sheet.superior, sheet.issuer, size=13)
    d.para(doc, "PHIẾU TỔNG HỢP KIỂM PHIẾU", align="center", bold=True, size=14, after=0)
    d.para(doc, sheet.title.capitalize(), align="center", italic=True, size=12, after=0)
    if sheet.subtitle:
        d.para(doc, sheet.subtitle, align="center", italic=True, size=12)
    for label in ("Số phiếu phát ra", "Số phiếu thu về", "Số phiếu không hợp lệ"):
        d.para(doc, f"{label}: ………… phiếu.", size=13, after=2)
    head = ["STT", "Họ và tên", *sheet.tally_columns]
    table = doc.add_table(rows=1 + len(sheet.lines), cols=len(head))
    d.grid(table)
    for cell, h in zip(table.rows[0].cells, head, strict=True):
        d.cell_text(cell, h, bold=True, align="center", size=10)
    for i, line in enumerate(sheet.lines, start=1):
        cells = table.rows[i].cells
        d.cell_text(cells[0], str(i), align="center", size=12)
        d.cell_text(cells[1], line.name, size=12)
        for cell in cells[2:]:
            d.cell_text(cell, " ", size=12)
            d.para(cell, "", after=10)  # room for the tally marks
    marks = len(sheet.tally_columns)
    d.widths(table, [10, 45, *([(178 - 55) / marks] * marks)])
    d.para(
        doc,
        "Mỗi dòng: tổng các cột (kể cả cột không đánh dấu) bằng số phiếu hợp lệ "
        "(phiếu thu về trừ phiếu không hợp lệ).",
        italic=True,
        size=11,
    )
    names = list(committee) or ["", ""]
    d.signatures(doc, [("Ban kiểm phiếu", names)])
    return d.to_bytes(doc)
