"""Issue 5: an online secret ballot in the room — the secretary opens it from the meeting,
freezes the roll and prints the codes (each slip with a QR, and a projector showing one at
a time); voters open the QR's URL on their phones, the code filled from the fragment and
never sent in a URL (one retries after a dropped connection and is counted once); the
secretary sees only k of n, closes, and the counts equal the box; every receipt is
published; the counting page's levels equal the rule engine's and the biên bản carries the
chain head."""

from __future__ import annotations

from typing import Any

import pytest

from kiemdiem.ballots import results, services
from kiemdiem.ballots.counting import count, percent
from kiemdiem.ballots.models import Ballot, BallotStatus
from kiemdiem.rules import profile_from_dict
from tests.ballots.docx_text import all_text, open_docx
from tests.ballots.paper_helpers import facts_by_hand
from tests.conftest import World
from tests.e2e.conftest import login
from tests.meetings.helpers import ready_cell, schedule

pytestmark = pytest.mark.django_db(transaction=True)


def fits(page: Any) -> None:
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def test_online_ballot_in_the_room(
    browser: Any, phone: Any, live_server: Any, world: World, tmp_path: Any
) -> None:
    meeting = schedule(world, ready_cell(world))
    login(phone, live_server, "secretary", "x-pass-123")
    phone.goto(f"{live_server.url}/hoi-nghi/{meeting.pk}/")
    phone.click("button:has-text('Bỏ phiếu kín trực tuyến')")
    phone.wait_for_selector("text=Danh sách cử tri")
    phone.click("button:has-text('Chốt danh sách, phát mã, mở bỏ phiếu')")
    phone.click("button:has-text('Đồng ý, mở bỏ phiếu')")  # a confirmed step (issue 12)
    slips = [s.inner_text().split(": ")[-1] for s in phone.locator(".slips li").all()]
    # The ban kiểm phiếu copy their key shares from the same page (issue 12 §3).
    shares = [s.inner_text().split(": ")[-1] for s in phone.locator(".shares li").all()]
    ballot = Ballot.objects.get(meeting=meeting)
    assert ballot.status == BallotStatus.OPEN and len(slips) >= 5
    choices = ["HTXSNV", "HTTNV", "HTTNV", "HTNV", "HTTNV", "HTTNV", "HTTNV"]
    receipts = []
    assert phone.locator(".slips li svg.qr").count() == len(slips)
    fits(phone)
    phone.screenshot(path=str(tmp_path / "slips.png"), full_page=True)
    phone.click("text=Chiếu mã lên màn hình, từng người một")
    assert phone.locator(".proj-slide:visible").count() == 1
    assert phone.locator(".proj-slide:visible .mono").inner_text() == slips[0]
    phone.click("text=Người tiếp theo")
    assert phone.locator(".proj-slide:visible .mono").inner_text() == slips[1]
    phone.screenshot(path=str(tmp_path / "projector.png"))
    phone.click("text=Đóng màn hình chiếu")
    sent: list[str] = []
    for n, code in enumerate(slips):
        voter = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        voter.on("request", lambda r: sent.append(r.url + " " + (r.headers.get("referer") or "")))
        # As the slip's QR opens it: the code in the fragment fills the field, and leaves
        # the address bar; the browser never sends it (no access log can hold it).
        voter.goto(f"{live_server.url}/bo-phieu/{ballot.pk}/phieu/#code={code}")
        assert voter.input_value("#code") == code
        assert voter.evaluate("location.hash") == ""
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
    assert sent and not any(code in url for url in sent for code in slips)
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
    assert sorted(p.split()[0] for p in published) == sorted(receipts)  # short receipts (issue 12)

    # The counting page: the rule engine over the closed box, the biên bản with the head.
    phone.go_back()
    phone.click("text=Kết quả theo bộ quy tắc, biên bản kiểm phiếu")
    phone.wait_for_selector("h1:has-text('Kết quả kiểm phiếu')")
    fits(phone)
    phone.fill("#committee", "Phạm Thị Hà\nNguyễn Thị Yến")
    phone.click("button:has-text('Lưu Ban kiểm phiếu')")
    phone.wait_for_selector("text=Đã lưu Ban kiểm phiếu")
    roll = results.roll_of(ballot)
    profile = profile_from_dict(meeting.cycle.profile_snapshot)
    facts = facts_by_hand(ballot.candidates.all(), set())
    expected = count([counted], facts, roll, profile, as_of=meeting.cycle.reference_date)
    for c in expected.candidates:
        level = phone.locator(f"[data-key='{c.key}'] .level").get_attribute("data-level")
        assert level == (c.level.name if c.level else ""), c.name
    with phone.expect_download() as got:
        phone.click("text=Tải biên bản kiểm phiếu (Word)")
    with open(got.value.path(), "rb") as f:
        text = all_text(open_docx(f.read()))
    assert ballot.head in text and f"hòm phiếu có {len(slips)} phiếu" in text
    assert "Đồng chí Nguyễn Thị Yến — Thành viên;" in text
    httnv = expected.candidates[0].shares_base["HTTNV"]
    assert percent(httnv) in text
