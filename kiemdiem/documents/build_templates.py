"""Writes the built-in .docx templates of `templates_docx/` (run it after changing this file:
`.venv/bin/python -m kiemdiem.documents.build_templates`). The files are committed: offices
copy one, edit it in Word (wording, spacing, a logo) and put it in DOCUMENT_TEMPLATES_DIR.

Every tag is written as one run so Word and docxtpl see it whole. Layout per HD 36-HD/VPTW
(research/regulations.md §4) through the ballots' DOCX building blocks: A4, Times New Roman,
the two-column Party header, the title, the body, "Nơi nhận" left and the signature right.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.shared import Mm

from kiemdiem.ballots import docx_parts as d
from kiemdiem.documents.sheets import MAU04_COLUMNS

OUT = Path(__file__).parent / "templates_docx"


def _header(doc: DocumentObject, size: float = 14) -> None:
    # party_header writes the names in capitals: the context keys are capitals so the tags
    # survive it unchanged.
    d.party_header(
        doc,
        "{{ SUPERIOR }}",
        "{{ ISSUER }}",
        place_date="{{ place_date }}",
        number="{{ number }}",
        size=size,
    )
    d.para(doc, "")


def _title(doc: DocumentObject, title: str, subtitle: str = "") -> None:
    d.para(doc, title, align="center", bold=True, size=16, after=0)
    if subtitle:
        d.para(doc, subtitle, align="center", bold=True)
    d.para(doc, "-----", align="center", after=6)


def _footer(doc: DocumentObject, mm: tuple[float, float] = (75, 85)) -> None:
    """ "Nơi nhận" (underlined, its entries in 12 pt) left; the signature block right (on a
    landscape page the columns are wider so the signature sits at the right margin)."""
    table = doc.add_table(rows=1, cols=2)
    d.no_borders(table)
    left, right = table.rows[0].cells
    d.cell_text(left, "{%p if recipients %}", size=12)
    d.text(d.para(left, ""), "Nơi nhận:", bold=True, underline=True, size=13)
    d.para(left, "{%p for r in recipients %}", size=12)
    d.para(left, "- {{ r }}", size=12, after=0)
    d.para(left, "{%p endfor %}", size=12)
    d.para(left, "{%p endif %}", size=12)
    d.cell_text(right, "{{ sign_for }}", bold=True, align="center")
    d.para(right, "{{ sign_title }}", bold=True, align="center")
    d.para(right, "", after=48)
    d.para(right, "{{ signer }}", bold=True, align="center")
    d.widths(table, mm)
    d.keep_rows(table)


def _table(
    doc: DocumentObject,
    heads: Sequence[str],
    cells: Sequence[str],
    mm: Sequence[float],
    *,
    loop: str,
    size: float = 12,
) -> None:
    """A grid table: a header row, then one row repeated by `loop` ("r in rows")."""
    table = doc.add_table(rows=4, cols=len(heads))
    d.grid(table)
    for cell, h in zip(table.rows[0].cells, heads, strict=True):
        d.cell_text(cell, h, bold=True, align="center", size=size)
    d.cell_text(table.rows[1].cells[0], "{%tr for " + loop + " %}", size=size)
    for cell, value in zip(table.rows[2].cells, cells, strict=True):
        align = "left" if "name" in value or "text" in value or "title" in value else "center"
        d.cell_text(cell, value, size=size, align=align)
    d.cell_text(table.rows[3].cells[0], "{%tr endfor %}", size=size)
    d.widths(table, mm)
    d.keep_rows(table, header_rows=1)


def _totals(doc: DocumentObject) -> None:
    """Counts per level with their shares (Mẫu 04, the minutes)."""
    _table(
        doc,
        ["Mức xếp loại", "Số lượng", "Tỷ lệ"],
        ["{{ t.label }}", "{{ t.count }}", "{{ t.share }}"],
        (120, 40, 40),
        loop="t in totals",
    )


def _loop(doc: DocumentObject, loop: str, lines: Sequence[tuple[str, bool]]) -> None:
    d.para(doc, "{%p for " + loop + " %}")
    for value, bold in lines:
        d.para(doc, value, bold=bold, indent=not bold, align="justify")
    d.para(doc, "{%p endfor %}")


def mau01(doc: DocumentObject) -> None:
    _header(doc)
    _title(doc, "BÁO CÁO", "Kiểm điểm tập thể {{ collective }} năm {{ year }}")
    _loop(doc, "s in sections", [("{{ s.title }}", True), ("{{ s.text }}", False)])
    d.para(doc, "{%p if opinions %}")
    d.para(doc, "Ý kiến đóng góp đã tiếp thu", bold=True)
    d.para(doc, "{%p endif %}")
    _loop(doc, "o in opinions", [("- {{ o }}", False)])
    d.para(doc, "{{ sent_line }}", italic=True, size=13)
    _footer(doc)


def mau02(doc: DocumentObject) -> None:
    _header(doc)
    _title(doc, "BẢN KIỂM ĐIỂM CÁ NHÂN", "Năm {{ year }} ({{ variant_title }})")
    d.para(doc, "{%p if form_source %}")
    d.para(doc, "({{ form_source }})", italic=True, size=12, align="center")
    d.para(doc, "{%p endif %}")
    for label, tag in (
        ("Họ và tên", "member_name"),
        ("Ngày sinh", "birth_date"),
        ("Chức vụ", "posts"),
        ("Đối tượng", "work_unit"),
        ("Sinh hoạt tại", "cell"),
    ):
        d.text(d.text(d.para(doc, ""), f"{label}: ", bold=True), "{{ " + tag + " }}")
    _loop(doc, "s in sections", [("{{ s.title }}", True), ("{{ s.text }}", False)])
    d.para(doc, "Tự đánh giá các tiêu chí", bold=True)
    _table(
        doc,
        ["STT", "Tiêu chí", "Mức tự đánh giá"],
        ["{{ c.no }}", "{{ c.title }}", "{{ c.degree }}"],
        (12, 108, 40),
        loop="c in criteria",
    )
    d.para(doc, "Liên hệ 27 biểu hiện suy thoái (Nghị quyết 04-NQ/TW)", bold=True)
    _table(
        doc,
        ["STT", "Biểu hiện", "Mức độ"],
        ["{{ m.no }}", "{{ m.text }}", "{{ m.level }}"],
        (14, 106, 40),
        loop="m in manifestations",
        size=11,
    )
    d.para(doc, "{{ manifestation_note }}", italic=True, size=12)
    d.para(doc, "{%p if scores %}")
    d.para(doc, "Chấm điểm theo khung tiêu chí ({{ framework_title }})", bold=True)
    d.para(doc, "{%p endif %}")
    _table(
        doc,
        ["Tiêu chí", "Điểm tối đa", "Tự chấm", "Chi ủy chấm"],
        ["{{ s.title }}", "{{ s.max }}", "{{ s.own }}", "{{ s.committee }}"],
        (88, 24, 24, 24),
        loop="s in scores",
        size=11,
    )
    d.para(doc, "{%p if scores %}")
    d.para(doc, "Tổng điểm: tự chấm {{ self_total }}; chi ủy chấm {{ committee_total }}.")
    d.para(doc, "{%p endif %}")
    # HD 43's part B: the self-score by group, out of 30 and 70, then the total out of 100.
    d.para(doc, "{%p if part_b %}")
    d.para(doc, "B. TỰ ĐÁNH GIÁ, XẾP LOẠI", bold=True)
    d.para(doc, "{%p endif %}")
    _loop(doc, "g in part_b", [(
        "- {{ g.title }}: {{ g.own }}/{{ g.max }} điểm (chi ủy thẩm định: {{ g.committee }})",
        False,
    )])  # fmt: skip
    d.para(doc, "{%p if part_b %}")
    d.para(doc, "- Tổng: {{ self_total }}/100 điểm (chi ủy thẩm định: {{ committee_total }}/100)")
    d.para(doc, "{%p endif %}")
    d.text(
        d.text(d.para(doc, ""), "Tự nhận mức xếp loại chất lượng: ", bold=True), "{{ self_level }}"
    )
    _footer(doc)
    d.para(doc, "")
    d.para(doc, "NHẬN XÉT, ĐÁNH GIÁ CỦA CHI ỦY", bold=True)
    d.para(doc, "Chi ủy đề xuất mức: {{ proposed_level }}", indent=True)
    d.para(doc, "ĐÁNH GIÁ, XẾP LOẠI CỦA CẤP ỦY CÓ THẨM QUYỀN", bold=True)
    d.para(doc, "Mức xếp loại: {{ decided_level }}", indent=True)


def mau03(doc: DocumentObject) -> None:
    _header(doc)
    _title(doc, "PHIẾU LẤY Ý KIẾN NHẬN XÉT", "{{ form_title }} — năm {{ year }}")
    d.para(doc, "Kính gửi: {{ from_org }}", align="center")
    d.para(
        doc,
        "{{ addressee }} nhận xét đồng chí {{ member_name }}, sinh ngày {{ birth_date }}, "
        "sinh hoạt tại {{ cell }}, như sau:",
        indent=True,
        align="justify",
    )
    _table(
        doc,
        ["STT", "Nội dung", "Nhận xét"],
        ["{{ i.no }}", "{{ i.text }}", "{{ i.mark }}"],
        (12, 118, 30),
        loop="i in items",
    )
    d.para(doc, "Ý kiến nhận xét khác:", bold=True)
    d.para(doc, "{{ comment }}", indent=True, align="justify")
    d.para(doc, "{{ received_line }}", italic=True, size=13)
    _footer(doc)


def mau04(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    section.top_margin = section.bottom_margin = Mm(20)
    _header(doc)
    _title(doc, "BIỂU TỔNG HỢP", "Kết quả đánh giá, xếp loại chất lượng đảng viên năm {{ year }}")
    d.para(
        doc,
        "{{ cell }} — {{ members_total }} đảng viên (chính thức {{ official }}, dự bị "
        "{{ probationary }}; miễn sinh hoạt {{ exempt }}); {{ classified }} đảng viên được "
        "xếp loại; {{ not_classified }} không xếp loại.",
        align="center",
    )
    _table(
        doc,
        MAU04_COLUMNS,
        [
            "{{ r.no }}",
            "{{ r.name }}",
            "{{ r.self_level }}",
            "{{ r.proposed }}",
            "{{ r.votes }}",
            "{{ r.shares }}",
            "{{ r.decided }}",
            "{{ r.note }}",
        ],
        (13, 48, 24, 24, 42, 42, 26, 43),
        loop="r in rows",
        size=11,
    )
    d.para(doc, "")
    d.para(doc, "Tổng hợp theo mức xếp loại (tỷ lệ trên số đảng viên được xếp loại)", bold=True)
    _totals(doc)
    d.para(doc, "{{ quota_note }}", italic=True, size=12)
    _footer(doc, (172, 90))


def agenda(doc: DocumentObject) -> None:
    _header(doc)
    _title(doc, "CHƯƠNG TRÌNH HỘI NGHỊ", "{{ title }}")
    d.para(doc, "Thời gian: {{ when }}. Địa điểm: {{ place }}.", align="center", italic=True)
    _table(
        doc,
        ["TT", "Nội dung", "Người thực hiện"],
        ["{{ i.no }}", "{{ i.title }}", "{{ i.chair }}"],
        (12, 110, 38),
        loop="i in items",
    )
    _footer(doc)


def minutes(doc: DocumentObject) -> None:
    _header(doc)
    _title(doc, "BIÊN BẢN", "{{ title }}")
    d.para(
        doc,
        "Hồi {{ time }}, {{ day }}, tại {{ place }}, {{ organization }} tổ chức {{ title_lower }}.",
        indent=True,
        align="justify",
    )
    d.para(doc, "Chủ trì: đồng chí {{ chair }}. Thư ký: đồng chí {{ secretary }}.", indent=True)
    d.para(
        doc,
        "Tổng số đảng viên: {{ members }} (chính thức {{ official }}, dự bị {{ probationary }}"
        "; miễn sinh hoạt {{ exempt }}); được triệu tập: {{ total }}; có mặt: {{ present }}"
        "; vắng mặt: {{ absent_n }} ({{ absent_line }}).",
        indent=True,
        align="justify",
    )
    d.para(doc, "NỘI DUNG HỘI NGHỊ", bold=True)
    _loop(doc, "i in items", [("{{ i.no }}. {{ i.title }}", True), ("{{ i.text }}", False)])
    d.para(doc, "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI ĐẢNG VIÊN", bold=True)
    d.para(doc, "{{ results_line }}", indent=True, align="justify")
    _totals(doc)
    d.para(
        doc,
        "Hội nghị kết thúc hồi {{ end_time }} cùng ngày. Biên bản đã được thông qua "
        "trước hội nghị.",
        indent=True,
        align="justify",
    )
    table = doc.add_table(rows=1, cols=2)
    d.no_borders(table)
    left, right = table.rows[0].cells
    d.cell_text(left, "THƯ KÝ", bold=True, align="center")
    d.para(left, "", after=48)
    d.para(left, "{{ secretary }}", bold=True, align="center")
    d.cell_text(right, "CHỦ TRÌ", bold=True, align="center")
    d.para(right, "", after=48)
    d.para(right, "{{ chair }}", bold=True, align="center")
    d.keep_rows(table)


def to_trinh(doc: DocumentObject) -> None:
    _header(doc)
    _title(doc, "TỜ TRÌNH", "Về việc đăng ký danh hiệu thi đua năm {{ next_year }}")
    d.para(doc, "Kính gửi: {{ to }}", align="center")
    d.para(
        doc,
        "Căn cứ kết quả kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng "
        "viên năm {{ year }}; {{ cell }} có {{ members_total }} đảng viên (chính thức "
        "{{ official }}, dự bị {{ probationary }}; miễn sinh hoạt {{ exempt }}), "
        "{{ classified }} đảng viên được xếp loại; kết quả xếp loại "
        "đảng viên: {{ results_line }}. Chi bộ tự đánh giá, xếp loại: {{ cell_level }}.",
        indent=True,
        align="justify",
    )
    d.para(doc, "Hội nghị chi bộ thống nhất đăng ký phấn đấu năm {{ next_year }}:", indent=True)
    d.para(doc, "- Danh hiệu thi đua của chi bộ: {{ target }}", indent=True)
    d.para(doc, "Kính đề nghị {{ to }} xem xét, công nhận.", indent=True)
    _footer(doc)


def mau11(doc: DocumentObject) -> None:
    _header(doc)
    _title(doc, "TỔNG HỢP THÔNG TIN", "Đánh giá, xếp loại cán bộ lãnh đạo, quản lý năm {{ year }}")
    d.para(
        doc, "Đồng chí {{ member_name }} — {{ posts }}; sinh hoạt tại {{ cell }}.", align="center"
    )
    _table(
        doc,
        ["Kênh thông tin", "Nội dung"],
        ["{{ c.title }}", "{{ c.text }}"],
        (55, 105),
        loop="c in channels",
    )
    d.para(doc, "{{ missing_note }}", italic=True, size=12)
    _footer(doc)


def listing(doc: DocumentObject) -> None:
    """A generic list: title, subtitle, a table of any width (column loop), a note."""
    _header(doc)
    _title(doc, "{{ title }}", "{{ subtitle }}")
    table = doc.add_table(rows=4, cols=3)
    d.grid(table)
    first = table.rows[0].cells
    d.cell_text(first[0], "{%tc for c in columns %}", size=12)
    d.cell_text(first[1], "{{ c }}", bold=True, align="center", size=12)
    d.cell_text(first[2], "{%tc endfor %}", size=12)
    d.cell_text(table.rows[1].cells[0], "{%tr for row in rows %}", size=12)
    data = table.rows[2].cells
    d.cell_text(data[0], "{%tc for v in row %}", size=12)
    d.cell_text(data[1], "{{ v }}", size=12)
    d.cell_text(data[2], "{%tc endfor %}", size=12)
    d.cell_text(table.rows[3].cells[0], "{%tr endfor %}", size=12)
    d.para(doc, "{{ note }}", italic=True, size=12)
    _footer(doc)


TEMPLATES: dict[str, Callable[[DocumentObject], None]] = {
    "mau01.docx": mau01,
    "mau02.docx": mau02,
    "mau03.docx": mau03,
    "mau04.docx": mau04,
    "agenda.docx": agenda,
    "minutes.docx": minutes,
    "to_trinh.docx": to_trinh,
    "mau11.docx": mau11,
    "listing.docx": listing,
}


def build(out: Path = OUT) -> list[Path]:
    """Write every template; a file whose content is unchanged is left alone (a .docx
    carries its save time, so rewriting it would show a change in git for nothing)."""
    from kiemdiem.documents import build_templates_hd43  # its forms use this module's parts

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in {**TEMPLATES, **build_templates_hd43.TEMPLATES}.items():
        doc = d.new_document(size=14)
        make(doc)
        data = d.to_bytes(doc)
        path = out / name
        if not path.is_file() or _content(path.read_bytes()) != _content(data):
            path.write_bytes(data)
        written.append(path)
    return written


def _content(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return b"".join(z.read(n) for n in sorted(z.namelist()) if n != "docProps/core.xml")


if __name__ == "__main__":
    for p in build():
        print(p)
