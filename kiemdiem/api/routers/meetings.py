"""Review meetings: the list, and one meeting with its agenda, attendance and minutes (read
only here: the minutes are written in the meeting, on the web). Visibility is the web's own
(`meetings.views._meetings`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal
from typing import Any, ClassVar

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.api.common import In, MemberRef, Page, Paging, Ref, attach, attached, get_or_404, page
from kiemdiem.meetings import services
from kiemdiem.meetings.headcount import meeting_headcount
from kiemdiem.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ItemKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MinutesEntry,
)
from kiemdiem.meetings.views import _meetings

router = Router(tags=["Hội nghị"])


class MeetingOut(Schema):
    id: int
    cycle_id: int
    organization: Ref
    collective: Ref | None
    kind: MeetingKind
    kind_label: str = Field(alias="get_kind_display")
    title: str
    scheduled_at: dt.datetime
    place: str
    planned_days: Decimal
    chair: MemberRef | None
    secretary: MemberRef | None
    status: MeetingStatus
    status_label: str = Field(alias="get_status_display")

    @staticmethod
    def resolve_organization(obj: Meeting) -> dict[str, Any]:
        return {"id": obj.organization_id, "name": obj.organization.name}

    @staticmethod
    def resolve_collective(obj: Meeting) -> dict[str, Any] | None:
        c = obj.collective
        return {"id": c.pk, "name": c.name} if c is not None else None


class MinutesOut(Schema):
    discussion: str
    strengths: str
    shortcomings: str
    conclusion: str
    recorded_at: dt.datetime


class AgendaItemOut(Schema):
    id: int
    order: int
    kind: ItemKind
    title: str
    source: str
    subject_member: MemberRef | None
    subject_collective_id: int | None
    subject_group_id: int | None
    chair: MemberRef | None
    done: bool
    minutes: MinutesOut | None

    @staticmethod
    def resolve_minutes(obj: AgendaItem) -> MinutesEntry | None:
        try:
            return obj.minutes
        except MinutesEntry.DoesNotExist:
            return None


class AttendanceOut(Schema):
    member: MemberRef
    status: AttendanceStatus
    status_label: str = Field(alias="get_status_display")
    reason: str
    exempt: bool = Field(description="Miễn sinh hoạt: không tính vào số phải có mặt.")
    temporary: bool = Field(description="Sinh hoạt tạm thời tại đây.")


class CountsOut(Schema):
    """The meeting's head count, the same figures the meeting page and both biên bản state
    (kiemdiem.meetings.headcount)."""

    members: int = Field(description="Số đảng viên trong danh sách.")
    official: int = Field(description="Đảng viên chính thức.")
    probationary: int = Field(description="Đảng viên dự bị.")
    exempt: int = Field(description="Miễn sinh hoạt (không tính vào số phải có mặt).")
    present: int = Field(description="Có mặt (trong số được triệu tập).")
    expected: int = Field(description="Số được triệu tập: trừ người miễn sinh hoạt.")
    absent_reason: int
    absent: int
    exempt_present: int


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    attendance: list[AttendanceOut]
    counts: CountsOut
    warnings: list[str] = Field(description="Cảnh báo về thứ tự chương trình.")
    can_edit: bool

    resolve_agenda: ClassVar[Any] = attached("agenda")
    resolve_attendance: ClassVar[Any] = attached("attendance")
    resolve_counts: ClassVar[Any] = attached("counts")
    resolve_warnings: ClassVar[Any] = attached("warnings")
    resolve_can_edit: ClassVar[Any] = attached("can_edit")


class MeetingFilter(In):
    cycle: int | None = None
    organization: int | None = Field(None, description="Hội nghị của tổ chức này.")
    status: MeetingStatus | None = None


def _counts(meeting: Meeting, attendance: list[Attendance]) -> dict[str, int]:
    hc = meeting_headcount(meeting, attendance)
    return {**asdict(hc), "expected": hc.expected}


@router.get("/meetings", response=Page[MeetingOut], summary="Các hội nghị kiểm điểm trong phạm vi")
def list_meetings(
    request: HttpRequest, paging: Query[Paging], filters: Query[MeetingFilter]
) -> dict[str, Any]:
    qs = _meetings(request)
    if filters.cycle is not None:
        qs = qs.filter(cycle_id=filters.cycle)
    if filters.organization is not None:
        qs = qs.filter(organization_id=filters.organization)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return page(qs.order_by("scheduled_at", "pk"), paging)


@router.get(
    "/meetings/{meeting_id}",
    response=MeetingDetailOut,
    summary="Một hội nghị: chương trình, điểm danh, biên bản từng mục",
)
def get_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = get_or_404(_meetings(request), pk=meeting_id)
    items = list(
        meeting.items.select_related("subject_member", "chair", "minutes").order_by("order")
    )
    attendance = list(
        meeting.attendance.select_related("member").order_by("sort_key", "member__code")
    )
    can_edit = can_at(request.user, Action.EDIT, Kind.MEETING, meeting.organization)
    return attach(
        meeting,
        agenda=items,
        attendance=attendance,
        counts=_counts(meeting, attendance),
        warnings=services.order_warnings_of(items),
        can_edit=can_edit and not meeting.is_locked,
    )
