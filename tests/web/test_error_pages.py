"""Issue 15 §5 "Vietnamese error pages": 400, 403 (CSRF refusal included), 404 and 500 in the
site's layout, phone-ready (the viewport meta, the site's stylesheet), with a way back (the
page the user came from when it is on this site, and home); the API answers Vietnamese JSON.
The cases a new user met: Báo cáo xếp loại for the year 20266, `khen-thuong/?nam=abc`, and
"Gợi ý kiểm điểm" on a member's self-review page, which answered a 404."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import World
from tests.grading.helpers import grading_cycle

pytestmark = pytest.mark.django_db

LAYOUT = ('<html lang="vi">', 'name="viewport"', "kiemdiem/app.css", 'class="topbar"')
ENGLISH = ("Not Found", "Server Error", "Bad Request", "Forbidden", "CSRF verification")


def _page(response: object, status: int, words: str) -> str:
    assert settings.DEBUG is False  # the pages users see, not Django's technical ones
    assert response.status_code == status  # type: ignore[attr-defined]
    html = response.content.decode()  # type: ignore[attr-defined]
    assert words in html
    assert all(part in html for part in LAYOUT), "not in the site's layout"
    assert [w for w in ENGLISH if w in html] == []
    assert 'href="/"' in html and "Về trang chủ" in html
    return html


def _client(world: World, user: str = "admin", **kwargs: object) -> Client:
    client = Client(raise_request_exception=False, **kwargs)  # type: ignore[arg-type]
    client.force_login(world.users[user])
    return client


def test_404_report_of_year_20266_offers_the_way_back(world: World) -> None:
    commune = world.orgs["commune"]
    came_from = f"http://testserver{reverse('organization', args=[commune.pk])}"
    response = _client(world).get(
        reverse("history_report", args=[commune.pk]), {"nam": "20266"}, HTTP_REFERER=came_from
    )
    html = _page(response, 404, "Không tìm thấy trang hoặc đối tượng này.")
    assert f'href="{came_from}"' in html and "Về trang trước" in html


def test_404_rewards_with_a_year_that_is_not_a_number(world: World) -> None:
    url = reverse("history_rewards", args=[world.orgs["commune"].pk])
    _page(_client(world).get(url, {"nam": "abc"}), 404, "Không tìm thấy")


def test_the_way_back_is_never_another_site(world: World) -> None:
    response = _client(world).get("/khong-co-trang-nay/", HTTP_REFERER="https://lua-dao.example/")
    html = _page(response, 404, "Không tìm thấy")
    assert "lua-dao.example" not in html and "Về trang trước" not in html


def test_403_in_the_layout(world: World) -> None:
    """A member posting a suggestion (only the superior's office writes them)."""
    cycle = grading_cycle(world.orgs["commune"])
    response = _client(world, "member").post(reverse("suggestion_list", args=[cycle.pk]), {})
    _page(response, 403, "Đồng chí không có quyền xem trang này.")


def test_403_csrf_refusal_says_nothing_was_saved(world: World) -> None:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = client.post(reverse("login"), {"username": "member", "password": "x"})
    _page(response, 403, "không có gì được lưu")


def test_400_for_a_host_not_allowed(world: World) -> None:
    client = Client(raise_request_exception=False, HTTP_HOST="khong-hop-le.example")
    _page(
        client.get("/", HTTP_REFERER="http://khong-hop-le.example/x/"), 400, "Yêu cầu không hợp lệ."
    )


@override_settings(ROOT_URLCONF="tests.hardening.urls_boom")
def test_500_in_the_layout(world: World) -> None:
    _page(Client(raise_request_exception=False).get("/thu-loi/"), 500, "Có lỗi trong hệ thống")


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [("/api/v1/khong-co/", 404, "Không có địa chỉ API này"), ("/api/v1/me", 401, "")],
)
def test_api_errors_are_vietnamese_json(world: World, url: str, status: int, words: str) -> None:
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert words in detail and detail.isascii() is False  # Vietnamese words, with diacritics


def test_suggestions_link_on_the_self_review_page_answers_200(world: World) -> None:
    """The broken link: "Gợi ý kiểm điểm" beside a member's own review led to a 404 when no
    suggestion was addressed to them; now the page says there is none."""
    cycle = grading_cycle(world.orgs["commune"])
    client = _client(world, "member")
    url = reverse("suggestion_list", args=[cycle.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Chưa có gợi ý kiểm điểm nào trong kế hoạch này" in response.content.decode()
    # Someone not reviewed under that plan still finds nothing there.
    assert _client(world, "outsider").get(url).status_code == 404
