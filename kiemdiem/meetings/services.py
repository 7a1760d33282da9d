"""Use-cases of a review meeting: schedule it (agenda and attendance list built set-based),
edit and reorder the agenda, record attendance and minutes, mark it held, close and reopen it.
Each is one transaction that checks permission and writes the audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.audit.models import record
from kiemdiem.cycles.models import Cycle
from kiemdiem.meetings import agenda as a
from kiemdiem.meetings.headcount import HeadCount, count_rows
from kiemdiem.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MinutesEntry,
)
from kiemdiem.meetings.people import attendees, meeting_input
from kiemdiem.org.choices import CELL_KINDS, OrgKind
from kiemdiem.org.models import Collective, Member, Organization
from kiemdiem.vn import short_date


def require(user: Any, action: Action, org: Organization) -> None:
    if not can_at(user, action, Kind.MEETING, org):
        raise PermissionDenied("Đồng chí không có quyền với hội nghị của tổ chức này.")


def _require_open(meeting: Meeting) -> None:
    if meeting.is_locked:
        raise ValidationError("Hội nghị đã kết thúc, biên bản đã khóa. Muốn sửa phải mở lại.")


@transaction.atomic
def schedule_meeting(
    user: Any,
    cycle: Cycle,
    target: Organization | Collective,
    scheduled_at: dt.datetime,
    *,
    place: str = "",
    title: str = "",
    planned_days: Decimal = Decimal("1"),
    chair: Member | None = None,
    secretary: Member | None = None,
    review_in_groups: bool = False,
) -> tuple[Meeting, list[str]]:
    """Schedule the meeting of a cell, a party group or a collective; returns it with the
    warnings of its agenda (e.g. no deputy to chair the head's review)."""
    org = target.organization if isinstance(target, Collective) else target
    require(user, Action.EDIT, org)
    if not org.path.startswith(cycle.organization.path):
        raise ValidationError(f"{org.name} không thuộc phạm vi kế hoạch {cycle.number_symbol}.")
    if timezone.is_naive(scheduled_at):
        raise ValidationError("Thời gian họp phải có múi giờ.")
    if isinstance(target, Collective):
        kind = MeetingKind.COLLECTIVE
    elif org.kind in CELL_KINDS:
        kind = MeetingKind.CELL
    elif org.kind == OrgKind.GROUP:
        kind = MeetingKind.GROUP
    else:
        raise ValidationError("Chỉ chi bộ, tổ đảng hoặc tập thể lãnh đạo mới tổ chức hội nghị này.")
    if planned_days <= 0:
        raise ValidationError("Thời lượng họp phải lớn hơn 0 ngày.")
    on = timezone.localtime(scheduled_at).date()
    template = a.get_template(cycle.template_id)
    data = meeting_input(kind, target, cycle, on, template, review_in_groups)
    built = a.build_agenda(template, data)
    meeting = Meeting.objects.create(
        cycle=cycle,
        organization=org,
        collective=target if isinstance(target, Collective) else None,
        kind=kind,
        title=title.strip() or _default_title(kind, target, cycle.year),
        scheduled_at=scheduled_at,
        place=place,
        planned_days=planned_days,
        chair=chair,
        secretary=secretary,
        review_in_groups=review_in_groups and kind == MeetingKind.CELL,
        template_id=template.id,
        created_by=user,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            order=i,
            kind=it.kind,
            title=it.title[:300],
            source=it.source[:200],
            rank=it.rank,
            subject_member_id=it.member_id,
            subject_collective_id=it.collective_id,
            subject_group_id=it.group_id,
            chair_id=it.chair_member_id,
        )
        for i, it in enumerate(built.items, start=1)
    )
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            member_id=p.member_id,
            exempt=p.exempt,
            temporary=p.temporary,
            sort_key=p.sort_key,
            status=AttendanceStatus.ABSENT_WITH_REASON if p.exempt else AttendanceStatus.PRESENT,
            reason="Miễn công tác và sinh hoạt đảng" if p.exempt else "",
        )
        for p in attendees(kind, target, on)
    )
    record(
        user,
        "schedule_meeting",
        meeting,
        new={"kind": kind, "at": scheduled_at.isoformat(), "items": len(built.items)},
        summary=f"{meeting.title} — {short_date(on)}",
    )
    return meeting, built.warnings


