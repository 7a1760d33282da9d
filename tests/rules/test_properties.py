"""Properties of the rule engine (issue 3 §6), checked by hypothesis over random cells of
every built-in profile: monotone votes, caps that only lower, quotas never exceeded and
nobody dropped silently, results independent of member order, deterministic."""

from __future__ import annotations

import datetime as dt
import random
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kiemdiem.rules import (
    Level,
    RuleProfile,
    SubjectFacts,
    Tasks,
    Votes,
    apply_quotas,
    classify_unit,
    list_profiles,
    load_profile,
)
from kiemdiem.rules.levels import DESCENDING
from tests.rules.helpers import AS_OF, ctx, level, votes

PROFILES = sorted(p.id for p in list_profiles())
CHOOSE = [p for p in PROFILES if load_profile(p).ballot.method == "choose_level"]
APPROVE = [p for p in PROFILES if load_profile(p).ballot.method == "approve_proposal"]
Cell = tuple[str, list[SubjectFacts], dict[str, Votes]]


def _ballot(draw: st.DrawFn, profile: RuleProfile, n: int) -> Votes:
    if profile.ballot.method == "approve_proposal":
        approve = draw(st.integers(0, n))
        return Votes(approve=approve, disapprove=draw(st.integers(0, n - approve)))
    split = sorted(draw(st.lists(st.integers(0, n), min_size=3, max_size=3)))
    counts = [split[0], split[1] - split[0], split[2] - split[1], n - split[2]]
    return Votes(levels=dict(zip(DESCENDING, counts, strict=True)))


@st.composite
def cells(draw: st.DrawFn, prefix: str = "m") -> Cell:
    profile_id = draw(st.sampled_from(PROFILES))
    profile = load_profile(profile_id)
    n = draw(st.integers(1, 25))
    members, ballot = [], {}
    for i in range(n):
        m = SubjectFacts(
            id=f"{prefix}{i:02d}",
            admitted_on=dt.date(2005, 1, 1),
            sick_leave_days=draw(st.sampled_from([0, 0, 0, 120])),
            disciplined_in_year=draw(st.booleans()) and draw(st.booleans()),
            proposed_level=draw(st.sampled_from(DESCENDING)),
            score=draw(st.sampled_from([None, Fraction(95), Fraction(75)])),
            tasks=Tasks(10, 10, 3),
        )
        members.append(m)
        ballot[m.id] = _ballot(draw, profile, n)
    return profile_id, members, ballot


def _check_quotas(outcomes: list[Any], quotas: list[Any]) -> None:
    by_id = {o.id: o for o in outcomes}
    for q in quotas:
        holding = [o for o in outcomes if o.level == q.level]
        assert len(holding) <= q.limit  # never exceeded
        assert len(q.kept) <= q.limit
        # nobody dropped silently: every one qualifying is kept, over or up for decision,
        # exactly once, with a reason naming the quota, and those not kept sit lower.
        sorted_ids = sorted([*q.kept, *q.over_quota, *q.needs_decision])
        assert sorted_ids == sorted(q.qualified)
        for oid, code in (
            [(i, "quota_kept") for i in q.kept]
            + [(i, "quota_over") for i in q.over_quota]
            + [(i, "quota_needs_decision") for i in q.needs_decision]
        ):
            assert code in [r.code for r in by_id[oid].reasons]
        for oid in [*q.over_quota, *q.needs_decision]:
            lv = by_id[oid].level
            assert lv is not None and lv < q.level


@settings(max_examples=200, deadline=None)
@given(cells(), st.sampled_from(["cell", "committee", "group"]))
def test_quota_never_exceeded_and_nobody_dropped(cell: Cell, scope: str) -> None:
    """Issue 3 §4 (domain.md §4.3): the report never exceeds the limit, drops nobody."""
    profile_id, members, ballot = cell
    result = classify_unit(members, ballot, load_profile(profile_id), as_of=AS_OF, scope=scope)
    assert [o.id for o in result.outcomes] == [m.id for m in members]
    _check_quotas(result.outcomes, result.quotas)


@settings(max_examples=60, deadline=None)
@given(st.lists(cells(), min_size=2, max_size=4))
def test_committee_quota_over_cells_of_different_sizes(many: list[Cell]) -> None:
    """003 §III: the committee checks the quota again over all its cells (shares over
    different denominators, compared as exact fractions)."""
    profile = load_profile("bvphoi-2021")
    outcomes = []
    for index, (_, members, ballot) in enumerate(many):
        renamed = [SubjectFacts(**{**_fields(m), "id": f"c{index}-{m.id}"}) for m in members]
        votes_ = {f"c{index}-{k}": _as_levels(v, len(members)) for k, v in ballot.items()}
        outcomes += classify_unit(renamed, votes_, profile, as_of=AS_OF).outcomes
    report = apply_quotas(outcomes, profile, "committee")
    _check_quotas(report.outcomes, report.results)


def _fields(m: SubjectFacts) -> dict[str, Any]:
    return {name: getattr(m, name) for name in SubjectFacts.__slots__}  # type: ignore[attr-defined]


def _as_levels(v: Votes, n: int) -> Votes:
    return v if v.levels else Votes(levels={Level.HTXSNV: v.approve, Level.HTTNV: n - v.approve})


