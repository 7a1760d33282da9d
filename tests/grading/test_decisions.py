"""Decisions (issue 6 §1; domain.md §4.4; design.md principles 4–5): the chi ủy proposes
(Mẫu 04), the grassroots committee decides, the superior appraises; decisions are only ever
added, an annulment supersedes, and the history shows both."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from kiemdiem.audit.models import AuditEntry
from kiemdiem.cycles.models import CycleStatus
from kiemdiem.grading import appraisal, deciding, services
from kiemdiem.grading.models import AppendOnlyError, Decision, Grounds, Step, Tier, Verdict
from kiemdiem.grading.services import Choice
from tests.grading.helpers import enter, fill_cell, grading_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(world: Any) -> Any:
    """Cell 1 (ten members) has voted under 000's rules; the chi ủy proposed."""
    w = world
    w.extra = fill_cell(w.orgs["cell1"], 8, "Trần Văn")
    w.cycle = grading_cycle(w.orgs["commune"], "thanhlien-2023")
    w.all = [w.members["an"], w.members["binh"], *w.extra]
    lines: dict[Any, dict[str, int]] = {m: {"httnv": 10} for m in w.all}
    lines[w.members["an"]] = {"htxsnv": 10}
    enter(w.users["secretary"], w.cycle, w.orgs["cell1"], 10, lines)
    services.propose_cell(w.users["secretary"], w.cycle, w.orgs["cell1"])
    return w


def test_chi_uy_proposes_and_the_committee_decides_000_2_2_3_2(decided: Any) -> None:
    """000 §2.2.3.2 Bước 2: the chi ủy proposes each member's level (Mẫu 04), the grassroots
    committee decides; each decision records who, when, which level of the tree."""
    w = decided
    result = deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    assert (result.decided, result.skipped) == (10, [])
    d = Decision.objects.current().get(member=w.members["an"], step=Step.DECIDE)
    assert (d.level, d.body, d.tier, d.made_by) == (
        "HTXSNV", w.orgs["commune"], Tier.GRASSROOTS, w.users["clerk"]
    )  # fmt: skip
    assert d.made_at is not None and d.proposal_level == "HTXSNV" and d.proposal_fingerprint
    p = Decision.objects.get(member=w.members["an"], step=Step.PROPOSE)
    assert (p.body, p.tier, p.made_by) == (w.orgs["cell1"], Tier.CELL, w.users["secretary"])
    assert AuditEntry.objects.filter(action="decide_members").count() == 1
    # Deciding again with nothing changed adds nothing.
    assert deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"]).unchanged == 10


def test_the_chi_uy_cannot_decide_for_its_committee(decided: Any) -> None:
    """The committee decides for a cell under it (000 §2.2.3.2): the cell's secretary may
    propose but not decide; an outsider may do neither."""
    w = decided
    with pytest.raises(PermissionDenied):
        deciding.decide(w.users["secretary"], w.cycle, w.orgs["cell1"])
    with pytest.raises(PermissionDenied):
        services.propose_cell(w.users["outsider"], w.cycle, w.orgs["cell1"])
    assert not Decision.objects.filter(step=Step.DECIDE).exists()


def test_another_level_than_proposed_needs_a_reason(decided: Any) -> None:
    """People decide (design.md principle 4), but a level other than the proposal is
    explained; nothing is written when a reason is missing."""
    w = decided
    binh = w.members["binh"]
    with pytest.raises(ValidationError, match="khác mức đề xuất HTTNV: cần ghi lý do"):
        deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"], [Choice(binh.pk, "HTNV")])
    assert not Decision.objects.filter(step=Step.DECIDE).exists()
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"],
                    [Choice(binh.pk, "HTNV", "Chưa hoàn thành chỉ tiêu được giao")])  # fmt: skip
    d = Decision.objects.get(member=binh, step=Step.DECIDE)
    assert (d.level, d.reason) == ("HTNV", "Chưa hoàn thành chỉ tiêu được giao")


def test_decisions_are_append_only_in_the_model_the_queryset_and_the_database(
    decided: Any,
) -> None:
    """design.md principle 5: no UPDATE or DELETE of a decision row, whatever the path."""
    w = decided
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    d = Decision.objects.filter(step=Step.DECIDE, member=w.members["an"]).first()
    assert d is not None and d.level == "HTXSNV"
    d.level = "KHTNV"
    with pytest.raises(AppendOnlyError, match="Không được sửa quyết định"):
        d.save()
    with pytest.raises(AppendOnlyError):
        Decision.objects.filter(pk=d.pk).update(level="KHTNV")
    with pytest.raises(AppendOnlyError, match="Không được xóa"):
        d.delete()
    with pytest.raises(AppendOnlyError):
        Decision.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE grading_decision SET level = 'KHTNV' WHERE id = %s", [d.pk])
    assert Decision.objects.get(pk=d.pk).level == "HTXSNV"
    assert set(Decision.objects.filter(step=Step.DECIDE).values_list("level", flat=True)) == {
        "HTXSNV", "HTTNV"
    }  # fmt: skip


