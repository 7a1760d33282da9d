"""The demo commune's 2026 year under QĐ 366-QĐ/TW and HD 43-HD/BTCTW, the rules in force:
no cell vote (Điều 12). The office opens the plan on HD 43's steps; members hand in Mẫu 2A,
2B or 2C with part B's self-score (typed by their cell's secretary from the paper); the chi
ủy records each member's Điều 11 facts (tasks planned, done, on time, exceeded), holds the
review meeting, vets every score criterion by criterion and proposes; the committee office
decides, the province's standing committee rates the commune's committee (HD 43 Mục 3).

Everything goes through the services an office uses; every number comes from the seeded
generator, so two runs give the same year.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kiemdiem.cycles.models import Cycle
from kiemdiem.cycles.services import open_cycle
from kiemdiem.cycles.subjects import rebuild
from kiemdiem.feedback.services import create_requests
from kiemdiem.grading import demo_year as base
from kiemdiem.grading import services as grading
from kiemdiem.org.choices import OrgKind
from kiemdiem.org.models import Member, Organization
from kiemdiem.reviews import formdefs
from kiemdiem.reviews.models import ReviewStatus, SelfReview
from kiemdiem.reviews.periodic import record_quarter
from kiemdiem.reviews.scoring import level_for_total, total
from kiemdiem.reviews.self_reviews import covers, enter_on_behalf, score_by_committee, start

PROFILE = TEMPLATE = "qd366-2025"
# A total well inside each band of Điều 11 (≥ 90, 70–< 90, 50–< 70, < 50): rounding each
# criterion to half points moves a total by less than the margin left.
TARGETS = {"HTXSNV": (93, 97), "HTTNV": (75, 86), "HTNV": (55, 65), "KHTNV": (38, 45)}
HALF = Decimal("0.5")


def _scores(review: SelfReview, target: int) -> dict[str, str]:
    """Part B: every criterion at `target` % of its maximum, in half points."""
    form = formdefs.variant(review.variant)
    assert form.framework is not None
    out = {}
    for c in form.framework.criteria:
        raw = Decimal(c.max) * target / 100
        out[c.id] = str(min(Decimal(c.max), (raw / HALF).to_integral_value(ROUND_HALF_UP) * HALF))
    return out


def _tasks(merit: str, rng: random.Random) -> dict[str, int]:
    """Điều 11's task counts that agree with the member's merit: HTXSNV all on time with at
    least 30 % exceeded; HTTNV all on time; HTNV all done, at most 20 % late; KHTNV more
    than half not done."""
    total = rng.randint(8, 12)
    if merit == "HTXSNV":
        exceeded = min(total, -(-total * 3 // 10) + rng.randint(0, 2))
        return {"total": total, "done": total, "on_time": total, "exceeded": exceeded}
    if merit == "HTTNV":
        return {"total": total, "done": total, "on_time": total, "exceeded": rng.randint(0, 2)}
    if merit == "HTNV":
        late = rng.randint(1, total // 5)
        return {"total": total, "done": total, "on_time": total - late, "exceeded": 0}
    done = total // 2 - 1
    return {"total": total, "done": done, "on_time": done, "exceeded": 0}


def _open_plan(office: Any, commune: Organization, year: int) -> Cycle:
    return open_cycle(
        office, commune, year=year,
        title=f"Kế hoạch kiểm điểm, đánh giá, xếp loại chất lượng tập thể, cá nhân năm {year}",
        number_symbol="61-KH/ĐU", issued_on=dt.date(year, 11, 3), profile_id=PROFILE,
        template_id=TEMPLATE, reference_date=dt.date(year, 12, 1),
    )  # fmt: skip


def _papers(
    cycle: Cycle, secretaries: dict[int, Any], merits: dict[int, str], rng: random.Random
) -> int:
    """Mẫu 2A/2B/2C with part B, typed by the secretary from the member's signed paper; a
    few members are still writing (their level waits for their score)."""
    done = 0
    for m in Member.objects.filter(pk__in=merits).order_by("sort_key"):
        secretary = secretaries[m.cell_id]
        if m.user_id == secretary.pk or not covers(cycle, m) or rng.random() < 0.04:
            continue
        review = start(secretary, cycle, m)
        paper = base._paper(review, merits[m.pk])
        paper["self_scores"] = _scores(review, rng.randint(*TARGETS[merits[m.pk]]))
        if merits[m.pk] == "HTXSNV":  # the form's degrees agree with the score (Xuất sắc)
            paper["criteria"]["ket_qua"] = "xuat_sac"
        enter_on_behalf(secretary, cycle, m, paper, submit_now=True)
        done += 1
    return done


def _facts(secretaries: dict[int, Any], cycle: Cycle, merits: dict[int, str],
           rng: random.Random) -> None:  # fmt: skip
    for m in Member.objects.filter(pk__in=merits).order_by("sort_key"):
        facts = {"tasks": _tasks(merits[m.pk], rng)}
        grading.save_conditions(secretaries[m.cell_id], cycle, m, {"article_11": facts})


def _vet(secretary: Any, cycle: Cycle, cell: Organization, rng: random.Random) -> int:
    """The chi ủy scores each criterion beside the member's own: mostly the same, now and
    then half a point off where the evidence does not bear the member's figure out — never
    across a band, which is the chi ủy's call to argue, not the demo's."""
    vetted = 0
    reviews = SelfReview.objects.filter(
        cycle=cycle, member__cell=cell, status=ReviewStatus.SUBMITTED
    ).exclude(member__user=secretary)
    for review in reviews.order_by("member__sort_key"):
        scores = dict(review.self_scores)
        own = total(scores)
        key = rng.choice(sorted(scores))
        lowered = Decimal(scores[key]) - HALF
        if rng.random() < 0.25 and lowered >= 0 and _band(own - HALF) == _band(own):
            scores[key] = str(lowered)
        score_by_committee(secretary, review, scores)
        vetted += 1
    return vetted


def _quarters(secretary: Any, cycle: Cycle, cell: Organization, rng: random.Random) -> None:
    """Mẫu 05: the first three quarters, typed by the secretary from the members' notes; the
    fourth goes with the yearly paper."""
    for review in SelfReview.objects.filter(cycle=cycle, member__cell=cell).select_related(
        "member"
    ):
        year = review.self_total
        for quarter in (1, 2, 3):
            score = max(Decimal(0), min(Decimal(100), year + rng.choice([-3, -1, 0, 1, 2])))
            record_quarter(
                secretary, cycle, review.member, quarter=quarter, score=str(score),
                level=level_for_total(score, cycle.profile_snapshot),
                products=f"Hoàn thành các việc được giao trong quý {quarter}.",
            )  # fmt: skip


def _band(total: Decimal) -> int:
    return sum(total >= edge for edge in (50, 70, 90))


def run(office: Any, commune: Organization, year: int, rng: random.Random) -> base.YearSummary:
    cycle = _open_plan(office, commune, year)
    summary = base.YearSummary(cycle)
    summary.subjects = rebuild(office, cycle)
    create_requests(office, cycle)
    summary.comments = base._answer_comments(office, cycle)
    cells = list(Organization.objects.filter(parent=commune, kind=OrgKind.CELL).order_by("code"))
    members = Member.objects.filter(cell__in=cells).order_by("sort_key")
    merits = {m.pk: base._merit(rng) for m in members}
    secretaries = base._secretaries(cells, summary.accounts)
    summary.self_reviews = _papers(cycle, secretaries, merits, rng)
    _facts(secretaries, cycle, merits, rng)
    for n, cell in enumerate(cells):
        # Members review themselves at their cell (Điều 7 khoản 2); the level is not voted.
        meeting = base._meeting(office, cycle, cell, 21 + n % 8)
        base._attend(office, meeting, rng)
        summary.meetings += 1
        if cell.name == base.ONLINE_CELL:  # one cell keeps Mẫu 05 through the year
            _quarters(secretaries[cell.pk], cycle, cell, rng)
        summary.vetted += _vet(secretaries[cell.pk], cycle, cell, rng)
        summary.proposals += grading.propose_cell(secretaries[cell.pk], cycle, cell)
    summary.units = base._propose_units(office, cycle, commune, rng)
    return summary
