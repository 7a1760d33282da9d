"""Creating, answering, recording from paper and cancelling requests (issue 4 §6), with the
permission table's word on who may, and what a classification still waits for."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from kiemdiem.audit.models import AuditEntry
from kiemdiem.feedback import services
from kiemdiem.feedback.models import FeedbackKind, FeedbackRequest, Status
from kiemdiem.org.choices import Category
from tests.builders import Role, grant, make_cycle, make_member, make_user

pytestmark = pytest.mark.django_db
D = dt.date
GOOD: dict[str, Any] = {
    "items": {c: "tot" for c in
              ("chap_hanh", "nghia_vu", "sinh_hoat", "dao_duc", "tuyen_truyen", "dong_gop")},
    "comment": "",
    "signer_name": "Lê Văn Cường",
    "signer_title": "Bí thư chi bộ",
}  # fmt: skip


@pytest.fixture
def setup(world: Any) -> Any:
    """Bình works in cell 1 and lives in cell 2's village; cell 2 has its own secretary.
    The plan's step "nhan_xet" ends on 20/11/2026."""
    w = world
    w.members["binh"].category = Category.CCVC
    w.members["binh"].residence_cell = w.orgs["cell2"]
    w.members["binh"].save()
    w.users["secretary2"] = make_user("secretary2")
    grant(w.users["secretary2"], Role.CELL_SECRETARY, w.orgs["cell2"])
    w.cycle = make_cycle(
        w.orgs["commune"], steps=[("lay-y-kien", D(2026, 11, 20), ["tu_kiem_diem", "nhan_xet"])]
    )
    return w


def test_creation_is_idempotent_and_audited(setup: Any) -> None:
    """Running "create" twice creates nothing new; the deadline is the plan step's."""
    w = setup
    assert services.create_requests(w.users["clerk"], w.cycle) == 1
    assert services.create_requests(w.users["clerk"], w.cycle) == 0
    req = FeedbackRequest.objects.get()
    assert (req.member, req.kind, req.due_on) == (
        w.members["binh"], FeedbackKind.RESIDENCE, D(2026, 11, 20),
    )  # fmt: skip
    assert AuditEntry.objects.filter(action="feedback_create").count() == 1


def test_a_cancelled_request_is_not_created_again(setup: Any) -> None:
    w = setup
    services.create_requests(w.users["clerk"], w.cycle)
    services.cancel(w.users["clerk"], FeedbackRequest.objects.get(), "Đã có nhận xét trong hồ sơ")
    assert services.create_requests(w.users["clerk"], w.cycle) == 0


def test_without_a_plan_step_the_deadline_is_asked_for(world: Any) -> None:
    cycle = make_cycle(world.orgs["commune"])
    with pytest.raises(ValidationError):
        services.create_requests(world.users["clerk"], cycle)
    assert services.create_requests(world.users["clerk"], cycle, due_on=D(2026, 12, 1)) == 0


