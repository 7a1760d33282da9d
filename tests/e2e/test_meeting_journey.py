"""A cell secretary runs the review meeting on a phone (390×844): schedule it, take attendance
with the big toggles, write the minutes of the head's review, mark it held and close it."""

from __future__ import annotations

from typing import Any

import pytest

from kiemdiem.meetings.models import Meeting, MeetingStatus, MinutesEntry
from tests.conftest import World
from tests.e2e.conftest import login
from tests.meetings.helpers import ready_cell

pytestmark = pytest.mark.django_db(transaction=True)


def fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_secretary_runs_the_meeting_on_a_phone(
    phone: Any, live_server: Any, world: World, tmp_path: Any
) -> None:
    cell = ready_cell(world)
    login(phone, live_server, "secretary", "x-pass-123")
    phone.goto(f"{live_server.url}/ky/{cell.cycle.pk}/hoi-nghi/")
    fits(phone)
    phone.click("text=Lên lịch hội nghị")
    phone.fill("#id_day", "2020-11-20")  # in the past, so it can be marked held now
    phone.fill("#id_place", "Nhà văn hóa xóm 1")
    phone.click("button:has-text('Lên lịch và lập chương trình')")
    assert phone.locator(".stat-main .n").inner_text() == "6/6"
    fits(phone)
    assert phone.locator("text=Chủ trì: Nguyễn Thị Yến").count() == 1

    an = cell.people["an"]
    phone.click("fieldset:has-text('Nguyễn Văn An') label.t-absent_reason")
    phone.fill(f"input[name=r{an.pk}]", "Đi công tác")
    phone.click("button:has-text('Lưu điểm danh')")
    assert phone.locator(".stat-main .n").inner_text() == "5/6"
    phone.screenshot(path=str(tmp_path / "meeting.png"), full_page=True)

    phone.click("text=Kiểm điểm đồng chí Phạm Thị Hà")
    fits(phone)
    phone.fill("#id_strengths", "Sâu sát cơ sở")
    phone.fill("#id_conclusion", "Hoàn thành tốt nhiệm vụ")
    phone.click("button:has-text('Lưu và sang mục sau')")
    assert "Nguyễn Thị Yến" in phone.locator("h1").inner_text()
    assert MinutesEntry.objects.get(item__subject_member=cell.head).strengths == "Sâu sát cơ sở"

    phone.click(".kicker a")
    phone.click("button:has-text('Đã họp')")
    phone.click("button:has-text('Kết thúc')")
    assert Meeting.objects.get().status == MeetingStatus.CLOSED
    assert phone.locator("button:has-text('Mở lại')").count() == 1
