"""Quotas (domain.md §4.3; issue 3 §4): the limit, the floor, the small-unit limit, ranking,
ties at the limit, and `exactly` vs `at_or_above` bases."""

from __future__ import annotations

from fractions import Fraction

from kiemdiem.rules import Votes, apply_quotas, load_profile
from kiemdiem.rules.classify import Outcome
from kiemdiem.rules.levels import Level as L
from kiemdiem.rules.profile import Quota
from kiemdiem.rules.quotas import apply_quota


def o(id: str, level: L, share: Fraction = Fraction(1), supported: tuple[L, ...] = ()) -> Outcome:
    """An outcome as classify() makes it: `share` of the votes for its level."""
    sup = supported or tuple(x for x in (L.HTXSNV, L.HTTNV, L.HTNV) if x <= level)
    votes = Votes(levels={level: int(share * 10)})
    return Outcome(id, True, level, level, L.HTXSNV, votes, [], sup, 10)


def unit(n_excellent: int, n_good: int, n_other: int = 0) -> list[Outcome]:
    excellent = [o(f"x{i}", L.HTXSNV, Fraction(10 - i, 10)) for i in range(n_excellent)]
    good = [o(f"g{i}", L.HTTNV) for i in range(n_good)]
    other = [o(f"h{i}", L.HTNV) for i in range(n_other)]
    return excellent + good + other


def quota(**kw: object) -> Quota:
    values = {"source": "test", "share": "1/5", "scope": ["cell"], **kw}
    return Quota.model_validate(values)


def test_twenty_percent_of_httnv_exactly() -> None:
    """000, 003, 004: HTXSNV ≤ 20% of those rated HTTNV — after the quota, the ones beyond
    the limit join HTTNV: 3 excellent + 9 good → 2 kept (2 ≤ 20% of 10), 1 demoted."""
    outcomes, r = apply_quota(unit(3, 9), quota(), 12)
    assert r.limit == 2  # 2 ≤ 1/5 × (9 + 1) holds; 3 ≤ 1/5 × 9 does not
    assert r.kept == ["x0", "x1"] and r.over_quota == ["x2"]
    levels = {x.id: x.level for x in outcomes}
    assert levels["x2"] == L.HTTNV


def test_exactly_and_at_or_above_bases_give_different_limits() -> None:
    """001 "15% số được phân loại HTTNV trở lên" counts the excellent ones in the base."""
    q_exact = quota(share="3/20", base="exactly")
    q_above = quota(share="3/20", base="at_or_above")
    assert apply_quota(unit(3, 17), q_exact, 20)[1].limit == 2  # 2 ≤ 3/20 × 18 = 2.7
    assert apply_quota(unit(3, 17), q_above, 20)[1].limit == 3  # 3 ≤ 3/20 × 20 = 3


def test_floor_allows_one_where_fewer_than_five_httnv() -> None:
    """000 §2.3: "dưới 5 ... đảng viên ... HTTNV thì chọn 1 ... HTXSNV nếu đủ điều kiện"."""
    q = quota(floor={"when_base_below": 5, "allow": 1})
    assert apply_quota(unit(2, 3), q, 5)[1].limit == 1
    assert apply_quota(unit(2, 3), quota(), 5)[1].limit == 0


def test_small_unit_limit_replaces_the_share() -> None:
    """001 §2.2.5a: "chi bộ có dưới 07 đảng viên thì không quá 01 đồng chí"."""
    q = quota(share="3/20", base="at_or_above", small_unit={"members_below": 7, "limit": 1})
    assert apply_quota(unit(3, 3), q, 6)[1].limit == 1
    assert apply_quota(unit(3, 4), q, 7)[1].limit == 1  # 1 ≤ 3/20 × 7 = 1.05


def test_ranking_by_vote_share() -> None:
    outcomes = [o("a", L.HTXSNV, Fraction(7, 10)), o("b", L.HTXSNV, Fraction(9, 10))]
    outcomes += [o(f"g{i}", L.HTTNV) for i in range(5)]
    _, r = apply_quota(outcomes, quota(), 7)
    assert r.kept == ["b"] and r.over_quota == ["a"]


def test_a_tie_straddling_the_limit_goes_to_the_committee() -> None:
    """Nobody is dropped silently: those tied at the limit need a decision."""
    outcomes = [o("a", L.HTXSNV, Fraction(8, 10)), o("b", L.HTXSNV, Fraction(8, 10))]
    outcomes += [o(f"g{i}", L.HTTNV) for i in range(5)]
    result, r = apply_quota(outcomes, quota(), 7)
    assert r.limit == 1 and r.kept == [] and sorted(r.needs_decision) == ["a", "b"]
    assert all("quota_needs_decision" in [x.code for x in y.reasons] for y in result[:2])


def test_demoted_get_the_highest_level_their_votes_allow() -> None:
    weak = o("w", L.HTXSNV, Fraction(7, 10), supported=(L.HTXSNV, L.HTNV))
    strong = o("s", L.HTXSNV, Fraction(9, 10))
    result, _ = apply_quota([strong, weak, *unit(0, 2)], quota(), 4)
    assert {x.id: x.level for x in result}["w"] == L.HTNV


def test_profile_quotas_by_scope() -> None:
    """003 §III: 20% at the cell and again at the committee; QĐ 132: per grassroots org."""
    outcomes = unit(3, 9)
    assert len(apply_quotas(outcomes, load_profile("bvphoi-2021"), "cell").results) == 1
    assert apply_quotas(outcomes, load_profile("qd132-2018"), "cell").results == []
    assert len(apply_quotas(outcomes, load_profile("qd132-2018"), "committee").results) == 1
