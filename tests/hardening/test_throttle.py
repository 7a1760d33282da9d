"""A brake on guessing (issue 13 §2): after AXES_FAILURE_LIMIT wrong passwords for one account,
or from one address, sign-in is refused for the cool-down with a Vietnamese page (status 429),
even with the right password; the lockout is audited and `axes_reset` lifts it. Wrong API
tokens count per address the same way: then 429 in Vietnamese JSON, the token not looked at."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from kiemdiem.api import tokens
from kiemdiem.audit.models import AuditEntry
from tests.builders import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/dang-nhap/"
RIGHT = "x-pass-123"
LOCKED_TEXT = "Đăng nhập bị tạm khóa vì nhập sai quá"


def _client(address: str = "10.0.0.1") -> Client:
    return Client(REMOTE_ADDR=address)


def _sign_in(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def _signed_in(response: Any) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def test_wrong_passwords_lock_the_account_even_with_the_right_one() -> None:
    """Issue 13 §2: N wrong passwords, then the right one is refused with the Vietnamese page."""
    make_user("vanphong")
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(1, limit):
        response = _sign_in(_client(f"10.0.1.{attempt}"), "vanphong", "sai")
        assert response.status_code == 200, attempt  # the login form again
    locked = _sign_in(_client("10.0.1.99"), "vanphong", "sai")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert LOCKED_TEXT in page and "15 phút" in page
    assert 'class="topbar"' in page  # the site's layout
    # Another address, the right password: still refused while the account is locked.
    again = _sign_in(_client("10.0.2.1"), "vanphong", RIGHT)
    assert again.status_code == 429 and not _signed_in(again)


def test_a_lockout_is_audited_once() -> None:
    """Issue 13 §2: one audit row when the lockout starts, none per refused attempt after it."""
    user = make_user("vanphong")
    client = _client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        _sign_in(client, "vanphong", "sai")
    rows = AuditEntry.objects.filter(action="lockout")
    assert rows.count() == 1
    row = rows.get()
    assert (row.object_type, row.object_id) == ("auth.user", str(user.pk))
    assert "vanphong" in row.summary and "10.0.0.1" in row.summary
    assert "sai" not in str(row.new)  # the passwords typed are not kept


def test_axes_reset_unlocks() -> None:
    """Issue 13 §2: the operator's `axes_reset` (and `axes_reset_username`) lift the lockout."""
    make_user("vanphong")
    client = _client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "vanphong", "sai")
    assert _sign_in(client, "vanphong", RIGHT).status_code == 429
    call_command("axes_reset_username", "vanphong")
    call_command("axes_reset")
    assert not AccessAttempt.objects.exists()
    assert _signed_in(_sign_in(client, "vanphong", RIGHT))


def test_the_lockout_ends_after_the_cool_down() -> None:
    """Issue 13 §2: the cool-down is the page's promise: after it the right password works."""
    make_user("vanphong")
    client = _client()
    with time_machine.travel("2026-03-01 08:00 +0700", tick=False) as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _sign_in(client, "vanphong", "sai")
        clock.shift(settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1))
        assert _sign_in(client, "vanphong", RIGHT).status_code == 429
        clock.shift(dt.timedelta(minutes=2))
        assert _signed_in(_sign_in(client, "vanphong", RIGHT))


def test_one_address_guessing_many_accounts_is_locked() -> None:
    """Issue 13 §2, per address: wrong passwords for different accounts from one address."""
    make_user("clerk")
    client = _client("10.9.9.9")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, f"doan-{n}", "sai")
    locked = _sign_in(client, "clerk", RIGHT)
    assert locked.status_code == 429 and LOCKED_TEXT in locked.content.decode()
    # The account itself is not locked: from another address it signs in.
    assert _signed_in(_sign_in(_client("10.9.9.10"), "clerk", RIGHT))


def test_the_lockout_page_passes_the_content_security_policy() -> None:
    """Issue 13 §2 and §3: the lockout page has no inline script or style either."""
    client = _client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in(client, "vanphong", "sai")
    page = response.content.decode()
    assert "Content-Security-Policy" in response
    assert "style=" not in page and "<script>" not in page


def _me(address: str, token: str) -> Any:
    return _client(address).get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def test_wrong_api_tokens_from_one_address_get_429_in_vietnamese() -> None:
    """Issue 13 §2: N wrong tokens from one address, then 429 JSON before any token is checked;
    a right token from another address still works."""
    user = make_user("member")
    _, right = tokens.create_token(None, user, "điện thoại")
    wrong = "kd_" + "x" * 43
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _me("10.0.5.5", wrong).status_code == 401
    locked = _me("10.0.5.5", wrong)
    assert locked.status_code == 429
    body = locked.json()
    assert "khóa truy cập API" in body["detail"] and "15 phút" in body["detail"]
    assert body["errors"] == []
    # The right token from the locked address is refused too: it is not even looked up.
    assert _me("10.0.5.5", right).status_code == 429
    assert _me("10.0.5.6", right).status_code == 200
    assert AuditEntry.objects.filter(action="lockout", new__api=True).count() == 1


def test_no_token_or_password_in_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Issue 13 §2 and §6: lockouts leave no password or token in any log line."""
    make_user("vanphong")
    wrong = "kd_" + "y" * 43
    with caplog.at_level("DEBUG"):
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            _sign_in(_client(), "vanphong", "mat-khau-sai-9")
            _me("10.0.7.7", wrong)
    text = caplog.text
    assert "mat-khau-sai-9" not in text and wrong not in text


def test_the_admin_lists_and_deletes_lockouts() -> None:
    """Issue 13 §2: the operator unlocks in the admin too (axes' own access-attempt list)."""
    client = _client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "vanphong", "sai")
    admin = Client()
    admin.force_login(make_user("admin", superuser=True))
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "vanphong" in listing.content.decode()