def _default_title(kind: str, target: Organization | Collective, year: int) -> str:
    if kind == MeetingKind.GROUP:
        return f"Họp {target.name} kiểm điểm đảng viên năm {year}"
    return f"Hội nghị kiểm điểm, đánh giá, xếp loại năm {year} — {target.name}"


def warnings_for(meeting: Meeting) -> list[str]:
    ranked = meeting.items.order_by("order").values_list("title", "rank")
    return a.order_warnings(a.Ranked(t, r) for t, r in ranked)


def order_warnings_of(items: Sequence[AgendaItem]) -> list[str]:
    """The same check on items already loaded, in their order (no query)."""
    return a.order_warnings(a.Ranked(i.title, i.rank) for i in items)


@transaction.atomic
def reorder_items(user: Any, meeting: Meeting, item_ids: Sequence[int]) -> list[str]:
    """Put the agenda in the given order. The order rules become warnings, not refusals:
    the cell decides (design principle 4)."""
    require(user, Action.EDIT, meeting.organization)
    _require_open(meeting)
    items = {i.pk: i for i in meeting.items.all()}
    if sorted(item_ids) != sorted(items) or len(set(item_ids)) != len(item_ids):
        raise ValidationError("Danh sách mục chương trình không khớp, hãy tải lại trang.")
    old = {pk: it.order for pk, it in items.items()}
    for order, pk in enumerate(item_ids, start=1):
        items[pk].order = order
    AgendaItem.objects.bulk_update(items.values(), ["order"])
    record(
        user,
        "reorder_agenda",
        meeting,
        old={"order": sorted(old, key=old.__getitem__)},
        new={"order": list(item_ids)},
    )
    return warnings_for(meeting)


def move_item(user: Any, item: AgendaItem, delta: int) -> list[str]:
    """Move one item up (-1) or down (+1): the phone-friendly way to reorder."""
    ids = list(item.meeting.items.order_by("order").values_list("pk", flat=True))
    i = ids.index(item.pk)
    j = max(0, min(len(ids) - 1, i + delta))
    ids[i], ids[j] = ids[j], ids[i]
    return reorder_items(user, item.meeting, ids)


@transaction.atomic
def edit_item(
    user: Any, item: AgendaItem, *, title: str, chair: Member | None, done: bool | None = None
) -> AgendaItem:
    meeting = item.meeting
    require(user, Action.EDIT, meeting.organization)
    _require_open(meeting)
    if not title.strip():
        raise ValidationError("Nội dung mục chương trình không được để trống.")
    if chair is not None and chair.pk == item.subject_member_id:
        raise ValidationError("Người được kiểm điểm không tự chủ trì phần kiểm điểm của mình.")
    old = {"title": item.title, "chair": item.chair_id, "done": item.done}
    item.title, item.chair = title.strip()[:300], chair
    if done is not None:
        item.done = done
    item.save(update_fields=["title", "chair", "done"])
    record(
        user,
        "edit_agenda_item",
        item,
        old=old,
        new={"title": item.title, "chair": item.chair_id, "done": item.done},
    )
    return item


@dataclass(frozen=True)
class Mark:
    status: str
    reason: str = ""


