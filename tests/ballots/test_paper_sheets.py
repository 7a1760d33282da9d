"""Printed ballots and the tally sheet as Word files (issue 5 §2; research/regulations.md
§3.6), read back: the Party header, the title with the year, candidates as rows in the
ballot's order, the four levels named in full as columns — or the proposed level with
Đồng ý / Không đồng ý (001 §2.2.5) — and several ballots to an A4 page."""

from __future__ import annotations

from kiemdiem.ballots.papers import Line, Sheet, ballots_docx, default_per_sheet, tally_docx
from kiemdiem.rules import Level
from tests.ballots.docx_text import fonts, open_docx, paragraphs, table_rows

LEVELS = [
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
]


def sheet(method: str = "choose_level", n: int = 3, round: int = 1) -> Sheet:
    names = ["Phạm Thị Hà", "Nguyễn Thị Yến", "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    lines = tuple(
        Line(names[i % 5] + ("" if i < 5 else f" {i}"), "Bí thư chi bộ" if i == 0 else "",
             Level.HTTNV if i else Level.HTXSNV)
        for i in range(n)
    )  # fmt: skip
    return Sheet("Đảng bộ xã A", "Chi bộ xóm 1", "members", 2026, method, lines, round)


def test_ballot_has_the_party_header_title_rows_and_the_four_levels_in_full() -> None:
    doc = open_docx(ballots_docx(sheet(), copies=1))
    header = table_rows(doc.tables[0])[0]
    assert "ĐẢNG BỘ XÃ A" in header[0] and "CHI BỘ XÓM 1" in header[0] and "*" in header[0]
    assert header[1].startswith("ĐẢNG CỘNG SẢN VIỆT NAM")
    assert "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2026" in paragraphs(doc)
    rows = table_rows(doc.tables[1])
    assert rows[0] == ["STT", "Họ và tên", *LEVELS]
    assert [r[1].split("\n")[0] for r in rows[1:]] == [
        "Phạm Thị Hà",
        "Nguyễn Thị Yến",
        "Nguyễn Văn An",
    ]
    assert rows[1][1] == "Phạm Thị Hà\nBí thư chi bộ"  # the post tells namesakes apart
    assert all(cell == "" for r in rows[1:] for cell in r[2:])  # empty boxes to mark
    assert any("mỗi dòng chỉ đánh dấu một ô" in p for p in paragraphs(doc))
    assert fonts(doc) == {"Times New Roman"}
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4


def test_approval_ballot_shows_the_proposed_level_and_agree_disagree() -> None:
    """001 §2.2.5: members approve the level the chi ủy proposes."""
    doc = open_docx(ballots_docx(sheet("approve_proposal"), copies=1))
    rows = table_rows(doc.tables[1])
    assert rows[0] == ["STT", "Họ và tên", "Mức chi ủy đề xuất", "Đồng ý", "Không đồng ý"]
    assert rows[1][2] == "Hoàn thành xuất sắc nhiệm vụ"
    assert rows[2][2] == "Hoàn thành tốt nhiệm vụ"
    assert any("ô “Đồng ý”" in p for p in paragraphs(doc))


def test_several_ballots_per_page_and_a_new_page_after_each_full_sheet() -> None:
    s = sheet(n=3)
    assert default_per_sheet(s) == 3
    doc = open_docx(ballots_docx(s, copies=7))
    titles = [p for p in paragraphs(doc) if p.startswith("PHIẾU ĐÁNH GIÁ")]
    assert len(titles) == 7
    assert len(doc.sections) == 3  # 3 + 3 + 1 ballots
    assert sum(1 for p in paragraphs(doc) if p.startswith("✂")) == 4  # cut lines within pages
    big = sheet(n=14)
    assert default_per_sheet(big) == 1
    assert len(open_docx(ballots_docx(big, copies=2)).sections) == 2


def test_second_round_paper_says_so_and_lists_only_its_candidates() -> None:
    s = Sheet("Đảng bộ xã A", "Chi bộ xóm 1", "members", 2026, "choose_level",
              (Line("Lê Văn Cường"),), round=2)  # fmt: skip
    doc = open_docx(ballots_docx(s, copies=1))
    assert "(Bỏ phiếu lần 2)" in paragraphs(doc)
    assert [r[1] for r in table_rows(doc.tables[1])[1:]] == ["Lê Văn Cường"]


def test_tally_sheet_has_the_papers_lines_a_row_per_candidate_and_the_committee() -> None:
    doc = open_docx(tally_docx(sheet(), ["Phạm Thị Hà", "Võ Văn Khánh"]))
    text = paragraphs(doc)
    assert "PHIẾU TỔNG HỢP KIỂM PHIẾU" in text
    assert "Số phiếu phát ra: ………… phiếu." in text
    assert "Số phiếu không hợp lệ: ………… phiếu." in text
    rows = table_rows(doc.tables[1])
    assert rows[0] == ["STT", "Họ và tên", *LEVELS, "Không đánh dấu hoặc đánh dấu sai", "Cộng"]
    assert [r[1] for r in rows[1:]] == ["Phạm Thị Hà", "Nguyễn Thị Yến", "Nguyễn Văn An"]
    signs = table_rows(doc.tables[-1])[0][0]
    assert "BAN KIỂM PHIẾU" in signs and "Võ Văn Khánh" in signs
