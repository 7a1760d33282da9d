"""Issue 5, Done when: a whole online ballot for a demo cell. The demo's Chi bộ xóm 1 (50
members) meets under the commune's plan; its secretary opens the ballot from the meeting on a
phone, freezes the roll and prints the codes; several voters vote from their own phone
sessions by the slip's QR link, the rest from the phone app's API; the secretary closes and
counts; the levels on the counting page equal the rule engine's over the same box, roll and
facts (000 §1.4.3: 70 / 60 / 50 / 50 % of the voters present; official members present vote,
probationary and temporarily attached members do not)."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from kiemdiem.ballots import results, services
from kiemdiem.ballots.counting import count
from kiemdiem.ballots.models import Ballot
from kiemdiem.cycles.services import open_cycle
from kiemdiem.meetings.models import AttendanceStatus
from kiemdiem.meetings.services import Mark, record_attendance, schedule_meeting
from kiemdiem.org.models import Organization
from kiemdiem.rules import profile_from_dict
from tests.ballots.paper_helpers import facts_by_hand
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)
VN = ZoneInfo("Asia/Ho_Chi_Minh")
IN_BROWSER = 6
CHOICES = ["HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTNV", "HTTNV", "HTXSNV"]


def _meeting() -> Any:
    users = get_user_model().objects
    office, secretary = users.get(username="vanphong"), users.get(username="bithu.xom1")
    commune = Organization.objects.get(code="TL")
    cell = Organization.objects.get(name="Chi bộ xóm 1")
    plan = open_cycle(
        office, commune, year=2026, title="Kế hoạch kiểm điểm năm 2026",
        number_symbol="52-KH/ĐU", issued_on=dt.date(2026, 10, 25),
        profile_id="thanhlien-2023", template_id="thanhlien-2023",
        reference_date=dt.date(2026, 11, 20),
    )  # fmt: skip
    at = dt.datetime(2026, 11, 24, 7, 30, tzinfo=VN)
    meeting, _ = schedule_meeting(secretary, plan, cell, at, place="Nhà văn hóa xóm 1")
    rows = list(meeting.attendance.order_by("member__sort_key"))
    marks = {r.member_id: Mark(AttendanceStatus.PRESENT) for r in rows}
    for r in rows[:2]:  # two away with a reason: they do not vote
        marks[r.member_id] = Mark(AttendanceStatus.ABSENT_WITH_REASON, "Đi làm ăn xa")
    record_attendance(secretary, meeting, marks)
    return meeting


def _api_vote(base: str, ballot_id: int, code: str, marks: dict[str, str]) -> dict[str, Any]:
    body = json.dumps({"code": code, "marks": marks}).encode()
    req = urllib.request.Request(
        f"{base}/api/v1/ballots/{ballot_id}/vote", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        answer: dict[str, Any] = json.loads(resp.read())
    return answer


def test_demo_cell_votes_online_and_the_count_equals_the_rule_engine(
    browser: Any, phone: Any, live_server: Any
) -> None:
    call_command("demo", verbosity=0)
    meeting = _meeting()
    login(phone, live_server, "bithu.xom1", "kiemdiem2025")
    phone.goto(f"{live_server.url}/hoi-nghi/{meeting.pk}/")
    phone.click("button:has-text('Bỏ phiếu kín trực tuyến')")
    phone.wait_for_selector("text=Danh sách cử tri")
    ballot = Ballot.objects.get(meeting=meeting)
    roll = {r.name: r for r in ballot.roll.select_related("member")}
    # Who may not vote is shown, with the reason, before voting starts.
    barred = [r for r in roll.values() if not r.may_vote]
    assert {r.why for r in barred} >= {"vắng mặt"}
    assert all(phone.locator(f"text={r.why}").count() >= 1 for r in barred)
    phone.click("button:has-text('Chốt danh sách, phát mã, mở bỏ phiếu')")
    phone.click("button:has-text('Đồng ý, mở bỏ phiếu')")  # a confirmed step (issue 12)
    slips = [s.inner_text().split(": ")[-1] for s in phone.locator(".slips li").all()]
    # The ban kiểm phiếu copy their key shares from the same page (issue 12 §3).
    shares = [s.inner_text().split(": ")[-1] for s in phone.locator(".shares li").all()]
    assert len(slips) == sum(r.may_vote for r in roll.values()) > 30
    keys = list(ballot.candidates.values_list("key", flat=True))
    assert len(keys) > 40

    def choice(n: int, i: int) -> str:
        """Voter n's mark for candidate i: every tenth candidate excellent on 6 papers in 7."""
        if i % 10 == 0 and n % 7:
            return "HTXSNV"
        return CHOICES[(n + i) % len(CHOICES)]

    def marks_of(n: int) -> dict[str, str]:
        return {k: choice(n, i) for i, k in enumerate(keys)}

    for n, code in enumerate(slips[:IN_BROWSER]):
        voter = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        voter.goto(f"{live_server.url}/bo-phieu/{ballot.pk}/phieu/#code={code}")
        for key, mark in marks_of(n).items():
            voter.check(f"input[name=c_{key}][value={mark}]")
        voter.click("button:has-text('Bỏ phiếu')")
        assert voter.locator(".receipt").inner_text()
        voter.context.close()
    for n, code in enumerate(slips[IN_BROWSER:], start=IN_BROWSER):
        assert _api_vote(live_server.url, ballot.pk, code, marks_of(n))["counted"]
    assert not _api_vote(live_server.url, ballot.pk, slips[-1], marks_of(0))["counted"]

    phone.reload()
    assert phone.locator(".stat-main .n").inner_text() == f"{len(slips)}/{len(slips)}"
    phone.click("button:has-text('Đóng bỏ phiếu (không mở lại được)')")
    phone.click("button:has-text('Vẫn đóng bỏ phiếu')")  # a confirmed step (issue 12)
    phone.wait_for_selector("text=Mở hòm phiếu niêm phong")
    for n, share in enumerate(shares[: len(phone.locator("input[name^=share_]").all())], 1):
        phone.fill(f"input[name=share_{n}]", share)
    phone.click("button:has-text('Mở hòm phiếu và kiểm phiếu')")
    phone.wait_for_selector("text=Kết quả kiểm phiếu")
    ballot.refresh_from_db()
    assert services.verify(ballot) == []
    counted = services.counts(ballot)
    for i, key in enumerate(keys[:3]):
        expected = [choice(n, i) for n in range(len(slips))]
        assert counted.row(key)["HTXSNV"] == expected.count("HTXSNV")

    phone.click("text=Kết quả theo bộ quy tắc, biên bản kiểm phiếu")
    phone.wait_for_selector("h1:has-text('Kết quả kiểm phiếu')")
    profile = profile_from_dict(meeting.cycle.profile_snapshot)
    absent = {r.member_id for r in roll.values() if r.why == "vắng mặt"}
    facts = facts_by_hand(ballot.candidates.select_related("member"), absent)
    engine = count(
        [counted], facts, results.roll_of(ballot), profile, as_of=meeting.cycle.reference_date
    )
    assert {c.level.name for c in engine.candidates if c.level} >= {"HTXSNV", "HTTNV"}
    for c in engine.candidates:
        level = phone.locator(f"[data-key='{c.key}'] .level").get_attribute("data-level")
        assert level == (c.level.name if c.level else ""), c.name
