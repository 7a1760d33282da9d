"""Word (DOCX) building blocks for the ballot papers and the biên bản kiểm phiếu, written
with python-docx because offices edit and print Word files. Layout per HD 36-HD/VPTW as
research/regulations.md §4 reports it: A4, Times New Roman, the two-column Party header
(the superior and the issuing organization left, "ĐẢNG CỘNG SẢN VIỆT NAM" right)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"


def new_document(
    *, size: float = 14, margins: tuple[float, float, float, float] = (25, 25, 35, 15)
) -> DocumentObject:
    """An empty A4 document in Times New Roman (every script slot, so Vietnamese letters
    never fall back to another font). Margins (top, bottom, left, right) in mm: HD 36's
    25/25/35/15 by default."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = margins
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    style = doc.styles["Normal"]
    style.font.name = FONT  # type: ignore[attr-defined]
    style.font.size = Pt(size)  # type: ignore[attr-defined]
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    fmt = style.paragraph_format  # type: ignore[attr-defined]
    fmt.space_after = Pt(3)
    fmt.space_before = Pt(0)
    return doc


def text(
    paragraph: Paragraph,
    value: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    underline: bool = False,
) -> Paragraph:
    run = paragraph.add_run(value)
    # Only what differs from the Normal style: writing False into every run of a long
    # table costs an XML element each (a third of the time of a 50-member biên bản).
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if underline:
        run.underline = True
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def para(
    container: DocumentObject | _Cell,
    value: str = "",
    *,
    align: str = "left",
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    indent: bool = False,
    after: float | None = None,
) -> Paragraph:
    p = container.add_paragraph()
    p.alignment = _ALIGN[align]
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    if after is not None:
        p.paragraph_format.space_after = Pt(after)
    if value:
        text(p, value, bold=bold, italic=italic, size=size)
    return p


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _first(cell: _Cell) -> Paragraph:
    """A new cell holds one empty paragraph: write into it rather than below it."""
    return cell.paragraphs[0]


def cell_text(
    cell: _Cell,
    value: str,
    *,
    bold: bool = False,
    italic: bool = False,
    align: str = "left",
    size: float | None = None,
) -> None:
    p = _first(cell)
    p.alignment = _ALIGN[align]
    p.paragraph_format.space_after = Pt(0)
    text(p, value, bold=bold, italic=italic, size=size)


def no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def grid(table: Table) -> None:
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER


def keep_rows(table: Table, *, header_rows: int = 0) -> None:
    """No row broken across two pages (a signature or a member's line stays whole), and the
    first `header_rows` repeated at the top of each page, as offices set long tables."""
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if i < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))


def widths(table: Table, mm: Sequence[float]) -> None:
    """Column widths: Word reads the cells' widths, LibreOffice the grid's; set both."""
    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, mm, strict=False):
            cell.width = Mm(w)
    for col, w in zip(table.columns, mm, strict=False):
        col.width = Mm(w)


def party_header(
    doc: DocumentObject,
    superior: str,
    issuer: str,
    *,
    place_date: str = "",
    size: float = 14,
    number: str = "",
) -> Table:
    """HD 36-HD/VPTW's header: left the direct superior (capitals, upright), the issuing
    organization (capitals, bold) and a star; right "ĐẢNG CỘNG SẢN VIỆT NAM" (capitals,
    bold, one size up, a rule below) and the place and date (italic)."""
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    left, right = table.rows[0].cells
    p = _first(left)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    if superior:
        text(p, superior.upper(), size=size - 1)
        p.add_run().add_break()
    text(p, issuer.upper(), bold=True, size=size - 1)
    star = left.add_paragraph()
    star.alignment = WD_ALIGN_PARAGRAPH.CENTER
    text(star, "*", size=size - 1)
    if number:
        para(left, number, align="center", size=size - 1)
    p = _first(right)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    text(p, PARTY, bold=True, size=size + 1, underline=True)
    if place_date:
        para(right, place_date, align="center", italic=True, size=size)
    widths(table, (75, 85))
    return table


def signatures(doc: DocumentObject, blocks: Sequence[tuple[str, Sequence[str]]]) -> Table:
    """Signature blocks side by side: (title in capitals, names signing under it)."""
    table = doc.add_table(rows=1, cols=len(blocks))
    no_borders(table)
    for cell, (title, names) in zip(table.rows[0].cells, blocks, strict=True):
        cell_text(cell, title.upper(), bold=True, align="center")
        para(cell, "(Ký, ghi rõ họ tên)", align="center", italic=True, size=12)
        for name in names:
            para(cell, "", after=36)
            para(cell, name, align="center", bold=True)
    keep_rows(table)
    return table


def page_break(doc: DocumentObject) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def to_bytes(doc: DocumentObject) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
