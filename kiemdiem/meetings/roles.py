"""The people of a meeting: its chair, its secretary and its ban kiểm phiếu (head first),
chosen by the cell's secretary from those present. The biên bản hội nghị names the chair and
the secretary and the biên bản kiểm phiếu the counting committee; a ballot of the meeting
takes its `committee` (names, head first) from here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kiemdiem.audit.models import record
from kiemdiem.ballots import paper_flow
from kiemdiem.ballots.models import Ballot, BallotMode, BallotStatus
from kiemdiem.meetings.headcount import committee_names
from kiemdiem.meetings.models import AttendanceStatus, Meeting
from kiemdiem.meetings.services import Action, _require_open, require
from kiemdiem.org.models import Member

MAX_COUNTERS = 7


def missing_people(meeting: Meeting, committee: Sequence[Member] | None = None) -> list[str]:
    """What the papers need and the meeting has not recorded yet, in the page's words
    (`committee`: committee_members already read, to save the query)."""
    missing = []
    if meeting.chair_id is None:
        missing.append("đồng chí chủ trì")
    if meeting.secretary_id is None:
        missing.append("thư ký hội nghị")
    if meeting.count_head_id is None:
        missing.append("Trưởng ban kiểm phiếu")
    has_counters = bool(committee) if committee is not None else meeting.counters.exists()
    if not has_counters:
        missing.append("thành viên Ban kiểm phiếu")
    return missing


def _present(meeting: Meeting) -> set[int]:
    return set(
        meeting.attendance.filter(status=AttendanceStatus.PRESENT).values_list(
            "member_id", flat=True
        )
    )


@transaction.atomic
def set_people(
    user: Any,
    meeting: Meeting,
    *,
    chair: Member,
    secretary: Member,
    count_head: Member,
    counters: Sequence[Member],
) -> Meeting:
    """Record the chair, the secretary and the ban kiểm phiếu; each must be present at the
    meeting. The meeting's ballots without a committee yet take this one."""
    require(user, Action.EDIT, meeting.organization)
    _require_open(meeting)
    present = _present(meeting)
    people = {"Chủ trì": [chair], "Thư ký": [secretary], "Ban kiểm phiếu": [count_head, *counters]}
    for role, members in people.items():
        absent = [m.full_name for m in members if m.pk not in present]
        if absent:
            raise ValidationError(
                f"{role}: đồng chí {', '.join(absent)} không có mặt tại hội nghị theo điểm danh."
            )
    if chair.pk == secretary.pk:
        raise ValidationError("Chủ trì và thư ký hội nghị phải là hai đồng chí khác nhau.")
    ids = [m.pk for m in counters if m.pk != count_head.pk]
    if len(set(ids)) != len(ids):
        raise ValidationError("Một đồng chí được ghi hai lần trong Ban kiểm phiếu.")
    if len(ids) + 1 > MAX_COUNTERS:
        raise ValidationError(f"Ban kiểm phiếu có nhiều nhất {MAX_COUNTERS} thành viên.")
    old = {
        "chair": meeting.chair_id,
        "secretary": meeting.secretary_id,
        "count_head": meeting.count_head_id,
        "counters": sorted(meeting.counters.values_list("pk", flat=True)),
    }
    meeting.chair, meeting.secretary, meeting.count_head = chair, secretary, count_head
    meeting.save(update_fields=["chair", "secretary", "count_head"])
    meeting.counters.set([count_head.pk, *ids])
    new = {"chair": chair.pk, "secretary": secretary.pk, "count_head": count_head.pk,
           "counters": sorted({count_head.pk, *ids})}  # fmt: skip
    record(user, "meeting_people", meeting, old=old, new=new)
    names = committee_names(meeting)
    for ballot in Ballot.objects.filter(meeting=meeting):
        if ballot.committee:
            continue
        if ballot.mode == BallotMode.PAPER and ballot.confirmed_at is not None:
            continue
        if ballot.mode == BallotMode.ONLINE and ballot.status == BallotStatus.CLOSED:
            continue
        paper_flow.set_committee(user, ballot, names)
    return meeting
