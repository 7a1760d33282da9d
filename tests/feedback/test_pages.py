"""The pages: the committee's list, the answering organization's inbox, one request. Never
through the member (000 §1.4.1b: "Không để cá nhân cán bộ, đảng viên tự lấy phiếu")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kiemdiem.feedback import services
from kiemdiem.feedback.models import FeedbackRequest, Status
from kiemdiem.org.choices import Category, Gender
from kiemdiem.org.models import Member
from tests.builders import Role, grant, make_cycle, make_user

pytestmark = pytest.mark.django_db
D = dt.date
ITEMS = ("chap_hanh", "nghia_vu", "sinh_hoat", "dao_duc", "tuyen_truyen", "dong_gop")


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def answer_post(prefix: str, **extra: str) -> dict[str, str]:
    data = {f"{prefix}-item_{c}": "tot" for c in ITEMS}
    data.update({f"{prefix}-signer_name": "Lê Văn Cường", f"{prefix}-signer_title": "Bí thư"})
    data["op"] = {"a": "answer", "p": "paper"}[prefix]
    data.update(extra)
    return data


@pytest.fixture
def setup(world: Any) -> Any:
    """An (the member persona) and Bình work in cell 1 and live in cell 2's village."""
    w = world
    for key in ("an", "binh"):
        w.members[key].category = Category.CCVC
        w.members[key].residence_cell = w.orgs["cell2"]
        w.members[key].save()
    w.users["secretary2"] = make_user("secretary2")
    grant(w.users["secretary2"], Role.CELL_SECRETARY, w.orgs["cell2"])
    w.cycle = make_cycle(w.orgs["commune"], steps=[("y-kien", D(2026, 11, 20), ["nhan_xet"])])
    services.create_requests(w.users["clerk"], w.cycle)
    w.req = FeedbackRequest.objects.get(member=w.members["an"])
    return w


def test_the_member_never_sees_the_request_nor_the_answer(setup: Any) -> None:
    w = setup
    services.answer(w.users["secretary2"], w.req, {
        "items": dict.fromkeys(ITEMS, "tot"), "signer_name": "A", "signer_title": "B"})  # fmt: skip
    member = client_for(w.users["member"])
    assert member.get(reverse("feedback_detail", args=[w.req.pk])).status_code == 404
    assert member.get(reverse("feedback_cycle", args=[w.cycle.pk])).status_code == 404
    inbox = member.get(reverse("feedback_inbox"))
    assert "Nguyễn Văn An" not in inbox.content.decode()


def test_a_secretary_never_sees_a_comment_about_themselves(setup: Any) -> None:
    """The receiving secretary may be the subject: the request is hidden from them."""
    w = setup
    w.members["binh"].user = w.users["secretary2"]
    w.members["binh"].save()
    req = FeedbackRequest.objects.get(member=w.members["binh"])
    c = client_for(w.users["secretary2"])
    assert c.get(reverse("feedback_detail", args=[req.pk])).status_code == 404
    assert c.post(reverse("feedback_detail", args=[req.pk]), answer_post("a")).status_code == 404


def test_outsiders_get_404_and_the_requesting_cell_cannot_answer(setup: Any) -> None:
    w = setup
    url = reverse("feedback_detail", args=[w.req.pk])
    outsider = client_for(w.users["outsider"])
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, answer_post("a")).status_code == 404
    # The requesting cell reads its own request but answering belongs to the residence cell.
    assert client_for(w.users["secretary"]).post(url, answer_post("a")).status_code == 403
    w.req.refresh_from_db()
    assert w.req.status == Status.REQUESTED


