"""What people do with comment requests: create them for a cycle, answer them, record a
paper form, cancel one. One transaction each; permission and audit are checked here, so a
view never does either by itself."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kiemdiem.accounts.access import Action, Kind, can_at, own_member_id, scope_q
from kiemdiem.audit.models import record
from kiemdiem.cycles.models import Cycle, CycleStatus
from kiemdiem.feedback.models import FeedbackRequest, Status
from kiemdiem.feedback.requirements import due_from_plan, form_spec, required_feedback


def visible(user: Any) -> QuerySet[FeedbackRequest]:
    """Requests a user may read: those their side sent (VIEW over the requesting
    organization) and those addressed to them (ANSWER over the receiving one). Never those
    about the user themselves: feedback reaches a member only through their cell's
    conclusions, not as the comment itself (000 §1.4.1b)."""
    q = scope_q(user, Kind.FEEDBACK, Action.VIEW, "from_organization__path") | scope_q(
        user, Kind.FEEDBACK, Action.ANSWER, "to_organization__path"
    )
    qs = FeedbackRequest.objects.filter(q)
    own = own_member_id(user)
    return qs.exclude(member_id=own) if own is not None else qs


def get_visible(user: Any, pk: int) -> FeedbackRequest:
    req = (
        visible(user)
        .select_related("cycle", "member", "from_organization", "to_organization")
        .filter(pk=pk)
        .first()
    )
    if req is None:
        raise Http404("Không tìm thấy đề nghị nhận xét.")
    return req


def can_answer(user: Any, req: FeedbackRequest) -> bool:
    org = req.to_organization
    return org is not None and can_at(user, Action.ANSWER, Kind.FEEDBACK, org)


def can_manage(user: Any, req: FeedbackRequest) -> bool:
    """The requesting side records the paper form and cancels."""
    return can_at(user, Action.EDIT, Kind.FEEDBACK, req.from_organization)


def _open_cycle(cycle: Cycle) -> None:
    if cycle.status != CycleStatus.OPEN:
        raise ValidationError("Kế hoạch đã kết thúc: không thay đổi được đề nghị nhận xét.")


def _not_own(user: Any, req: FeedbackRequest) -> None:
    if req.member_id == own_member_id(user):
        raise PermissionDenied("Đồng chí không xử lý đề nghị nhận xét về chính mình.")


@transaction.atomic
def create_requests(user: Any, cycle: Cycle, due_on: dt.date | None = None) -> int:
    """Create the requests still missing for every member of the cycle's subtree. Running it
    again creates nothing new; a cancelled request is not created again."""
    if not can_at(user, Action.EDIT, Kind.FEEDBACK, cycle.organization):
        raise PermissionDenied("Đồng chí không có quyền lập đề nghị nhận xét cho kế hoạch này.")
    _open_cycle(cycle)
    due = due_from_plan(cycle) or due_on
    if due is None:
        raise ValidationError("Kế hoạch chưa có bước “lấy ý kiến nhận xét”: cần nhập hạn trả lời.")
    existing = set(FeedbackRequest.objects.filter(cycle=cycle).values_list("member_id", "kind"))
    new = [
        FeedbackRequest(
            cycle=cycle, member_id=n.member_id, kind=n.kind,
            from_organization_id=n.from_organization_id,
            to_organization_id=n.to_organization_id, to_name=n.to_name,
            reason=n.reason, due_on=due, created_by=user,
        )
        for n in required_feedback(cycle)
        if (n.member_id, n.kind) not in existing
    ]  # fmt: skip
    FeedbackRequest.objects.bulk_create(new, batch_size=1000)
    if new:
        record(
            user, "feedback_create", cycle, new={"requests": len(new), "due_on": due},
            summary=f"Lập {len(new)} đề nghị nhận xét",
        )  # fmt: skip
    return len(new)


def clean_answer(req: FeedbackRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Check an answer against the kind's form (requirements.yaml); Vietnamese errors."""
    spec = form_spec(req.cycle, req.kind)
    marks = {m["code"] for m in spec["marks"]}
    given = data.get("items") or {}
    errors: dict[str, str] = {}
    items: dict[str, str] = {}
    for item in spec["items"]:
        mark = given.get(item["code"], "")
        if mark not in marks:
            errors[f"item_{item['code']}"] = "Cần chọn một mức nhận xét cho nội dung này."
        items[item["code"]] = mark
    comment = str(data.get("comment") or "").strip()
    if not spec["items"] and not comment:
        errors["comment"] = "Cần ghi nội dung nhận xét."
    if any(v == "chua_tot" for v in items.values()) and not comment:
        errors["comment"] = "Có nội dung “Chưa tốt”: cần ghi rõ nhận xét."
    signer_name = str(data.get("signer_name") or "").strip()
    signer_title = str(data.get("signer_title") or "").strip()
    if not signer_name:
        errors["signer_name"] = "Cần ghi họ tên người ký."
    if not signer_title:
        errors["signer_title"] = "Cần ghi chức vụ người ký."
    if errors:
        raise ValidationError(errors)
    return {
        "form": spec["code"], "items": items, "comment": comment,
        "signer_name": signer_name, "signer_title": signer_title,
    }  # fmt: skip


