"""The cell's dossier of 000 §III as one .zip: every paper read back (names, levels, counts,
dates, the HD 36 header), the index honest about what is missing, the right to build it,
and a query count that does not grow with the cell."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from kiemdiem.documents import dossier as builder
from kiemdiem.documents.pdf import soffice
from kiemdiem.grading.models import Decision
from kiemdiem.org.choices import Category
from kiemdiem.vn import long_date, sort_by_name
from tests.ballots.docx_text import all_text, fonts, open_docx, table_rows
from tests.builders import make_member
from tests.documents.conftest import write_review

pytestmark = pytest.mark.django_db

HEADER = ["ĐẢNG BỘ XÃ A", "CHI BỘ XÓM 1", "ĐẢNG CỘNG SẢN VIỆT NAM", "A, ngày 20 tháng 11 năm 2026"]


def _zip(w: Any, user: str = "clerk", pdf: bool = False) -> zipfile.ZipFile:
    data = builder.cell_zip(w.users[user], w.cycle, w.orgs["cell1"], pdf=pdf)
    return zipfile.ZipFile(io.BytesIO(data))


def _an(w: Any) -> str:
    return str(w.members["an"].code)


def test_dossier_holds_the_papers_of_000_III_and_says_what_is_missing(dossier: Any) -> None:
    """000 §III lists eight papers: the zip holds those the system has data for, and its
    index names every file and every missing paper with the reason (never a faked one)."""
    z = _zip(dossier)
    names = set(z.namelist())
    assert {
        "00_MUC_LUC.txt",
        "01_To_trinh_dang_ky_thi_dua_2027.docx",
        "03_Bang_diem_chi_bo.docx",
        "03_Bang_diem_chi_bo.xlsx",
        "04_Mau_04_Bieu_tong_hop_xep_loai.docx",
        "04_Mau_04_Bieu_tong_hop_xep_loai.xlsx",
        "05_Danh_sach_HTXSNV.docx",
        "06_Bien_ban_hoi_nghi.docx",
        "06_Chuong_trinh_hoi_nghi.docx",
        "06_Bien_ban_kiem_phieu.docx",
        f"07_Tu_kiem_diem/Nguyen_Van_An_{_an(dossier)}.docx",
    } <= names
    teacher = dossier.teacher
    assert f"07_Tu_kiem_diem/Hoang_Thi_Giao_{teacher.code}.docx" in names  # a civil servant
    index = z.read("00_MUC_LUC.txt").decode("utf-8")
    for name in names - {"00_MUC_LUC.txt"}:
        assert f"- {name}:" in index
    missing = index.split("CÒN THIẾU")[1]
    assert "Báo cáo tổng kết công tác xây dựng Đảng năm 2026" in missing
    assert "Bản tự kiểm điểm của Trần Thị Bình (Phó Bí thư): chưa viết" in missing
    assert "Sổ ghi biên bản sinh hoạt" in missing
    # Plain members outside the chi ủy who are not civil servants are not in the dossier.
    assert not any("Tran_Van" in n for n in names)


def test_mau_04_lists_every_member_in_name_order_with_votes_levels_and_totals(
    dossier: Any,
) -> None:
    """Mẫu 04 (domain.md §4.4; research §3.5): each member's self-level, the chi ủy's
    proposal, the votes with their shares, the decided level and why; totals per level with
    percentages of those classified; the HD 36 header in Times New Roman."""
    w = dossier
    doc = open_docx(_zip(w).read("04_Mau_04_Bieu_tong_hop_xep_loai.docx"))
    text = all_text(doc)
    # Issue #11: Mẫu 04 is dated by the chi ủy's proposal, not the plan's reference date.
    proposed = timezone.localdate(
        Decision.objects.filter(cycle=w.cycle, step="propose", place=w.orgs["cell1"])
        .latest("made_at")
        .made_at
    )
    dated = f"A, {long_date(proposed)}"
    for part in [*HEADER[:3], dated, "Số      -BTH/CB", "T/M CHI BỘ", "BÍ THƯ", "Nơi nhận:"]:
        assert part in text
    assert fonts(doc) == {"Times New Roman"}
    rows = table_rows(doc.tables[1])[1:]
    people = [w.members["an"], w.members["binh"], w.teacher, *w.extra]
    assert [r[1] for r in rows] == [
        m.full_name for m in sort_by_name(people, lambda m: m.full_name)
    ]
    by_name = {r[1]: r for r in rows}
    an, binh = by_name["Nguyễn Văn An"], by_name["Trần Thị Bình"]
    assert an[2:5] == ["HTXSNV", "HTXSNV", "HTXSNV: 11"] and an[6] == "HTXSNV"
    assert binh[4] == "HTXSNV: 9; HTTNV: 2"
    assert binh[5] == "HTXSNV: 9/11 = 81,82%; HTTNV: 2/11 = 18,18%"
    assert binh[3] == binh[6] == "HTTNV" and "Vượt hạn mức HTXSNV" in binh[7]
    assert by_name["Hoàng Thị Giáo"][2] == "HTTNV"  # her own paper's level
    totals = table_rows(doc.tables[2])[1:]
    assert totals[0] == ["Hoàn thành xuất sắc nhiệm vụ (HTXSNV)", "1", "9,09%"]
    assert totals[1] == ["Hoàn thành tốt nhiệm vụ (HTTNV)", "10", "90,91%"]
    assert "Nguyễn Văn An" in table_rows(doc.tables[-1])[0][1]  # the secretary signs


def test_mau_04_as_a_spreadsheet(dossier: Any) -> None:
    wb = load_workbook(io.BytesIO(_zip(dossier).read("04_Mau_04_Bieu_tong_hop_xep_loai.xlsx")))
    ws = wb["Mẫu 04"]
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert values[1][0] == "CHI BỘ XÓM 1" and values[2][0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    table = [r for r in values if isinstance(r[0], int)]
    assert len(table) == 11
    binh = next(r for r in table if r[1] == "Trần Thị Bình")
    assert binh[4] == "HTXSNV: 9; HTTNV: 2" and binh[6] == "HTTNV"
    totals = list(wb["Tổng hợp"].iter_rows(values_only=True))
    # Issue 11 §4 changed this pin: the share is a number (1/11) shown as "9,09%", not text.
    assert totals[1][:2] == ("Hoàn thành xuất sắc nhiệm vụ (HTXSNV)", 1)
    assert totals[1][2] == pytest.approx(1 / 11)
    assert wb["Tổng hợp"]["C2"].number_format == "0.00%"


def test_vote_count_minutes_meeting_minutes_and_agenda(dossier: Any) -> None:
    """The biên bản kiểm phiếu comes from the counts the grading used, through the ballots'
    own writer; the meeting's minutes and agenda follow 000's Chương trình hội nghị."""
    z = _zip(dossier)
    count = all_text(open_docx(z.read("06_Bien_ban_kiem_phieu.docx")))
    assert "BIÊN BẢN KIỂM PHIẾU" in count and "Số phiếu hợp lệ: 11 phiếu." in count
    assert "Đồng chí Trần Thị Bình: đạt mức Hoàn thành xuất sắc nhiệm vụ (HTXSNV)" in count
    assert "81,82%" in count
    minutes = all_text(open_docx(z.read("06_Bien_ban_hoi_nghi.docx")))
    assert "Hồi 08 giờ 00 phút, ngày 20 tháng 11 năm 2026, tại Nhà văn hóa xóm 1" in minutes
    assert "Chủ trì: đồng chí Nguyễn Văn An. Thư ký: đồng chí Trần Thị Bình." in minutes
    assert "Ý kiến thảo luận: Hội nghị nhất trí chương trình." in minutes
    assert "Hoàn thành tốt nhiệm vụ (HTTNV): 10 (90,91%)" in minutes
    agenda = all_text(open_docx(z.read("06_Chuong_trinh_hoi_nghi.docx")))
    assert "CHƯƠNG TRÌNH HỘI NGHỊ" in agenda and "Bỏ phiếu xếp loại đảng viên" in agenda


def test_self_review_paper_has_the_27_manifestations_and_the_levels(dossier: Any) -> None:
    """Mẫu 02 (000 §1.3.2a): the sections as written (text kept verbatim, & included), all
    27 manifestations with the member's level, the self-level, the chi ủy's proposal and
    the committee's decision at the foot."""
    doc = open_docx(_zip(dossier).read(f"07_Tu_kiem_diem/Nguyen_Van_An_{_an(dossier)}.docx"))
    text = all_text(doc)
    assert "BẢN KIỂM ĐIỂM CÁ NHÂN" in text and "Họ và tên: Nguyễn Văn An" in text
    assert "Ưu điểm của Nguyễn Văn An: gương mẫu & đúng hạn." in text
    manif = next(t for t in doc.tables if table_rows(t)[0][1] == "Biểu hiện")
    rows = table_rows(manif)[1:]
    assert len(rows) == 27
    assert rows[4][2].startswith("3.") and rows[0][2].startswith("1.")
    assert "Tự nhận mức xếp loại chất lượng: Hoàn thành xuất sắc nhiệm vụ (HTXSNV)" in text
    assert "Mức xếp loại: Hoàn thành xuất sắc nhiệm vụ (HTXSNV)" in text
    assert "NGƯỜI TỰ KIỂM ĐIỂM" in text