@settings(max_examples=100, deadline=None)
@given(cells(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_member_order(cell: Cell, rnd: random.Random) -> None:
    profile_id, members, ballot = cell
    profile = load_profile(profile_id)
    first = classify_unit(members, ballot, profile, as_of=AS_OF, scope="committee")
    shuffled = members[:]
    rnd.shuffle(shuffled)
    second = classify_unit(shuffled, ballot, profile, as_of=AS_OF, scope="committee")
    assert {o.id: o.level for o in first.outcomes} == {o.id: o.level for o in second.outcomes}
    assert [q.as_dict() for q in first.quotas] == [q.as_dict() for q in second.quotas]


@settings(max_examples=50, deadline=None)
@given(cells())
def test_deterministic(cell: Cell) -> None:
    profile_id, members, ballot = cell
    profile = load_profile(profile_id)
    runs = [classify_unit(members, ballot, profile, as_of=AS_OF) for _ in range(2)]
    as_data = [
        [(o.id, o.level, [r.as_dict() for r in o.reasons]) for o in run.outcomes] for run in runs
    ]
    assert as_data[0] == as_data[1]


@given(st.sampled_from(CHOOSE), st.integers(1, 30), st.data())
def test_more_votes_for_a_higher_level_never_lower_the_result(
    profile_id: str, n: int, data: st.DataObject
) -> None:
    """Moving one mark from a lower level (or a blank) to a higher one never lowers the
    outcome, nor turns a decided vote undecided (choose_level)."""
    counts = [data.draw(st.integers(0, n)) for _ in range(4)]
    while sum(counts) > n:
        counts[counts.index(max(counts))] -= 1
    blank = n - sum(counts)
    src = data.draw(st.integers(1, 4))  # 4: a blank mark
    if (src < 4 and counts[src] == 0) or (src == 4 and blank == 0):
        return
    dst = data.draw(st.integers(0, min(src, 4) - 1))
    moved = counts[:]
    if src < 4:
        moved[src] -= 1
    moved[dst] += 1
    names = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
    before = level(profile_id, votes(**dict(zip(names, counts, strict=True))), ctx(n))
    after = level(profile_id, votes(**dict(zip(names, moved, strict=True))), ctx(n))
    if before is not None and before != Level.KHTNV:
        assert after is not None and after >= before


@given(st.sampled_from(APPROVE), st.integers(1, 30), st.data())
def test_more_approvals_never_lower_the_result(
    profile_id: str, n: int, data: st.DataObject
) -> None:
    """approve_proposal: one more approval never lowers the level of the same proposal."""
    approve = data.draw(st.integers(0, n - 1))
    proposal = data.draw(st.sampled_from(DESCENDING))
    before = level(profile_id, Votes(approve=approve), ctx(n), proposed_level=proposal)
    after = level(profile_id, Votes(approve=approve + 1), ctx(n), proposed_level=proposal)
    if before is not None:
        assert after is not None and after >= before


CAP_FACTS = st.fixed_dictionaries(
    {},
    optional={
        "sick_leave_days": st.integers(0, 200),
        "works_far_away": st.booleans(),
        "meetings_absent": st.integers(0, 6),
        "meetings_silent": st.integers(0, 10),
        "category": st.sampled_from(["ccvc", "student", "business", "farmer"]),
        "ccvc_level": st.sampled_from(["HTXSNV", "HTTNV", "HTNV", "HTNV_HAN_CHE", "KHTNV"]),
        "awards": st.sampled_from([frozenset(), frozenset({"giay_khen"})]),
        "heads_collective_level": st.sampled_from(DESCENDING),
        "deputy_of_collective_level": st.sampled_from(DESCENDING),
        "is_leader": st.booleans(),
        "criteria": st.sampled_from([{"dao_duc": "TOT", "ket_qua": "TOT"}, {"dao_duc": "KEM"}]),
        "score": st.sampled_from([Fraction(95), Fraction(75), Fraction(40)]),
        "maternity_leave_days": st.integers(0, 200),
        "disciplined_in_year": st.booleans(),
    },
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PROFILES), st.integers(0, 10), st.sampled_from(DESCENDING), CAP_FACTS)
def test_caps_only_lower(profile_id: str, excellent: int, proposal: Level, kw: dict) -> None:  # type: ignore[type-arg]
    """Caps only ever lower a level (issue 3 §3): any mix of capping facts leaves a member at
    or below the level the same votes give without them."""
    profile = load_profile(profile_id)
    if profile.ballot.method == "approve_proposal":
        v = Votes(approve=excellent, disapprove=10 - excellent)
    else:
        v = votes(HTXSNV=excellent, HTTNV=10 - excellent)
    free = level(profile_id, v, ctx(10), proposed_level=proposal)
    capped = level(profile_id, v, ctx(10), proposed_level=proposal, **kw)
    if free is not None and capped is not None:
        assert capped <= free
    discipline = profile.caps.discipline
    if kw.get("disciplined_in_year") and discipline is not None and discipline.off_ballot:
        assert capped == Level.KHTNV
    elif kw.get("disciplined_in_year") and discipline is not None:
        # 001 §2.2.5d: KHTNV only with the vote for it; otherwise the cell votes again.
        assert capped in (Level.KHTNV, None)
