"""Issue 4, Done when: the secretary of Chi bộ xóm 1 of the demo takes the cell from the
committee's opened plan to a held meeting with minutes, entirely in the browser on a phone
(390×844), by clicking from the home page:

the cell's plan implementing the committee's (a deadline may only be tightened: 000 §II.3,
003 §V) → the subjects of review (000 §1.4.1a, §2.2) → the comment requests (000 §1.4.1b) →
a self-review entered for a member who cannot use a computer (Mẫu 02) → progress → the review
meeting: agenda in the required order (000 "Chương trình hội nghị"), attendance, the minutes
item by item, marked held.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from kiemdiem.cycles import services
from kiemdiem.cycles.models import Cycle, Subject
from kiemdiem.feedback.models import FeedbackRequest, Status
from kiemdiem.feedback.services import create_requests
from kiemdiem.meetings.models import Meeting, MeetingStatus, MinutesEntry
from kiemdiem.org.models import Organization
from kiemdiem.reviews.models import ReviewStatus, SelfReview
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

# Fills every field of a self-review the way a careful secretary would from the member's
# handwritten paper: each text section, each of the 27 manifestations, each criterion, each
# score up to its maximum, and the proposed level.
FILL_PAPER = """() => {
  const form = document.querySelector('#rv-form');
  form.querySelectorAll('textarea').forEach(t => { t.value = 'Nội dung theo bản viết tay'; });
  const groups = {};
  form.querySelectorAll('input[type=radio]').forEach(r => { (groups[r.name] ||= []).push(r); });
  for (const radios of Object.values(groups)) {
    (radios.find(r => r.value === 'tot') || radios[0]).checked = true;
  }
  // Each score at the criterion's maximum, read from the row's "Tối đa" cell.
  form.querySelectorAll('input[name^=p_]').forEach(i => {
    i.value = i.closest('tr').children[1].textContent.trim();
  });
  const level = form.querySelector('select[name=self_level]');
  if (level) level.value = 'HTTNV';
}"""


FILL_ANSWER = """() => {
  const form = document.querySelector('form.feedback-form');
  const seen = new Set();
  form.querySelectorAll('input[type=radio]').forEach(r => {
    if (!seen.has(r.name)) { r.checked = true; seen.add(r.name); }
  });
  form.querySelectorAll('textarea').forEach(t => { t.value = 'Gương mẫu nơi cư trú.'; });
  form.querySelectorAll('input[type=text]').forEach(i => {
    if (!i.value) i.value = 'Nguyễn Văn Bí thư';
  });
}"""


def fits(page: Any) -> None:
    page.wait_for_load_state()  # after a click that navigates, measure the new page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def test_secretary_takes_a_demo_cell_from_plan_to_held_meeting(
    phone: Any, live_server: Any, tmp_path: Any
) -> None:
    call_command("demo", verbosity=0)
    office = get_user_model().objects.get(username="vanphong")
    commune = Organization.objects.get(name="Đảng bộ xã Thanh Liên")
    today = timezone.localdate()
    plan = services.open_cycle(
        office, commune, year=today.year, title=f"Kế hoạch kiểm điểm năm {today.year}",
        number_symbol="52-KH/ĐU", issued_on=today - dt.timedelta(days=20),
        profile_id="qd366-2025", template_id="thanhlien-2023",
    )  # fmt: skip
    create_requests(office, plan, due_on=today + dt.timedelta(days=5))
    phone.set_default_timeout(20_000)
    login(phone, live_server, "bithu.xom1", "kiemdiem2025")
    fits(phone)

    # The cell's own plan, implementing the committee's.
    phone.click("nav >> text=Kế hoạch")
    phone.click(f"a:has-text('{plan.title}')")
    fits(phone)
    phone.click("text=Lập kế hoạch cấp dưới")
    phone.select_option("#id_organization", label="Chi bộ xóm 1")
    phone.fill("#id_number_symbol", "05-KH/CB")
    phone.click("button:has-text('Lập kế hoạch')")
    phone.wait_for_selector("text=Đã lập kế hoạch của Chi bộ xóm 1")
    cell_plan = Cycle.objects.get(parent=plan)
    fits(phone)
    # A deadline may be tightened, never loosened (000 §II.3: the cell works inside the
    # committee's dates).
    last = cell_plan.steps.order_by("-order").first()
    assert last is not None
    phone.click(f"tr:has-text('{last.title[:30]}') >> text=Sửa")
    phone.fill("#id_ends_on", (last.ends_on + dt.timedelta(days=3)).isoformat())
    phone.click("main button[type=submit]")
    phone.wait_for_selector(".errors, .errorlist")
    phone.fill("#id_ends_on", (last.ends_on - dt.timedelta(days=1)).isoformat())
    phone.click("main button[type=submit]")
    phone.wait_for_selector("text=Đã cập nhật thời gian của bước")

    # Who is reviewed here.
    phone.click("text=Đối tượng kiểm điểm")
    phone.click("button:has-text('Lập lại danh sách')")
    phone.wait_for_load_state()
    fits(phone)
    assert Subject.objects.filter(cycle=cell_plan).count() >= 40

    # Comments travel organization to organization (000 §1.4.1b): the committee asked for
    # the residence comments (Mẫu 03); xóm 1, where those members live, answers its share.
    phone.click("nav >> text=Nhận xét gửi đến")
    fits(phone)
    phone.locator("table a").first.click()
    fits(phone)
    phone.evaluate(FILL_ANSWER)
    phone.click("button:has-text('Gửi nhận xét')")
    phone.wait_for_load_state()
    assert (
        FeedbackRequest.objects.filter(
            to_organization__name="Chi bộ xóm 1", status=Status.ANSWERED
        ).count()
        == 1
    )

    # A member who cannot use a computer: the secretary enters the paper for them.
    phone.click("nav >> text=Tự kiểm điểm")
    cells = "section:has-text('Bản kiểm điểm của chi bộ')"
    phone.click(f"{cells} a:has-text('{cell_plan.number_symbol}')")
    fits(phone)
    phone.locator("text=Nhập hộ").first.click()
    fits(phone)
    phone.evaluate(FILL_PAPER)
    phone.click("button:has-text('Nộp bản kiểm điểm')")
    phone.wait_for_selector("text=Đã nộp bản kiểm điểm")
    paper = SelfReview.objects.get(cycle=cell_plan)
    assert paper.status == ReviewStatus.SUBMITTED
    assert paper.entered_by is not None and paper.entered_by.username == "bithu.xom1"

    # Progress of the cell's plan shows the paper in.
    phone.goto(f"{live_server.url}/")
    phone.click("nav >> text=Kế hoạch")
    phone.click("a:has-text('05-KH/CB'), tr:has-text('05-KH/CB') a")
    phone.click("text=Tiến độ")
    assert "1/" in phone.locator(".meter-big").first.inner_text()
    fits(phone)

    # The review meeting: scheduled (yesterday, so it can be marked held now), attendance,
    # then the minutes of every item in the agenda's order.
    phone.click(".kicker a")
    phone.click("text=Hội nghị kiểm điểm")
    phone.click("text=Lên lịch hội nghị")
    phone.fill("#id_day", (today - dt.timedelta(days=1)).isoformat())
    phone.fill("#id_place", "Nhà văn hóa xóm 1")
    phone.click("button:has-text('Lên lịch và lập chương trình')")
    phone.wait_for_selector("text=Lưu điểm danh")
    fits(phone)
    phone.click("button:has-text('Lưu điểm danh')")
    meeting = Meeting.objects.get(cycle=cell_plan)
    items = list(meeting.items.order_by("order"))
    phone.screenshot(path=str(tmp_path / "meeting.png"), full_page=True)
    phone.click(f"a[href$='/muc/{items[0].pk}/']")
    for _ in items:
        fits(phone)
        for area in phone.locator("form.minutes textarea").all():
            area.fill("Đã trình bày, hội nghị thảo luận và thống nhất.")
        phone.click("button:has-text('Lưu và sang mục sau')")
        phone.wait_for_load_state()
        if "/muc/" not in phone.url:
            break
    assert MinutesEntry.objects.filter(item__meeting=meeting).count() == len(items)
    phone.click("button:has-text('Đã họp')")
    phone.wait_for_selector("button:has-text('Kết thúc')")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.attendance.count() >= 40
