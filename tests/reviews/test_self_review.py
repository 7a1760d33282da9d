"""Mẫu 02, the self-review (issue 4 §4; domain.md §3; seed 000 §1.3.2, §1.4.1b)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kiemdiem.audit.models import AuditEntry
from kiemdiem.org.choices import Category
from kiemdiem.reviews import formdefs
from kiemdiem.reviews.models import ReviewStatus
from kiemdiem.reviews.scoring import level_for_total
from kiemdiem.reviews.self_reviews import (
    enter_on_behalf,
    return_for_changes,
    save_draft,
    score_by_committee,
    start,
    submit,
    visible,
)
from tests.builders import make_collective, make_position
from tests.conftest import World
from tests.reviews.helpers import cycle, full_answers

pytestmark = pytest.mark.django_db


def test_state_machine_draft_submitted_returned_submitted(world: World) -> None:
    """Drafts save as they go; submitting locks; the cell returns with a comment; the member
    fixes and submits again (issue 4 §4)."""
    c, an = cycle(world.orgs["commune"]), world.members["an"]
    member, sec = world.users["member"], world.users["secretary"]
    review = start(member, c, an)
    assert review.status == ReviewStatus.DRAFT
    saved = save_draft(member, review, full_answers(review))
    assert saved is not None
    submit(member, review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED and review.submitted_at
    with pytest.raises(ValidationError, match="đã nộp"):
        save_draft(member, review, full_answers(review))
    with pytest.raises(ValidationError, match="ghi rõ nội dung"):
        return_for_changes(sec, review, "  ")
    with pytest.raises(PermissionDenied):
        return_for_changes(member, review, "Tự trả lại")
    return_for_changes(sec, review, "Bổ sung sản phẩm cụ thể ở mục I.2")
    review.refresh_from_db()
    assert review.status == ReviewStatus.RETURNED
    assert review.return_comment == "Bổ sung sản phẩm cụ thể ở mục I.2"
    data = full_answers(review)
    data["answers"]["cam_ket"] = "Hoàn thành 12/12 nội dung cam kết"
    save_draft(member, review, data)
    submit(member, review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    actions = list(
        AuditEntry.objects.filter(object_id=str(review.pk)).values_list("action", flat=True)
    )
    assert actions.count("submit_self_review") == 2 and "return_self_review" in actions


def test_save_draft_is_idempotent_and_bad_input_changes_nothing(world: World) -> None:
    """Autosave posts the same form every few seconds: no second audit row; a wrong level
    is refused and nothing of that post is stored."""
    c, an, member = cycle(world.orgs["commune"]), world.members["an"], world.users["member"]
    review = start(member, c, an)
    data = {"answers": {"pham_chat": "Giữ vững lập trường"}, "manifestations": {"1": "1"}}
    save_draft(member, review, data)
    save_draft(member, review, data)
    assert AuditEntry.objects.filter(action="save_self_review").count() == 1
    bad = {"answers": {"pham_chat": "Đổi"}, "manifestations": {"1": "7"}}
    with pytest.raises(ValidationError, match="từ 1 đến 5"):
        save_draft(member, review, bad)
    review.refresh_from_db()
    assert review.answers == {"pham_chat": "Giữ vững lập trường"}


def test_submit_needs_all_27_manifestations_sections_and_level(world: World) -> None:
    """000 §1.3.2a: each member relates themselves to all 27 manifestations on 5 levels; the
    required sections and a self-proposed level must be there before submitting."""
    c, an, member = cycle(world.orgs["commune"]), world.members["an"], world.users["member"]
    review = start(member, c, an)
    data = full_answers(review)
    del data["manifestations"]["27"], data["manifestations"]["5"]
    data["self_level"] = ""
    del data["answers"]["han_che"]
    save_draft(member, review, data)
    with pytest.raises(ValidationError) as exc:
        submit(member, review)
    text = " ".join(exc.value.messages)
    assert "27 biểu hiện" in text and "còn 2 biểu hiện: 5, 27" in text
    assert "mức tự xếp loại" in text and "II. Hạn chế" in text
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    assert len(formdefs.manifestation_ids()) == 27
    assert [len(g.items) for g in formdefs.manifestation_groups()] == [9, 9, 9]
    assert [c.value for c in formdefs.manifestation_levels()] == ["1", "2", "3", "4", "5"]


def test_only_own_or_within_scope(world: World) -> None:
    """Self-reviews are sensitive: a member sees only their own; the cell's secretary sees the
    cell's; the outsider sees nothing and cannot act (design.md, who may see what)."""
    c = cycle(world.orgs["commune"])
    mine = start(world.users["member"], c, world.members["an"])
    binh = start(world.users["secretary"], c, world.members["binh"])
    cuong = start(world.users["admin"], c, world.members["cuong"])
    assert list(visible(world.users["member"])) == [mine]
    assert set(visible(world.users["secretary"])) == {mine, binh}
    assert set(visible(world.users["clerk"])) == {mine, binh, cuong}
    assert not visible(world.users["outsider"]).exists()
    with pytest.raises(PermissionDenied):
        save_draft(world.users["member"], binh, {"answers": {"pham_chat": "x"}})
    with pytest.raises(PermissionDenied):
        start(world.users["outsider"], c, world.members["an"])
    with pytest.raises(PermissionDenied):
        save_draft(world.users["secretary"], cuong, {"answers": {"pham_chat": "x"}})


