"""Use-cases of the self-review (Mẫu 02): start, save a draft, submit, return for changes,
enter on behalf of a member, score by the chi ủy. One transaction each; permission through
the access table; an audit row for every change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from kiemdiem.accounts.access import Action, Kind, can_at, can_own, own_member_id, own_q, scope_q
from kiemdiem.audit.models import record
from kiemdiem.cycles.models import Cycle
from kiemdiem.org.models import Member, Organization, Position
from kiemdiem.reviews import formdefs
from kiemdiem.reviews.models import QualityLevel, ReviewStatus, SelfReview, Suggestion
from kiemdiem.reviews.scoring import ScoreError, parse_score

K = Kind.SELF_REVIEW
DENIED = "Đồng chí không có quyền với bản kiểm điểm này."


def _cells(member: Member) -> list[Organization]:
    # A temporarily attached member is reviewed at the temporary cell (domain.md §1), so both
    # cells' secretaries work on the paper.
    return [member.cell] + ([member.temporary_cell] if member.temporary_cell_id else [])  # type: ignore[list-item]


def at_cell(user: Any, action: Action, member: Member) -> bool:
    """The cell's right (secretary, chi ủy, office): never the member's own."""
    return any(can_at(user, action, K, org) for org in _cells(member))


def may(user: Any, action: Action, member: Member) -> bool:
    return can_own(user, action, K, member.pk) or at_cell(user, action, member)


def visible(user: Any, action: Action = Action.VIEW) -> QuerySet[SelfReview]:
    """Self-reviews the user may see: sensitive personal data, so a member sees only theirs."""
    q = (
        scope_q(user, K, action, "member__cell__path")
        | scope_q(user, K, action, "member__temporary_cell__path")
        | own_q(user, K, action, "member_id")
    )
    return SelfReview.objects.filter(q)


def covers(cycle: Cycle, member: Member) -> bool:
    """The cycle's plan applies to the member's cell (or temporary cell)."""
    return any(org.path.startswith(cycle.organization.path) for org in _cells(member))


def is_leader(member: Member, on: dt.date) -> bool:
    return (
        Position.objects.filter(member=member, is_leader=True, start_on__lte=on)
        .exclude(end_on__lt=on)
        .exists()
    )


def variant_for(cycle: Cycle, member: Member) -> tuple[str, str, bool]:
    """(variant code, member kind, leader?) under the cycle's frozen profile."""
    leader = is_leader(member, cycle.reference_date)
    kind = formdefs.member_kind(leader, member.category)
    form_set = formdefs.form_set_for(cycle.profile_id, cycle.profile_snapshot)
    return formdefs.variant_code(form_set, kind), kind, leader


@transaction.atomic
def start(user: Any, cycle: Cycle, member: Member) -> SelfReview:
    """The member's paper for the cycle, created empty on first use (idempotent)."""
    if not may(user, Action.EDIT, member):
        raise PermissionDenied(DENIED)
    if not covers(cycle, member):
        raise ValidationError("Kế hoạch này không áp dụng cho chi bộ của đảng viên.")
    existing = SelfReview.objects.filter(cycle=cycle, member=member).first()
    if existing is not None:
        return existing
    code, kind, leader = variant_for(cycle, member)
    review = SelfReview.objects.create(
        cycle=cycle, member=member, variant=code, member_kind=kind, leader=leader
    )
    record(user, "start_self_review", review, new={"variant": code, "kind": kind})
    return review