def test_annulment_supersedes_and_the_history_shows_both_000_2_3(decided: Any) -> None:
    """000 §2.3 and 001 §2.2.6: a result found wrong later is annulled and classified again,
    even after the cycle closed; the annulled decision stays in the history."""
    w = decided
    an = w.members["an"]
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    w.cycle.status = CycleStatus.CLOSED
    w.cycle.save()
    with pytest.raises(ValidationError, match="Cần ghi lý do"):
        deciding.annul(w.users["clerk"], w.cycle, an, level="KHTNV",
                       grounds=Grounds.ANNUL_VIOLATION, reason="  ")  # fmt: skip
    with pytest.raises(PermissionDenied):
        deciding.annul(w.users["secretary"], w.cycle, an, level="KHTNV",
                       grounds=Grounds.ANNUL_VIOLATION, reason="Vi phạm năm trước")  # fmt: skip
    new = deciding.annul(
        w.users["superior"], w.cycle, an, level="KHTNV", grounds=Grounds.ANNUL_VIOLATION,
        reason="Vi phạm từ năm 2025, bị kỷ luật khiển trách tháng 2/2027",
    )  # fmt: skip
    history = list(Decision.objects.filter(member=an, step=Step.DECIDE).order_by("pk"))
    assert [(h.level, h.grounds) for h in history] == [
        ("HTXSNV", Grounds.REGULAR), ("KHTNV", Grounds.ANNUL_VIOLATION)
    ]  # fmt: skip
    assert new.supersedes == history[0] and history[0].successor == new
    assert list(Decision.objects.current().filter(member=an, step=Step.DECIDE)) == [new]
    assert (new.tier, new.body) == (Tier.SUPERIOR, w.orgs["province"])
    assert AuditEntry.objects.filter(action="annul_decision").count() == 1
    # The other decisions of a closed cycle cannot be changed by a plain re-decision.
    with pytest.raises(ValidationError, match="Kế hoạch đã kết thúc"):
        deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])


def test_superior_sends_back_and_the_committee_decides_again_000_1_4_4(decided: Any) -> None:
    """000 §1.4.4: the superior appraises; sent back with a reason, the committee decides
    again and the new decision supersedes; the appraisal history keeps both acts."""
    w = decided
    an = w.members["an"]
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    with pytest.raises(ValidationError, match="cần ghi lý do"):
        appraisal.appraise(w.users["superior"], w.cycle, w.orgs["commune"], Verdict.RETURN)
    with pytest.raises(PermissionDenied):
        appraisal.appraise(w.users["clerk"], w.cycle, w.orgs["commune"], Verdict.AGREE)
    appraisal.appraise(w.users["superior"], w.cycle, w.orgs["commune"], Verdict.RETURN,
                       "Đồng chí An chưa đủ điều kiện HTXSNV", [an.pk])  # fmt: skip
    ret = Decision.objects.get(member=an, step=Step.APPRAISE)
    assert (ret.verdict, ret.tier, ret.body) == (Verdict.RETURN, Tier.SUPERIOR, w.orgs["province"])
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"],
                    [Choice(an.pk, "HTTNV", "Tiếp thu ý kiến thẩm định của cấp trên")])  # fmt: skip
    assert appraisal.appraise(w.users["superior"], w.cycle, w.orgs["commune"], Verdict.AGREE) == 10
    acts = Decision.objects.filter(member=an).order_by("pk")
    assert [(a.step, a.level or a.verdict) for a in acts] == [
        (Step.PROPOSE, "HTXSNV"), (Step.DECIDE, "HTXSNV"), (Step.APPRAISE, Verdict.RETURN),
        (Step.DECIDE, "HTTNV"), (Step.APPRAISE, Verdict.AGREE),
    ]  # fmt: skip


def test_two_people_cannot_supersede_the_same_decision(decided: Any) -> None:
    """A decision has one successor at most: when two offices change the same result at
    once, the second is refused with a Vietnamese message instead of forking history."""
    import copy

    from kiemdiem.grading.services import insert_decisions

    w = decided
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    first = Decision.objects.current().get(member=w.members["an"], step=Step.DECIDE)

    def successor(level: str) -> Decision:
        d = copy.copy(first)
        d.pk, d._state = None, type(first._state)()
        d.level, d.grounds, d.reason, d.supersedes = level, Grounds.CHANGED, "Sửa", first
        return d

    insert_decisions([successor("HTTNV")])
    with pytest.raises(ValidationError, match="Một người khác vừa ghi quyết định"):
        insert_decisions([successor("HTNV")])
    assert [
        d.level for d in Decision.objects.current().filter(member=w.members["an"], step=Step.DECIDE)
    ] == ["HTTNV"]