def test_secretary_enters_on_behalf_and_it_is_recorded(world: World) -> None:
    """A member who cannot use a computer: the secretary types the paper and the system keeps
    who entered it (issue 4 §4)."""
    c, binh, sec = cycle(world.orgs["commune"]), world.members["binh"], world.users["secretary"]
    review = start(sec, c, binh)
    review = enter_on_behalf(sec, c, binh, full_answers(review), submit_now=True)
    assert review.entered_by == sec and review.status == ReviewStatus.SUBMITTED
    entry = AuditEntry.objects.filter(action="submit_self_review").get()
    assert "Nhập hộ" in entry.summary and entry.user == sec
    with pytest.raises(PermissionDenied):
        enter_on_behalf(world.users["member"], c, binh, {})


def test_variant_follows_the_cycle_profile(world: World) -> None:
    """The form follows the frozen profile (domain.md §8): QĐ 366 → 2A/2B/2C with scoring;
    the 2023 seed (QĐ 124) → 02A/02B; older plans → the single Mẫu 02. Leaders (a current
    post marked is_leader) get 2A/02B with the extra sections of their role (000 §1.3.2b).
    HD 43-HD/BTCTW Mục 2 điểm 1: "Mẫu 2A (áp dụng cho cá nhân giữ chức vụ lãnh đạo, quản lý),
    Mẫu 2B (áp dụng cho cá nhân không giữ chức vụ lãnh đạo, quản lý)" — issue 14 fixed the
    letters, which were swapped."""
    an, binh, cuong = world.members["an"], world.members["binh"], world.members["cuong"]
    binh.category = Category.CCVC
    binh.save()
    chi_uy = make_collective(world.orgs["cell2"])
    make_position(cuong, collective=chi_uy, rank="head", title="Bí thư chi bộ")
    admin = world.users["admin"]
    c366 = cycle(world.orgs["commune"], "qd366-2025")
    assert [start(admin, c366, m).variant for m in (an, binh, cuong)] == ["2C", "2B", "2A"]
    c124 = cycle(world.orgs["province"], "thanhlien-2023")
    assert [start(admin, c124, m).variant for m in (an, binh, cuong)] == ["02A", "02A", "02B"]
    c132 = cycle(world.orgs["cell1"], "dhktna-2016")
    assert start(admin, c132, an).variant == "02"
    # Without the setting in the snapshot, the profile id's family decides.
    assert formdefs.form_set_for("qd366-2025-tinh-x", {}) == "qd366"
    assert formdefs.form_set_for("x", {"inherits": "qd124-2023"}) == "qd124"
    assert formdefs.form_set_for("xyz-2019", {}) == "qd132"
    lead = formdefs.variant("2A")
    keys = [s.key for s in lead.sections_for(True)]
    assert "lanh_dao" in keys and "lanh_dao" not in [s.key for s in formdefs.variant("2B").sections]
    assert lead.framework is not None and lead.framework.kind == "leader"
    assert formdefs.variant("02").sections_for(False) != formdefs.variant("02").sections_for(True)


def test_frameworks_are_30_plus_70_points() -> None:
    """QĐ 366 Điều 11: 30 points of common criteria + 70 of task results, for every kind."""
    totals = formdefs.framework_group_totals()
    for fw in formdefs.frameworks().values():
        for code, _title, items in fw.groups:
            assert sum((c.max for c in items), Decimal(0)) == totals[code]
        assert fw.total == Decimal(100)


def test_scores_are_exact_and_committee_scores_beside(world: World) -> None:
    """QĐ 366: a self-score per criterion, then the chi ủy's score beside it; totals are exact
    decimals (7,25 + 2,75 = 10, never 9.999…) and map to the bands ≥ 90 / 70 / 50."""
    c, an = cycle(world.orgs["commune"]), world.members["an"]
    member, sec = world.users["member"], world.users["secretary"]
    review = start(member, c, an)
    assert review.variant == "2C"
    data = full_answers(review)
    data["self_scores"] = {"O1": "7,25", "O2": "7.75", "O3": "8", "O4": "6",
                           "O5": "24.1", "O6": "25", "O7": "19.2"}  # fmt: skip
    save_draft(member, review, data)
    review.refresh_from_db()
    assert review.self_total == Decimal("97.30")
    assert level_for_total(review.self_total, c.profile_snapshot) == "HTXSNV"
    with pytest.raises(ValidationError, match="từ 0 đến 8"):
        save_draft(member, review, {**data, "self_scores": {"O1": "8.5"}})
    with pytest.raises(ValidationError, match="2 chữ số"):
        save_draft(member, review, {**data, "self_scores": {"O1": "1.125"}})
    with pytest.raises(ValidationError, match="sau khi đảng viên đã nộp"):
        score_by_committee(sec, review, {"O1": "1"})
    submit(member, review)
    with pytest.raises(PermissionDenied):
        score_by_committee(member, review, {"O1": "1"})
    committee = {"O1": "7", "O2": "7", "O3": "8", "O4": "5.5", "O5": "20", "O6": "20", "O7": "2.5"}
    score_by_committee(sec, review, committee)
    review.refresh_from_db()
    assert review.committee_total == Decimal("70.0")
    assert level_for_total(review.committee_total, c.profile_snapshot) == "HTTNV"
    assert level_for_total(Decimal("69.99"), c.profile_snapshot) == "HTNV"
    assert review.self_total == Decimal("97.30") and review.committee_scored_by == sec


def test_plan_must_cover_the_member(world: World) -> None:
    c = cycle(world.orgs["cell2"])
    with pytest.raises(ValidationError, match="không áp dụng"):
        start(world.users["admin"], c, world.members["an"])
    assert dt.date(2026, 11, 20) == c.reference_date
