"""Personal API tokens: created and revoked on the user's own page ("Khóa truy cập API" in the
user menu) and by `kiemdiem api-token`; shown once; audited; errors in Vietnamese (CLI: exit
code 2, no traceback)."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from kiemdiem.api import tokens
from kiemdiem.api.models import ApiToken
from kiemdiem.audit.models import AuditEntry
from tests.api.conftest import Api
from tests.builders import make_user
from tests.conftest import World

pytestmark = pytest.mark.django_db
TOKEN_RE = re.compile(r"kd_[A-Za-z0-9_-]{43}")


def _logged_in(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def test_the_user_menu_links_to_the_token_page(world: World) -> None:
    page = _logged_in(world, "member").get("/", follow=True).content.decode()
    assert "Khóa truy cập API" in page and "/tai-khoan/khoa-api/" in page


def test_a_token_made_on_the_page_is_shown_once_and_works(world: World) -> None:
    client = _logged_in(world, "secretary")
    response = client.post("/tai-khoan/khoa-api/", {"name": "Ứng dụng điện thoại"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    found = TOKEN_RE.findall(response.content.decode())
    assert len(found) == 1
    raw = found[0]
    assert Api(raw).get("/me").json()["username"] == "secretary"
    # Never again: the list shows the name only.
    again = client.get("/tai-khoan/khoa-api/").content.decode()
    assert "Ứng dụng điện thoại" in again and raw not in again and not TOKEN_RE.search(again)
    entry = AuditEntry.objects.get(action="create_api_token")
    assert entry.user == world.users["secretary"] and raw not in str(entry.new)


def test_a_blank_or_duplicate_name_is_refused_in_vietnamese(world: World) -> None:
    client = _logged_in(world, "member")
    blank = client.post("/tai-khoan/khoa-api/", {"name": "   "}).content.decode()
    assert "Cần đặt tên cho khóa" in blank and not TOKEN_RE.search(blank)
    client.post("/tai-khoan/khoa-api/", {"name": "Điện thoại"})
    dup = client.post("/tai-khoan/khoa-api/", {"name": " Điện  thoại "}).content.decode()
    assert "Đã có khóa đang dùng tên “Điện thoại”" in dup
    assert ApiToken.objects.filter(user=world.users["member"]).count() == 1


def test_revoking_on_the_page_stops_the_token(world: World) -> None:
    client = _logged_in(world, "clerk")
    raw = TOKEN_RE.findall(
        client.post("/tai-khoan/khoa-api/", {"name": "Văn phòng"}).content.decode()
    )[0]
    token = ApiToken.objects.get(user=world.users["clerk"])
    response = client.post(f"/tai-khoan/khoa-api/{token.pk}/thu-hoi/", follow=True)
    assert "Đã thu hồi khóa “Văn phòng”" in response.content.decode()
    assert Api(raw).get("/me").status_code == 401
    assert AuditEntry.objects.filter(action="revoke_api_token", object_id=str(token.pk)).exists()


def test_nobody_revokes_or_sees_another_persons_token(world: World) -> None:
    token, _ = tokens.create_token(None, world.users["clerk"], "Văn phòng")
    outsider = _logged_in(world, "outsider")
    assert outsider.post(f"/tai-khoan/khoa-api/{token.pk}/thu-hoi/").status_code == 404
    assert "Văn phòng" not in outsider.get("/tai-khoan/khoa-api/").content.decode()
    token.refresh_from_db()
    assert token.active
    with pytest.raises(PermissionDenied):
        tokens.revoke_token(world.users["outsider"], token)
    with pytest.raises(PermissionDenied):
        tokens.create_token(world.users["outsider"], world.users["clerk"], "Lén")


def test_the_number_of_active_tokens_is_bounded(world: World) -> None:
    user = world.users["member"]
    for i in range(tokens.MAX_ACTIVE):
        tokens.create_token(user, user, f"Khóa {i}")
    with pytest.raises(ValidationError, match="hãy thu hồi khóa không cần nữa"):
        tokens.create_token(user, user, "Một khóa nữa")


def test_cli_creates_lists_and_revokes(world: World, capsys: Any) -> None:
    call_command("api_token", "create", "clerk", "Hệ thống văn phòng")
    out, err = capsys.readouterr()
    raw = out.strip()
    assert TOKEN_RE.fullmatch(raw), out
    assert "Chép khóa dưới đây ngay" in err
    assert Api(raw).get("/me").status_code == 200
    token = ApiToken.objects.get(user=world.users["clerk"])
    call_command("api_token", "list", "clerk")
    listing = capsys.readouterr().out
    assert "Hệ thống văn phòng" in listing and "đang dùng" in listing and raw not in listing
    call_command("api_token", "revoke", str(token.pk))
    assert "Đã thu hồi" in capsys.readouterr().out
    assert Api(raw).get("/me").status_code == 401
    entry = AuditEntry.objects.get(action="create_api_token")
    assert entry.user is None  # the operator's command, not a logged-in person


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "nobody", "X"], "Không có tài khoản “nobody”."),
        (["create", "clerk", "  "], "Cần đặt tên cho khóa"),
        (["create", "clerk"], "Cách dùng: kiemdiem api-token create"),
        (["revoke", "abc"], "Không có khóa số “abc”."),
        ([], "Cách dùng"),
    ],
)
def test_cli_errors_are_vietnamese_with_exit_code_2(
    world: World, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=re.escape(message)) as raised:
        call_command("api_token", *args)
    assert raised.value.returncode == 2


def test_cli_error_from_the_command_line_has_no_traceback(world: World) -> None:
    """Run as an operator would, in a fresh process: a Vietnamese line and exit code 2."""
    make_user("someone")  # the database of this test is not the subprocess's: any error will do
    done = subprocess.run(
        [sys.executable, "-m", "kiemdiem", "api-token", "create"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Cách dùng: kiemdiem api-token create" in done.stderr
    assert "Traceback" not in done.stderr and "CommandError" not in done.stderr
