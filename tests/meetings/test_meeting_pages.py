"""The meeting pages: a secretary schedules, takes attendance in one request, writes the
minutes item by item, marks the meeting held and closes it; others see only what their role
allows; the meeting page's query count does not grow with the cell."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kiemdiem.meetings.models import AttendanceStatus, Meeting, MeetingStatus, MinutesEntry
from tests.builders import make_member
from tests.conftest import World
from tests.meetings.helpers import AT, ready_cell, schedule

pytestmark = pytest.mark.django_db


def client_for(world: World, name: str) -> Client:
    c = Client()
    c.force_login(world.users[name])
    return c


def test_secretary_journey(world: World) -> None:
    cell = ready_cell(world)
    c = client_for(world, "secretary")
    new_url = reverse("meeting_new", args=[cell.cycle.pk])
    page = c.get(new_url)
    assert page.status_code == 200 and "Chi bộ xóm 1" in page.content.decode()
    response = c.post(
        new_url,
        {
            "target": f"o:{world.orgs['cell1'].pk}",
            "day": "2026-11-20",
            "time": "07:30",
            "place": "Nhà văn hóa",
            "planned_days": "1.5",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "meeting_detail", args=[meeting.pk]
    )
    assert meeting.planned_days == Decimal("1.5")
    body = c.get(response["Location"]).content.decode()
    # The exempt member is listed but out of the base until they come.
    assert "Có mặt 6/6" in body
    assert "Chủ trì: Nguyễn Thị Yến" in body  # the deputy chairs the head's review
    assert c.get(reverse("meeting_list", args=[cell.cycle.pk])).status_code == 200

    an, binh = cell.people["an"], cell.people["binh"]
    data: dict[str, str] = {}
    for r in meeting.attendance.all():  # as the form posts it: every row, with its reason
        data |= {f"s{r.member_id}": r.status, f"r{r.member_id}": r.reason}
    data |= {f"s{an.pk}": AttendanceStatus.ABSENT_WITH_REASON, f"r{an.pk}": "Đi công tác"}
    data |= {f"s{binh.pk}": AttendanceStatus.ABSENT}
    c.post(reverse("attendance_save", args=[meeting.pk]), data)
    body = c.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Có mặt 4/6" in body

    item = meeting.items.get(subject_member=cell.head)
    url = reverse("item_minutes", args=[meeting.pk, item.pk])
    fields = {"strengths": "Sâu sát cơ sở", "shortcomings": "Chậm báo cáo",
              "conclusion": "Hoàn thành tốt nhiệm vụ", "discussion": ""}  # fmt: skip
    c.post(url, fields)
    assert MinutesEntry.objects.get(item=item).conclusion == "Hoàn thành tốt nhiệm vụ"
    nxt = c.post(url, fields | {"next": "1"})
    following = meeting.items.get(order=item.order + 1)
    assert nxt["Location"] == reverse("item_minutes", args=[meeting.pk, following.pk])

    status_url = reverse("meeting_status", args=[meeting.pk])
    with time_machine.travel(AT + dt.timedelta(hours=4)):
        c.post(status_url, {"action": "held"})
        c.post(status_url, {"action": "close"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED
    locked = c.get(url).content.decode()
    assert "<textarea" not in locked and "Hoàn thành tốt nhiệm vụ" in locked
    c.post(url, fields | {"conclusion": "đổi"})
    assert MinutesEntry.objects.get(item=item).conclusion == "Hoàn thành tốt nhiệm vụ"

    printed = c.get(reverse("meeting_print", args=[meeting.pk])).content.decode()
    assert "BIÊN BẢN" in printed and "ngày 20 tháng 11 năm 2026" in printed
    assert "Sâu sát cơ sở" in printed and "Nguyễn Văn An (Đi công tác)" in printed

    c.post(status_url, {"action": "reopen", "reason": "Bổ sung kết luận"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


@pytest.mark.parametrize(
    ("user", "view", "edit"),
    [
        ("secretary", 200, True),
        ("clerk", 200, True),
        ("superior", 200, False),
        ("admin", 200, True),
        ("member", 404, False),  # members have no meeting rights in the table
        ("outsider", 404, False),
    ],
)
def test_scope(world: World, user: str, view: int, edit: bool) -> None:
    cell = ready_cell(world)
    meeting = schedule(world, cell)
    c = client_for(world, user)
    for name in ("meeting_detail", "meeting_print"):
        assert c.get(reverse(name, args=[meeting.pk])).status_code == view
    list_status = c.get(reverse("meeting_list", args=[cell.cycle.pk])).status_code
    assert list_status == view
    an = cell.people["an"]
    response = c.post(
        reverse("attendance_save", args=[meeting.pk]),
        {f"s{an.pk}": AttendanceStatus.ABSENT, f"r{an.pk}": ""},
    )
    changed = meeting.attendance.get(member=an).status == AttendanceStatus.ABSENT
    assert changed is edit
    if view == 200 and not edit:
        assert response.status_code == 403
    item = meeting.items.first()
    assert item is not None
    r = c.post(reverse("item_minutes", args=[meeting.pk, item.pk]), {"conclusion": "x"})
    assert MinutesEntry.objects.filter(item=item).exists() is edit
    if not edit:
        assert r.status_code in (403, 404)


def _big_cell(world: World, n: int) -> Any:
    cell = ready_cell(world)
    names = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga"]
    for i in range(n):
        make_member(world.orgs["cell1"], f"Trần Văn {names[i % 10]} {i}")
    return cell


def test_meeting_page_query_count_is_bounded(
    world: World, django_assert_max_num_queries: Any
) -> None:
    cell = _big_cell(world, 60)
    meeting = schedule(world, cell)
    assert meeting.attendance.count() > 60
    for item in meeting.items.all()[:20]:
        MinutesEntry.objects.create(item=item, conclusion="Tốt")
    c = client_for(world, "secretary")
    for name in ("meeting_detail", "meeting_print"):
        c.get(reverse(name, args=[meeting.pk]))  # warm the session
        with django_assert_max_num_queries(8):
            response = c.get(reverse(name, args=[meeting.pk]))
        assert response.status_code == 200


def test_scheduling_query_count_is_bounded(
    world: World, django_assert_max_num_queries: Any
) -> None:
    """The agenda and attendance list are built set-based: no query per member."""
    cell = _big_cell(world, 60)
    world.users["secretary"]._kiemdiem_grants = None  # type: ignore[attr-defined]
    with django_assert_max_num_queries(20):
        schedule(world, cell)
