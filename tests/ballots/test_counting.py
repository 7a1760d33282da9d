"""Counting (issue 5 §4): the counts of a ballot go through the rule engine. Hand-worked
tallies from the seeds' own thresholds (000 §1.4.3; 001 §2.2.5), the totals checks, exact
shares on both bases, re-votes only for the undecided, and — for every built-in profile —
counting equals the rule engine's classify and apply_quotas on the same tally."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiemdiem.ballots.counting import (
    BLANK,
    CountError,
    Counts,
    Papers,
    Roll,
    check,
    choices_for,
    count,
    percent,
)
from kiemdiem.rules import (
    Level,
    SubjectFacts,
    UnitContext,
    apply_quotas,
    classify,
    list_profiles,
    load_profile,
)
from kiemdiem.rules.quorum import QuorumError, shortfalls

AS_OF = dt.date(2023, 11, 20)
PROFILES = sorted(p.id for p in list_profiles())
L = Level


def member(i: int, **kw: object) -> SubjectFacts:
    return SubjectFacts(
        id=f"m{i}",
        name=f"Đảng viên {i}",
        admitted_on=dt.date(2010, 1, 1),
        **kw,  # type: ignore[arg-type]
    )


def levels(h: int = 0, t: int = 0, n: int = 0, k: int = 0, blank: int = 0) -> dict[str, int]:
    return {"HTXSNV": h, "HTTNV": t, "HTNV": n, "KHTNV": k, BLANK: blank}


def one(profile_id: str, row: dict[str, int], papers: Papers, roll: Roll, **kw: object):  # type: ignore[no-untyped-def]
    profile = load_profile(profile_id)
    counts = Counts(profile.ballot.method, papers, {"m1": row})
    return count([counts], [member(1, **kw)], roll, profile, as_of=AS_OF).candidates[0]


# --- 000 §1.4.3: shares over those present taking part in the vote ----------------------


def test_000_htxsnv_needs_70_percent_of_those_present_5_of_7_pass_4_fail() -> None:
    """000 §1.4.3: "Loại HTXSNV phải có từ 70% số phiếu trở lên" — of 7 voters, 70 % is
    4.9: five marks reach it, four do not (and then 6 of 7 at HTTNV or above give HTTNV)."""
    roll = Roll(eligible=7, present=7, official_members=9)
    papers = Papers(7, 7)
    assert one("thanhlien-2023", levels(5, 2), papers, roll).level == L.HTXSNV
    r = one("thanhlien-2023", levels(4, 3), papers, roll)
    assert r.level == L.HTTNV and r.vote_level == L.HTTNV


def test_000_httnv_at_least_60_percent_at_or_above_htnv_over_half() -> None:
    """000 §1.4.3: HTTNV "ít nhất 60% ... HTTNV trở lên"; HTNV "trên 50% ... HTNV trở lên";
    KHTNV "từ 50% trở lên"."""
    roll = Roll(eligible=10, present=10, official_members=10)
    papers = Papers(10, 10)
    assert one("thanhlien-2023", levels(2, 4, 4), papers, roll).level == L.HTTNV
    assert one("thanhlien-2023", levels(2, 3, 5), papers, roll).level == L.HTNV
    assert one("thanhlien-2023", levels(0, 0, 5, 5), papers, roll).level == L.KHTNV


def test_000_blank_rows_stay_in_the_base_and_can_leave_a_candidate_undecided() -> None:
    """000 §1.4.3 takes the share over everyone present voting: 5 blank rows out of 10 leave
    no level over its threshold, so the candidate goes to a re-vote."""
    roll = Roll(eligible=10, present=10, official_members=12)
    r = one("thanhlien-2023", levels(0, 1, 4, 0, blank=5), Papers(10, 10), roll)
    assert r.level is None and r.revote
    assert r.base == 10
    assert [x.code for x in r.reasons] == ["vote_undecided"]
    assert r.reasons[0].source.startswith(
        "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của Đảng ủy xã Thanh Liên, mục 1.4.3"
    )


def test_000_spoiled_papers_stay_in_the_base_as_the_profile_says() -> None:
    """thanhlien-2023 sets spoiled_in_denominator: true — 7 of 10 returned (1 spoiled) is
    still 70 % and reaches HTXSNV; the base is the 10 returned."""
    roll = Roll(eligible=11, present=11, official_members=11)
    r = one("thanhlien-2023", levels(7, 2), Papers(11, 10, 1), roll)
    assert r.base == 10 and r.level == L.HTXSNV
    assert r.shares_base["HTXSNV"] == Fraction(7, 10)
    assert r.shares_official["HTXSNV"] == Fraction(7, 11)


# --- 001 §2.2.5: approval over the official members --------------------------------------


def test_001_htxsnv_needs_over_two_thirds_of_official_members_approving() -> None:
    """001 §2.2.5a: "trên 2/3 số đảng viên chính thức bỏ phiếu tán thành" — of 9 entitled,
    7 approvals pass, 6 do not (6/9 = 2/3 exactly) and the proposal falls to HTTNV (> 1/2,
    001 §2.2.5b)."""
    roll = Roll(eligible=9, present=8, official_members=9)
    row7 = {"approve": 7, "disapprove": 1}
    row6 = {"approve": 6, "disapprove": 2}
    kw = {"proposed_level": L.HTXSNV}
    assert one("dhktna-2016", row7, Papers(8, 8), roll, **kw).level == L.HTXSNV
    r = one("dhktna-2016", row6, Papers(8, 8), roll, **kw)
    assert r.level == L.HTTNV and r.base == 9  # the base is the entitled, not those present


def test_001_a_khtnv_proposal_not_approved_goes_to_a_revote() -> None:
    roll = Roll(eligible=9, present=9, official_members=9)
    row = {"approve": 4, "disapprove": 5}
    r = one("dhktna-2016", row, Papers(9, 9), roll, proposed_level=L.KHTNV)
    assert r.revote


# --- Totals -------------------------------------------------------------------------------


def test_each_row_must_hold_the_valid_papers_message_names_the_candidate() -> None:
    counts = Counts("choose_level", Papers(12, 11), {"m1": levels(8, 4), "m2": levels(5, 6)})
    roll = Roll(12, 12, 12)
    problems = check(counts, roll, {"m1": "Nguyễn Văn An", "m2": "Trần Thị Bình"})
    assert problems == [
        "Tổng số phiếu ở ứng viên Nguyễn Văn An (12) khác số phiếu hợp lệ thu về "
        "(11 = 11 thu về − 0 không hợp lệ)."
    ]


def test_papers_returned_spoiled_and_issued_are_checked_against_each_other() -> None:
    roll = Roll(10, 9, 10)
    counts = Counts("choose_level", Papers(10, 11, 12), {"m1": levels(0)})
    problems = check(counts, roll, {"m1": "An"})
    assert "Số phiếu phát ra (10) nhiều hơn số người có mặt được biểu quyết (9)." in problems
    assert "Số phiếu thu về (11) nhiều hơn số phiếu phát ra (10)." in problems
    assert "Số phiếu không hợp lệ (12) nhiều hơn số phiếu thu về (11)." in problems


def test_missing_rows_foreign_rows_odd_columns_and_negative_counts_are_refused() -> None:
    roll = Roll(5, 5, 5)
    counts = Counts(
        "choose_level",
        Papers(5, 5),
        {"m2": {"approve": 5}, "m3": {"HTTNV": -1, BLANK: 6}, "x": levels(5)},
    )
    problems = check(counts, roll, {"m1": "An", "m2": "Bình", "m3": "Cường"})
    assert problems == [
        "Có số phiếu của người không có trong danh sách biểu quyết.",
        "Chưa có số phiếu của đồng chí An.",
        "Phiếu của đồng chí Bình có cột không có trên phiếu: approve.",
        "Số phiếu của đồng chí Cường phải là số nguyên không âm.",
    ]
    with pytest.raises(CountError) as err:
        count([counts], [member(1)], roll, load_profile("thanhlien-2023"), as_of=AS_OF)
    assert "Chưa có số phiếu của đồng chí Đảng viên 1." in err.value.problems


def test_a_round_of_the_wrong_method_is_refused() -> None:
    counts = Counts("approve_proposal", Papers(3, 3), {"m1": {"approve": 3}})
    with pytest.raises(CountError, match="khác phương thức"):
        count([counts], [member(1)], Roll(3, 3, 3), load_profile("thanhlien-2023"), as_of=AS_OF)


# --- Display -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "shown"),
    [
        (Fraction(2, 3), "66,67%"),
        (Fraction(7, 10), "70%"),
        (Fraction(1, 8), "12,5%"),
        (Fraction(0), "0%"),
        (Fraction(1), "100%"),
        (Fraction(1, 200), "0,5%"),
        (Fraction(1, 20000), "0,01%"),  # half up, only at the surface
        (Fraction(1, 30000), "0%"),
    ],
)
def test_percent_rounds_half_up_only_for_display(share: Fraction, shown: str) -> None:
    assert percent(share) == shown


# --- Re-votes ----------------------------------------------------------------------------


def test_second_round_lists_only_the_undecided_and_decides_them() -> None:
    """000 §1.4.3: an undecided candidate is voted on again; the others keep round 1. The
    quota (000 §2.3: 20 % of HTTNV, at least 1 when fewer than 5) runs over both rounds."""
    profile = load_profile("thanhlien-2023")
    people = [member(i) for i in range(1, 5)]
    roll = Roll(eligible=10, present=10, official_members=10, members_total=10)
    first = Counts(
        "choose_level",
        Papers(10, 10),
        {
            "m1": levels(8, 2),
            "m2": levels(0, 7, 3),
            "m3": levels(0, 2, 3, 0, blank=5),  # undecided
            "m4": levels(7, 3),
        },
    )
    once = count([first], people, roll, profile, as_of=AS_OF)
    assert [c.key for c in once.revote] == ["m3"]
    assert not once.decided
    second = Counts("choose_level", Papers(9, 9), {"m3": levels(0, 6, 3)})
    roll2 = Roll(eligible=10, present=9, official_members=10, members_total=10)
    twice = count([first, second], people, [roll, roll2], profile, as_of=AS_OF)
    assert twice.decided
    m3 = twice.candidates[2]
    assert (m3.round, m3.level, m3.base) == (2, L.HTTNV, 9)
    # Two reach HTXSNV, three are HTTNV by the vote: the floor allows 1, m1 ranks first.
    [quota] = twice.quotas
    assert quota.qualified == ["m1", "m4"] and quota.kept == ["m1"]
    assert [c.level for c in twice.candidates] == [L.HTXSNV, L.HTTNV, L.HTTNV, L.HTTNV]
    assert [r.code for r in twice.candidates[3].reasons][-1] == "quota_over"


def test_a_candidate_deferred_or_off_the_vote_is_not_sent_to_a_revote() -> None:
    """qd132-2018: an absent member is classified later (absent_deferred), not re-voted."""
    roll = Roll(5, 5, 5)
    r = one("qd132-2018", levels(0, 0, 0, 0, blank=5), Papers(5, 5), roll, present=False)
    assert r.level is None and not r.revote


# --- Counting equals the rule engine, for every built-in profile -------------------------


@st.composite
def ballots(draw: st.DrawFn) -> tuple[str, list[SubjectFacts], Counts, Roll]:
    profile_id = draw(st.sampled_from(PROFILES))
    method = load_profile(profile_id).ballot.method
    n = draw(st.integers(1, 8))
    present = draw(st.integers(1, 15))
    eligible = present + draw(st.integers(0, 3))
    returned = draw(st.integers(1, present))
    spoiled = draw(st.integers(0, returned))
    valid = returned - spoiled
    people, rows = [], {}
    for i in range(n):
        people.append(
            member(
                i,
                proposed_level=draw(st.sampled_from(list(Level))),
                present=draw(st.booleans()) or draw(st.booleans()),
                sick_leave_days=draw(st.sampled_from([0, 0, 120])),
            )
        )
        cuts = sorted(draw(st.lists(st.integers(0, valid), min_size=4, max_size=4)))
        if method == "approve_proposal":
            cuts = sorted(draw(st.lists(st.integers(0, valid), min_size=2, max_size=2)))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, valid], strict=True)]
        rows[f"m{i}"] = dict(zip((*choices_for(method), BLANK), parts, strict=True))
    roll = Roll(eligible, present, eligible + draw(st.integers(0, 2)), n)
    return profile_id, people, Counts(method, Papers(present, returned, spoiled), rows), roll


@settings(max_examples=300, deadline=None)
@given(ballots(), st.sampled_from(["cell", "committee", "group"]))
def test_counting_equals_classify_and_apply_quotas_on_the_same_tally(
    case: tuple[str, list[SubjectFacts], Counts, Roll], scope: str
) -> None:
    """For every built-in profile (000 §1.4.3, 001 §2.2.5, QĐ 132/124/366, 002–004): the
    result of counting is the engine's classify over the same votes and unit numbers (voters
    present = papers returned, spoiled as counted), then apply_quotas at the same scope."""
    profile_id, people, counts, roll = case
    profile = load_profile(profile_id)
    missed = shortfalls(
        profile.quorum, present=roll.present, cast=counts.papers.returned, base=roll.eligible
    )
    if missed:  # below the profile's quorum (issue 12 §5): no level is declared at all
        with pytest.raises(QuorumError) as refused:
            count([counts], people, roll, profile, as_of=AS_OF, scope=scope)
        assert refused.value.shortfalls == missed
        return
    got = count([counts], people, roll, profile, as_of=AS_OF, scope=scope)
    ctx = UnitContext(
        AS_OF, roll.eligible, counts.papers.returned, counts.papers.spoiled, roll.members_total
    )
    expected = [classify(f, counts.votes(f.id), profile, ctx) for f in people]
    report = apply_quotas(expected, profile, scope, roll.members_total)
    assert [c.outcome for c in got.candidates] == report.outcomes
    assert [q.as_dict() for q in got.quotas] == [q.as_dict() for q in report.results]
    for c, o in zip(got.candidates, report.outcomes, strict=True):
        assert c.revote == (
            o.classified and o.level is None and "vote_undecided" in [r.code for r in o.notes]
        )
        assert sum(c.marks.values()) == counts.papers.valid
        if c.base:
            assert sum(c.shares_base.values()) == Fraction(counts.papers.valid, c.base)
