"""Scheduling a cell's review meeting, its agenda and attendance list from the tree,
attendance, minutes item by item, held / closed / reopened (issue 4 §8)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from kiemdiem.audit.models import AuditEntry
from kiemdiem.meetings import services as s
from kiemdiem.meetings.models import AttendanceStatus, ItemKind, MeetingStatus
from tests.builders import make_member
from tests.conftest import World
from tests.meetings.helpers import AT, ready_cell, schedule

pytestmark = pytest.mark.django_db
AFTER = AT + dt.timedelta(hours=3)


def test_agenda_from_the_tree_in_the_required_order(world: World) -> None:
    """000 §1.4.3 and 000's agenda item 6: the chi ủy collective first, the head (chaired by the
    deputy), the deputy, the commune official, then ordinary members in name order (An, Bình,
    Tạm — the temporarily attached member is reviewed here); the exempt member is not."""
    cell = ready_cell(world)
    meeting = schedule(world, cell)
    items = list(meeting.items.order_by("order"))
    reviews = [i for i in items if i.kind == ItemKind.INDIVIDUAL_REVIEW]
    p = cell.people
    assert [i.subject_member_id for i in reviews] == [
        cell.head.pk, cell.deputy.pk, cell.officer.pk, p["an"].pk, p["binh"].pk, p["guest"].pk
    ]  # fmt: skip
    assert reviews[0].chair_id == cell.deputy.pk
    assert "(Bí thư chi bộ)" in reviews[0].title
    collective = next(i for i in items if i.kind == ItemKind.COLLECTIVE_REVIEW)
    assert collective.subject_collective_id == cell.committee.pk
    assert collective.order < reviews[0].order
    assert [i.order for i in items] == list(range(1, len(items) + 1))
    assert AuditEntry.objects.filter(action="schedule_meeting", object_id=str(meeting.pk)).exists()


def test_attendance_list_and_counts(world: World) -> None:
    """Attendees: the cell's members and those temporarily attached there; the exempt member
    is listed (may attend) as absent with reason and is out of the base."""
    cell = ready_cell(world)
    meeting = schedule(world, cell)
    rows = {r.member_id: r for r in meeting.attendance.all()}
    p = cell.people
    assert set(rows) == {cell.head.pk, cell.deputy.pk, cell.officer.pk, p["an"].pk,
                         p["binh"].pk, p["guest"].pk, p["exempt"].pk}  # fmt: skip
    assert rows[p["exempt"].pk].exempt and rows[p["guest"].pk].temporary
    assert s.counts(list(rows.values())).present == 6
    marks = {
        p["an"].pk: s.Mark(AttendanceStatus.ABSENT_WITH_REASON, "Ốm"),
        p["binh"].pk: s.Mark(AttendanceStatus.ABSENT),
        p["exempt"].pk: s.Mark(AttendanceStatus.PRESENT),
    }
    assert s.record_attendance(world.users["secretary"], meeting, marks) == 3
    c = s.counts(list(meeting.attendance.all()))
    # Issue #11 (one head count): an exempt member who comes is said apart ("và 1 đồng chí
    # miễn sinh hoạt có mặt"), in neither "có mặt" nor its base, as on both biên bản.
    assert (c.present, c.expected, c.absent_reason, c.absent, c.exempt_present) == (4, 6, 1, 1, 1)


def test_absent_with_reason_needs_a_reason(world: World) -> None:
    cell = ready_cell(world)
    meeting = schedule(world, cell)
    bad = {cell.people["an"].pk: s.Mark(AttendanceStatus.ABSENT_WITH_REASON, " ")}
    with pytest.raises(ValidationError, match="cần ghi lý do"):
        s.record_attendance(world.users["secretary"], meeting, bad)
    stranger = make_member(world.orgs["cell2"], "Lê Văn Lạ")
    with pytest.raises(ValidationError, match="không thuộc danh sách"):
        s.record_attendance(world.users["secretary"], meeting, {stranger.pk: s.Mark("present")})


def test_minutes_item_by_item(world: World) -> None:
    cell = ready_cell(world)
    meeting = schedule(world, cell)
    head_item = meeting.items.get(subject_member=cell.head)
    s.record_minutes(world.users["secretary"], head_item, strengths="Gương mẫu",
                     shortcomings="Chậm báo cáo", conclusion="Hoàn thành tốt")  # fmt: skip
    entry = s.record_minutes(world.users["secretary"], head_item, strengths="Gương mẫu, sâu sát",
                             conclusion="Hoàn thành tốt nhiệm vụ")  # fmt: skip
    head_item.refresh_from_db()
    assert head_item.done and entry.strengths == "Gương mẫu, sâu sát" and entry.shortcomings == ""
    assert entry.recorded_by == world.users["secretary"]
    audit = AuditEntry.objects.filter(action="record_minutes").order_by("pk")
    assert audit.count() == 2 and audit.last().old["shortcomings"] == "Chậm báo cáo"  # type: ignore[index,union-attr]
    assert meeting.items.filter(done=True).count() == 1


def test_closed_meeting_is_locked_and_reopened_only_with_a_reason(world: World) -> None:
    cell = ready_cell(world)
    meeting = schedule(world, cell)
    user = world.users["secretary"]
    item = meeting.items.first()
    assert item is not None
    with pytest.raises(ValidationError, match="Chỉ kết thúc được hội nghị đã họp"):
        s.close_meeting(user, meeting)
    with time_machine.travel(AFTER):
        s.mark_held(user, meeting)
        s.close_meeting(user, meeting)
    assert meeting.status == MeetingStatus.CLOSED
    with pytest.raises(ValidationError, match="đã khóa"):
        s.record_minutes(user, item, conclusion="sửa sau")
    with pytest.raises(ValidationError, match="đã khóa"):
        s.record_attendance(user, meeting, {})
    with pytest.raises(ValidationError, match="đã khóa"):
        s.move_item(user, item, 1)
    with pytest.raises(ValidationError, match="lý do"):
        s.reopen_meeting(user, meeting, "  ")
    s.reopen_meeting(user, meeting, "Bổ sung kết luận của đồng chí Bí thư")
    assert meeting.status == MeetingStatus.HELD
    entry = AuditEntry.objects.get(action="reopen_meeting", object_id=str(meeting.pk))
    assert entry.new == {"status": "held", "reason": "Bổ sung kết luận của đồng chí Bí thư"}
    assert entry.user == user
    s.record_minutes(user, item, conclusion="sửa sau")


def test_held_not_before_the_scheduled_time(world: World) -> None:
    meeting = schedule(world, ready_cell(world))
    with time_machine.travel(AT - dt.timedelta(days=1)), pytest.raises(ValidationError):
        s.mark_held(world.users["secretary"], meeting)


def test_reorder_keeps_rules_as_warnings(world: World) -> None:
    """People decide: moving an ordinary member before the head is allowed, with a warning
    citing 000 §1.4.3."""
    cell = ready_cell(world)
    meeting = schedule(world, cell)
    head_item = meeting.items.get(subject_member=cell.head)
    deputy_item = meeting.items.get(subject_member=cell.deputy)
    warnings = s.move_item(world.users["secretary"], deputy_item, -1)
    deputy_item.refresh_from_db()
    head_item.refresh_from_db()
    assert deputy_item.order < head_item.order
    assert (
        len(warnings) == 1
        and "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của Đảng ủy xã Thanh Liên, mục 1.4.3"
        in warnings[0]
    )
    assert s.move_item(world.users["secretary"], deputy_item, 1) == []


def test_edit_item_chair_not_the_subject(world: World) -> None:
    cell = ready_cell(world)
    meeting = schedule(world, cell)
    head_item = meeting.items.get(subject_member=cell.head)
    with pytest.raises(ValidationError, match="không tự chủ trì"):
        s.edit_item(world.users["secretary"], head_item, title=head_item.title, chair=cell.head)
    s.edit_item(world.users["secretary"], head_item, title="Kiểm điểm Bí thư", chair=cell.officer)
    head_item.refresh_from_db()
    assert head_item.chair_id == cell.officer.pk


def test_party_group_meeting_and_cell_with_group_reports(world: World) -> None:
    """000 §1.4.3; 003 §II.2.2, §V: an (in Tổ đảng số 1) is reviewed at the group's meeting; the
    cell meeting gets the group's report instead; binh (no group) stays at the cell."""
    cell = ready_cell(world)
    group_meeting, _ = s.schedule_meeting(
        world.users["secretary"], cell.cycle, world.orgs["group"], AT - dt.timedelta(days=3)
    )
    reviewed = group_meeting.items.filter(kind=ItemKind.INDIVIDUAL_REVIEW)
    assert [i.subject_member_id for i in reviewed] == [cell.people["an"].pk]
    assert list(group_meeting.attendance.values_list("member_id", flat=True)) == [
        cell.people["an"].pk
    ]
    meeting = schedule(world, cell, review_in_groups=True)
    reviewed_ids = set(
        meeting.items.filter(kind=ItemKind.INDIVIDUAL_REVIEW).values_list(
            "subject_member_id", flat=True
        )
    )
    assert cell.people["an"].pk not in reviewed_ids and cell.people["binh"].pk in reviewed_ids
    report = meeting.items.get(kind=ItemKind.GROUP_REPORT)
    assert report.subject_group_id == world.orgs["group"].pk


def test_collective_meeting(world: World) -> None:
    cell = ready_cell(world)
    meeting, warnings = s.schedule_meeting(world.users["clerk"], cell.cycle, cell.committee, AT)
    assert meeting.kind == "collective" and meeting.organization == world.orgs["cell1"]
    reviews = list(meeting.items.filter(kind=ItemKind.INDIVIDUAL_REVIEW).order_by("order"))
    assert [i.subject_member_id for i in reviews] == [cell.head.pk, cell.deputy.pk]
    assert reviews[0].chair_id == cell.deputy.pk and warnings == []


def test_scope_and_validation(world: World) -> None:
    cell = ready_cell(world)
    for user in ("outsider", "member", "superior"):
        with pytest.raises(PermissionDenied):
            schedule(world, cell, user)
    with pytest.raises(ValidationError, match="múi giờ"):
        s.schedule_meeting(world.users["secretary"], cell.cycle, world.orgs["cell1"],
                           dt.datetime(2026, 11, 20, 7, 30))  # fmt: skip
    meeting = schedule(world, cell)
    with pytest.raises(PermissionDenied):
        s.record_attendance(world.users["superior"], meeting, {})
