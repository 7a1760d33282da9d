"""Proposals (issue 6 §1): each member's proposal is the rule engine's outcome for the facts
the system holds and the counted votes, with its reasons, the rules' sources and a
fingerprint of the inputs; a member waits for the comments the profile requires."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kiemdiem.audit.models import AuditEntry
from kiemdiem.feedback import services as feedback
from kiemdiem.feedback.models import FeedbackRequest, Status
from kiemdiem.grading import services
from kiemdiem.grading.context import profile_of
from kiemdiem.grading.facts import outcomes_for
from kiemdiem.grading.manual import RowInput
from kiemdiem.grading.models import Decision, Proposal, ProposalStatus, Step
from kiemdiem.org.choices import Category
from kiemdiem.rules import Level, SubjectFacts, Votes, classify_unit
from tests.grading.helpers import D, enter, fill_cell, grading_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell(world: Any) -> Any:
    """Cell 1 holds An, Bình and eight more; the commune's 2026 plan uses seed 000's rules."""
    w = world
    w.extra = fill_cell(w.orgs["cell1"], 8, "Trần Văn")
    w.cycle = grading_cycle(w.orgs["commune"], "thanhlien-2023")
    w.all = [w.members["an"], w.members["binh"], *w.extra]
    return w


def _marks(w: Any) -> dict[Any, dict[str, int]]:
    """An and Bình excellent by the vote (10/10 and 8/10), Trần Văn An 7/10 (≥ 70 %), the
    others good; ten present."""
    lines: dict[Any, dict[str, int]] = {m: {"httnv": 10} for m in w.all}
    lines[w.members["an"]] = {"htxsnv": 10}
    lines[w.members["binh"]] = {"htxsnv": 8, "httnv": 2}
    lines[w.extra[0]] = {"htxsnv": 7, "httnv": 3}
    lines[w.extra[1]] = {"htxsnv": 4, "httnv": 6}  # 40 %: not excellent
    return lines


def test_proposal_equals_the_rule_engine_outcome_000_1_4_3(cell: Any) -> None:
    """000 §1.4.3 (≥ 70 % for HTXSNV, ≥ 60 % HTTNV or above) and 000 §2.3's quota (20 % of
    HTTNV, at least 1 under 5): the grading proposal is exactly what `classify_unit` gives for
    the same facts and votes, reasons included."""
    w = cell
    enter(w.users["secretary"], w.cycle, w.orgs["cell1"], 10, _marks(w))
    units = outcomes_for(w.cycle, w.orgs["cell1"])
    facts = [r.facts for r in units.rows]
    votes = {str(r.member_id): r.votes for r in units.rows if r.votes is not None}
    expected = classify_unit(facts, votes, profile_of(w.cycle), as_of=D(2026, 11, 20))
    got = {str(r.member_id): (r.level, [x["code"] for x in r.reasons]) for r in units.rows}
    want = {
        o.id: (o.level.name if o.level else "", [x.code for x in o.reasons])
        for o in expected.outcomes
    }
    assert got == want
    # Three qualify by the vote; 7 HTTNV make a base under 5? no: 7 → 20 % of 7 is 1.
    an, binh = w.members["an"].pk, w.members["binh"].pk
    levels = {r.member_id: r.level for r in units.rows}
    assert levels[an] == "HTXSNV" and levels[binh] == "HTTNV"
    assert units.cell_quotas[w.orgs["cell1"].pk][0].kept == [str(an)]


def test_stored_proposal_keeps_level_reasons_sources_and_fingerprint(cell: Any) -> None:
    """design.md principle 3: every outcome explains itself — the stored proposal has the
    level, the reason codes with Vietnamese messages, the rules' sources and a fingerprint
    that changes when an input changes."""
    w = cell
    enter(w.users["secretary"], w.cycle, w.orgs["cell1"], 10, _marks(w))
    services.propose_cell(w.users["secretary"], w.cycle, w.orgs["cell1"])
    p = Proposal.objects.get(member=w.members["an"])
    assert (p.status, p.level, p.vote_level) == (ProposalStatus.PROPOSED, "HTXSNV", "HTXSNV")
    assert [r["code"] for r in p.reasons] == ["vote_level", "quota_kept"]
    assert (
        p.sources[0].startswith(
            "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của Đảng ủy xã Thanh Liên, mục 1.4.3"
        )
        and p.sources[1]
        == "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của Đảng ủy xã Thanh Liên, mục 2.3"
    )
    assert p.details["counts"]["HTXSNV"] == 10 and p.details["denominator"] == 10
    old = p.fingerprint
    lines = _marks(w)
    lines[w.members["an"]] = {"htxsnv": 9, "httnv": 1}
    enter(w.users["secretary"], w.cycle, w.orgs["cell1"], 10, lines)
    services.propose_cell(w.users["secretary"], w.cycle, w.orgs["cell1"])
    p.refresh_from_db()
    assert p.fingerprint != old and p.level == "HTXSNV"
    # The chi ủy's proposal (Mẫu 04) was made again on the new inputs; both stay.
    acts = Decision.objects.filter(member=w.members["an"], step=Step.PROPOSE).order_by("pk")
    assert [(d.level, d.proposal_fingerprint) for d in acts] == [
        ("HTXSNV", old),
        ("HTXSNV", p.fingerprint),
    ]


def test_a_member_waits_for_the_required_comments_000_2_3(cell: Any) -> None:
    """000 §1.4.1b, §2.3: a CCVC member living in another cell needs the residence comment
    (Mẫu 03); until it is in, the member shows "chờ nhận xét" and gets no proposal."""
    w = cell
    binh = w.members["binh"]
    binh.category, binh.residence_cell = Category.CCVC, w.orgs["cell2"]
    binh.save()
    enter(w.users["secretary"], w.cycle, w.orgs["cell1"], 10, _marks(w))
    row = next(r for r in outcomes_for(w.cycle, w.orgs["cell1"]).rows if r.member_id == binh.pk)
    assert row.status == ProposalStatus.WAITING and row.outcome is None and row.level == ""
    assert "Chờ nhận xét" in row.reasons[-1]["message"]
    services.propose_cell(w.users["secretary"], w.cycle, w.orgs["cell1"])
    assert not Decision.objects.filter(member=binh).exists()
    assert Proposal.objects.get(member=binh).status == ProposalStatus.WAITING
    # The request is made and answered: the member is proposed.
    feedback.create_requests(w.users["clerk"], w.cycle, due_on=D(2026, 11, 30))
    req = FeedbackRequest.objects.get(member=binh)
    FeedbackRequest.objects.filter(pk=req.pk).update(status=Status.ANSWERED)
    row = next(r for r in outcomes_for(w.cycle, w.orgs["cell1"]).rows if r.member_id == binh.pk)
    assert row.status == ProposalStatus.PROPOSED and row.level == "HTTNV"


def test_manual_counts_are_checked_and_nothing_is_stored_on_error(cell: Any) -> None:
    """Bad input: a Vietnamese message naming the member, nothing changed."""
    w = cell
    an = w.members["an"]
    bad = [RowInput(an.pk, an.full_name, htxsnv=8, httnv=3)]
    with pytest.raises(ValidationError, match="Nguyễn Văn An: có 11 phiếu nhưng chỉ 10"):
        services.enter_tally(
            w.users["secretary"],
            w.cycle,
            w.orgs["cell1"],
            counted_on=D(2026, 11, 22),
            voters_present=10,
            spoiled=0,
            minutes_ref="",
            rows=bad,
        )
    outsider = w.members["cuong"]
    with pytest.raises(ValidationError, match="không sinh hoạt chính thức ở chi bộ này"):
        services.enter_tally(
            w.users["secretary"],
            w.cycle,
            w.orgs["cell1"],
            counted_on=D(2026, 11, 22),
            voters_present=10,
            spoiled=0,
            minutes_ref="",
            rows=[RowInput(outsider.pk, outsider.full_name)],
        )
    with pytest.raises(ValidationError, match="lớn hơn số đảng viên"):
        services.enter_tally(
            w.users["secretary"],
            w.cycle,
            w.orgs["cell1"],
            counted_on=D(2026, 11, 22),
            voters_present=40,
            spoiled=0,
            minutes_ref="",
            rows=[],
        )
    with pytest.raises(PermissionDenied):
        enter(w.users["outsider"], w.cycle, w.orgs["cell1"], 10, _marks(w))
    from kiemdiem.grading.models import TallySheet

    assert not TallySheet.objects.exists()
    assert not AuditEntry.objects.filter(action="tally_enter").exists()


def test_discipline_recorded_gives_khtnv_without_a_vote(cell: Any) -> None:
    """003 §III / 001 §2.2.5d: a member disciplined in the year is KHTNV (profile's
    `caps.discipline`), even before any count is entered."""
    w = cell
    services.save_conditions(
        w.users["secretary"], w.cycle, w.members["an"], {"disciplined_in_year": True}
    )
    row = next(
        r for r in outcomes_for(w.cycle, w.orgs["cell1"]).rows if r.member_id == w.members["an"].pk
    )
    assert row.level == "KHTNV" and row.reasons[0]["code"] == "discipline_khtnv"
    others = [
        r for r in outcomes_for(w.cycle, w.orgs["cell1"]).rows if r.member_id != w.members["an"].pk
    ]
    assert {r.status for r in others} == {ProposalStatus.NO_TALLY}


def test_engine_input_matches_approve_proposal_profile_001(world: Any) -> None:
    """001 §2.2.5: votes approve the chi ủy's proposed level (> 2/3 of official members for
    HTXSNV); the hand entry carries the level put to the vote."""
    w = world
    extra = fill_cell(w.orgs["cell1"], 7, "Lê Thị")
    cycle = grading_cycle(w.orgs["commune"], "dhktna-2016")
    lines = {m: {"approve": 9, "proposed_level": "HTTNV"} for m in [w.members["binh"], *extra]}
    lines[w.members["an"]] = {"approve": 7, "disapprove": 2, "proposed_level": "HTXSNV"}
    enter(w.users["secretary"], cycle, w.orgs["cell1"], 9, lines)
    rows = {r.member_id: r for r in outcomes_for(cycle, w.orgs["cell1"]).rows}
    an = rows[w.members["an"].pk]
    assert an.votes == Votes(approve=7, disapprove=2)
    assert an.facts is not None and an.facts.proposed_level == Level.HTXSNV
    # 7 of 9 official members is more than 2/3: HTXSNV (and the 15 % small-cell rule keeps 1).
    assert an.level == "HTXSNV"
    assert isinstance(an.facts, SubjectFacts)