def test_tờ_trình_score_sheet_excellent_list_and_mẫu_11(dossier: Any) -> None:
    z = _zip(dossier)
    tt = all_text(open_docx(z.read("01_To_trinh_dang_ky_thi_dua_2027.docx")))
    assert "Về việc đăng ký danh hiệu thi đua năm 2027" in tt and "Số      -TTr/CB" in tt
    assert "Chi bộ xóm 1 có 11 đảng viên" in tt
    sheet = open_docx(z.read("03_Bang_diem_chi_bo.docx"))
    rows = table_rows(sheet.tables[1])
    assert ["Tổng điểm", "100", "99"] in rows
    listed = table_rows(open_docx(z.read("05_Danh_sach_HTXSNV.docx")).tables[1])
    assert [r[1] for r in listed[1:]] == ["Nguyễn Văn An"]
    m11 = all_text(open_docx(z.read(f"09_Mau_11/Nguyen_Van_An_{_an(dossier)}.docx")))
    assert "TỔNG HỢP THÔNG TIN" in m11 and "Tự nhận mức Hoàn thành xuất sắc nhiệm vụ" in m11
    assert "HTXSNV: 11/11 = 100%" in m11


def test_outsiders_get_no_dossier(dossier: Any) -> None:
    """Who may not export the cell's results gets nothing: another unit's secretary, a plain
    member (design.md principle 6)."""
    for who in ("outsider", "member"):
        with pytest.raises(PermissionDenied):
            builder.cell_zip(dossier.users[who], dossier.cycle, dossier.orgs["cell1"], pdf=False)