@pytest.mark.parametrize("who", ["member", "secretary", "outsider", "secretary2"])
def test_only_the_committee_office_creates(setup: Any, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.create_requests(setup.users[who], setup.cycle)
    assert not FeedbackRequest.objects.exists()


def test_only_the_receiving_organization_answers(setup: Any) -> None:
    """000 §1.4.1b: the residence cell's chi ủy comments and sends back; the requesting cell,
    another cell and the member cannot answer in its place."""
    w = setup
    services.create_requests(w.users["clerk"], w.cycle)
    req = FeedbackRequest.objects.get()
    for who in ("secretary", "outsider", "member"):
        with pytest.raises(PermissionDenied):
            services.answer(w.users[who], req, GOOD)
    req = services.answer(w.users["secretary2"], req, GOOD)
    assert req.status == Status.ANSWERED and req.answered_by == w.users["secretary2"]
    assert req.answer["items"]["dao_duc"] == "tot"
    with pytest.raises(ValidationError):  # answered once
        services.answer(w.users["secretary2"], req, GOOD)


def test_an_answer_must_be_complete(setup: Any) -> None:
    """Every duty of Mẫu 03 gets a mark; a "Chưa tốt" needs a written comment; the signer is
    named. Bad input changes nothing."""
    w = setup
    services.create_requests(w.users["clerk"], w.cycle)
    req = FeedbackRequest.objects.get()
    bad = {**GOOD, "items": {**GOOD["items"], "nghia_vu": "chua_tot", "dong_gop": ""},
           "signer_name": ""}  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.answer(w.users["secretary2"], req, bad)
    assert set(exc.value.message_dict) == {"item_dong_gop", "comment", "signer_name"}
    req.refresh_from_db()
    assert req.status == Status.REQUESTED and req.answer == {}


def test_paper_form_recorded_by_the_requesting_side(setup: Any) -> None:
    """000 §1.4.1b: the form comes back in the stamped envelope; the requesting side enters it.
    The answering side cannot; a date in the future is refused."""
    w = setup
    with time_machine.travel(dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC)):
        services.create_requests(w.users["clerk"], w.cycle)
    req = FeedbackRequest.objects.get()
    with time_machine.travel(dt.datetime(2026, 11, 15, 9, 0, tzinfo=dt.UTC)):
        with pytest.raises(PermissionDenied):
            services.record_from_paper(w.users["secretary2"], req, GOOD, D(2026, 11, 14))
        with pytest.raises(ValidationError):
            services.record_from_paper(w.users["secretary"], req, GOOD, D(2026, 11, 16))
        req = services.record_from_paper(w.users["secretary"], req, GOOD, D(2026, 11, 14))
    assert req.status == Status.RECORDED_PAPER and req.recorded_by == w.users["secretary"]
    assert req.received_on == D(2026, 11, 14)


def test_cancel_needs_a_reason(setup: Any) -> None:
    w = setup
    services.create_requests(w.users["clerk"], w.cycle)
    req = FeedbackRequest.objects.get()
    with pytest.raises(ValidationError):
        services.cancel(w.users["clerk"], req, "  ")
    with pytest.raises(PermissionDenied):
        services.cancel(w.users["secretary2"], req, "Không cần")
    req = services.cancel(w.users["clerk"], req, "Không cần")
    assert req.status == Status.CANCELLED and req.cancel_reason == "Không cần"


def test_overdue_with_frozen_time(setup: Any) -> None:
    """Overdue: not answered and today is past the deadline (20/11/2026)."""
    w = setup
    services.create_requests(w.users["clerk"], w.cycle)
    req = FeedbackRequest.objects.get()
    assert not req.is_overdue(D(2026, 11, 20))
    assert req.is_overdue(D(2026, 11, 21))
    services.answer(w.users["secretary2"], req, GOOD)
    req.refresh_from_db()
    assert not req.is_overdue(D(2026, 11, 21))


def test_pending_for_in_one_query(setup: Any, django_assert_num_queries: Any) -> None:
    """Issue 4 §6: a member's classification waits for the feedback its profile requires."""
    w = setup
    hoa = make_member(w.orgs["cell1"], "Đỗ Thị Hoa", temporary_cell=w.orgs["cell2"],
                      temporary_since=D(2026, 3, 1), residence_cell=w.orgs["cell2"])  # fmt: skip
    services.create_requests(w.users["clerk"], w.cycle)
    services.answer(
        w.users["secretary2"],
        FeedbackRequest.objects.get(member=w.members["binh"]),
        GOOD,
    )
    ids = [w.members["an"].pk, w.members["binh"].pk, hoa.pk]
    with django_assert_num_queries(1):
        pending = services.pending_for(w.cycle, ids)
    assert pending == {hoa.pk: [FeedbackKind.RESIDENCE, FeedbackKind.TEMPORARY_CELL]}
