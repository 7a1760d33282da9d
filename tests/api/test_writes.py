"""Writes through the API go through the same services as the web (design.md: one function per
user action with its permission check and audit row): the audit row is there with the caller
as the actor; refused input changes nothing and says why in Vietnamese."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kiemdiem.audit.models import AuditEntry
from kiemdiem.cycles import services as cycles
from kiemdiem.feedback.models import Status
from kiemdiem.reviews.models import ReviewStatus, SelfReview
from tests.api.conftest import ApiWorld
from tests.reviews.helpers import full_answers

pytestmark = pytest.mark.django_db


def _audit(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def test_a_member_writes_and_submits_their_own_self_review(aw: ApiWorld) -> None:
    """Mẫu 02 from a phone: the draft is saved and the paper handed in (000 §1.4.1c)."""
    api, an, user = aw.api("member"), aw.w.members["an"], aw.w.users["member"]
    path = f"/cycles/{aw.cycle.pk}/self-review"
    draft = api.put(path, {"answers": {}})
    assert draft.status_code == 200, draft.content
    review = SelfReview.objects.get(cycle=aw.cycle, member=an)
    data = full_answers(review)
    saved = api.put(path, data).json()
    assert saved["status"] == ReviewStatus.DRAFT and saved["self_level"] == "HTTNV"
    assert saved["form"]["sections"] and len(saved["form"]["manifestation_ids"]) == 27
    assert [e.user for e in _audit("start_self_review") if e.object_id == str(review.pk)] == [user]
    assert any(e.user == user for e in _audit("save_self_review"))
    submitted = api.post(f"{path}/submit")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == ReviewStatus.SUBMITTED
    [entry] = [e for e in _audit("submit_self_review") if e.object_id == str(review.pk)]
    assert entry.user == user
    # Handed in: locked until the cell returns it.
    again = api.put(path, data)
    assert again.status_code == 400
    assert "đã nộp nên không sửa được" in again.json()["detail"]


def test_refused_draft_changes_nothing(aw: ApiWorld) -> None:
    """Wrong keys are refused with every reason; not even an empty paper is left behind."""
    before = AuditEntry.objects.count()
    response = aw.api("member").put(
        f"/cycles/{aw.cycle.pk}/self-review",
        {"manifestations": {"99": "7"}, "self_level": "GIOI"},
    )
    assert response.status_code == 400
    messages = [e["message"] for e in response.json()["errors"]]
    assert "Có biểu hiện không thuộc danh mục 27 biểu hiện." in messages
    assert "Mức tự xếp loại không hợp lệ." in messages
    assert not SelfReview.objects.filter(member=aw.w.members["an"]).exists()
    assert AuditEntry.objects.count() == before


def test_submitting_an_incomplete_paper_lists_what_is_missing(aw: ApiWorld) -> None:
    api = aw.api("member")
    api.put(f"/cycles/{aw.cycle.pk}/self-review", {"answers": {}})
    response = api.post(f"/cycles/{aw.cycle.pk}/self-review/submit")
    assert response.status_code == 400
    messages = " ".join(e["message"] for e in response.json()["errors"])
    assert "Chưa tự đánh giá đủ 27 biểu hiện" in messages
    assert "Chưa chọn mức tự xếp loại chất lượng." in messages
    assert SelfReview.objects.get(member=aw.w.members["an"]).status == ReviewStatus.DRAFT


def test_nobody_writes_a_paper_under_a_plan_that_does_not_cover_them(aw: ApiWorld) -> None:
    """The outsider's cell is not under the commune's plan; the clerk has no member record."""
    assert aw.api("outsider").put(f"/cycles/{aw.cycle.pk}/self-review", {}).status_code == 404
    response = aw.api("clerk").put(f"/cycles/{aw.cycle.pk}/self-review", {})
    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy, hoặc đồng chí không có quyền xem."


GOOD: dict[str, Any] = {
    "items": {c: "tot" for c in
              ("chap_hanh", "nghia_vu", "sinh_hoat", "dao_duc", "tuyen_truyen", "dong_gop")},
    "signer_name": "Lê Văn Cường",
    "signer_title": "Bí thư chi bộ",
}  # fmt: skip


def test_the_addressed_cell_answers_a_comment_request(aw: ApiWorld) -> None:
    """Mẫu 03 answered by the residence cell inside the system (000 §1.4.1b)."""
    response = aw.api("secretary2").post(f"/feedback/{aw.feedback.pk}/answer", GOOD)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == Status.ANSWERED and body["can_answer"] is False
    assert body["answer"]["items"]["nghia_vu"] == "tot"
    [entry] = _audit("feedback_answer")
    assert entry.user == aw.w.users["secretary2"] and entry.object_id == str(aw.feedback.pk)
    twice = aw.api("secretary2").post(f"/feedback/{aw.feedback.pk}/answer", GOOD)
    assert twice.status_code == 400 and "Đã trả lời" in twice.json()["detail"]


def test_a_bad_or_unauthorised_answer_changes_nothing(aw: ApiWorld) -> None:
    bad = aw.api("secretary2").post(
        f"/feedback/{aw.feedback.pk}/answer", {**GOOD, "items": {"nghia_vu": "chua_tot"}}
    )
    assert bad.status_code == 400
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"item_chap_hanh", "comment"} <= fields
    # The requesting side reads the request but may not answer it itself.
    denied = aw.api("secretary").post(f"/feedback/{aw.feedback.pk}/answer", GOOD)
    assert denied.status_code == 403
    assert denied.json()["detail"] == "Chỉ tổ chức được đề nghị mới trả lời được."
    aw.feedback.refresh_from_db()
    assert aw.feedback.status == Status.REQUESTED and not _audit("feedback_answer")


def test_a_step_window_moves_through_the_plan_service(aw: ApiWorld) -> None:
    step = aw.cycle.steps.get()
    path = f"/cycles/{aw.cycle.pk}/steps/{step.pk}"
    body = {"starts_on": "2026-11-05", "ends_on": "2026-12-05"}
    response = aw.api("clerk").put(path, body)
    assert response.status_code == 200, response.content
    assert response.json()["ends_on"] == "2026-12-05"
    [entry] = _audit("change_step_window")
    assert entry.user == aw.w.users["clerk"]
    backwards = aw.api("clerk").put(path, {"starts_on": "2026-12-05", "ends_on": "2026-12-01"})
    assert backwards.status_code == 400
    assert backwards.json()["detail"] == "Hạn hoàn thành không được trước ngày bắt đầu."
    # A cell secretary reads the commune's plan but does not edit it.
    assert aw.api("secretary").put(path, body).status_code == 404


def test_a_lower_plan_may_only_tighten_a_deadline(aw: ApiWorld) -> None:
    """000 §1.4.5 / 003 §V: a cell's plan implements the committee's; it may only shorten."""
    child = cycles.open_child_cycle(
        aw.w.users["secretary"], aw.cycle, aw.w.orgs["cell1"],
        title="Kế hoạch của chi bộ", number_symbol="05-KH/CB", issued_on=dt.date(2026, 11, 5),
    )  # fmt: skip
    step = child.steps.get()
    path = f"/cycles/{child.pk}/steps/{step.pk}"
    later = aw.api("secretary").put(path, {"starts_on": "2026-11-02", "ends_on": "2026-12-20"})
    assert later.status_code == 400
    assert "chỉ được rút ngắn, không được kéo dài" in later.json()["detail"]
    step.refresh_from_db()
    assert step.ends_on == dt.date(2026, 12, 10)
    sooner = aw.api("secretary").put(path, {"starts_on": "2026-11-02", "ends_on": "2026-12-01"})
    assert sooner.status_code == 200


def test_malformed_json_is_a_vietnamese_400(aw: ApiWorld) -> None:
    response = aw.api("member").client.put(
        f"/api/v1/cycles/{aw.cycle.pk}/self-review", "{not json", content_type="application/json",
        headers={"Authorization": f"Bearer {aw.tokens['member']}"},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["detail"] == "Nội dung gửi lên không phải JSON hợp lệ."


@pytest.mark.parametrize("value", [0, "1700000000", "20/11/2026", "2026-13-01"])
def test_dates_are_written_one_way_only(aw: ApiWorld, value: object) -> None:
    """Found by the fuzzer: pydantic alone took 0 as 1 January 1970. A date is YYYY-MM-DD."""
    step = aw.cycle.steps.get()
    response = aw.api("clerk").put(
        f"/cycles/{aw.cycle.pk}/steps/{step.pk}", {"starts_on": value, "ends_on": "2026-12-05"}
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "starts_on" and error["message"].startswith("Ngày phải viết dạng")
    step.refresh_from_db()
    assert step.starts_on == dt.date(2026, 11, 2)


def test_unknown_body_fields_are_refused(aw: ApiWorld) -> None:
    step = aw.cycle.steps.get()
    response = aw.api("clerk").put(
        f"/cycles/{aw.cycle.pk}/steps/{step.pk}",
        {"starts_on": "2026-11-05", "ends_on": "2026-12-05", "deadline": "2027-01-01"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "deadline", "message": "Trường không có trong mô tả API."
    }  # fmt: skip


@pytest.mark.parametrize("text", ["Ưu điểm\x00", "\ud83d"])
def test_text_a_database_cannot_store_is_refused(aw: ApiWorld, text: str) -> None:
    """Found by the fuzzer on PostgreSQL (a NUL was a server error): refused as input, in
    bodies and in query strings alike, before any service runs."""
    import json

    api = aw.api("member")
    body = json.dumps({"answers": {"uu_diem": text}}, ensure_ascii=True)
    response = api.client.put(
        f"/api/v1/cycles/{aw.cycle.pk}/self-review", body, content_type="application/json",
        headers={"Authorization": f"Bearer {aw.tokens['member']}"},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "answers"
    assert not SelfReview.objects.filter(member=aw.w.members["an"]).exists()
    if "\x00" in text:
        search = aw.api("clerk").get("/members", q=text)
        assert search.status_code == 422
        assert search.json()["errors"][0]["message"] == "Không được chứa ký tự NUL."
