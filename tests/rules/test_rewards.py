"""Rewards over years (domain.md §5; issue 6 §4): streaks of a level, the quotas of 001 §3.1,
§3.2 and §II.2.3 as the dhktna-2016 profile states them, and the selection that never drops
anyone. Properties by hypothesis; the seed's boundaries by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiemdiem.rules import ProfileLoadError, load_profile
from kiemdiem.rules.loading import build
from kiemdiem.rules.rewards import (
    Candidate,
    exemplary_base,
    exemplary_limit,
    select,
    size_limit,
    streak,
    streak_limit,
)

P = load_profile("dhktna-2016")
assert P.rewards is not None and P.rewards.exemplary is not None
RULES = {r.id: r for r in P.rewards.streaks}
EXEMPLARY = P.rewards.exemplary
LEVELS = ["HTXSNV", "HTTNV", "HTNV", "KHTNV", None]

years_levels = st.dictionaries(st.integers(2000, 2030), st.sampled_from(LEVELS), max_size=31)


@given(years_levels, st.integers(2000, 2030))
def test_streak_counts_consecutive_years_ending_this_year(levels, year) -> None:  # type: ignore[no-untyped-def]
    """001 §3.2 "5 năm liền": the streak ends with the reviewed year; a year at another level
    or with no result breaks it, and it grows by one with each further year at the level."""
    n = streak(levels, year, {"HTXSNV"})
    assert all(levels.get(year - k) == "HTXSNV" for k in range(n))
    assert levels.get(year - n) != "HTXSNV"
    if levels.get(year) == "HTXSNV":
        assert n == streak(levels, year - 1, {"HTXSNV"}) + 1
    else:
        assert n == 0


def test_a_missing_year_breaks_the_streak() -> None:
    """001 §3.2: five years "liền" — 2019–2021 and 2023–2024 at HTXSNV with 2022 unknown is a
    streak of two in 2024, not five."""
    levels = {2019: "HTXSNV", 2020: "HTXSNV", 2021: "HTXSNV", 2023: "HTXSNV", 2024: "HTXSNV"}
    assert streak(levels, 2024, {"HTXSNV"}) == 2
    levels[2022] = "HTXSNV"
    assert streak(levels, 2024, {"HTXSNV"}) == 6


@pytest.mark.parametrize(
    ("members", "limit"),
    [(0, 1), (1, 1), (99, 1), (100, 3), (101, 3), (499, 3), (500, 3), (501, 5), (5000, 5)],
)
def test_size_quota_boundaries_as_the_seed_words_them(members: int, limit: int) -> None:
    """001 §3.2: "Cơ sở có dưới 100 đảng viên khen không quá 01 người, cơ sở đảng có từ
    100-500 đảng viên khen không quá 3 người, cơ sở đảng có trên 500 đảng viên khen không
    quá 5 người" — 99 → 1, 100 → 3, 500 → 3, 501 → 5."""
    assert streak_limit(RULES["member_city"], members) == limit


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_size_quota_never_shrinks_as_the_organization_grows(a: int, b: int) -> None:
    """001 §3.2: a larger base organization never gets a smaller quota."""
    lo, hi = sorted((a, b))
    bands = RULES["member_city"].by_size
    assert size_limit(bands, lo) <= size_limit(bands, hi)


def test_fixed_quotas_of_001_section_3() -> None:
    """001 §3.1 (3.3.1): one cell per grassroots committee for the city's certificate, at most
    10 for the province's; 001 §3.2: the city proposes at most 15 members to the province;
    001 §3.1 (3.3.2): at most 7 grassroots organizations for the certificate, 3 for the flag."""
    assert (RULES["cell_city"].limit, RULES["cell_city"].scope) == (1, "grassroots")
    assert (RULES["cell_province"].limit, RULES["cell_province"].scope) == (10, "superior")
    assert (RULES["member_province"].limit, RULES["member_province"].scope) == (15, "superior")
    assert RULES["grassroots_province"].limit == 7 and RULES["grassroots_flag"].limit == 3
    assert all(
        r.years == 5
        and r.source.startswith(
            "Kế hoạch số 348/KH-Đ.ủy-ĐHKT ngày 03/11/2016 của Đảng ủy Trường Đại học Kinh tế Nghệ An, mục 3"  # noqa: E501 (the readable citation)
        )
        for r in RULES.values()
    )
    assert RULES["cell_city"].level == "tsvm_tieu_bieu"


