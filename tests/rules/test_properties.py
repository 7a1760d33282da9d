"""Properties of the rule engine (issue 3 §6), checked by hypothesis over random cells."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from kiemdiem.rules import Level, SubjectFacts, Votes, classify_unit, load_profile
from kiemdiem.rules.levels import DESCENDING
from tests.rules.helpers import AS_OF, ctx, level, votes

PROFILES = ["thanhlien-2023", "qd132-2018", "bvphoi-2021", "tuyenquang-2021", "qd124-2023"]


@st.composite
def cells(draw: st.DrawFn) -> tuple[str, list[SubjectFacts], dict[str, Votes]]:
    profile = draw(st.sampled_from(PROFILES))
    n = draw(st.integers(1, 25))
    members, ballot = [], {}
    for i in range(n):
        m = SubjectFacts(
            id=f"m{i:02d}",
            admitted_on=dt.date(2005, 1, 1),
            sick_leave_days=draw(st.sampled_from([0, 0, 0, 120])),
            disciplined_in_year=draw(st.booleans()) and draw(st.booleans()),
        )
        members.append(m)
        split = sorted(draw(st.lists(st.integers(0, n), min_size=3, max_size=3)))
        counts = [split[0], split[1] - split[0], split[2] - split[1], n - split[2]]
        ballot[m.id] = Votes(levels=dict(zip(DESCENDING, counts, strict=True)))
    return profile, members, ballot


@settings(max_examples=150, deadline=None)
@given(cells())
def test_quota_never_exceeded_and_nobody_dropped(cell: tuple) -> None:  # type: ignore[type-arg]
    profile_id, members, ballot = cell
    result = classify_unit(members, ballot, load_profile(profile_id), as_of=AS_OF)
    assert len(result.outcomes) == len(members)
    for q in result.quotas:
        kept = [o for o in result.outcomes if o.level == q.level]
        assert len(kept) <= q.limit
        assert set(q.qualified) == set(q.kept) | set(q.over_quota) | set(q.needs_decision)


@settings(max_examples=100, deadline=None)
@given(cells(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_member_order(cell: tuple, rnd: random.Random) -> None:  # type: ignore[type-arg]
    profile_id, members, ballot = cell
    profile = load_profile(profile_id)
    first = classify_unit(members, ballot, profile, as_of=AS_OF)
    shuffled = members[:]
    rnd.shuffle(shuffled)
    second = classify_unit(shuffled, ballot, profile, as_of=AS_OF)
    assert {o.id: o.level for o in first.outcomes} == {o.id: o.level for o in second.outcomes}
    again = classify_unit(members, ballot, profile, as_of=AS_OF)
    assert [o.level for o in again.outcomes] == [o.level for o in first.outcomes]


@given(st.sampled_from(PROFILES), st.integers(1, 30), st.data())
def test_more_votes_for_a_higher_level_never_lower_the_result(
    profile_id: str, n: int, data: st.DataObject
) -> None:
    """Moving one mark from a lower level to a higher one never lowers the outcome."""
    counts = data.draw(st.lists(st.integers(0, n), min_size=4, max_size=4))
    counts = [min(c, n) for c in counts]
    while sum(counts) > n:
        counts[counts.index(max(counts))] -= 1
    src = data.draw(st.integers(1, 3))
    if counts[src] == 0:
        return
    dst = data.draw(st.integers(0, src - 1))
    moved = counts[:]
    moved[src] -= 1
    moved[dst] += 1
    order = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
    before = level(profile_id, votes(**dict(zip(order, counts, strict=True))), ctx(n))
    after = level(profile_id, votes(**dict(zip(order, moved, strict=True))), ctx(n))
    rank = {None: 0, **{lv: int(lv) for lv in Level}}
    if before is not None and before != Level.KHTNV:
        assert after is not None and rank[after] >= rank[before]


@given(st.sampled_from(PROFILES), st.integers(0, 10), st.integers(0, 200))
def test_caps_only_lower(profile_id: str, excellent: int, sick: int) -> None:
    v = votes(HTXSNV=excellent, HTTNV=10 - excellent)
    free = level(profile_id, v, ctx(10))
    capped = level(profile_id, v, ctx(10), sick_leave_days=sick, meetings_absent=5)
    if free is not None and capped is not None:
        assert capped <= free