def clean_data(review: SelfReview, data: dict[str, Any]) -> dict[str, Any]:
    """Check a (possibly partial) draft against the variant; return the values to store.
    Raises ValidationError listing every problem; nothing is stored on error."""
    form = formdefs.variant(review.variant)
    errors: list[str] = []
    section_keys = {s.key for s in form.sections_for(review.leader)}
    answers = {k: str(v).strip() for k, v in (data.get("answers") or {}).items()}
    if set(answers) - section_keys:
        errors.append("Có mục không thuộc mẫu kiểm điểm này.")
    levels = {c.value for c in formdefs.manifestation_levels()}
    manifestations = {str(k): str(v) for k, v in (data.get("manifestations") or {}).items() if v}
    if set(manifestations) - set(formdefs.manifestation_ids()):
        errors.append("Có biểu hiện không thuộc danh mục 27 biểu hiện.")
    if set(manifestations.values()) - levels:
        errors.append("Mức độ biểu hiện phải từ 1 đến 5.")
    degrees = {c.value for c in formdefs.degrees()}
    criteria = {k: str(v) for k, v in (data.get("criteria") or {}).items() if v}
    if set(criteria) - {c.key for c in form.criteria_for(review.leader)}:
        errors.append("Có tiêu chí không thuộc mẫu kiểm điểm này.")
    if set(criteria.values()) - degrees:
        errors.append("Mức đánh giá tiêu chí phải là Xuất sắc, Tốt, Trung bình hoặc Kém.")
    self_level = str(data.get("self_level") or "")
    if self_level and self_level not in QualityLevel.values:
        errors.append("Mức tự xếp loại không hợp lệ.")
    scores, score_errors = parse_scores(review, data.get("self_scores") or {})
    errors += score_errors
    if errors:
        raise ValidationError(errors)
    return {
        "answers": {k: v for k, v in answers.items() if v},
        "manifestations": manifestations,
        "criteria": criteria,
        "self_level": self_level,
        "self_scores": scores,
    }