@pytest.mark.parametrize(
    ("members", "at_or_above", "limit"),
    [(6, 6, 1), (6, 0, 1), (7, 6, 0), (7, 7, 1), (20, 13, 1), (20, 14, 2), (40, 40, 6)],
)
def test_exemplary_share_15_percent_and_small_cell(
    members: int, at_or_above: int, limit: int
) -> None:
    """001 §II.2.3: the cell proposes at most 15 % of those HTTNV or above (rounded down:
    15 % of 13 is 1.95 → 1, of 14 is 2.1 → 2); a cell with fewer than 7 members at most 1."""
    assert exemplary_limit(EXEMPLARY, at_or_above, members) == limit


@given(st.lists(st.sampled_from(LEVELS), max_size=60))
def test_exemplary_base_counts_httnv_or_above(levels: list[str | None]) -> None:
    """001 §II.2.3: the base is "hoàn thành tốt nhiệm vụ trở lên" (HTTNV and HTXSNV)."""
    assert exemplary_base(EXEMPLARY, levels) == sum(lv in ("HTXSNV", "HTTNV") for lv in levels)


candidates = st.lists(
    st.builds(
        Candidate,
        id=st.text("abcdefgh", min_size=1, max_size=3),
        years=st.integers(0, 8),
        share=st.fractions(0, 1, max_denominator=12),
    ),
    max_size=25,
    unique_by=lambda c: c.id,
)


@given(candidates, st.integers(0, 30))
def test_selection_never_drops_anyone_nor_exceeds_the_quota(cands, limit) -> None:  # type: ignore[no-untyped-def]
    """domain.md §4.3/§5: those over the quota are listed for the committee, never dropped;
    the sure ones never exceed the quota, and with the open slots they fill it exactly when
    enough qualify."""
    sel = select(cands, limit)
    assert sorted(sel.ranked) == sorted(c.id for c in cands)
    assert len(set(sel.ranked)) == len(sel.ranked)
    assert len(sel.within) <= limit
    assert len(sel.within) + sel.open_slots == min(limit, len(cands))
    if not sel.tied:
        assert len(sel.within) == min(limit, len(cands))


@given(candidates, st.integers(0, 30))
def test_selection_ranks_years_then_vote_share(cands, limit) -> None:  # type: ignore[no-untyped-def]
    """Issue 6 §4: those over the quota are ranked by years at HTXSNV, then this year's vote
    share; nobody within ranks below anybody over, and a tie at the edge is left to the
    committee (all tied candidates rank equal)."""
    sel = select(cands, limit)
    rank = {c.id: (c.years, c.share) for c in cands}
    for w in sel.within:
        assert all(rank[w] > rank[o] for o in [*sel.tied, *sel.over])
    assert len({rank[t] for t in sel.tied}) <= 1
    for t in sel.tied:
        assert all(rank[t] > rank[o] for o in sel.over)


def test_tie_at_the_edge_goes_to_the_committee() -> None:
    """One place (a small cell, 001 §II.2.3) and two members level on years and vote share:
    neither is chosen by the machine."""
    sel = select([Candidate("a", 5, Fraction(9, 10)), Candidate("b", 5, Fraction(9, 10))], 1)
    assert (sel.within, sel.tied, sel.open_slots) == ([], ["a", "b"], 1)
    sel = select([Candidate("a", 6), Candidate("b", 5, Fraction(1))], 1)
    assert (sel.within, sel.over) == (["a"], ["b"])


def test_a_streak_quota_states_one_limit() -> None:
    """A streak reward has a fixed limit or size bands, never both nor neither; bands start
    at 0 and rise."""
    data = load_profile("dhktna-2016").model_dump(mode="json")
    rule = data["rewards"]["streaks"][0]
    rule["limit"] = 3
    with pytest.raises(ProfileLoadError, match="limit"):
        build(data, "x.yaml")
    rule["limit"] = None
    rule["by_size"] = [{"from_members": 100, "limit": 3}]
    with pytest.raises(ProfileLoadError, match="by_size"):
        build(data, "x.yaml")


def test_only_plans_that_quote_a_reward_rule_carry_one() -> None:
    """Rules are data: the numbers come from 001 only; 000 and 003 defer to a provincial
    regulation the seeds do not quote, so their profiles name the source and set no quota."""
    for pid in ("thanhlien-2023", "bvphoi-2021"):
        rewards = load_profile(pid).rewards
        assert rewards is not None and rewards.exemplary is None and rewards.streaks == []
        assert "Tỉnh ủy" in rewards.quote
    assert load_profile("qd366-2025").rewards is None