def _queries(w: Any) -> int:
    user = get_user_model().objects.get(pk=w.users["clerk"].pk)  # no cached grants
    with CaptureQueriesContext(connection) as ctx:
        builder.build(user, w.cycle, w.orgs["cell1"], pdf=False)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_cell(dossier: Any) -> None:
    """Set-based: 15 more civil servants with their self-reviews add files, not queries."""
    before = _queries(dossier)
    for i in range(15):
        m = make_member(dossier.orgs["cell1"], f"Đỗ Văn Thêm {i}", category=Category.CCVC)
        write_review(dossier.cycle, m, "HTTNV")
    after = _queries(dossier)
    assert after == before, (before, after)
    assert before <= 60


@pytest.mark.slow
@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) chưa được cài")
def test_pdf_copies_where_libreoffice_is_installed(dossier: Any) -> None:
    z = _zip(dossier, pdf=True)
    names = z.namelist()
    pdfs = [n for n in names if n.endswith(".pdf")]
    docx = [n for n in names if n.endswith(".docx")]
    assert len(pdfs) == len(docx)
    assert all(z.read(n)[:5] == b"%PDF-" for n in pdfs)
    assert "04_Mau_04_Bieu_tong_hop_xep_loai.pdf" in names
    assert "bản PDF của 04_Mau_04" in z.read("00_MUC_LUC.txt").decode()


