"""Vote thresholds of each plan, taken from the seeds' own words, with exact fractions."""

from __future__ import annotations

import pytest

from kiemdiem.rules import Votes
from tests.rules.helpers import L, codes, ctx, level, outcome, votes


@pytest.mark.parametrize(
    ("htxs", "expected"),
    [(5, L.HTXSNV), (4, L.HTTNV)],
)
def test_thanhlien_70_percent_of_7_voters(htxs: int, expected: object) -> None:
    """000 §1.4.3 "từ 70% số phiếu trở lên": 70% of 7 is 4.9 — 5 votes pass, 4 fail."""
    assert level("thanhlien-2023", votes(HTXSNV=htxs, HTTNV=7 - htxs), ctx(7)) == expected


def test_thanhlien_exactly_70_percent_passes() -> None:
    """000 §1.4.3: "từ 70% trở lên" includes 70% itself (7 of 10)."""
    assert level("thanhlien-2023", votes(HTXSNV=7, HTTNV=3), ctx(10)) == L.HTXSNV


def test_thanhlien_httnv_at_least_60_percent_at_or_above() -> None:
    """000 §1.4.3 "ít nhất 60% số phiếu đề nghị phân loại HTTNV trở lên": HTXSNV marks count."""
    assert level("thanhlien-2023", votes(HTXSNV=3, HTTNV=3, HTNV=4), ctx(10)) == L.HTTNV
    assert level("thanhlien-2023", votes(HTXSNV=3, HTTNV=2, HTNV=5), ctx(10)) == L.HTNV


def test_thanhlien_htnv_needs_more_than_half() -> None:
    """000 §1.4.3 "trên 50%": exactly half is not enough for HTNV..."""
    o = outcome("thanhlien-2023", votes(HTNV=5, KHTNV=5), ctx(10))
    assert o.level == L.KHTNV  # ... but "từ 50%" KHTNV holds at exactly half
    assert o.vote_level == L.KHTNV


def test_thanhlien_blank_marks_can_leave_the_vote_undecided() -> None:
    """With blank marks in the "voters present" base, no level may reach its share: the cell
    votes again (issue 3 §3)."""
    o = outcome("thanhlien-2023", votes(HTNV=4, KHTNV=2), ctx(10))
    assert o.level is None and "vote_undecided" in codes(o)


def test_all_marks_blank_is_undecided() -> None:
    o = outcome("thanhlien-2023", votes(), ctx(9))
    assert o.level is None and codes(o) == ["vote_undecided"]


def test_zero_voters_is_undecided_not_a_crash() -> None:
    o = outcome("thanhlien-2023", votes(), ctx(0))
    assert o.level is None and o.shares == {}


@pytest.mark.parametrize(("approve", "expected"), [(7, L.HTXSNV), (6, L.HTTNV)])
def test_dhktna_more_than_two_thirds_of_9(approve: int, expected: object) -> None:
    """001 §2.2.5a "trên 2/3 số đảng viên chính thức bỏ phiếu tán thành": > 2/3 of 9 needs 7;
    6 approvals (exactly 2/3) still support the levels below, down to HTNV."""
    o = outcome(
        "dhktna-2016",
        Votes(approve=approve, disapprove=9 - approve),
        ctx(9),
        proposed_level=L.HTXSNV,
        category="farmer",
    )
    assert o.level == expected


def test_dhktna_denominator_is_all_official_members_absent_included() -> None:
    """001 §2.2.5: the share is of official members, not of those present."""
    o = outcome(
        "dhktna-2016", Votes(approve=5, disapprove=0), ctx(5, eligible=12), proposed_level=L.HTTNV
    )
    assert o.level is None and "vote_undecided" in codes(o)  # 5/12 is not > 1/2


def test_dhktna_khtnv_proposal_not_approved_is_undecided() -> None:
    o = outcome("dhktna-2016", Votes(approve=4, disapprove=5), ctx(9), proposed_level=L.KHTNV)
    assert o.level is None


def test_dhktna_without_a_proposal() -> None:
    o = outcome("dhktna-2016", Votes(approve=9), ctx(9))
    assert o.level is None and codes(o) == ["proposal_missing"]


def test_central_rule_two_thirds_of_eligible_voters() -> None:
    """qd132-2018 (HD 07-HD/BTCTW): HTXSNV from 2/3 of the cell's official members."""
    assert level("qd132-2018", votes(HTXSNV=6, HTTNV=3), ctx(9)) == L.HTXSNV
    assert level("qd132-2018", votes(HTXSNV=5, HTTNV=4), ctx(9)) == L.HTTNV
    assert level("qd132-2018", votes(HTXSNV=6, HTTNV=3), ctx(9, eligible=10)) == L.HTTNV


def test_shares_are_exact_fractions() -> None:
    from fractions import Fraction

    o = outcome("thanhlien-2023", votes(HTXSNV=2, HTTNV=6, HTNV=1), ctx(10))
    assert o.shares["HTXSNV"] == Fraction(2, 10)
    assert all(isinstance(v, Fraction) for v in o.shares.values())
