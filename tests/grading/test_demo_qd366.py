"""`kiemdiem demo-year` (its default plan, qd366-2025): the demo commune's 2026 year under
QĐ 366-QĐ/TW and HD 43-HD/BTCTW — self-scores on Mẫu 2A/2B/2C, Điều 11's facts, the chi ủy's
vetting and proposals, no vote anywhere (Điều 12), the decisions left to the office and the
commune's committee to the province's standing committee (HD 43 Mục 3)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.core.management import call_command

from kiemdiem.ballots.models import Ballot
from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.facts import outcomes_for
from kiemdiem.grading.models import Decision, MemberConditions, TallySheet
from kiemdiem.org.choices import OrgKind
from kiemdiem.org.models import Organization
from kiemdiem.reviews.models import ReviewStatus, SelfReview

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_qd366_year_reaches_the_proposals_without_a_vote(capsys: Any) -> None:
    call_command("demo", verbosity=0)
    call_command("demo_year")
    out = capsys.readouterr().out
    assert "(qd366-2025)" in out and "không biểu quyết" in out
    cycle = Cycle.objects.get(organization__code="TL")
    assert (cycle.profile_id, cycle.template_id) == ("qd366-2025", "qd366-2025")
    # Since 01/7/2025 no district: the commune sits directly under the province.
    assert cycle.organization.parent is not None
    assert cycle.organization.parent.kind == OrgKind.PROVINCE
    # Điều 12: no ballot, no typed biên bản kiểm phiếu.
    assert not Ballot.objects.exists() and not TallySheet.objects.exists()
    papers = SelfReview.objects.filter(cycle=cycle, status=ReviewStatus.SUBMITTED)
    assert papers.count() > 300
    assert set(papers.values_list("variant", flat=True)) <= {"2A", "2B", "2C"}
    # HD 43 Mục 2 điểm 1: 2A for those holding a leadership post, 2B for those without.
    assert set(papers.filter(leader=True).values_list("variant", flat=True)) == {"2A"}
    assert "2B" in set(papers.filter(leader=False).values_list("variant", flat=True))
    # The chi ủy vetted every paper criterion by criterion (the secretary never their own).
    for p in papers:
        assert set(p.committee_scores) == set(p.self_scores)
        assert p.committee_scored_by_id is not None and p.committee_scored_by_id != p.member.user_id
    members = papers.values_list("member_id", flat=True)
    assert MemberConditions.objects.filter(cycle=cycle, member__in=members).count() == len(members)
    proposals = Decision.objects.filter(cycle=cycle, step="propose", subject_type="m")
    assert proposals.count() > 300
    assert not Decision.objects.filter(cycle=cycle, step="decide").exists()
    levels = set(proposals.values_list("level", flat=True))
    assert {"HTXSNV", "HTTNV", "HTNV"} <= levels


def test_every_proposal_is_the_rules_level_from_the_score_and_article_11() -> None:
    """Điều 11: HTXSNV only with ≥ 90 points, every task on time and ≥ 30 % exceeded; the
    score the rules read is the chi ủy's vetted one; nobody has votes."""
    call_command("demo", verbosity=0)
    call_command("demo_year", "--plan", "qd366-2025")
    cycle = Cycle.objects.get(organization__code="TL")
    proposed = dict(
        Decision.objects.filter(cycle=cycle, step="propose", subject_type="m").values_list(
            "member_id", "level"
        )
    )
    commune = Organization.objects.get(code="TL")
    rows = outcomes_for(cycle, commune).rows
    vetted = {
        r.member_id: sum((Decimal(v) for v in r.committee_scores.values()), Decimal(0))
        for r in SelfReview.objects.filter(cycle=cycle)
    }
    seen = 0
    for row in rows:
        if row.member_id not in proposed:
            continue
        seen += 1
        assert row.votes is None
        assert proposed[row.member_id] == row.level
        assert row.facts is not None and row.facts.score == Fraction(str(vetted[row.member_id]))
        if row.level == "HTXSNV":
            t = row.facts.tasks
            assert row.facts.score >= 90 and t is not None
            assert t.on_time == t.total and t.exceeded * 10 >= 3 * t.total
    assert seen == len(proposed)
