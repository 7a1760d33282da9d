"""Thin views of Mẫu 01 (the collective's report, drafted under its head) and of the review
suggestions (gợi ý kiểm điểm) a superior sends and the addressee answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from kiemdiem.accounts.access import (
    Action,
    Kind,
    can_at,
    can_own,
    own_member_id,
    own_q,
    scope_q,
)
from kiemdiem.cycles.models import Cycle
from kiemdiem.org.models import Collective, Member
from kiemdiem.reviews import services
from kiemdiem.reviews.forms import AnswerForm, MeetingForm, ReportForm, SendForm, SuggestionForm
from kiemdiem.reviews.models import CollectiveReport, Suggestion

R, S = Kind.COLLECTIVE_REPORT, Kind.SUGGESTION


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for m in exc.messages:
        messages.error(request, m)


@login_required
def report(request: HttpRequest, cycle_id: int, collective_id: int) -> HttpResponse:
    """Mẫu 01 editor: start it with the meeting date, write the six sections and the
    opinions collected, record when it was sent (≥ 3 working days before, 000 §1.4.1a)."""
    collective = Collective.objects.select_related("organization").filter(pk=collective_id).first()
    cycle = Cycle.objects.select_related("organization").filter(pk=cycle_id).first()
    if (
        collective is None
        or cycle is None
        or not collective.organization.path.startswith(cycle.organization.path)
    ):
        raise Http404("Không tìm thấy tập thể hoặc kế hoạch.")
    head = services.current_head(collective, timezone.localdate())
    obj = CollectiveReport.objects.filter(cycle=cycle, collective=collective).first()
    owner = obj.head_id if obj else (head.pk if head else None)
    may = {
        a: can_at(request.user, a, R, collective.organization) or can_own(request.user, a, R, owner)
        for a in (Action.VIEW, Action.EDIT)
    }
    if not may[Action.VIEW]:
        raise Http404("Không tìm thấy báo cáo.")
    op = request.POST.get("op", "") if request.method == "POST" else ""
    if op and not may[Action.EDIT]:
        raise PermissionDenied("Đồng chí không có quyền soạn báo cáo này.")
    meeting_form = MeetingForm(request.POST if op == "start" else None)
    form = ReportForm(request.POST if op == "save" else None, report=obj)
    send_form = SendForm(request.POST if op == "send" else None)
    try:
        if op == "start" and meeting_form.is_valid():
            services.draft_report(
                request.user, cycle, collective, meeting_form.cleaned_data["meeting_on"]
            )
            messages.success(request, "Đã lập dự thảo báo cáo kiểm điểm tập thể.")
            return redirect(request.path)
        if op == "save" and obj is not None and form.is_valid():
            services.save_report(request.user, obj, form.sections(), form.opinions())
            messages.success(request, "Đã lưu báo cáo.")
            return redirect(request.path)
        if op == "send" and obj is not None and send_form.is_valid():
            days = services.send_report(request.user, obj, send_form.cleaned_data["sent_on"])
            warning = services.late_warning(obj)
            if warning:
                messages.warning(request, warning)
            else:
                messages.success(request, f"Đã ghi ngày gửi: trước hội nghị {days} ngày làm việc.")
            return redirect(request.path)
    except ValidationError as exc:
        _errors(request, exc)
    suggestions = list(Suggestion.objects.filter(cycle=cycle, collective=collective))
    context = {
        "cycle": cycle,
        "collective": collective,
        "report": obj,
        "head": obj.head if obj else head,
        "can_edit": may[Action.EDIT],
        "meeting_form": meeting_form,
        "form": form,
        "send_form": send_form,
        "warning": services.late_warning(obj) if obj else "",
        "suggestions": suggestions,
        "meeting_days": services.meeting_length_days(cycle, bool(suggestions)),
    }
    return TemplateResponse(request, "reviews/report.html", context)


def _visible_suggestions(request: HttpRequest, cycle: Cycle) -> list[Suggestion]:
    user = request.user
    q = (
        scope_q(user, S, Action.VIEW, "collective__organization__path")
        | scope_q(user, S, Action.VIEW, "member__cell__path")
        | own_q(user, S, Action.VIEW, "member_id")
    )
    return list(
        Suggestion.objects.filter(q, cycle=cycle)
        .select_related("from_organization", "collective", "member", "answered_by")
        .order_by("-issued_on", "pk")
    )


def _reviewed_under(request: HttpRequest, cycle: Cycle) -> bool:
    """A member reviewed under the plan (their cell below its organization): the menu links
    them here, and "no suggestion" is an answer, not a missing page (issue 15 §5)."""
    member_id = own_member_id(request.user)
    path = cycle.organization.path
    return (
        member_id is not None
        and Member.objects.filter(
            Q(cell__path__startswith=path) | Q(temporary_cell__path__startswith=path), pk=member_id
        ).exists()
    )


@login_required
def suggestions(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """The cycle's suggestions the user may see; the superior's office writes new ones."""
    cycle = Cycle.objects.select_related("organization").filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404("Không tìm thấy kế hoạch.")
    org = cycle.organization
    can_add = can_at(request.user, Action.EDIT, S, org)
    form = None
    if can_add:
        collectives = Collective.objects.filter(organization__path__startswith=org.path)
        members = Member.objects.filter(cell__path__startswith=org.path).order_by("sort_key")[:500]
        targets = [(f"t{c.pk}", f"Tập thể: {c.name}") for c in collectives] + [
            (f"d{m.pk}", f"Đảng viên: {m.full_name} ({m.code})") for m in members
        ]
        form = SuggestionForm(request.POST or None, targets=targets)
        if request.method == "POST" and form.is_valid():
            target = form.cleaned_data["target"]
            text, pk = form.cleaned_data["text"], int(target[1:])
            try:
                if target.startswith("t"):
                    collective = Collective.objects.select_related("organization").get(pk=pk)
                    services.add_suggestion(request.user, cycle, org, text, collective=collective)
                else:
                    member = Member.objects.select_related("cell").get(pk=pk)
                    services.add_suggestion(request.user, cycle, org, text, member=member)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, "Đã gửi gợi ý kiểm điểm.")
                return redirect(request.path)
    elif request.method == "POST":
        raise PermissionDenied("Đồng chí không có quyền gợi ý kiểm điểm.")
    rows = _visible_suggestions(request, cycle)
    if not rows and not can_add and not _reviewed_under(request, cycle):
        raise Http404("Không có gợi ý kiểm điểm.")
    context = {"cycle": cycle, "rows": rows, "form": form}
    return TemplateResponse(request, "reviews/suggestions.html", context)


@login_required
def suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    """One suggestion and its answer (giải trình), written by the addressee."""
    item = (
        Suggestion.objects.select_related(
            "cycle", "from_organization", "collective__organization", "member__cell"
        )
        .filter(pk=pk)
        .first()
    )
    if item is None or item not in _visible_suggestions(request, item.cycle):
        raise Http404("Không tìm thấy gợi ý kiểm điểm.")
    may_answer = services.may_answer(request.user, item)
    form = AnswerForm(request.POST or None, initial={"answer": item.answer})
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied("Đồng chí không có quyền giải trình gợi ý này.")
        if form.is_valid():
            services.answer_suggestion(request.user, item, form.cleaned_data["answer"])
            messages.success(request, "Đã lưu giải trình.")
            return redirect(request.path)
    context = {"item": item, "form": form if may_answer else None}
    return TemplateResponse(request, "reviews/suggestion.html", context)
