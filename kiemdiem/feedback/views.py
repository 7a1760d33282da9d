"""Thin views: a cycle's requests (the committee office), the inbox of an answering
organization, one request with its answer, paper and cancel forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from kiemdiem.accounts.access import Action, Kind, above_ids, can_at, own_member_id, scope_q
from kiemdiem.cycles.models import Cycle
from kiemdiem.feedback import services
from kiemdiem.feedback.forms import (
    OVERDUE,
    AnswerForm,
    CancelForm,
    CreateForm,
    FilterForm,
    PaperForm,
)
from kiemdiem.feedback.models import FeedbackRequest, Status, overdue_q
from kiemdiem.feedback.requirements import due_from_plan, form_spec, kind_label
from kiemdiem.org.choices import CELL_KINDS
from kiemdiem.org.models import Organization

PAGE_SIZE = 50


def _cycle(request: HttpRequest, cycle_id: int) -> Cycle:
    q = scope_q(request.user, Kind.FEEDBACK, Action.VIEW, "organization__path")
    # A cell follows the requests of its members under its committee's plan.
    q |= Q(organization_id__in=above_ids(request.user, Kind.FEEDBACK, Action.VIEW))
    cycle = Cycle.objects.filter(q, pk=cycle_id).select_related("organization").first()
    if cycle is None:
        raise Http404("Không tìm thấy kế hoạch.")
    return cycle


def _filtered(qs: QuerySet[FeedbackRequest], form: FilterForm) -> QuerySet[FeedbackRequest]:
    if not form.is_valid():
        return qs
    d = form.cleaned_data
    if d.get("status") == OVERDUE:
        qs = qs.filter(overdue_q(timezone.localdate()))
    elif d.get("status"):
        qs = qs.filter(status=d["status"])
    if d.get("kind"):
        qs = qs.filter(kind=d["kind"])
    if d.get("cell"):
        qs = qs.filter(member__cell_id=d["cell"])
    return qs


def _stats(qs: QuerySet[FeedbackRequest]) -> dict[str, int]:
    today = timezone.localdate()
    return qs.aggregate(
        total=Count("pk"),
        requested=Count("pk", filter=Q(status=Status.REQUESTED)),
        done=Count("pk", filter=Q(status__in=[Status.ANSWERED, Status.RECORDED_PAPER])),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
        overdue=Count("pk", filter=overdue_q(today)),
    )


def _page(request: HttpRequest, qs: QuerySet[FeedbackRequest]) -> Any:
    qs = qs.select_related("member", "member__cell", "from_organization", "to_organization")
    return Paginator(qs.order_by("due_on", "member__sort_key", "pk"), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("trang", None)
    return params.urlencode()


@login_required
def cycle_requests(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    can_create = can_at(request.user, Action.EDIT, Kind.FEEDBACK, cycle.organization)
    plan_due = due_from_plan(cycle)
    create_form = CreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not can_create:
        raise PermissionDenied("Đồng chí không có quyền lập đề nghị nhận xét.")
    if request.method == "POST" and create_form.is_valid():
        try:
            n = services.create_requests(
                request.user, cycle, due_on=create_form.cleaned_data["due_on"]
            )
        except ValidationError as exc:
            create_form.add_error("due_on", exc)
        else:
            messages.success(request, f"Đã lập {n} đề nghị nhận xét mới.")
            return redirect("feedback_cycle", cycle_id=cycle.pk)
    base = services.visible(request.user).filter(cycle=cycle)
    cells = Organization.objects.filter(
        scope_q(request.user, Kind.FEEDBACK, Action.VIEW, "path"),
        path__startswith=cycle.organization.path,
        kind__in=CELL_KINDS,
    ).order_by("path")
    filters = FilterForm(request.GET or None, cells=list(cells.values_list("pk", "name")))
    context = {
        "cycle": cycle,
        "page": _page(request, _filtered(base, filters)),
        "stats": _stats(base),
        "filters": filters,
        "query": _query_without_page(request),
        "can_create": can_create,
        "create_form": create_form,
        "plan_due": plan_due,
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "feedback/cycle.html", context)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Requests addressed to the organizations the user answers for."""
    qs = FeedbackRequest.objects.filter(
        scope_q(request.user, Kind.FEEDBACK, Action.ANSWER, "to_organization__path")
    )
    own = own_member_id(request.user)
    if own is not None:
        qs = qs.exclude(member_id=own)
    filters = FilterForm(request.GET or {"status": Status.REQUESTED})
    context = {
        "page": _page(request, _filtered(qs, filters)),
        "stats": _stats(qs),
        "filters": filters,
        "query": _query_without_page(request),
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "feedback/inbox.html", context)


_OPS = {"answer": AnswerForm, "paper": PaperForm, "cancel": CancelForm}


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = services.get_visible(request.user, pk)
    spec = form_spec(req.cycle, req.kind)
    pending = req.status == Status.REQUESTED
    may_answer = pending and services.can_answer(request.user, req)
    may_manage = pending and services.can_manage(request.user, req)
    op = request.POST.get("op", "") if request.method == "POST" else ""
    forms: dict[str, Any] = {
        "answer": AnswerForm(spec=spec, prefix="a") if may_answer else None,
        "paper": PaperForm(spec=spec, prefix="p") if may_manage else None,
        "cancel": CancelForm(prefix="c") if may_manage else None,
    }
    if op in _OPS:
        # A side that may not do this gets 403 from the service, even with a crafted POST.
        prefix = {"answer": "a", "paper": "p", "cancel": "c"}[op]
        kw: dict[str, Any] = (
            {"prefix": prefix} if op == "cancel" else {"spec": spec, "prefix": prefix}
        )
        form = _OPS[op](request.POST, **kw)
        forms[op] = form
        if form.is_valid():
            try:
                _apply(request, req, op, form)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("feedback_detail", pk=req.pk)
    answer_rows = _answer_rows(spec, req.answer) if req.answer else []
    context = {
        "req": req,
        "label": kind_label(req.cycle, req.kind),
        "spec": spec,
        "answer_rows": answer_rows,
        "forms": forms,
        "overdue": req.is_overdue(timezone.localdate()),
    }
    return TemplateResponse(request, "feedback/detail.html", context)


def _apply(request: HttpRequest, req: FeedbackRequest, op: str, form: Any) -> None:
    if op == "answer":
        services.answer(request.user, req, form.data_for_service())
        messages.success(request, "Đã gửi nhận xét.")
    elif op == "paper":
        services.record_from_paper(
            request.user, req, form.data_for_service(), form.cleaned_data["received_on"]
        )
        messages.success(request, "Đã nhập phiếu nhận xét bản giấy.")
    else:
        services.cancel(request.user, req, form.cleaned_data["reason"])
        messages.success(request, "Đã hủy đề nghị nhận xét.")


def _answer_rows(spec: dict[str, Any], answer: dict[str, Any]) -> list[tuple[str, str]]:
    labels = {m["code"]: m["label"] for m in spec["marks"]}
    items = answer.get("items") or {}
    return [(i["text"], labels.get(items.get(i["code"], ""), "—")) for i in spec["items"]]
