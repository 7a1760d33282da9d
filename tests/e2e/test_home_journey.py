"""The first real screen (issue 2 §6), in a real browser: log in, see one's part of the
tree, open the member list, search without diacritics, open a member; on a phone too."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import World
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_committee_clerk_browses_the_tree(desk: Any, live_server: Any, world: World) -> None:
    login(desk, live_server, "clerk", "x-pass-123")
    assert desk.locator("h1").inner_text() == "Đảng bộ xã A"
    assert desk.locator(".stat-main .n").inner_text() == "3"
    desk.click("text=Danh sách đảng viên")
    desk.fill("input[name=q]", "tran thi binh")
    desk.click("button:has-text('Lọc')")
    rows = desk.locator("table.members tbody tr")
    assert rows.count() == 1
    desk.click("text=Trần Thị Bình")
    assert desk.locator("h1").inner_text() == "Trần Thị Bình"


def test_member_sees_only_their_record_on_a_phone(
    phone: Any, live_server: Any, world: World
) -> None:
    login(phone, live_server, "member", "x-pass-123")
    assert phone.locator("h1").inner_text() == "Nguyễn Văn An"
    # Nothing of the tree: the organization page of the commune is not there for a member.
    response = phone.goto(f"{live_server.url}/to-chuc/{world.orgs['commune'].pk}/")
    assert response.status == 404
    # The page fits the phone: no horizontal scrolling.
    phone.goto(f"{live_server.url}/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_wrong_password_gets_a_vietnamese_message(
    desk: Any, live_server: Any, world: World
) -> None:
    login(desk, live_server, "clerk", "sai-mat-khau")
    assert "không đúng" in desk.locator(".errors").inner_text()