def test_the_residence_cell_answers_from_its_inbox(setup: Any) -> None:
    w = setup
    c = client_for(w.users["secretary2"])
    inbox = c.get(reverse("feedback_inbox")).content.decode()
    assert "Nguyễn Văn An" in inbox and "Trần Thị Bình" in inbox
    url = reverse("feedback_detail", args=[w.req.pk])
    page = c.get(url).content.decode()
    assert "Tham gia sinh hoạt, hoạt động nơi cư trú" in page
    bad = c.post(url, answer_post("a", **{"a-item_dao_duc": "chua_tot"}))
    assert bad.status_code == 200
    assert "Có nội dung “Chưa tốt”: cần ghi rõ nhận xét." in bad.content.decode()
    w.req.refresh_from_db()
    assert w.req.status == Status.REQUESTED
    assert c.post(url, answer_post("a")).status_code == 302
    w.req.refresh_from_db()
    assert w.req.status == Status.ANSWERED
    # The requesting cell now reads the answer.
    assert "Lê Văn Cường" in client_for(w.users["secretary"]).get(url).content.decode()


def test_paper_form_on_the_requesting_side(setup: Any) -> None:
    w = setup
    url = reverse("feedback_detail", args=[w.req.pk])
    c = client_for(w.users["clerk"])
    bad = c.post(url, answer_post("p", **{"p-received_on": "31/02/2026"}))
    assert "Ngày không hợp lệ" in bad.content.decode()
    today = dt.date.today().isoformat()
    assert c.post(url, answer_post("p", **{"p-received_on": today})).status_code == 302
    w.req.refresh_from_db()
    assert w.req.status == Status.RECORDED_PAPER and w.req.recorded_by == w.users["clerk"]
    assert client_for(w.users["secretary2"]).post(url, answer_post("a")).status_code == 200


def test_cycle_page_creates_filters_and_flags_overdue(setup: Any) -> None:
    w = setup
    FeedbackRequest.objects.all().delete()
    c = client_for(w.users["clerk"])
    url = reverse("feedback_cycle", args=[w.cycle.pk])
    assert c.post(url).status_code == 302
    assert FeedbackRequest.objects.count() == 2
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)):
        page = c.get(url, {"status": "overdue"}).content.decode()
    assert "Quá hạn" in page and "Nguyễn Văn An" in page
    with time_machine.travel(dt.datetime(2026, 11, 19, 9, 0, tzinfo=dt.UTC)):
        page = c.get(url, {"status": "overdue"}).content.decode()
    assert "Nguyễn Văn An" not in page
    assert "Nguyễn Văn An" not in c.get(url, {"kind": "workplace"}).content.decode()
    # A cell secretary follows its members' requests but does not create them.
    sec = client_for(w.users["secretary"]).get(url).content.decode()
    assert "Nguyễn Văn An" in sec and "Lập đề nghị nhận xét</button>" not in sec
    assert client_for(w.users["secretary"]).post(url).status_code == 403


def _bulk_members(w: Any, n: int) -> None:
    Member.objects.bulk_create(
        Member(code=f"B{i:05d}", full_name=f"Nguyễn Văn Số {i}", gender=Gender.MALE,
               birth_date=D(1980, 1, 1), admitted_on=D(2005, 1, 1), official_on=D(2006, 1, 1),
               category=Category.CCVC, cell=w.orgs["cell1"], residence_cell=w.orgs["cell2"])
        for i in range(n)
    )  # fmt: skip


@pytest.mark.parametrize("page", ["cycle", "inbox"])
def test_list_pages_with_200_requests_use_bounded_queries(
    setup: Any, page: str, django_assert_max_num_queries: Any
) -> None:
    w = setup
    _bulk_members(w, 200)
    services.create_requests(w.users["clerk"], w.cycle)
    assert FeedbackRequest.objects.count() == 202
    user = w.users["clerk"] if page == "cycle" else w.users["secretary2"]
    url = (
        reverse("feedback_cycle", args=[w.cycle.pk])
        if page == "cycle"
        else reverse("feedback_inbox")
    )
    c = client_for(user)
    with django_assert_max_num_queries(12):
        response = c.get(url, {"trang": 2})
    assert response.status_code == 200
    assert "Trang 2 / 5" in response.content.decode()
