"""A subject's level per year (issue 6 §4): imported years merged with the system's current
decisions — a decision wins its year, a superseding decision (an annulment, 001 §2.2.6
"hủy bỏ kết quả và phân loại lại") replaces the one it supersedes — and the counts the
reports use agree with the per-subject results."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest

from kiemdiem.grading.models import Decision, Proposal
from kiemdiem.history.levels import IMPORTED, SYSTEM, level_counts, results_by_year
from kiemdiem.history.rewards import rewards_page
from kiemdiem.rules import load_profile
from tests.conftest import World
from tests.history.fixtures import YEAR, five_years

pytestmark = pytest.mark.django_db


def test_an_annulment_replaces_the_decision_it_supersedes(world: World) -> None:
    y = five_years(world)
    m = y.cell1[0]
    old = Decision.objects.get(member=m, step="decide")
    why = "Phát hiện khuyết điểm sau khi xếp loại"
    Decision(cycle=y.cycle, step="decide", level="HTTNV", body=world.orgs["commune"],
             tier="grassroots", subject_type="m", member=m, place=m.cell, supersedes=old,
             grounds="annul_defect", reason=why).save()  # fmt: skip
    merged = results_by_year(world.orgs["commune"], "m", [YEAR])
    assert merged[f"m:{m.pk}"][YEAR].level == "HTTNV"
    assert merged[f"m:{m.pk}"][YEAR].source == SYSTEM
    lists = rewards_page(world.orgs["commune"], YEAR, load_profile("dhktna-2016")).lists
    five = next(lst for lst in lists if lst.title.startswith("Đảng viên HTXSNV 5 năm"))
    assert m.full_name not in [ln.name for ln in five.lines]  # the streak is broken now


def test_counts_agree_with_the_per_subject_results(world: World) -> None:
    """level_counts (two GROUP BYs) and results_by_year (per subject) apply the same rule."""
    five_years(world)
    years = range(2020, YEAR + 1)
    for kind in ("m", "o"):
        merged = results_by_year(world.orgs["province"], kind, years)
        by_hand = Counter((y, r.level) for rs in merged.values() for y, r in rs.items())
        counted: Counter[tuple[int, str]] = Counter()
        for (_, y, level), n in level_counts(world.orgs["province"], kind, years).items():
            counted[(y, level)] += n
        assert counted == by_hand
    sources = {(r.source, r.file) for rs in merged.values() for r in rs.values()}
    assert sources == {(IMPORTED, "nam-truoc.xlsx"), (SYSTEM, "")}


def test_vote_share_breaks_a_tie_on_years(world: World) -> None:
    """Issue 6 §4: over the quota, years at HTXSNV first, then this year's vote share: of the
    two members HTXSNV for one year only, the one with 7 of 8 approvals ranks first."""
    y = five_years(world)
    a, b = y.cell1[3], y.cell1[4]
    for m, approve in ((a, 5), (b, 7)):
        Proposal.objects.create(cycle=y.cycle, subject_type="m", member=m, place=m.cell,
                                subject_key=f"m:{m.pk}", status="proposed", level="HTXSNV",
                                details={"counts": {"approve": approve, "disapprove": 8 - approve},
                                         "denominator": 8}, fingerprint="x")  # fmt: skip
    lists = rewards_page(world.orgs["commune"], YEAR, load_profile("dhktna-2016")).lists
    cell = next(lst for lst in lists if "tiêu biểu" in lst.title and lst.unit == "Chi bộ xóm 1")
    ranked = [(ln.name, ln.share) for ln in cell.lines]
    assert ranked[-2:] == [(b.full_name, Fraction(7, 8)), (a.full_name, Fraction(5, 8))]
    assert cell.lines[-2].share_text == "7/8"