def _assert_print_setup(ws: Any, head: int, landscape: bool, *, first: int = 0) -> None:
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9  # A4
    assert ws.page_setup.orientation == ("landscape" if landscape else "portrait")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == f"${first or head}:${head}"
    assert ws.freeze_panes == f"A{head + 1}"
    assert ws.print_area and ws.print_area.endswith(f"${ws.max_row}")


def test_score_sheet_and_mau_04_workbooks_hold_numbers_and_print_on_a4(dossier: Any) -> None:
    """Issue 11 §4: the bảng điểm's scores are numbers equal to the database's (they were
    text, "17,5"), shown with a number format; Mẫu 04's STT and counts are numbers; both
    workbooks print on A4 (Mẫu 04, eight columns, landscape), one page wide, the header row
    repeated, panes frozen under it, the print area the table."""
    from decimal import Decimal

    from kiemdiem.grading.context import profile_of
    from kiemdiem.grading.scales import sheet_for
    from kiemdiem.grading.units import UnitSheet, find_subject

    w = dossier
    z = _zip(w)
    org = find_subject(w.orgs["commune"], f"o:{w.orgs['cell1'].pk}")
    saved = UnitSheet.objects.get(cycle=w.cycle, subject_key=org.key)
    template = sheet_for(profile_of(w.cycle), "organization")
    assert template is not None
    ws = load_workbook(io.BytesIO(z.read("03_Bang_diem_chi_bo.xlsx"))).active
    assert ws is not None
    values = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(values, start=1) if r[0] == "Tiêu chí")
    by_title = {str(r[0]).strip(): r for r in values[head:] if r[0]}
    for c in template.criteria:
        row = by_title[c.title]
        assert isinstance(row[1], int | float) and isinstance(row[2], int | float), c.title
        assert Decimal(str(row[1])) == Decimal(c.max)
        assert Decimal(str(row[2])) == Decimal(saved.scores[c.code])
    total = by_title["Tổng điểm"]
    assert Decimal(str(total[2])) == saved.total and Decimal(str(total[1])) == template.maximum
    score_cell = ws.cell(row=head + len(values[head:]) - 1, column=3)
    assert score_cell.value == by_title["Tổng điểm"][2] and score_cell.number_format == "#,##0.0#"
    _assert_print_setup(ws, head, landscape=False)  # three columns: portrait
    book = load_workbook(io.BytesIO(z.read("04_Mau_04_Bieu_tong_hop_xep_loai.xlsx")))
    mau04 = book["Mẫu 04"]
    first = next(r for r in mau04.iter_rows() if isinstance(r[0].value, int))
    assert first[0].value == 1 and first[0].number_format == "#,##0"
    # Issue 11 §6 changed this pin: Mẫu 04's header is two rows, both repeated on each page.
    _assert_print_setup(mau04, first[0].row - 1, landscape=True, first=first[0].row - 2)
    _assert_print_setup(book["Tổng hợp"], 1, landscape=False)


def test_mau_04_workbook_has_the_forms_two_row_header(dossier: Any) -> None:
    """Issue 11 §6 (HD 36-HD/VPTW, Mẫu 04): "Kết quả biểu quyết" over "Số phiếu" and "Tỷ
    lệ", the other headings merged down both rows."""
    book = load_workbook(io.BytesIO(_zip(dossier).read("04_Mau_04_Bieu_tong_hop_xep_loai.xlsx")))
    ws = book["Mẫu 04"]
    top = next(c.row for c in ws["A"] if c.value == "STT")
    assert ws.cell(row=top, column=5).value == "Kết quả biểu quyết"
    assert (ws.cell(row=top + 1, column=5).value, ws.cell(row=top + 1, column=6).value) == (
        "Số phiếu", "Tỷ lệ"
    )  # fmt: skip
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"E{top}:F{top}" in merged
    for col in "ABCDGH":
        assert f"{col}{top}:{col}{top + 1}" in merged, col
    assert ws.cell(row=top, column=7).value == "Cấp ủy quyết định"
    assert ws.cell(row=top + 2, column=1).value == 1
