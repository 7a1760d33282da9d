"""Issue 5 §6 in a real browser: on a phone, a member makes a personal API token from the user
menu, sees it once, and it works; the API's docs page renders from the package's own files,
with not one request leaving the server (intranets have no internet, design.md principle 9)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.api.conftest import Api
from tests.conftest import World
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_makes_a_token_on_a_phone(phone: Any, live_server: Any, world: World) -> None:
    login(phone, live_server, "member", "x-pass-123")
    phone.click("text=Khóa truy cập API")
    assert phone.locator("h1").inner_text() == "Khóa truy cập API"
    phone.fill("#id_name", "Điện thoại của tôi")
    phone.click("button:has-text('Tạo khóa')")
    token = phone.locator("#khoa-moi input").input_value()
    assert re.fullmatch(r"kd_[A-Za-z0-9_-]{43}", token)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert Api(token).get("/me").json()["username"] == "member"
    phone.goto(f"{live_server.url}/tai-khoan/khoa-api/")
    assert token not in phone.content()
    phone.click("button:has-text('Thu hồi')")
    assert "Đã thu hồi khóa “Điện thoại của tôi”" in phone.locator(".messages").inner_text()
    assert Api(token).get("/me").status_code == 401


def test_the_docs_page_renders_offline(desk: Any, live_server: Any, world: World) -> None:
    requested: list[str] = []
    desk.on("request", lambda r: requested.append(r.url))
    login(desk, live_server, "clerk", "x-pass-123")
    desk.goto(f"{live_server.url}/api/v1/docs")
    desk.wait_for_selector(".swagger-ui .info .title")
    assert "kiemdiem API" in desk.locator(".swagger-ui .info .title").inner_text()
    # Every operation is listed, the Vietnamese summaries included.
    desk.wait_for_selector("text=Bỏ phiếu bằng mã một lần")
    assert desk.locator(".opblock").count() >= 29
    host = urlparse(live_server.url).netloc
    outside = [u for u in requested if urlparse(u).scheme in ("http", "https")
               and urlparse(u).netloc != host]  # fmt: skip
    assert outside == [], outside