def parse_scores(review: SelfReview, raw: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    form = formdefs.variant(review.variant)
    if form.framework is None:
        return {}, (["Mẫu này không chấm điểm."] if any(raw.values()) else [])
    by_id = {c.id: c for c in form.framework.criteria}
    scores: dict[str, str] = {}
    errors = ["Có tiêu chí chấm điểm không thuộc khung."] if set(raw) - set(by_id) else []
    for cid, value in raw.items():
        if cid in by_id and str(value).strip():
            try:
                scores[cid] = str(parse_score(str(value), by_id[cid].max, by_id[cid].title))
            except ScoreError as exc:
                errors.append(str(exc))
    return scores, errors


@transaction.atomic
def save_draft(user: Any, review: SelfReview, data: dict[str, Any]) -> dt.datetime:
    """Save what has been typed so far (autosave calls this every few seconds). Idempotent:
    the same data twice changes nothing and writes no second audit row."""
    if not may(user, Action.EDIT, review.member):
        raise PermissionDenied(DENIED)
    review = SelfReview.objects.select_for_update().get(pk=review.pk)
    if review.locked:
        raise ValidationError(
            "Bản kiểm điểm đã nộp nên không sửa được; chi ủy có thể trả lại để sửa."
        )
    values = clean_data(review, data)
    old = {k: getattr(review, k) for k in values}
    if old == values and review.entered_by_id == user.pk:
        return review.saved_at
    for key, value in values.items():
        setattr(review, key, value)
    # Who typed it: the secretary entering for a member without a computer is recorded.
    review.entered_by = user
    review.save()
    changed = sorted(k for k in values if old[k] != values[k])
    record(
        user, "save_self_review", review, new={"changed": changed}, summary=_on_behalf(user, review)
    )
    return review.saved_at


def _on_behalf(user: Any, review: SelfReview) -> str:
    if own_member_id(user) == review.member_id:
        return ""
    return f"Nhập hộ đảng viên {review.member.full_name}"


@transaction.atomic
def enter_on_behalf(
    user: Any, cycle: Cycle, member: Member, data: dict[str, Any], *, submit_now: bool = False
) -> SelfReview:
    """The secretary types a paper review for a member who cannot use a computer; the paper
    records who entered it."""
    if own_member_id(user) == member.pk or not at_cell(user, Action.EDIT, member):
        raise PermissionDenied("Chỉ bí thư, chi ủy của chi bộ được nhập hộ bản kiểm điểm.")
    review = start(user, cycle, member)
    save_draft(user, review, data)
    review.refresh_from_db()
    return submit(user, review) if submit_now else review


def submit_errors(review: SelfReview) -> list[str]:
    form = formdefs.variant(review.variant)
    errors = [
        f"Chưa viết mục “{s.title}”."
        for s in form.sections_for(review.leader)
        if s.required and not review.answers.get(s.key)
    ]
    missing = [i for i in formdefs.manifestation_ids() if i not in review.manifestations]
    if missing:
        errors.append(
            f"Chưa tự đánh giá đủ 27 biểu hiện suy thoái (còn {len(missing)} biểu hiện: "
            + ", ".join(missing[:10])
            + ("…" if len(missing) > 10 else "")
            + ")."
        )
    unrated = [c.title for c in form.criteria_for(review.leader) if c.key not in review.criteria]
    if unrated:
        errors.append("Chưa tự đánh giá tiêu chí: " + "; ".join(unrated) + ".")
    if form.framework is not None:
        unscored = [c.title for c in form.framework.criteria if c.id not in review.self_scores]
        if unscored:
            errors.append("Chưa tự chấm điểm: " + "; ".join(unscored) + ".")
    if not review.self_level:
        errors.append("Chưa chọn mức tự xếp loại chất lượng.")
    suggested = Suggestion.objects.filter(cycle_id=review.cycle_id, member_id=review.member_id)
    if suggested.exists() and not review.answers.get("giai_trinh"):
        errors.append("Đồng chí được gợi ý kiểm điểm: cần viết mục IV (giải trình).")
    return errors


@transaction.atomic
def submit(user: Any, review: SelfReview) -> SelfReview:
    """Hand the paper in: it is then locked until the cell returns it."""
    if not may(user, Action.SUBMIT, review.member):
        raise PermissionDenied(DENIED)
    review = SelfReview.objects.select_for_update().get(pk=review.pk)
    if review.locked:
        raise ValidationError("Bản kiểm điểm đã được nộp.")
    errors = submit_errors(review)
    if errors:
        raise ValidationError(errors)
    old = review.status
    review.status, review.submitted_at = ReviewStatus.SUBMITTED, timezone.now()
    review.save(update_fields=["status", "submitted_at", "saved_at"])
    record(user, "submit_self_review", review, old={"status": old}, new={"status": review.status},
           summary=_on_behalf(user, review))  # fmt: skip
    return review


@transaction.atomic
def return_for_changes(user: Any, review: SelfReview, comment: str) -> SelfReview:
    """The cell secretary / chi ủy sends a submitted paper back with what to change."""
    if not at_cell(user, Action.RETURN, review.member):
        raise PermissionDenied("Chỉ chi ủy, bí thư chi bộ được trả lại bản kiểm điểm.")
    review = SelfReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.SUBMITTED:
        raise ValidationError("Chỉ trả lại được bản kiểm điểm đã nộp.")
    if not comment.strip():
        raise ValidationError("Cần ghi rõ nội dung cần sửa khi trả lại bản kiểm điểm.")
    review.status, review.return_comment = ReviewStatus.RETURNED, comment.strip()
    review.save(update_fields=["status", "return_comment", "saved_at"])
    record(user, "return_self_review", review, old={"status": ReviewStatus.SUBMITTED},
           new={"status": review.status, "comment": review.return_comment})  # fmt: skip
    return review


@transaction.atomic
def score_by_committee(user: Any, review: SelfReview, raw: dict[str, Any]) -> SelfReview:
    """The chi ủy's score per criterion, kept beside the member's own (QĐ 366)."""
    if own_member_id(user) == review.member_id or not at_cell(user, Action.EDIT, review.member):
        raise PermissionDenied("Chỉ chi ủy chấm điểm bản kiểm điểm của đảng viên khác.")
    review = SelfReview.objects.select_for_update().get(pk=review.pk)
    form = formdefs.variant(review.variant)
    if form.framework is None:
        raise ValidationError("Mẫu kiểm điểm này không chấm điểm theo thang 100 điểm.")
    if review.status != ReviewStatus.SUBMITTED:
        raise ValidationError("Chi ủy chấm điểm sau khi đảng viên đã nộp bản kiểm điểm.")
    scores, errors = parse_scores(review, raw)
    missing = [c.title for c in form.framework.criteria if c.id not in scores]
    if missing and not errors:
        errors.append("Chưa chấm điểm: " + "; ".join(missing) + ".")
    if errors:
        raise ValidationError(errors)
    old = review.committee_scores
    review.committee_scores, review.committee_scored_by = scores, user
    review.save(update_fields=["committee_scores", "committee_scored_by", "saved_at"])
    record(user, "score_self_review", review, old={"scores": old}, new={"scores": scores})
    return review


def cell_members(cell: Organization) -> QuerySet[Member]:
    """Members reviewed at the cell: its own and those attending temporarily; exempt members
    are not reviewed (domain.md §1)."""
    return (
        Member.objects.filter(Q(cell=cell) | Q(temporary_cell=cell), exempt_since__isnull=True)
        .select_related("cell")
        .order_by("sort_key", "code")
    )
