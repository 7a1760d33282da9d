"""Downloads from the existing pages, scoped through the access table: who may see the
page's object may download its paper; everybody else gets a 404 and no bytes."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kiemdiem.feedback.models import FeedbackKind, FeedbackRequest, Status
from kiemdiem.reviews.models import CollectiveReport, SelfReview
from tests.ballots.docx_text import all_text, open_docx

pytestmark = pytest.mark.django_db


def _get(w: Any, who: str, url: str) -> Any:
    c = Client()
    c.force_login(w.users[who])
    return c.get(url)


def _who_gets(w: Any, url: str, people: tuple[str, ...]) -> dict[str, int]:
    return {p: _get(w, p, url).status_code for p in people}


def test_cell_papers_for_the_office_and_chi_uy_only(dossier: Any) -> None:
    """Mẫu 04 and the rest carry votes and levels: the cell's secretary, the committee
    office and the superior download them; a member and another unit's secretary do not."""
    w = dossier
    cell = w.orgs["cell1"]
    url = reverse("documents_cell_file", args=[w.cycle.pk, cell.pk, "mau-04.xlsx"])
    got = _who_gets(w, url, ("secretary", "clerk", "superior", "member", "outsider"))
    assert got == {"secretary": 200, "clerk": 200, "superior": 200, "member": 404, "outsider": 404}
    r = _get(w, "clerk", url)
    assert (
        r["Cache-Control"] == "no-store" and "Mau_04_Chi_bo_xom_1.xlsx" in r["Content-Disposition"]
    )
    rows = list(load_workbook(io.BytesIO(r.content))["Mẫu 04"].iter_rows(values_only=True))
    assert any(row[1] == "Trần Thị Bình" for row in rows)
    page = _get(w, "secretary", reverse("documents_cell", args=[w.cycle.pk, cell.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tải toàn bộ hồ sơ (.zip)" in text and "Nguyễn Văn An" in text  # Mẫu 11 of a leader
    for name in ("mau-04.docx", "to-trinh.docx", "bang-diem.docx", "htxsnv.docx",
                 "bien-ban-kiem-phieu.docx", "ho-so.zip"):  # fmt: skip
        r = _get(w, "secretary", reverse("documents_cell_file", args=[w.cycle.pk, cell.pk, name]))
        assert r.status_code == 200 and r.content[:2] == b"PK", name
    leader = reverse("documents_leader", args=[w.cycle.pk, cell.pk, w.members["an"].pk])
    assert "TỔNG HỢP THÔNG TIN" in all_text(open_docx(_get(w, "clerk", leader).content))
    assert _get(w, "outsider", leader).status_code == 404
    grading = _get(w, "secretary", reverse("grading_cell", args=[w.cycle.pk, cell.pk]))
    assert reverse("documents_cell", args=[w.cycle.pk, cell.pk]) in grading.content.decode()


def test_missing_paper_is_a_message_not_an_error(dossier: Any) -> None:
    """Cell 2 scored no sheet and counted no vote: the office is told so, in Vietnamese."""
    w = dossier
    url = reverse("documents_cell_file", args=[w.cycle.pk, w.orgs["cell2"].pk, "bang-diem.docx"])
    c = Client()
    c.force_login(w.users["clerk"])
    r = c.get(url, follow=True)
    assert "Chi bộ chưa chấm bảng điểm." in r.content.decode()


def test_self_review_paper_as_its_page_is_scoped(dossier: Any) -> None:
    """Mẫu 02 is sensitive: the member, the cell and the office; not another unit."""
    w = dossier
    review = SelfReview.objects.get(member=w.members["an"])
    url = reverse("self_review_file", args=[review.pk])
    got = _who_gets(w, url, ("member", "secretary", "clerk", "outsider"))
    assert got == {"member": 200, "secretary": 200, "clerk": 200, "outsider": 404}
    assert "BẢN KIỂM ĐIỂM CÁ NHÂN" in all_text(open_docx(_get(w, "member", url).content))
    teacher = SelfReview.objects.get(member=w.teacher)
    assert _get(w, "member", reverse("self_review_file", args=[teacher.pk])).status_code == 404
    editor = reverse("review_editor", args=[w.cycle.pk, w.members["an"].pk])
    assert url in _get(w, "secretary", editor).content.decode()


def test_residence_comment_paper(dossier: Any) -> None:
    """Mẫu 03 as the residence cell returned it: each duty with its mark, the comment."""
    w = dossier
    req = FeedbackRequest.objects.create(
        cycle=w.cycle, member=w.members["an"], kind=FeedbackKind.RESIDENCE,
        from_organization=w.orgs["cell1"], to_organization=w.orgs["cell2"],
        reason="000 §1.4.1b", due_on=dt.date(2026, 11, 15), status=Status.ANSWERED,
        answered_at=timezone.now(),
        answer={"form": "mau03", "items": {"chap_hanh": "tot", "nghia_vu": "chua_tot"},
                "comment": "Còn chậm đóng góp quỹ xóm.", "signer_name": "Lê Văn Cường",
                "signer_title": "Bí thư chi bộ"},
    )  # fmt: skip
    url = reverse("feedback_file", args=[req.pk])
    assert _get(w, "outsider", url).status_code == 404
    doc = open_docx(_get(w, "clerk", url).content)
    text = all_text(doc)
    assert "Phiếu lấy ý kiến nhận xét nơi cư trú (Mẫu 03)" in text
    assert "Còn chậm đóng góp quỹ xóm." in text and "Lê Văn Cường" in text
    rows = [[c.text for c in r.cells] for r in doc.tables[1].rows]
    assert rows[1][2] == "Tốt" and rows[2][2] == "Chưa tốt" and rows[3][2] == "—"
    detail = _get(w, "clerk", reverse("feedback_detail", args=[req.pk])).content.decode()
    assert url in detail


def test_collective_report_paper(dossier: Any) -> None:
    w = dossier
    from kiemdiem.org.models import Collective

    chi_uy = Collective.objects.get(organization=w.orgs["cell1"])
    report = CollectiveReport.objects.create(
        cycle=w.cycle, collective=chi_uy, head=w.members["an"], meeting_on=dt.date(2026, 11, 20),
        sent_on=dt.date(2026, 11, 14), working_days_before=4,
        sections={"uu_diem": "Lãnh đạo hoàn thành chỉ tiêu.", "han_che": "Sinh hoạt còn chậm."},
    )  # fmt: skip
    url = reverse("report_file", args=[report.pk])
    assert _who_gets(w, url, ("clerk", "member", "outsider")) == {
        "clerk": 200, "member": 200, "outsider": 404,  # the member heads the chi ủy
    }  # fmt: skip
    text = all_text(open_docx(_get(w, "clerk", url).content))
    assert "Kiểm điểm tập thể Chi ủy Chi bộ xóm 1 năm 2026" in text
    assert "I. Ưu điểm, kết quả đạt được" in text and "Lãnh đạo hoàn thành chỉ tiêu." in text
    assert "trước hội nghị 4 ngày làm việc" in text and "T/M CHI ỦY CHI BỘ XÓM 1" in text


def test_meeting_agenda_and_minutes(dossier: Any) -> None:
    w = dossier
    url = reverse("meeting_file", args=[w.meeting.pk, "bien-ban.docx"])
    assert _who_gets(w, url, ("clerk", "outsider")) == {"clerk": 200, "outsider": 404}
    text = all_text(open_docx(_get(w, "clerk", url).content))
    assert "Hoàn thành xuất sắc nhiệm vụ (HTXSNV): 1 (9,09%)" in text
    agenda = _get(w, "secretary", reverse("meeting_file", args=[w.meeting.pk, "chuong-trinh.docx"]))
    assert "Thông qua tờ trình đăng ký thi đua" in all_text(open_docx(agenda.content))
    page = _get(w, "clerk", reverse("meeting_detail", args=[w.meeting.pk])).content.decode()
    assert url in page