@transaction.atomic
def record_attendance(user: Any, meeting: Meeting, marks: Mapping[int, Mark]) -> int:
    """The whole list in one request: {member_id: Mark}. Returns how many rows changed."""
    require(user, Action.EDIT, meeting.organization)
    _require_open(meeting)
    rows = {r.member_id: r for r in meeting.attendance.all()}
    unknown = set(marks) - set(rows)
    if unknown:
        raise ValidationError("Có người không thuộc danh sách điểm danh của hội nghị.")
    changed: list[Attendance] = []
    old: dict[int, str] = {}
    for member_id, mark in marks.items():
        if mark.status not in AttendanceStatus.values:
            raise ValidationError("Tình trạng có mặt không hợp lệ.")
        reason = mark.reason.strip()[:200] if mark.status != AttendanceStatus.PRESENT else ""
        if mark.status == AttendanceStatus.ABSENT_WITH_REASON and not reason:
            raise ValidationError("Vắng có lý do: cần ghi lý do.")
        row = rows[member_id]
        if (row.status, row.reason) != (mark.status, reason):
            old[member_id] = row.status
            row.status, row.reason = mark.status, reason
            changed.append(row)
    Attendance.objects.bulk_update(changed, ["status", "reason"])
    if changed:
        record(
            user,
            "record_attendance",
            meeting,
            old={str(k): v for k, v in old.items()},
            new={str(r.member_id): r.status for r in changed},
        )
    return len(changed)


def counts(rows: Sequence[Attendance], on: dt.date | None = None) -> HeadCount:
    """Attendance figures from rows already loaded (no query): "Có mặt 12/14". The one
    definition lives in meetings.headcount; this name is kept for the pages and the API."""
    return count_rows(rows, on)


MINUTES_FIELDS = ("discussion", "strengths", "shortcomings", "conclusion")


@transaction.atomic
def record_minutes(user: Any, item: AgendaItem, **texts: str) -> MinutesEntry:
    """The minutes of one agenda item: discussion, strengths, shortcomings, the chair's
    conclusion. Saving them marks the item done."""
    meeting = item.meeting
    require(user, Action.EDIT, meeting.organization)
    _require_open(meeting)
    unknown = set(texts) - set(MINUTES_FIELDS)
    if unknown:
        raise ValueError(f"unknown minutes fields {unknown}")
    entry, created = MinutesEntry.objects.get_or_create(item=item)
    old = None if created else {f: getattr(entry, f) for f in MINUTES_FIELDS}
    for f in MINUTES_FIELDS:
        setattr(entry, f, texts.get(f, "").strip())
    entry.recorded_by = user
    entry.save()
    if not item.done:
        item.done = True
        item.save(update_fields=["done"])
    record(
        user,
        "record_minutes",
        entry,
        old=old,
        new={f: getattr(entry, f) for f in MINUTES_FIELDS},
        summary=f"{meeting.title}: {item.title}",
    )
    return entry


def _set_status(user: Any, meeting: Meeting, status: str, action: str, reason: str = "") -> None:
    old = meeting.status
    meeting.status = status
    meeting.save(update_fields=["status"])
    record(
        user,
        action,
        meeting,
        old={"status": old},
        new={"status": status, "reason": reason},
        summary=reason,
    )


@transaction.atomic
def mark_held(user: Any, meeting: Meeting) -> None:
    require(user, Action.EDIT, meeting.organization)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError("Chỉ hội nghị đang lên lịch mới đánh dấu đã họp.")
    if timezone.now() < meeting.scheduled_at:
        raise ValidationError("Chưa đến giờ họp đã lên lịch.")
    _set_status(user, meeting, MeetingStatus.HELD, "hold_meeting")


@transaction.atomic
def close_meeting(user: Any, meeting: Meeting) -> None:
    """Lock the minutes. Only a held meeting closes: the agenda must have been gone through."""
    require(user, Action.EDIT, meeting.organization)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError("Chỉ kết thúc được hội nghị đã họp.")
    _set_status(user, meeting, MeetingStatus.CLOSED, "close_meeting")


@transaction.atomic
def reopen_meeting(user: Any, meeting: Meeting, reason: str) -> None:
    """An explicit, audited act (design.md: a closed thing reopens only so)."""
    require(user, Action.EDIT, meeting.organization)
    if meeting.status != MeetingStatus.CLOSED:
        raise ValidationError("Hội nghị chưa kết thúc, không cần mở lại.")
    if not reason.strip():
        raise ValidationError("Cần ghi lý do mở lại hội nghị.")
    _set_status(user, meeting, MeetingStatus.HELD, "reopen_meeting", reason.strip())
