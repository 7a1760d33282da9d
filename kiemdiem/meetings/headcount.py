"""Every head count a page or paper states about one meeting, from one function, and the
ban kiểm phiếu as the papers name it.

The meeting page, the biên bản hội nghị, the biên bản kiểm phiếu and the API used to count
the same attendance three ways (exempt members in or out of the base, present exempt members
in or out of "có mặt"), so one meeting printed 46/51, 45/50 and 46 present with 51 official
members. Here is the single definition (domain.md §1: an exempt member is listed and may
attend but is not in the attendance base):

- members: everyone on the attendance list (official, probationary, exempt, temporary);
- summoned (triệu tập): the members less the exempt ones, the base of "có mặt x/y";
- present / absent with reason / absent without reason: among the summoned;
- exempt_present: exempt members who came anyway, said apart;
- official / probationary: status on the meeting's local date;
- temporary_official: official members on the list who attend here temporarily (their
  official cell is another), said apart on the papers, since the cell's own papers (Mẫu 04,
  tờ trình) count only its own members.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from kiemdiem.meetings.models import Attendance, AttendanceStatus, Meeting
from kiemdiem.org.models import Member


@dataclass(frozen=True)
class HeadCount:
    members: int
    official: int
    probationary: int
    exempt: int
    summoned: int
    present: int
    absent_reason: int
    absent: int  # absent without a reason
    exempt_present: int
    temporary_official: int = 0  # official members among those attending temporarily

    @property
    def expected(self) -> int:
        """The attendance base ("Có mặt present/expected"): the summoned members."""
        return self.summoned

    @property
    def absent_total(self) -> int:
        return self.absent_reason + self.absent


def local_day(meeting: Meeting) -> dt.date:
    return timezone.localtime(meeting.scheduled_at).date()


def count_rows(rows: Iterable[Attendance], on: dt.date | None = None) -> HeadCount:
    """From attendance rows already loaded. With `on`, each row's member must be loaded
    (select_related) to tell official from probationary; without it those two are 0."""
    rows = list(rows)
    summoned = [r for r in rows if not r.exempt]
    official = temporary_official = 0
    if on is not None:
        is_official = [
            r.member.official_on is not None and r.member.official_on <= on for r in rows
        ]
        official = sum(is_official)
        temporary_official = sum(
            1 for r, o in zip(rows, is_official, strict=True) if o and r.temporary
        )
    return HeadCount(
        members=len(rows),
        official=official,
        probationary=len(rows) - official if on is not None else 0,
        exempt=len(rows) - len(summoned),
        summoned=len(summoned),
        present=sum(1 for r in summoned if r.status == AttendanceStatus.PRESENT),
        absent_reason=sum(1 for r in summoned if r.status == AttendanceStatus.ABSENT_WITH_REASON),
        absent=sum(1 for r in summoned if r.status == AttendanceStatus.ABSENT),
        exempt_present=sum(1 for r in rows if r.exempt and r.status == AttendanceStatus.PRESENT),
        temporary_official=temporary_official,
    )


def official_elsewhere(meeting: Meeting) -> int:
    """The meeting's own official members who attend another cell temporarily and so are
    not on its list: the papers say them apart, so the biên bản's figure and the cell's
    Mẫu 04 (which counts every member of the cell) can be reconciled."""
    day = local_day(meeting)
    listed = meeting.attendance.values("member_id")
    return (
        Member.objects.filter(cell_id=meeting.organization_id, official_on__lte=day)
        .exclude(temporary_cell__isnull=True)
        .exclude(pk__in=listed)
        .count()
    )


def attendance_of(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendance.select_related("member").order_by("sort_key", "member__code"))


def meeting_headcount(meeting: Meeting, rows: Sequence[Attendance] | None = None) -> HeadCount:
    """The meeting's figures; pass `rows` (with members loaded) to avoid a second query."""
    return count_rows(attendance_of(meeting) if rows is None else rows, local_day(meeting))


def absent_rows(rows: Iterable[Attendance]) -> list[Attendance]:
    """The summoned members who did not come, in list order (the papers name them)."""
    return [r for r in rows if not r.exempt and r.status != AttendanceStatus.PRESENT]


def committee_members(meeting: Meeting) -> list[Member]:
    """The ban kiểm phiếu, head first, the others in list order (one query: the head is
    one of the counters as roles.set_people records them)."""
    counters = list(meeting.counters.order_by("sort_key"))
    head = [m for m in counters if m.pk == meeting.count_head_id]
    if not head and meeting.count_head_id is not None and meeting.count_head is not None:
        head = [meeting.count_head]
    return head + [m for m in counters if m.pk != meeting.count_head_id]


def committee_names(meeting: Meeting) -> list[str]:
    return [m.full_name for m in committee_members(meeting)]
