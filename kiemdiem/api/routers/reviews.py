"""Self-reviews (Mẫu 02): a cell's list, one paper, and one's own paper written and handed in.
Sensitive personal data: visible exactly where the web shows it (`self_reviews.visible`);
every write goes through the self-review services (permission and audit live there)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from kiemdiem.accounts.access import Action, Kind, can_at, own_member_id
from kiemdiem.api.common import NOT_FOUND, In, MemberRef, Page, Paging, get_or_404, page
from kiemdiem.cycles.models import Cycle
from kiemdiem.org.choices import CELL_KINDS
from kiemdiem.org.models import Member, Organization
from kiemdiem.reviews import formdefs
from kiemdiem.reviews import self_reviews as svc
from kiemdiem.reviews.models import QualityLevel, ReviewStatus, SelfReview

router = Router(tags=["Tự kiểm điểm"])


class ReviewSummaryOut(Schema):
    id: int
    status: ReviewStatus
    status_label: str = Field(alias="get_status_display")
    variant: str
    self_level: str = Field(description="Mức tự xếp loại (trống nếu chưa chọn).")
    submitted_at: dt.datetime | None
    saved_at: dt.datetime
    flagged: int = Field(description="Số biểu hiện tự nhận ở mức cần theo dõi.")

    @staticmethod
    def resolve_flagged(obj: SelfReview) -> int:
        follow_up = {c.value for c in formdefs.manifestation_levels() if c.follow_up}
        return sum(1 for v in obj.manifestations.values() if v in follow_up)


class CellRowOut(Schema):
    member: MemberRef
    review: ReviewSummaryOut | None = Field(description="Trống: chưa có bản kiểm điểm.")


class CellReviewsOut(Page[CellRowOut]):
    counts: dict[str, int] = Field(description="Số bản theo trạng thái, cả chi bộ.")
    missing: int = Field(description="Số đảng viên chưa có bản kiểm điểm.")


class SectionOut(Schema):
    key: str
    title: str
    required: bool


class ChoiceOut(Schema):
    value: str
    label: str


class ScoreCriterionOut(Schema):
    id: str
    title: str
    max: str


class FormOut(Schema):
    """What a client needs to draw the paper's form and send valid values."""

    title: str
    sections: list[SectionOut]
    criteria: list[ChoiceOut] = Field(description="Tiêu chí tự đánh giá (value = mã tiêu chí).")
    degrees: list[ChoiceOut] = Field(description="Các mức đánh giá một tiêu chí.")
    manifestation_ids: list[str]
    manifestation_levels: list[ChoiceOut]
    score_criteria: list[ScoreCriterionOut] = Field(description="Trống: mẫu không chấm điểm.")
    levels: list[ChoiceOut] = Field(description="Các mức tự xếp loại.")


class SelfReviewOut(ReviewSummaryOut):
    cycle_id: int
    member: MemberRef
    member_kind: str
    leader: bool
    answers: dict[str, str]
    manifestations: dict[str, str]
    criteria: dict[str, str]
    self_scores: dict[str, str]
    committee_scores: dict[str, str]
    return_comment: str
    entered_by_other: bool = Field(description="Do bí thư, chi ủy nhập hộ đảng viên.")
    form: FormOut

    @staticmethod
    def resolve_entered_by_other(obj: SelfReview) -> bool:
        return obj.entered_by_id is not None and obj.entered_by_id != obj.member.user_id

    @staticmethod
    def resolve_form(obj: SelfReview) -> dict[str, Any]:
        form = formdefs.variant(obj.variant)
        choices = lambda items: [{"value": c.value, "label": c.label} for c in items]  # noqa: E731
        return {
            "title": form.title,
            "sections": [
                {"key": s.key, "title": s.title, "required": s.required}
                for s in form.sections_for(obj.leader)
            ],
            "criteria": [{"value": c.key, "label": c.title} for c in form.criteria_for(obj.leader)],
            "degrees": choices(formdefs.degrees()),
            "manifestation_ids": list(formdefs.manifestation_ids()),
            "manifestation_levels": choices(formdefs.manifestation_levels()),
            "score_criteria": [
                {"id": c.id, "title": c.title, "max": str(c.max)}
                for c in (form.framework.criteria if form.framework else ())
            ],
            "levels": [{"value": v, "label": label} for v, label in QualityLevel.choices],
        }


