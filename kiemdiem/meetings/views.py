"""Meeting pages: a cycle's meetings, scheduling, the meeting itself (agenda, attendance,
status), the minutes of one item, and the printable minutes. Thin: parse, call a service,
render. Visibility comes from accounts.access; what is not visible is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kiemdiem.accounts.access import Action, Kind, can_at, scope_q
from kiemdiem.cycles.models import Cycle
from kiemdiem.meetings import headcount, roles, services
from kiemdiem.meetings.forms import MinutesForm, ScheduleForm
from kiemdiem.meetings.headcount import meeting_headcount
from kiemdiem.meetings.models import AgendaItem, AttendanceStatus, Meeting, MinutesEntry
from kiemdiem.org.choices import CELL_KINDS, OrgKind
from kiemdiem.org.models import Collective, Member, Organization
from kiemdiem.vn import long_date

TARGET_LIMIT = 500


def _meetings(request: HttpRequest, action: Action = Action.VIEW) -> QuerySet[Meeting]:
    q = scope_q(request.user, Kind.MEETING, action, "organization__path")
    return Meeting.objects.filter(q).select_related(
        "cycle", "organization", "collective", "chair", "secretary"
    )


def _cycle(request: HttpRequest, cycle_id: int) -> Cycle:
    """A cycle is visible here if the user sees meetings somewhere inside its subtree."""
    cycle = get_object_or_404(Cycle.objects.select_related("organization"), pk=cycle_id)
    inside = Organization.objects.filter(
        scope_q(request.user, Kind.MEETING, Action.VIEW, "path"),
        path__startswith=cycle.organization.path,
    )
    if not can_at(request.user, Action.VIEW, Kind.MEETING, cycle.organization) and (
        not inside.exists()
    ):
        raise Http404
    return cycle


def _targets(request: HttpRequest, cycle: Cycle) -> list[tuple[str, str]]:
    orgs = Organization.objects.filter(
        scope_q(request.user, Kind.MEETING, Action.EDIT, "path"),
        path__startswith=cycle.organization.path,
    )
    cells = list(orgs.filter(kind__in=[*CELL_KINDS, OrgKind.GROUP]).order_by("path")[:TARGET_LIMIT])
    collectives = Collective.objects.filter(organization__in=orgs).select_related("organization")
    choices = [(f"o:{o.pk}", o.name) for o in cells]
    choices += [
        (f"c:{c.pk}", f"{c.name} ({c.organization.name})")
        for c in collectives.order_by("organization__path", "name")[:TARGET_LIMIT]
    ]
    return choices


def _target(value: str) -> Organization | Collective:
    kind, _, pk = value.partition(":")
    if kind == "c":
        return get_object_or_404(Collective, pk=int(pk))
    return get_object_or_404(Organization, pk=int(pk))


@login_required
def meeting_list(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    meetings = _meetings(request).filter(cycle=cycle).order_by("scheduled_at", "pk")
    org_id = request.GET.get("to_chuc", "")
    if org_id.isdigit():
        meetings = meetings.filter(organization_id=int(org_id))
    context = {
        "cycle": cycle,
        "meetings": meetings[:200],
        "can_schedule": bool(_targets(request, cycle)),
    }
    return TemplateResponse(request, "meetings/list.html", context)


@login_required
def meeting_new(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    targets = _targets(request, cycle)
    if not targets:
        raise Http404
    form = ScheduleForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        at = timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))
        try:
            meeting, warnings = services.schedule_meeting(
                request.user,
                cycle,
                _target(data["target"]),
                at,
                place=data["place"],
                title=data["title"],
                planned_days=data["planned_days"],
                review_in_groups=data["review_in_groups"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lên lịch hội nghị và lập chương trình.")
            for w in warnings:
                messages.warning(request, w)
            return redirect("meeting_detail", meeting_id=meeting.pk)
    return TemplateResponse(request, "meetings/new.html", {"cycle": cycle, "form": form})


def _page(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """What the meeting page and the printable minutes both show, in a fixed number of
    queries however many members the cell has."""
    meeting = get_object_or_404(_meetings(request), pk=meeting_id)
    items = list(
        meeting.items.select_related(
            "subject_member", "chair", "subject_group", "minutes"
        ).order_by("order")
    )
    attendance = list(
        meeting.attendance.select_related("member").order_by("sort_key", "member__code")
    )
    can_edit = can_at(request.user, Action.EDIT, Kind.MEETING, meeting.organization)
    committee = headcount.committee_members(meeting)
    for item in items:
        item.entry = _minutes(item)  # type: ignore[attr-defined]
    return {
        "meeting": meeting,
        "items": items,
        "attendance": attendance,
        "counts": meeting_headcount(meeting, attendance),
        "committee": committee,
        "missing_people": roles.missing_people(meeting, committee),
        "present_people": [r.member for r in attendance if r.status == AttendanceStatus.PRESENT],
        "can_edit": can_edit and not meeting.is_locked,
        "can_reopen": can_edit and meeting.is_locked,
        "statuses": AttendanceStatus.choices,
        "warnings": services.order_warnings_of(items),
    }


def _minutes(item: AgendaItem) -> MinutesEntry | None:
    try:
        return item.minutes
    except MinutesEntry.DoesNotExist:
        return None


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return TemplateResponse(request, "meetings/detail.html", _page(request, meeting_id))


@login_required
def meeting_print(request: HttpRequest, meeting_id: int) -> HttpResponse:
    context = _page(request, meeting_id)
    context["long_date"] = long_date(timezone.localtime(context["meeting"].scheduled_at).date())
    context["absentees"] = [
        r for r in context["attendance"] if r.status != AttendanceStatus.PRESENT and not r.exempt
    ]
    return TemplateResponse(request, "meetings/print.html", context)


def _edit_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    """The meeting if visible (else 404); editing rights are the service's to check."""
    return get_object_or_404(_meetings(request), pk=meeting_id)


