"""Single documents to download, by name: what the pages link to. Each returns (bytes,
file name, content type); the views have already scoped the object through the access
table, and the cell's papers check the export right here again."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.ballots.minutes_docx import minutes_docx
from kiemdiem.cycles.models import Cycle
from kiemdiem.documents import cell as c
from kiemdiem.documents import dossier, hd43, papers
from kiemdiem.documents.common import heads_of, issuer_for
from kiemdiem.documents.count_minutes import ballot_minutes
from kiemdiem.documents.draft import Paper, lacking, mark_draft
from kiemdiem.documents.mau11 import mau11
from kiemdiem.documents.render import (
    DOCX_TYPE,
    XLSX_TYPE,
    DocumentError,
    render_docx,
    render_listing,
)
from kiemdiem.documents.sheets import listing_xlsx, mau04_xlsx
from kiemdiem.feedback.models import FeedbackRequest
from kiemdiem.grading.models import Decision, Step
from kiemdiem.meetings.models import Meeting
from kiemdiem.org.models import Organization
from kiemdiem.reviews.models import CollectiveReport, SelfReview

File = tuple[bytes, str, str]
ZIP_TYPE = "application/zip"

CELL_FILES = {
    "mau-04.docx": "Biểu tổng hợp xếp loại đảng viên (Mẫu 04), Word",
    "mau-04.xlsx": "Mẫu 04, Excel",
    "to-trinh.docx": "Tờ trình đăng ký danh hiệu thi đua năm sau",
    "bang-diem.docx": "Bảng điểm đánh giá, xếp loại chi bộ, Word",
    "bang-diem.xlsx": "Bảng điểm, Excel",
    "htxsnv.docx": "Danh sách đảng viên HTXSNV đề nghị khen thưởng, Word",
    "htxsnv.xlsx": "Danh sách HTXSNV, Excel",
    "bien-ban-kiem-phieu.docx": "Biên bản kiểm phiếu",
    "ho-so.zip": "Toàn bộ hồ sơ của chi bộ (.zip, mục III kế hoạch)",
}


def cell_file(user: Any, cycle: Cycle, cell: Organization, name: str) -> File:
    if not dossier.allowed(user, cell):
        raise PermissionDenied(dossier.DENIED)
    base = dossier.slug(cell.name)
    if name == "ho-so.zip":
        return dossier.cell_zip(user, cycle, cell, pdf=False), f"Ho_so_{base}.zip", ZIP_TYPE
    data = c.load(user, cycle, cell)
    if name.startswith("mau-04"):
        ctx = c.mau04(data)
        if name.endswith(".xlsx"):
            return mau04_xlsx(ctx), f"Mau_04_{base}.xlsx", XLSX_TYPE
        return render_docx("mau04.docx", ctx), f"Mau_04_{base}.docx", DOCX_TYPE
    if name == "to-trinh.docx":
        return render_docx("to_trinh.docx", c.to_trinh(data)), f"To_trinh_{base}.docx", DOCX_TYPE
    if name.startswith("bang-diem"):
        sheet = c.score_sheet(data)
        if sheet is None:
            raise DocumentError("Chi bộ chưa chấm bảng điểm.")
        return _listing(sheet, name, f"Bang_diem_{base}")
    if name.startswith("htxsnv"):
        return _listing(c.excellent_list(data), name, f"Danh_sach_HTXSNV_{base}")
    if name == "bien-ban-kiem-phieu.docx":
        counted = ballot_minutes(data)
        if counted is None:
            raise DocumentError("Chi bộ chưa có kết quả biểu quyết.")
        made = mark_draft(minutes_docx(counted), lacking(data.meeting, Paper.COUNT))
        return made, f"Bien_ban_kiem_phieu_{base}.docx", DOCX_TYPE
    raise DocumentError("Không có văn bản này.")


def _listing(ctx: dict[str, Any], name: str, stem: str) -> File:
    if name.endswith(".xlsx"):
        return listing_xlsx(ctx), f"{stem}.xlsx", XLSX_TYPE
    return render_listing(ctx), f"{stem}.docx", DOCX_TYPE


def leader_file(user: Any, cycle: Cycle, cell: Organization, member_id: int) -> File:
    if not dossier.allowed(user, cell):
        raise PermissionDenied(dossier.DENIED)
    data = c.load(user, cycle, cell)
    line = next((ln for ln in data.lines if ln.row.member_id == member_id), None)
    if line is None:
        raise DocumentError("Đảng viên không thuộc chi bộ này.")
    name = f"Mau_11_{dossier.slug(line.row.name)}.docx"
    return render_docx("mau11.docx", mau11(data, line)), name, DOCX_TYPE


def meeting_file(user: Any, meeting: Meeting, name: str) -> File:
    org = meeting.organization
    on = meeting.scheduled_at.date()
    issuer = issuer_for(org, on, heads_of([org.pk], on))
    items = list(meeting.items.select_related("chair", "minutes").order_by("order"))
    base = dossier.slug(org.name)
    if name == "chuong-trinh.docx":
        ctx = papers.agenda(meeting, issuer, items)
        return render_docx("agenda.docx", ctx), f"Chuong_trinh_{base}.docx", DOCX_TYPE
    if name == "bien-ban.docx":
        attendance = list(meeting.attendance.select_related("member"))
        rows: list[dict[str, Any]] = []
        line = "chưa có kết quả (hoặc đồng chí không có quyền xem kết quả xếp loại)."
        if c.is_cell_meeting(meeting) and can_at(user, Action.VIEW, Kind.DECISION, org):
            rows, _, line = c.totals(c.load(user, meeting.cycle, org))
        ctx = papers.minutes(meeting, issuer, items, attendance, rows, line)
        made = mark_draft(render_docx("minutes.docx", ctx), lacking(meeting, Paper.MINUTES))
        return made, f"Bien_ban_hoi_nghi_{base}.docx", DOCX_TYPE
    raise DocumentError("Không có văn bản này.")


def re_rating_file(decision: Decision) -> File:
    """Mẫu 03 of HD 43: a decision that replaced an earlier decision (re-rating)."""
    old = decision.supersedes
    if decision.step != Step.DECIDE or old is None or old.step != Step.DECIDE:
        raise DocumentError("Quyết định này không phải quyết định xếp loại lại.")
    name = f"Mau_03_Quyet_dinh_xep_loai_lai_{decision.pk}.docx"
    return render_docx("mau03_xep_loai_lai.docx", hd43.re_rating(decision)), name, DOCX_TYPE


def quarterly_file(review: SelfReview) -> File:
    """Mẫu 05 of HD 43: the member's quarterly self-ratings, as a Word paper."""
    member = review.member
    on = review.cycle.reference_date
    issuer = issuer_for(member.cell, on, heads_of([member.cell_id], on))
    ratings = list(review.cycle.periodic_ratings.filter(member=member).order_by("quarter"))
    if not ratings:
        raise DocumentError("Chưa ghi tự đánh giá quý nào (Mẫu 05).")
    ctx = hd43.quarterly(review, issuer, ratings)
    name = f"Mau_05_{dossier.slug(member.full_name)}_{review.cycle.year}.docx"
    return render_listing(ctx), name, DOCX_TYPE


