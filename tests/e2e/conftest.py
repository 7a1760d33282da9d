"""Browser tests: Playwright driving Debian's chromium against Django's live server.

`make test` on a machine without chromium skips them with a message; `.ci/run` installs
chromium and sets KIEMDIEM_REQUIRE_BROWSER=1, so there a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("KIEMDIEM_REQUIRE_BROWSER") == "1":
            pytest.fail("Không tìm thấy chromium, nhưng CI yêu cầu chạy kiểm thử trình duyệt.")
        pytest.skip(
            "chromium chưa được cài (apt-get install chromium); bỏ qua kiểm thử trình duyệt"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs its own event loop; Django must allow sync DB calls beside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A page the size of a phone, as a cell secretary would hold it."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="vi-VN")
    page = context.new_page()
    # 30 s: CI runs the SQLite and PostgreSQL legs at once, so a dossier's zip can take a while.
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def desk(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def login(page: Any, live_server: Any, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
