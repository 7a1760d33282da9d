"""Issue 5: an online secret ballot in the room — the secretary opens it from the meeting,
freezes the roll and prints the codes; voters vote on their phones (one retries after a
dropped connection and is counted once); the secretary sees only k of n, closes, and the
counts equal the box; every receipt is published."""

from __future__ import annotations

from typing import Any

import pytest

from kiemdiem.ballots import services
from kiemdiem.ballots.models import Ballot, BallotStatus
from tests.conftest import World
from tests.e2e.conftest import login
from tests.meetings.helpers import ready_cell, schedule

pytestmark = pytest.mark.django_db(transaction=True)


def test_online_ballot_in_the_room(
    browser: Any, phone: Any, live_server: Any, world: World
) -> None:
    meeting = schedule(world, ready_cell(world))
    login(phone, live_server, "secretary", "x-pass-123")
    phone.goto(f"{live_server.url}/hoi-nghi/{meeting.pk}/")
    phone.click("button:has-text('Bỏ phiếu kín trực tuyến')")
    phone.wait_for_selector("text=Danh sách cử tri")
    phone.click("button:has-text('Chốt danh sách, phát mã, mở bỏ phiếu')")
    slips = [s.inner_text().split(": ")[-1] for s in phone.locator(".slips li").all()]
    ballot = Ballot.objects.get(meeting=meeting)
    assert ballot.status == BallotStatus.OPEN and len(slips) >= 5
    choices = ["HTXSNV", "HTTNV", "HTTNV", "HTNV", "HTTNV", "HTTNV", "HTTNV"]
    receipts = []
    for n, code in enumerate(slips):
        voter = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        voter.goto(f"{live_server.url}/bo-phieu/{ballot.pk}/phieu/")
        voter.fill("#code", code)
        for c in ballot.candidates.all():
            voter.check(f"input[name=c_{c.key}][value={choices[n % len(choices)]}]")
        voter.click("button:has-text('Bỏ phiếu')")
        receipts.append(voter.locator(".receipt").inner_text())
        if n == 0:  # the phone lost the answer and sends again: counted once
            voter.go_back()
            voter.fill("#code", code)
            voter.click("button:has-text('Bỏ phiếu')")
            voter.wait_for_selector("text=Mã này đã bỏ phiếu")
        voter.context.close()
    phone.reload()
    assert phone.locator(".stat-main .n").inner_text() == f"{len(slips)}/{len(slips)}"
    phone.click("button:has-text('Đóng bỏ phiếu')")
    phone.wait_for_selector("text=Kết quả kiểm phiếu")
    ballot.refresh_from_db()
    counted = services.counts(ballot)
    first = ballot.candidates.first()
    assert first is not None
    expected = [choices[n % len(choices)] for n in range(len(slips))]
    assert counted.row(first.key)["HTTNV"] == expected.count("HTTNV")
    row = phone.locator(f"tr:has-text('{first.name}') td.num").all_inner_texts()
    assert row[:4] == [str(expected.count(k)) for k in ("HTXSNV", "HTTNV", "HTNV", "KHTNV")]
    assert services.verify(ballot) == []
    phone.click("text=Danh sách biên nhận")
    published = phone.locator(".receipts li").all_inner_texts()
    assert sorted(published) == sorted(receipts)
