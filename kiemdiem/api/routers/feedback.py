"""Requests for written comments on a member (Mẫu 03 and others): the lists each side sees,
one request with its answer, and answering it. Sensitive: visible exactly as on the web
(`feedback.services.visible`: never a request about oneself); the answer goes through the
feedback service (permission, open plan, audit)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from kiemdiem.accounts.access import Action, Kind, scope_q
from kiemdiem.api.common import In, MemberRef, Page, Paging, Ref, attach, attached, get_or_404, page
from kiemdiem.feedback import services
from kiemdiem.feedback.models import FeedbackKind, FeedbackRequest, Status, overdue_q
from kiemdiem.feedback.requirements import form_spec, kind_label

router = Router(tags=["Nhận xét"])


class FeedbackOut(Schema):
    id: int
    cycle_id: int
    member: MemberRef
    kind: FeedbackKind
    kind_label: str = Field(alias="get_kind_display")
    from_organization: Ref
    to_organization: Ref | None = Field(description="Trống: nơi nhận xét ngoài hệ thống.")
    addressee: str
    reason: str
    due_on: dt.date
    status: Status
    status_label: str = Field(alias="get_status_display")
    overdue: bool
    answered_at: dt.datetime | None

    @staticmethod
    def resolve_from_organization(obj: FeedbackRequest) -> dict[str, Any]:
        return {"id": obj.from_organization_id, "name": obj.from_organization.name}

    @staticmethod
    def resolve_to_organization(obj: FeedbackRequest) -> dict[str, Any] | None:
        org = obj.to_organization
        return {"id": org.pk, "name": org.name} if org is not None else None

    @staticmethod
    def resolve_overdue(obj: FeedbackRequest) -> bool:
        return obj.is_overdue(timezone.localdate())


class MarkOut(Schema):
    code: str
    label: str


class ItemOut(Schema):
    code: str
    text: str


class FeedbackFormOut(Schema):
    code: str
    title: str
    marks: list[MarkOut]
    items: list[ItemOut] = Field(description="Trống: nhận xét bằng văn bản tự do.")


class FeedbackDetailOut(FeedbackOut):
    label: str = Field(description="Tên loại nhận xét theo kế hoạch.")
    form: FeedbackFormOut
    answer: dict[str, Any] = Field(
        description="Nội dung đã trả lời: items (mã -> mức), comment, signer_name, signer_title."
    )
    can_answer: bool

    resolve_label: ClassVar[Any] = attached("label")
    resolve_form: ClassVar[Any] = attached("form")
    resolve_can_answer: ClassVar[Any] = attached("can_answer")

    @staticmethod
    def resolve_answer(obj: FeedbackRequest) -> dict[str, Any]:
        return dict(obj.answer or {})


class FeedbackFilter(In):
    box: Literal["all", "inbox"] = Field(
        "all",
        description="inbox: chỉ các đề nghị gửi đến tổ chức mình trả lời (như trang “Nhận xét "
        "gửi đến”); all: cả các đề nghị phía mình gửi đi.",
    )
    cycle: int | None = None
    status: Status | Literal["overdue"] | None = None
    kind: FeedbackKind | None = None


class AnswerIn(In):
    items: dict[str, str] = Field(default_factory=dict, description="Mã nội dung -> mức.")
    comment: str = Field("", max_length=5000)
    signer_name: str = Field("", max_length=200)
    signer_title: str = Field("", max_length=200)


_RELATED = ("member", "from_organization", "to_organization", "cycle")


@router.get("/feedback", response=Page[FeedbackOut], summary="Các đề nghị nhận xét")
def list_feedback(
    request: HttpRequest, paging: Query[Paging], filters: Query[FeedbackFilter]
) -> dict[str, Any]:
    qs = services.visible(request.user)
    if filters.box == "inbox":
        qs = qs.filter(scope_q(request.user, Kind.FEEDBACK, Action.ANSWER, "to_organization__path"))
    if filters.cycle is not None:
        qs = qs.filter(cycle_id=filters.cycle)
    if filters.status == "overdue":
        qs = qs.filter(overdue_q(timezone.localdate()))
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    qs = qs.select_related(*_RELATED).order_by("due_on", "member__sort_key", "pk")
    return page(qs, paging)


def _detail(request: HttpRequest, req: FeedbackRequest) -> FeedbackRequest:
    spec = form_spec(req.cycle, req.kind)
    form = {
        "code": spec["code"],
        "title": spec.get("title", ""),
        "marks": spec["marks"],
        "items": spec["items"],
    }
    can_answer = req.status == Status.REQUESTED and services.can_answer(request.user, req)
    return attach(req, label=kind_label(req.cycle, req.kind), form=form, can_answer=can_answer)


@router.get("/feedback/{request_id}", response=FeedbackDetailOut, summary="Một đề nghị nhận xét")
def get_feedback(request: HttpRequest, request_id: int) -> FeedbackRequest:
    req = get_or_404(services.visible(request.user).select_related(*_RELATED), pk=request_id)
    return _detail(request, req)


@router.post(
    "/feedback/{request_id}/answer",
    response=FeedbackDetailOut,
    summary="Tổ chức được đề nghị trả lời nhận xét",
)
def answer_feedback(request: HttpRequest, request_id: int, data: AnswerIn) -> FeedbackRequest:
    req = get_or_404(services.visible(request.user).select_related(*_RELATED), pk=request_id)
    services.answer(request.user, req, data.model_dump())
    req = services.visible(request.user).select_related(*_RELATED).get(pk=req.pk)
    return _detail(request, req)
