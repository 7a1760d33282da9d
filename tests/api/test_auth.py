"""Authentication of the API (issue 5 §6: "authenticated … like the web"): a personal token or
the browser's session with CSRF; anything else is a 401 in Vietnamese JSON."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from kiemdiem.api import tokens
from kiemdiem.api.models import ApiToken
from tests.api.conftest import Api, ApiWorld

pytestmark = pytest.mark.django_db


def _unauthenticated(response: object) -> None:
    assert response.status_code == 401  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert "khóa truy cập API" in body["detail"]
    assert response["WWW-Authenticate"] == "Bearer"  # type: ignore[index]


def test_no_token_is_401_on_every_endpoint(aw: ApiWorld) -> None:
    """Without credentials nothing answers but 401, reads and writes alike."""
    api = Api()
    for path in ["/me", "/organizations", "/members", "/cycles", "/feedback", "/meetings"]:
        _unauthenticated(api.get(path))
    _unauthenticated(api.put(f"/cycles/{aw.cycle.pk}/self-review", {}))
    _unauthenticated(api.post(f"/feedback/{aw.feedback.pk}/answer", {}))


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Bearer kd_wrong", "Token kd_" + "x" * 43, "kd_" + "x" * 43,
     "Bearer kd_" + "x" * 43],
)  # fmt: skip
def test_malformed_or_unknown_tokens_are_401(aw: ApiWorld, header: str) -> None:
    response = Client().get("/api/v1/me", headers={"Authorization": header})
    _unauthenticated(response)


def test_a_revoked_token_is_401_at_once(aw: ApiWorld) -> None:
    api = aw.api("secretary")
    assert api.get("/me").status_code == 200
    token = ApiToken.objects.get(user=aw.w.users["secretary"])
    tokens.revoke_token(aw.w.users["secretary"], token)
    _unauthenticated(api.get("/me"))


def test_a_token_of_a_locked_account_is_401(aw: ApiWorld) -> None:
    user = aw.w.users["secretary"]
    user.is_active = False
    user.save()
    _unauthenticated(aw.api("secretary").get("/me"))


def test_the_token_acts_as_its_owner_and_records_its_last_use(aw: ApiWorld) -> None:
    api = aw.api("secretary")
    body = api.get("/me").json()
    assert body["username"] == "secretary"
    assert [r["role"] for r in body["roles"]] == ["cell_secretary"]
    token = ApiToken.objects.get(user=aw.w.users["secretary"])
    assert token.last_used_at is not None
    # Within a minute the row is not written again (a read must not become a write).
    first = token.last_used_at
    api.get("/me")
    token.refresh_from_db()
    assert token.last_used_at == first
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        api.get("/me")
    token.refresh_from_db()
    assert token.last_used_at > first


def test_only_a_hash_is_stored(aw: ApiWorld) -> None:
    raw = aw.tokens["clerk"]
    row = ApiToken.objects.get(user=aw.w.users["clerk"])
    assert row.token_hash == tokens.digest(raw) and raw not in row.token_hash
    assert all(raw not in str(v) for v in ApiToken.objects.values_list())


def test_the_browser_session_reads_without_csrf_and_writes_only_with_it(aw: ApiWorld) -> None:
    """A logged-in page may call the API; an unsafe method needs the CSRF header, so another
    site cannot make the browser write (the token needs none: browsers never send it)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(aw.w.users["member"])
    api = Api(client=client)
    assert api.get("/me").json()["username"] == "member"
    path = f"/cycles/{aw.cycle.pk}/self-review"
    refused = api.put(path, {"answers": {}})
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    client.get("/dang-nhap/")  # sets the csrftoken cookie, as any page does
    csrf = client.cookies["csrftoken"].value
    ok = client.put(
        f"/api/v1{path}", {"answers": {}}, content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )  # fmt: skip
    assert ok.status_code == 200, ok.content
    with_token = Api(aw.tokens["member"], Client(enforce_csrf_checks=True))
    assert with_token.put(path, {"answers": {}}).status_code == 200


def test_a_session_cookie_that_is_not_logged_in_is_401(aw: ApiWorld) -> None:
    client = Client()
    client.get("/dang-nhap/")
    client.cookies["sessionid"] = "not-a-session"
    _unauthenticated(Api(client=client).get("/me"))
