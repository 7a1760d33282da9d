"""Pages of the review papers: the member's editor with autosave, the secretary's list
(bounded queries), Mẫu 01 and suggestions, scoped per persona (issue 4 §4, §5, §7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kiemdiem.org.models import Collective, Position
from kiemdiem.reviews.models import ReviewStatus, SelfReview, Suggestion
from kiemdiem.reviews.self_reviews import save_draft, start, submit
from tests.builders import make_member
from tests.conftest import World
from tests.reviews.helpers import cycle, full_answers

pytestmark = pytest.mark.django_db


def _client(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def _flat(data: dict[str, Any]) -> dict[str, str]:
    post = {f"s_{k}": v for k, v in data["answers"].items()}
    post |= {f"m_{k}": v for k, v in data["manifestations"].items()}
    post |= {f"c_{k}": v for k, v in data["criteria"].items()}
    post |= {f"p_{k}": v for k, v in data["self_scores"].items()}
    return post | {"self_level": data["self_level"]}


def test_member_writes_autosaves_and_submits(world: World) -> None:
    """Drafts save as they go (autosave endpoint answers "hh:mm"); submitting an incomplete
    paper shows Vietnamese errors and changes nothing; a complete one locks."""
    c, client = cycle(world.orgs["commune"]), _client(world, "member")
    page = client.get(reverse("my_review", args=[c.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('name="m_') == 27 * 5 and "Mẫu 2C" in html and "autosave.js" in html
    review = SelfReview.objects.get(cycle=c, member=world.members["an"])
    r = client.post(
        reverse("review_autosave", args=[review.pk]), {"s_pham_chat": "Tốt", "m_3": "2"}
    )
    assert r.status_code == 200 and len(r.json()["saved_at"]) == 5
    bad = client.post(reverse("review_autosave", args=[review.pk]), {"m_3": "9"})
    assert bad.status_code == 400 and "từ 1 đến 5" in bad.json()["errors"][0]
    review.refresh_from_db()
    assert review.manifestations == {"3": "2"}
    r = client.post(reverse("my_review", args=[c.pk]), {"op": "submit", "s_pham_chat": "Tốt"})
    assert "Chưa tự đánh giá đủ 27 biểu hiện" in r.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    r = client.post(
        reverse("my_review", args=[c.pk]), {"op": "submit", **_flat(full_answers(review))}
    )
    assert r.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert (
        client.post(reverse("review_autosave", args=[review.pk]), {"m_3": "1"}).status_code == 400
    )


def test_a_member_never_sees_another_paper(world: World) -> None:
    """Self-reviews are sensitive: the member gets 404 on a colleague's paper; the outsider on
    any paper of the commune; the secretary of the cell can open and enter on behalf."""
    c = cycle(world.orgs["commune"])
    binh = start(world.users["secretary"], c, world.members["binh"])
    url = reverse("review_editor", args=[c.pk, world.members["binh"].pk])
    assert _client(world, "member").get(url).status_code == 404
    assert _client(world, "outsider").get(url).status_code == 404
    assert (
        _client(world, "outsider")
        .get(reverse("review_cell", args=[c.pk, world.orgs["cell1"].pk]))
        .status_code
        == 404
    )
    assert (
        _client(world, "member")
        .post(reverse("review_autosave", args=[binh.pk]), {"m_1": "1"})
        .status_code
        == 404
    )
    sec = _client(world, "secretary")
    assert sec.get(url).status_code == 200
    assert sec.post(reverse("review_autosave", args=[binh.pk]), {"m_1": "1"}).status_code == 200
    binh.refresh_from_db()
    assert binh.entered_by == world.users["secretary"]


def test_secretary_list_returns_and_scores_in_bounded_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    """The cell's list shows each member's status with a fixed number of queries however many
    members there are; the secretary returns with a comment and scores beside the member."""
    c, cell = cycle(world.orgs["commune"]), world.orgs["cell1"]
    for i in range(40):
        m = make_member(cell, f"Đảng viên Số {i}")
        if i % 2:
            r = start(world.users["secretary"], c, m)
            save_draft(world.users["secretary"], r, full_answers(r))
    sec = _client(world, "secretary")
    url = reverse("review_cell", args=[c.pk, cell.pk])
    sec.get(url)
    with django_assert_max_num_queries(10):
        page = sec.get(url)
    assert page.status_code == 200 and page.content.decode().count("Nhập hộ") >= 20
    an = start(world.users["member"], c, world.members["an"])
    save_draft(world.users["member"], an, full_answers(an))
    submit(world.users["member"], an)
    assert sec.post(reverse("review_return", args=[an.pk]), {"comment": ""}).status_code == 302
    an.refresh_from_db()
    assert an.status == ReviewStatus.SUBMITTED
    scores = {f"k_O{i}": "5" for i in range(1, 8)}
    sec.post(reverse("review_score", args=[an.pk]), scores)
    an.refresh_from_db()
    assert an.committee_scores["O1"] == "5"
    sec.post(reverse("review_return", args=[an.pk]), {"comment": "Bổ sung mục II"})
    an.refresh_from_db()
    assert an.status == ReviewStatus.RETURNED


def test_report_page_warns_when_sent_late_and_suggestions_are_answered(world: World) -> None:
    """000 §1.4.1a (≥ 3 working days; 31/8–2/9/2026 are days off) and 000 §1.4.2 (a superior's
    written suggestions, answered by the addressee)."""
    c = cycle(world.orgs["commune"])
    ubnd = Collective.objects.create(
        organization=world.orgs["commune"], kind="ubnd", name="Lãnh đạo UBND xã A"
    )
    Position.objects.create(
        member=world.members["cuong"], title="Chủ tịch UBND xã", collective=ubnd,
        rank="head", start_on=dt.date(2021, 7, 1),
    )  # fmt: skip
    clerk = _client(world, "clerk")
    url = reverse("collective_report", args=[c.pk, ubnd.pk])
    clerk.post(url, {"op": "start", "meeting_on": "2026-09-03"})
    post = {"op": "save"} | {
        f"s_{k}": "Nội dung"
        for k in ("uu_diem", "han_che", "khac_phuc", "giai_trinh", "phuong_huong", "tu_xep_loai")
    }
    post |= {
        "o0_body": "Ban Thường trực MTTQ xã",
        "o0_opinion": "Nhất trí",
        "o0_received_on": "2026-08-20",
    }
    clerk.post(url, post)
    page = clerk.post(url, {"op": "send", "sent_on": "2026-08-26"}, follow=True)
    assert "trước hội nghị 2 ngày làm việc" in page.content.decode()
    assert _client(world, "member").get(url).status_code == 404
    sup = _client(world, "superior")
    list_url = reverse("suggestion_list", args=[c.pk])
    assert "Gợi ý mới" in sup.get(list_url).content.decode()  # the superior writes them
    clerk.post(
        list_url, {"target": f"d{world.members['an'].pk}", "text": "Làm rõ việc vắng sinh hoạt"}
    )
    s = Suggestion.objects.get()
    member = _client(world, "member")
    assert "Làm rõ việc vắng" in member.get(list_url).content.decode()
    member.post(reverse("suggestion_detail", args=[s.pk]), {"answer": "Đã giải trình ở mục IV"})
    s.refresh_from_db()
    assert s.answer == "Đã giải trình ở mục IV"
    assert (
        _client(world, "outsider").get(reverse("suggestion_detail", args=[s.pk])).status_code == 404
    )


def test_home_lists_my_plans(world: World) -> None:
    c = cycle(world.orgs["commune"])
    page = _client(world, "member").get(reverse("review_home"))
    assert reverse("my_review", args=[c.pk]) in page.content.decode()
    page = _client(world, "secretary").get(reverse("review_home"))
    assert reverse("review_cell", args=[c.pk, world.orgs["cell1"].pk]) in page.content.decode()
