"""Issue 15 §1 "Kết quả của tôi": a member's page of their years — the decided level, the
vote behind it, each reason in the rules' words with its source (the very rows the cell's
grading page prints), the acts from proposal to decision, the shortcomings to fix where
rated HTNV (001 §2.2.5c) and their papers. Shown to the member and to those whose scope
covers them (the access table, Kind.DECISION), and only after the decision (000 §2.2.3.2
Bước 2: the committee decides, the proposal is not the result)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kiemdiem.grading import deciding, services
from kiemdiem.grading.facts import outcomes_for
from kiemdiem.grading.services import Choice
from tests.builders import make_user
from tests.grading.helpers import enter, fill_cell, grading_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def voted(world: Any) -> Any:
    """Cell 1 (ten members) voted under 000's rules, An 10 of 10 for HTXSNV; the chi ủy
    proposed (Mẫu 04); the commune has not decided yet."""
    w = world
    w.extra = fill_cell(w.orgs["cell1"], 8, "Trần Văn")
    w.cycle = grading_cycle(w.orgs["commune"], "thanhlien-2023")
    lines: dict[Any, dict[str, int]] = {m: {"httnv": 10} for m in [w.members["binh"], *w.extra]}
    lines[w.members["an"]] = {"htxsnv": 10}
    enter(w.users["secretary"], w.cycle, w.orgs["cell1"], 10, lines)
    services.propose_cell(w.users["secretary"], w.cycle, w.orgs["cell1"])
    return w


def _client(w: Any, user: str) -> Client:
    client = Client()
    client.force_login(w.users[user])
    return client


def _page(w: Any, user: str, member: str = "an") -> Any:
    return _client(w, user).get(reverse("member_results", args=[w.members[member].pk]))


def test_before_the_decision_the_year_says_it_is_not_decided(voted: Any) -> None:
    response = _client(voted, "member").get(reverse("my_results"), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "member_results", args=[voted.members["an"].pk]
    )
    html = response.content.decode()
    assert "Kết quả của tôi" in html and "Năm 2026" in html
    assert "Cấp ủy chưa quyết định xếp loại năm 2026" in html
    # The chi ủy's proposal (HTXSNV) and its reasons are not the member's result yet.
    assert "HTXSNV" not in html and "Kết quả biểu quyết" not in html


def test_after_the_decision_the_level_the_vote_and_every_reason_with_its_source(
    voted: Any,
) -> None:
    """The done-when of issue 15: after the office decides the cell, the member sees the
    level and why — in the same words as the cell's grading page."""
    w = voted
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    html = _page(w, "member").content.decode()
    assert "Hoàn thành xuất sắc nhiệm vụ" in html and "HTXSNV: 10/10" in html
    assert "Đảng bộ xã A quyết định ngày" in html
    row = next(
        r for r in outcomes_for(w.cycle, w.orgs["cell1"]).rows if r.member_id == w.members["an"].pk
    )
    assert row.reasons
    grading = _client(w, "clerk").get(
        reverse("grading_cell", args=[w.cycle.pk, w.orgs["cell1"].pk])
    )
    for r in row.reasons:
        assert r["message"] in html and r["source"] in html
        assert r["message"] in grading.content.decode()  # one source of words
    assert "Chi ủy đề xuất" in html and "Quyết định xếp loại" in html  # the acts


def test_htnv_names_what_to_fix_and_the_bodys_reason(voted: Any) -> None:
    """001 §2.2.5c: a member rated HTNV is told the shortcomings to fix."""
    w = voted
    why = "Chưa hoàn thành chỉ tiêu được giao"
    deciding.decide(
        w.users["clerk"], w.cycle, w.orgs["cell1"], [Choice(w.members["an"].pk, "HTNV", why)]
    )
    html = _page(w, "member").content.decode()
    assert "Hoàn thành nhiệm vụ</strong>" in html
    assert "Hạn chế, khuyết điểm cần khắc phục" in html
    # Citations name the real document, never a seed key; and only the plan that says so.
    assert "001 §" not in html and "Đại học Kinh tế Nghệ An" not in html
    assert "Chưa hoàn thành chỉ tiêu được giao" in html and "Quyết định khác đề xuất" in html


def test_only_the_member_and_those_whose_scope_covers_them(voted: Any) -> None:
    w = voted
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    w.members["binh"].user = make_user("binh")
    w.members["binh"].save()
    w.users["binh"] = w.members["binh"].user
    assert _page(w, "binh").status_code == 404  # another member of the same cell
    assert _page(w, "outsider").status_code == 404  # another cell's secretary
    for user in ("member", "secretary", "clerk", "superior"):
        assert _page(w, user).status_code == 200, user
    assert _page(w, "binh", "binh").status_code == 200  # their own


def test_the_menu_link_for_an_account_without_a_member_record(voted: Any) -> None:
    response = _client(voted, "clerk").get(reverse("my_results"), follow=True)
    assert "không gắn với hồ sơ đảng viên nào" in response.content.decode()


def test_query_count_does_not_grow_with_the_cell(voted: Any) -> None:
    w = voted
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    client = _client(w, "member")
    url = reverse("member_results", args=[w.members["an"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    fill_cell(w.orgs["cell1"], 30, "Lê Thị")
    with CaptureQueriesContext(connection) as big:
        assert client.get(url).status_code == 200
    assert len(big) == len(small), (len(small), len(big))
    assert len(small) < 40
