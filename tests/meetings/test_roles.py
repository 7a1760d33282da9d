"""Issue #11 "the people of a meeting": the chair, the secretary and the ban kiểm phiếu
(head first) are chosen from those present and recorded on the meeting (audited); the
meeting page says what the papers still lack; the biên bản kiểm phiếu is printed in the
meeting's local time (Asia/Ho_Chi_Minh) with that committee (research notes on HD 12-HD/TW:
the biên bản names the ban kiểm phiếu)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kiemdiem.audit.models import AuditEntry
from kiemdiem.meetings import roles
from kiemdiem.meetings import services as s
from kiemdiem.meetings.headcount import committee_names, meeting_headcount
from kiemdiem.meetings.models import AttendanceStatus
from tests.conftest import World
from tests.meetings.helpers import ready_cell, schedule

pytestmark = pytest.mark.django_db


def test_people_are_chosen_among_those_present_and_audited(world: World) -> None:
    cell = ready_cell(world)
    meeting = schedule(world, cell)
    p = cell.people
    user = world.users["secretary"]
    s.record_attendance(user, meeting, {p["an"].pk: s.Mark(AttendanceStatus.ABSENT, "")})
    assert roles.missing_people(meeting) == [
        "đồng chí chủ trì", "thư ký hội nghị", "Trưởng ban kiểm phiếu",
        "thành viên Ban kiểm phiếu",
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="không có mặt tại hội nghị"):
        roles.set_people(user, meeting, chair=cell.head, secretary=cell.deputy,
                         count_head=p["an"], counters=[p["binh"]])  # fmt: skip
    meeting.refresh_from_db()
    assert meeting.chair_id is None and not meeting.counters.exists()  # nothing changed
    with pytest.raises(ValidationError, match="hai đồng chí khác nhau"):
        roles.set_people(user, meeting, chair=cell.head, secretary=cell.head,
                         count_head=p["binh"], counters=[])  # fmt: skip
    roles.set_people(user, meeting, chair=cell.head, secretary=cell.deputy,
                     count_head=p["binh"], counters=[cell.officer, p["guest"]])  # fmt: skip
    meeting.refresh_from_db()
    assert (meeting.chair_id, meeting.secretary_id) == (cell.head.pk, cell.deputy.pk)
    names = committee_names(meeting)
    assert names[0] == p["binh"].full_name and len(names) == 3
    assert roles.missing_people(meeting) == []
    assert AuditEntry.objects.filter(action="meeting_people", object_id=str(meeting.pk)).exists()


def test_the_page_names_what_is_missing_and_saves_the_people(world: World) -> None:
    cell = ready_cell(world)
    meeting = schedule(world, cell)
    client = Client()
    client.force_login(world.users["secretary"])
    url = reverse("meeting_detail", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "còn thiếu đồng chí chủ trì, thư ký hội nghị, Trưởng ban kiểm phiếu" in page
    hc = meeting_headcount(meeting)
    assert f'<span class="n">{hc.present}/{hc.summoned}</span>' in page
    save = reverse("meeting_people", args=[meeting.pk])
    bad = client.post(save, {"chair": "x", "secretary": "", "count_head": ""}, follow=True)
    assert "Chọn đồng chí trong danh sách có mặt." in bad.content.decode()
    p = cell.people
    client.post(save, {"chair": cell.head.pk, "secretary": cell.deputy.pk,
                       "count_head": p["an"].pk, "counters": [p["binh"].pk]})  # fmt: skip
    meeting.refresh_from_db()
    assert committee_names(meeting) == [p["an"].full_name, p["binh"].full_name]
    page = client.get(url).content.decode()
    assert "còn thiếu" not in page and f"{p['an'].full_name}</strong> (Trưởng ban)" in page
