"""Issue 15 §2 "Home is the year": per role, the current plan's step and deadline and the
short list of what is this user's to do, each task a link to the page that does it (every
one answers 200), with counts read from the same functions as those pages (progress,
grading.pages)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kiemdiem.cycles.models import Level as StepLevel
from kiemdiem.cycles.models import Step
from kiemdiem.grading import deciding, pages, services
from kiemdiem.reviews.self_reviews import variant_for
from tests.grading.helpers import enter, fill_cell, grading_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(world: Any) -> Any:
    """The commune's 2026 plan with one step under way today; cell 1 voted and its chi ủy
    proposed (Mẫu 04); nothing decided yet."""
    w = world
    w.extra = fill_cell(w.orgs["cell1"], 8, "Trần Văn")
    w.cycle = grading_cycle(w.orgs["commune"], "thanhlien-2023")
    today = timezone.localdate()
    window = {"starts_on": today - dt.timedelta(days=3), "ends_on": today + dt.timedelta(days=9)}
    Step.objects.create(cycle=w.cycle, order=1, code="hop_kiem_diem", title="Hội nghị kiểm điểm",
                        level=StepLevel.CELL, deliverables=["hop_kiem_diem"], **window)  # fmt: skip
    lines: dict[Any, dict[str, int]] = {m: {"httnv": 10} for m in [w.members["binh"], *w.extra]}
    lines[w.members["an"]] = {"htxsnv": 10}
    enter(w.users["secretary"], w.cycle, w.orgs["cell1"], 10, lines)
    services.propose_cell(w.users["secretary"], w.cycle, w.orgs["cell1"])
    w.deadline = (today + dt.timedelta(days=9)).strftime("%d/%m/%Y")
    return w


def _home(w: Any, user: str) -> tuple[Client, Any]:
    client = Client()
    client.force_login(w.users[user])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return client, response


def _tasks(response: Any) -> list[Any]:
    return [t for y in response.context["years"] for t in y.tasks]


def _every_link_answers(client: Client, response: Any) -> None:
    for y in response.context["years"]:
        assert client.get(y.plan_url).status_code == 200
        for t in y.tasks:
            assert client.get(t.url).status_code == 200, (t.text, t.url)


def test_every_home_names_the_step_under_way_and_its_deadline(year: Any) -> None:
    for user in ("member", "secretary", "clerk", "superior"):
        _client, response = _home(year, user)
        html = response.content.decode()
        assert "Bước hiện tại: <strong>Hội nghị kiểm điểm</strong>" in html, user
        assert f"hạn {year.deadline}" in html, user


def test_member_writes_the_self_review_then_sees_the_result(year: Any) -> None:
    client, response = _home(year, "member")
    texts = [t.text for t in _tasks(response)]
    # The member's own form under the plan's rules (found in review: "Mẫu 02" under QĐ 366).
    form = variant_for(year.cycle, year.members["an"])[0]
    assert f"Viết và nộp bản tự kiểm điểm (Mẫu {form})" in texts
    _every_link_answers(client, response)
    deciding.decide(year.users["clerk"], year.cycle, year.orgs["cell1"])
    client, response = _home(year, "member")
    assert "Đã có kết quả xếp loại năm 2026: xem mức và lý do" in [t.text for t in _tasks(response)]
    _every_link_answers(client, response)


def test_secretary_holds_the_meeting(year: Any) -> None:
    client, response = _home(year, "secretary")
    texts = [t.text for t in _tasks(response)]
    assert "Tổ chức hội nghị kiểm điểm của chi bộ" in texts
    _every_link_answers(client, response)


def test_office_decides_the_waiting_cells_with_the_grading_pages_counts(year: Any) -> None:
    client, response = _home(year, "clerk")
    tasks = _tasks(response)
    page = pages.committee_page(year.users["clerk"], year.cycle, year.orgs["commune"])
    waiting = [c for c in page.cells if c.chi_uy > c.decided]
    assert [c.cell for c in waiting] == [year.orgs["cell1"]]
    assert f"1 chi bộ chờ quyết định xếp loại ({waiting[0].chi_uy} đảng viên)" in [
        t.text for t in tasks
    ]
    assert "Quyết định: Chi bộ xóm 1 (10 đảng viên)" in [t.text for t in tasks]
    _every_link_answers(client, response)
    deciding.decide(year.users["clerk"], year.cycle, year.orgs["cell1"])
    _client, response = _home(year, "clerk")
    assert not [t for t in _tasks(response) if "chờ quyết định" in t.text]


def test_superior_appraises_the_committees_that_decided(year: Any) -> None:
    _client, response = _home(year, "superior")
    assert not [t for t in _tasks(response) if "chờ thẩm định" in t.text]
    deciding.decide(year.users["clerk"], year.cycle, year.orgs["cell1"])
    client, response = _home(year, "superior")
    assert "1 tổ chức cơ sở đã quyết định, chờ thẩm định" in [t.text for t in _tasks(response)]
    _every_link_answers(client, response)