def self_review_file(review: SelfReview) -> File:
    member = review.member
    on = review.cycle.reference_date
    issuer = issuer_for(member.cell, on, heads_of([member.cell_id], on))
    acts = {
        d.step: d.level
        for d in Decision.objects.current().filter(
            cycle__year=review.cycle.year, subject_key=f"m:{member.pk}"
        )
        if d.step in (Step.PROPOSE, Step.DECIDE)
    }
    ctx = papers.mau02(
        review, issuer, proposed=acts.get(Step.PROPOSE, ""), decided=acts.get(Step.DECIDE, "")
    )
    name = f"Mau_02_{dossier.slug(member.full_name)}_{review.cycle.year}.docx"
    return render_docx("mau02.docx", ctx), name, DOCX_TYPE


def feedback_file(req: FeedbackRequest) -> File:
    # The answering organization issues the paper; outside the system, the requester files it.
    org = req.to_organization or req.from_organization
    on = req.due_on
    issuer = issuer_for(org, on, heads_of([org.pk], on))
    name = f"Nhan_xet_{dossier.slug(req.member.full_name)}_{req.cycle.year}.docx"
    return render_docx("mau03.docx", papers.mau03(req, issuer)), name, DOCX_TYPE


def report_file(report: CollectiveReport) -> File:
    org = report.collective.organization
    issuer = issuer_for(org, report.meeting_on)
    name = f"Mau_01_{dossier.slug(report.collective.name)}_{report.cycle.year}.docx"
    return render_docx("mau01.docx", papers.mau01(report, issuer)), name, DOCX_TYPE