class SelfReviewIn(In):
    """The whole paper as typed so far (a PUT replaces it); unknown keys are refused."""

    answers: dict[str, str] = Field(default_factory=dict, description="Mục -> nội dung.")
    manifestations: dict[str, str] = Field(
        default_factory=dict, description="Mã biểu hiện (1–27) -> mức 1–5."
    )
    criteria: dict[str, str] = Field(default_factory=dict, description="Tiêu chí -> mức.")
    self_level: str = Field("", description="HTXSNV, HTTNV, HTNV, KHTNV hoặc trống.")
    self_scores: dict[str, str] = Field(
        default_factory=dict, description="Mã tiêu chí chấm điểm -> điểm (số thập phân)."
    )


def _cell_and_cycle(request: HttpRequest, cycle_id: int, org_id: int) -> tuple[Organization, Cycle]:
    """The web's checks of the cell's list: a cell under the plan, seen by the user."""
    cell = Organization.objects.filter(pk=org_id, kind__in=CELL_KINDS).first()
    cycle = Cycle.objects.select_related("organization").filter(pk=cycle_id).first()
    if cell is None or cycle is None or not cell.path.startswith(cycle.organization.path):
        raise Http404(NOT_FOUND)
    if not can_at(request.user, Action.VIEW, Kind.SELF_REVIEW, cell):
        raise Http404(NOT_FOUND)
    return cell, cycle


@router.get(
    "/cycles/{cycle_id}/cells/{org_id}/self-reviews",
    response=CellReviewsOut,
    summary="Bản tự kiểm điểm của các đảng viên một chi bộ",
)
def list_cell_self_reviews(
    request: HttpRequest, cycle_id: int, org_id: int, paging: Query[Paging]
) -> dict[str, Any]:
    cell, cycle = _cell_and_cycle(request, cycle_id, org_id)
    members = svc.cell_members(cell)
    all_reviews = SelfReview.objects.filter(cycle=cycle, member__in=members)
    counts = {s: 0 for s in ReviewStatus.values}
    for status in all_reviews.values_list("status", flat=True):
        counts[status] += 1

    def rows(page_members: list[Member]) -> list[dict[str, Any]]:
        reviews = {
            r.member_id: r for r in SelfReview.objects.filter(cycle=cycle, member__in=page_members)
        }
        return [{"member": m, "review": reviews.get(m.pk)} for m in page_members]

    result = page(members, paging, rows)
    return {**result, "counts": counts, "missing": result["total"] - sum(counts.values())}


def _review_qs(request: HttpRequest) -> Any:
    return svc.visible(request.user).select_related("member", "cycle")


@router.get("/self-reviews/{review_id}", response=SelfReviewOut, summary="Một bản tự kiểm điểm")
def get_self_review(request: HttpRequest, review_id: int) -> Any:
    return get_or_404(_review_qs(request), pk=review_id)


def _own(request: HttpRequest, cycle_id: int) -> tuple[Member, Cycle]:
    member_id = own_member_id(request.user)
    if member_id is None:
        raise Http404("Tài khoản chưa gắn với đảng viên nào.")
    member = Member.objects.select_related("cell", "temporary_cell").get(pk=member_id)
    cycle = Cycle.objects.select_related("organization").filter(pk=cycle_id).first()
    if cycle is None or not svc.covers(cycle, member):
        raise Http404(NOT_FOUND)
    return member, cycle


@router.get(
    "/cycles/{cycle_id}/self-review",
    response=SelfReviewOut,
    summary="Bản tự kiểm điểm của chính mình trong kế hoạch (404 nếu chưa viết)",
)
def get_own_self_review(request: HttpRequest, cycle_id: int) -> Any:
    member, cycle = _own(request, cycle_id)
    return get_or_404(_review_qs(request), cycle=cycle, member=member)


@router.put(
    "/cycles/{cycle_id}/self-review",
    response=SelfReviewOut,
    summary="Lưu bản nháp tự kiểm điểm của chính mình (tạo mới nếu chưa có)",
)
def save_own_self_review(request: HttpRequest, cycle_id: int, data: SelfReviewIn) -> Any:
    member, cycle = _own(request, cycle_id)
    # One transaction over both services: a refused draft leaves no empty paper behind.
    with transaction.atomic():
        review = svc.start(request.user, cycle, member)
        svc.save_draft(request.user, review, data.model_dump())
    return _review_qs(request).get(pk=review.pk)


@router.post(
    "/cycles/{cycle_id}/self-review/submit",
    response=SelfReviewOut,
    summary="Nộp bản tự kiểm điểm của chính mình (sau đó bị khóa đến khi chi ủy trả lại)",
)
def submit_own_self_review(request: HttpRequest, cycle_id: int) -> Any:
    member, cycle = _own(request, cycle_id)
    review = get_or_404(SelfReview.objects.select_related("member"), cycle=cycle, member=member)
    svc.submit(request.user, review)
    return _review_qs(request).get(pk=review.pk)