def _pending(req: FeedbackRequest) -> None:
    if req.status != Status.REQUESTED:
        raise ValidationError(f"Đề nghị này đã ở trạng thái “{req.get_status_display()}”.")


@transaction.atomic
def answer(user: Any, req: FeedbackRequest, data: dict[str, Any]) -> FeedbackRequest:
    """The receiving organization answers inside the system."""
    if not can_answer(user, req):
        raise PermissionDenied("Chỉ tổ chức được đề nghị mới trả lời được.")
    _not_own(user, req)
    req = FeedbackRequest.objects.select_for_update().select_related("cycle").get(pk=req.pk)
    _open_cycle(req.cycle)
    _pending(req)
    req.answer = clean_answer(req, data)
    req.status = Status.ANSWERED
    req.answered_by = user
    req.answered_at = timezone.now()
    req.save(update_fields=["answer", "status", "answered_by", "answered_at"])
    # The comment itself stays out of the audit log: the log is read more widely than it.
    record(user, "feedback_answer", req, old={"status": Status.REQUESTED},
           new={"status": req.status}, summary="Trả lời đề nghị nhận xét")  # fmt: skip
    return req


@transaction.atomic
def record_from_paper(
    user: Any, req: FeedbackRequest, data: dict[str, Any], received_on: dt.date
) -> FeedbackRequest:
    """The requesting side enters the signed paper form it received back."""
    if not can_manage(user, req):
        raise PermissionDenied("Chỉ nơi đề nghị mới nhập được phiếu giấy.")
    _not_own(user, req)
    req = FeedbackRequest.objects.select_for_update().select_related("cycle").get(pk=req.pk)
    _open_cycle(req.cycle)
    _pending(req)
    today = timezone.localdate()
    if received_on > today:
        raise ValidationError({"received_on": "Ngày nhận phiếu không được sau hôm nay."})
    if received_on < timezone.localdate(req.created_at):
        raise ValidationError({"received_on": "Ngày nhận phiếu không được trước ngày đề nghị."})
    req.answer = clean_answer(req, data)
    req.status = Status.RECORDED_PAPER
    req.recorded_by = user
    req.received_on = received_on
    req.answered_at = timezone.now()
    req.save(update_fields=["answer", "status", "recorded_by", "received_on", "answered_at"])
    record(user, "feedback_paper", req, old={"status": Status.REQUESTED},
           new={"status": req.status, "received_on": received_on},
           summary="Nhập phiếu nhận xét bản giấy")  # fmt: skip
    return req


@transaction.atomic
def cancel(user: Any, req: FeedbackRequest, reason: str) -> FeedbackRequest:
    """The requesting side withdraws a request that is not needed; the reason is kept."""
    if not can_manage(user, req):
        raise PermissionDenied("Chỉ nơi đề nghị mới hủy được đề nghị nhận xét.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Cần ghi lý do hủy."})
    req = FeedbackRequest.objects.select_for_update().select_related("cycle").get(pk=req.pk)
    _open_cycle(req.cycle)
    _pending(req)
    req.status = Status.CANCELLED
    req.cancel_reason = reason[:300]
    req.save(update_fields=["status", "cancel_reason"])
    record(user, "feedback_cancel", req, old={"status": Status.REQUESTED},
           new={"status": req.status, "reason": req.cancel_reason},
           summary="Hủy đề nghị nhận xét")  # fmt: skip
    return req


def pending_for(cycle: Cycle | int, member_ids: Iterable[int]) -> dict[int, list[str]]:
    """What each member's classification still waits for: the kinds of their requests not
    yet answered (one query). Members waiting for nothing are absent from the result.
    Comments not requested at all yet are found by `required_feedback`."""
    cycle_id = cycle if isinstance(cycle, int) else cycle.pk
    result: dict[int, list[str]] = defaultdict(list)
    rows = FeedbackRequest.objects.filter(
        Q(cycle_id=cycle_id, status=Status.REQUESTED), member_id__in=list(member_ids)
    ).values_list("member_id", "kind")
    for member_id, kind in rows.order_by("member_id", "kind"):
        result[member_id].append(kind)
    return dict(result)