@login_required
@require_POST
def attendance_save(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _edit_meeting(request, meeting_id)
    ids = meeting.attendance.values_list("member_id", flat=True)
    marks = {
        pk: services.Mark(request.POST[f"s{pk}"], request.POST.get(f"r{pk}", ""))
        for pk in ids
        if f"s{pk}" in request.POST
    }
    try:
        changed = services.record_attendance(request.user, meeting, marks)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã lưu điểm danh ({changed} thay đổi).")
    return redirect(f"{meeting_url(meeting)}#diem-danh")


def _member_ids(values: list[str]) -> list[int]:
    try:
        return [int(v) for v in values if v.strip()]
    except ValueError:
        raise ValidationError("Chọn đồng chí trong danh sách có mặt.") from None


@login_required
@require_POST
def people_save(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The chair, the secretary and the ban kiểm phiếu, chosen among those present."""
    meeting = _edit_meeting(request, meeting_id)
    try:
        wanted = {
            key: _member_ids([request.POST.get(key, "")])
            for key in ("chair", "secretary", "count_head")
        }
        counters = _member_ids(request.POST.getlist("counters"))
        if not all(wanted.values()):
            raise ValidationError("Cần chọn đủ đồng chí chủ trì, thư ký và Trưởng ban kiểm phiếu.")
        ids = {pk for (pk,) in wanted.values()} | set(counters)
        listed = meeting.attendance.filter(member_id__in=ids).values("member_id")
        found = {m.pk: m for m in Member.objects.filter(pk__in=listed)}
        if set(found) != ids:
            raise ValidationError("Chọn đồng chí trong danh sách điểm danh của hội nghị.")
        roles.set_people(
            request.user, meeting,
            chair=found[wanted["chair"][0]], secretary=found[wanted["secretary"][0]],
            count_head=found[wanted["count_head"][0]], counters=[found[pk] for pk in counters],
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Đã lưu chủ trì, thư ký và Ban kiểm phiếu.")
    return redirect(f"{meeting_url(meeting)}#thanh-phan")


def meeting_url(meeting: Meeting) -> str:
    return reverse("meeting_detail", kwargs={"meeting_id": meeting.pk})


@login_required
def item_minutes(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = _edit_meeting(request, meeting_id)
    item = get_object_or_404(
        AgendaItem.objects.select_related("subject_member", "chair", "minutes"),
        pk=item_id,
        meeting=meeting,
    )
    item.meeting = meeting
    entry = _minutes(item)
    initial = {f: getattr(entry, f) for f in services.MINUTES_FIELDS} if entry else {}
    form = MinutesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_minutes(request.user, item, **form.texts())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã ghi biên bản mục {item.order}.")
            following = meeting.items.filter(order__gt=item.order).order_by("order").first()
            if following is not None and "next" in request.POST:
                return redirect("item_minutes", meeting_id=meeting.pk, item_id=following.pk)
            return redirect(f"{meeting_url(meeting)}#muc-{item.pk}")
    can_edit = not meeting.is_locked and can_at(
        request.user, Action.EDIT, Kind.MEETING, meeting.organization
    )
    context = {"meeting": meeting, "item": item, "form": form, "can_edit": can_edit}
    return TemplateResponse(request, "meetings/minutes.html", context)


@login_required
@require_POST
def item_move(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = _edit_meeting(request, meeting_id)
    item = get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)
    item.meeting = meeting
    try:
        warnings = services.move_item(
            request.user, item, -1 if request.POST.get("d") == "up" else 1
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        for w in warnings:
            messages.warning(request, w)
    return redirect(f"{meeting_url(meeting)}#muc-{item.pk}")


@login_required
@require_POST
def meeting_status(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _edit_meeting(request, meeting_id)
    action = request.POST.get("action", "")
    try:
        if action == "held":
            services.mark_held(request.user, meeting)
            messages.success(request, "Đã ghi nhận hội nghị đã họp.")
        elif action == "close":
            services.close_meeting(request.user, meeting)
            messages.success(request, "Hội nghị đã kết thúc; biên bản đã khóa.")
        elif action == "reopen":
            services.reopen_meeting(request.user, meeting, request.POST.get("reason", ""))
            messages.success(request, "Đã mở lại hội nghị.")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("meeting_detail", meeting_id=meeting.pk)
