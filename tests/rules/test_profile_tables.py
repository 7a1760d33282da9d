"""Every built-in profile, as tables taken from its source's own words (issue 3 §2, §6).

Each row names the rule and the seed section (or central text) it checks.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest

from kiemdiem.rules import (
    Level,
    SubjectFacts,
    Tasks,
    Votes,
    apply_quotas,
    classify_unit,
    load_profile,
)
from kiemdiem.rules.tally import unit_context
from tests.rules.helpers import AS_OF, L, codes, ctx, facts, level, outcome, votes

STRONG = votes(HTXSNV=10)
ON_TIME = Tasks(total=10, on_time=10, exceeded=3)


def _members(spec: list[tuple[str, Votes]], **kw: Any) -> tuple[list[SubjectFacts], dict]:  # type: ignore[type-arg]
    members = [facts(sid, **kw) for sid, _ in spec]
    return members, dict(spec)


def _cell(n_excellent: int, n_good: int, voters: int = 10) -> tuple[list[SubjectFacts], dict]:  # type: ignore[type-arg]
    """A cell whose first ones get strong HTXSNV votes (ranked by share), the rest HTTNV."""
    spec = [(f"x{i}", votes(HTXSNV=voters - i, HTTNV=i)) for i in range(n_excellent)]
    spec += [(f"g{i}", votes(HTTNV=voters)) for i in range(n_good)]
    return _members(spec)


# --- qd132-2018: QĐ 132-QĐ/TW, HD 21-HD/BTCTW (2019), HD 07-HD/BTCTW (2011) ---------------

QD132 = [
    # (why, votes, context, facts, expected level)
    (
        "HD 07: ≥ 2/3 of 9 official members for HTXSNV",
        votes(HTXSNV=6, HTTNV=3),
        ctx(9),
        {},
        L.HTXSNV,
    ),
    (
        "HD 07: 5 of 9 is below 2/3, > 1/2 at or above → HTTNV",
        votes(HTXSNV=5, HTTNV=4),
        ctx(9),
        {},
        L.HTTNV,
    ),
    (
        "HD 07: over all official members, absent ones included",
        votes(HTXSNV=6),
        ctx(6, eligible=10),
        {},
        L.HTTNV,
    ),
    ("HD 07: KHTNV needs > 1/2: 6 of 10", votes(HTNV=4, KHTNV=6), ctx(10), {}, L.KHTNV),
    (
        "HD 07: exactly 1/2 KHTNV and 1/2 HTNV: nothing holds",
        votes(HTNV=5, KHTNV=5),
        ctx(10),
        {},
        None,
    ),
    (
        "HD 21: sick leave ≥ 3 months (90 days) → at most HTNV",
        STRONG,
        ctx(10),
        {"sick_leave_days": 90},
        L.HTNV,
    ),
    (
        "HD 21: maternity is not sick leave",
        STRONG,
        ctx(10),
        {"maternity_leave_days": 180},
        L.HTXSNV,
    ),
    (
        "HD 21: CCVC KHTNV → party KHTNV",
        STRONG,
        ctx(10),
        {"category": "ccvc", "ccvc_level": "KHTNV"},
        L.KHTNV,
    ),
    (
        "HD 21: party HTXSNV needs CCVC HTXSNV",
        STRONG,
        ctx(10),
        {"category": "ccvc", "ccvc_level": "HTTNV"},
        L.HTTNV,
    ),
    (
        "HD 21: disciplined in the year → KHTNV",
        STRONG,
        ctx(10),
        {"disciplined_in_year": True},
        L.KHTNV,
    ),
]


@pytest.mark.parametrize(("why", "v", "c", "kw", "expected"), QD132, ids=[r[0] for r in QD132])
def test_qd132_table(why: str, v: Votes, c: Any, kw: dict[str, Any], expected: Level) -> None:
    assert level("qd132-2018", v, c, **kw) == expected, why


def test_qd132_new_members_are_reviewed_but_not_classified() -> None:
    """HD 21-HD/BTCTW: "mới kết nạp chưa đủ 6 tháng thì kiểm điểm nhưng không xếp loại"."""
    o = outcome("qd132-2018", STRONG, ctx(10), admitted_on=dt.date(2023, 6, 1))
    assert not o.classified and "vẫn kiểm điểm" in o.reasons[0].message


def test_qd132_maternity_is_explained() -> None:
    """HD 21-HD/BTCTW: maternity → rated on the time actually worked (a reason, no cap)."""
    o = outcome("qd132-2018", STRONG, ctx(10), maternity_leave_days=120)
    assert "maternity_time_worked" in codes(o)
    assert "thời gian làm việc thực tế" in o.reasons[-1].message


def test_qd132_exempt_members_vote_only_when_present() -> None:
    """HD 01-HD/TW (2012) point 13.2: members exempt from meetings count only if they attend."""
    p = load_profile("qd132-2018")
    members = [facts("a"), facts("b", exempt=True), facts("c", exempt=True, present=False),
               facts("d", official=False), facts("e", present=False)]  # fmt: skip
    c = unit_context(members, p, AS_OF)
    assert (c.eligible_voters, c.voters_present) == (3, 2)  # a, b, e; present a, b


def test_qd132_quota_is_per_grassroots_organization() -> None:
    """QĐ 132 Điều 10, HD 21: HTXSNV ≤ 20 % of HTTNV per grassroots organization."""
    members, ballot = _cell(3, 9)
    p = load_profile("qd132-2018")
    assert classify_unit(members, ballot, p, as_of=AS_OF).quotas == []
    r = classify_unit(members, ballot, p, as_of=AS_OF, scope="committee").quotas[0]
    assert (r.limit, r.kept, r.over_quota) == (2, ["x0", "x1"], ["x2"])


# --- qd124-2023: QĐ 124-QĐ/TW, HD 25-HD/BTCTW ---------------------------------------------


def test_qd124_new_and_suspended_members_are_not_reviewed() -> None:
    """HD 25-HD/BTCTW (QĐ 124 Điều 5.2): new (< 6 months) and suspended members are neither
    reviewed nor classified."""
    new = outcome("qd124-2023", STRONG, ctx(10), admitted_on=dt.date(2023, 6, 1))
    assert "không kiểm điểm, không xếp loại" in new.reasons[0].message
    suspended = outcome("qd124-2023", STRONG, ctx(10), suspended=True)
    assert codes(suspended) == ["suspended_not_classified"]
    assert "không kiểm điểm" in suspended.reasons[0].message


def test_qd124_quota_per_group_of_comparable_role() -> None:
    """QĐ 124 Điều 12: ≤ 20 % of HTTNV "theo từng nhóm đối tượng có vai trò ... tương đồng"."""
    members, ballot = _cell(3, 9)
    p = load_profile("qd124-2023")
    assert classify_unit(members, ballot, p, as_of=AS_OF).quotas == []
    assert classify_unit(members, ballot, p, as_of=AS_OF, scope="group").quotas[0].limit == 2


def test_qd124_discipline_and_a_poor_criterion() -> None:
    """QĐ 124 point 4.3.d and Điều 12: disciplined in the year, or a criterion rated Kém."""
    assert level("qd124-2023", STRONG, ctx(10), disciplined_in_year=True) == L.KHTNV
    assert level("qd124-2023", STRONG, ctx(10), criteria={"dao_duc": "KEM"}) == L.KHTNV


# --- qd366-2025: QĐ 366-QĐ/TW Điều 11, HD 43-HD/BTCTW ---------------------------------------

QD366 = [
    ("≥ 90 and all on time → HTXSNV", Fraction(90), ON_TIME, {}, L.HTXSNV),
    ("89.99 → HTTNV", Fraction(8999, 100), ON_TIME, {}, L.HTTNV),
    ("70 → HTTNV", Fraction(70), ON_TIME, {}, L.HTTNV),
    ("70 with a late task → HTNV", Fraction(70), Tasks(10, 9, 0), {}, L.HTNV),
    ("50 → HTNV", Fraction(50), ON_TIME, {}, L.HTNV),
    ("49.5 → KHTNV", Fraction(99, 2), ON_TIME, {}, L.KHTNV),
    (
        "leader framework: ≥ 30 % exceeded",
        Fraction(95),
        ON_TIME,
        {"framework": "lanh_dao_quan_ly"},
        L.HTXSNV,
    ),
    (
        "leader framework: 20 % exceeded → HTTNV",
        Fraction(95),
        Tasks(10, 10, 2),
        {"framework": "lanh_dao_quan_ly"},
        L.HTTNV,
    ),
    (
        "a leader by is_leader: same framework",
        Fraction(95),
        Tasks(10, 10, 2),
        {"is_leader": True},
        L.HTTNV,
    ),
    # Issue 14: Điều 11 khoản 1.2 asks ≥ 30 % exceeded of members without a post too.
    (
        "no post, 1.2: all on time but none exceeded → HTTNV",
        Fraction(95),
        Tasks(10, 10, 0),
        {"framework": "khong_giu_chuc_vu"},
        L.HTTNV,
    ),
    (
        "outside the political system, 1.2: none exceeded → HTTNV",
        Fraction(95),
        Tasks(10, 10, 0),
        {"framework": "ngoai_he_thong"},
        L.HTTNV,
    ),
    (
        "a criterion Kém disqualifies (from QĐ 124)",
        Fraction(95),
        ON_TIME,
        {"criteria": {"dao_duc": "KEM"}},
        L.KHTNV,
    ),
]


@pytest.mark.parametrize(
    ("why", "score", "tasks", "kw", "expected"), QD366, ids=[r[0] for r in QD366]
)
def test_qd366_scoring_caps_the_vote(
    why: str, score: Fraction, tasks: Tasks, kw: dict[str, Any], expected: Level
) -> None:
    """QĐ 366 Điều 11: the level the score supports caps the vote, as any cap does."""
    assert level("qd366-2025", STRONG, ctx(10), score=score, tasks=tasks, **kw) == expected, why


def test_qd366_frameworks_are_data() -> None:
    """QĐ 366: five annexed frameworks, 30 points of common criteria and 70 of task results."""
    scoring = load_profile("qd366-2025").caps.scoring
    assert scoring is not None and len(scoring.frameworks) == 5
    assert all(f.common_points + f.task_points == 100 for f in scoring.frameworks.values())


def test_qd366_score_alone_and_a_weak_vote() -> None:
    """The score caps; it never raises a weak vote."""
    assert level("qd366-2025", votes(HTNV=10), ctx(10), score=Fraction(95), tasks=ON_TIME) == L.HTNV
    o = outcome("qd366-2025", None, ctx(10), score=Fraction(95), tasks=ON_TIME)
    assert o.level == L.HTXSNV and "score_level" in codes(o)


# --- thanhlien-2023: seed 000 ---------------------------------------------------------------

THANHLIEN = [
    ("000 §1.4.3: 70 % of 7 present — 5 pass", votes(HTXSNV=5, HTTNV=2), ctx(7), L.HTXSNV),
    ("000 §1.4.3: 70 % of 7 present — 4 fail", votes(HTXSNV=4, HTTNV=3), ctx(7), L.HTTNV),
    ("000 §1.4.3: 60 % at or above for HTTNV", votes(HTXSNV=2, HTTNV=4, HTNV=4), ctx(10), L.HTTNV),
    ("000 §1.4.3: 59 % is not 60 %", votes(HTXSNV=20, HTTNV=39, HTNV=41), ctx(100), L.HTNV),
    (
        "000 §1.4.3: > 50 % at or above for HTNV — exactly half fails",
        votes(HTNV=5, KHTNV=4),
        ctx(10),
        None,
    ),
    ("000 §1.4.3: ≥ 50 % KHTNV — exactly half holds", votes(HTNV=5, KHTNV=5), ctx(10), L.KHTNV),
    (
        "000 §1.4.3: over those present, absent ones left out",
        votes(HTXSNV=7),
        ctx(10, eligible=14),
        L.HTXSNV,
    ),
]


@pytest.mark.parametrize(("why", "v", "c", "expected"), THANHLIEN, ids=[r[0] for r in THANHLIEN])
def test_thanhlien_table(why: str, v: Votes, c: Any, expected: Level) -> None:
    assert level("thanhlien-2023", v, c) == expected, why


def test_thanhlien_voters_are_those_present_except_probationary_and_temporary() -> None:
    """000 §1.4.3: the share is over those present and voting; probationary and temporary
    members do not vote."""
    p = load_profile("thanhlien-2023")
    members = [facts("a"), facts("b", present=False), facts("c", official=False),
               facts("d", temporary=True), facts("e")]  # fmt: skip
    c = unit_context(members, p, AS_OF)
    assert (c.eligible_voters, c.voters_present) == (3, 2)


def test_thanhlien_absent_member_is_classified_from_the_written_report() -> None:
    """000 §2.3: an individual absent for good reason sends a self-assessment and is
    classified; not deferred as in 001."""
    o = outcome("thanhlien-2023", votes(HTTNV=8, HTNV=2), ctx(10), present=False)
    assert o.level == L.HTTNV and "absent_deferred" not in codes(o)


def test_thanhlien_floor_where_fewer_than_five_httnv() -> None:
    """000 §2.3: "dưới 5 ... đảng viên ... HTTNV thì chọn 1 ... HTXSNV nếu đủ điều kiện"."""
    members, ballot = _cell(2, 3, voters=5)
    r = classify_unit(members, ballot, load_profile("thanhlien-2023"), as_of=AS_OF).quotas[0]
    assert (r.limit, r.kept, r.over_quota) == (1, ["x0"], ["x1"])


# --- dhktna-2016: seed 001 ------------------------------------------------------------------


def _dhktna(approve: int, proposed: Level, voters: int = 9, **kw: Any) -> Level | None:
    v = Votes(approve=approve, disapprove=voters - approve)
    return level("dhktna-2016", v, ctx(voters), proposed_level=proposed, **kw)


DHKTNA = [
    ("001 §2.2.5a: > 2/3 of 9 needs 7", 7, L.HTXSNV, {}, L.HTXSNV),
    ("001 §2.2.5a: 6 of 9 supports the levels below", 6, L.HTXSNV, {}, L.HTTNV),
    ("001 §2.2.5b: > 1/2 of 9 is 5", 5, L.HTTNV, {}, L.HTTNV),
    ("001 §2.2.5b: 4 of 9 fails", 4, L.HTTNV, {}, None),
    ("001 §2.2.5d: KHTNV needs > 1/2 approval", 5, L.KHTNV, {}, L.KHTNV),
    ("001 §2.2.5d: KHTNV not approved → undecided", 4, L.KHTNV, {}, None),
    ("001 §2.2.6: sick leave ≥ 3 months → HTNV", 9, L.HTXSNV, {"sick_leave_days": 91}, L.HTNV),
    ("001 §2.2.6: working far away → HTNV", 9, L.HTTNV, {"works_far_away": True}, L.HTNV),
    (
        "001 §2.2.5c: CCVC 'còn hạn chế' allows HTNV",
        9,
        L.HTTNV,
        {"category": "ccvc", "ccvc_level": "HTNV_HAN_CHE"},
        L.HTNV,
    ),
    (
        "001 §2.2.5a: a leader whose unit is HTNV is not HTXSNV",
        9,
        L.HTXSNV,
        {"is_leader": True, "heads_collective_level": L.HTNV},
        L.HTTNV,
    ),
    (
        "001 §2.2.5a: a leader whose unit is HTTNV may be",
        9,
        L.HTXSNV,
        {"is_leader": True, "deputy_of_collective_level": L.HTTNV},
        L.HTXSNV,
    ),
    ("001 §2.2.5a: students need an award", 9, L.HTXSNV, {"category": "student"}, L.HTTNV),
]


@pytest.mark.parametrize(
    ("why", "approve", "proposed", "kw", "expected"), DHKTNA, ids=[r[0] for r in DHKTNA]
)
def test_dhktna_table(
    why: str, approve: int, proposed: Level, kw: dict[str, Any], expected: Level
) -> None:
    assert _dhktna(approve, proposed, **kw) == expected, why


def test_dhktna_small_cell_at_most_one() -> None:
    """001 §2.2.5a: "chi bộ có dưới 07 đảng viên thì không quá 01 đồng chí"."""
    members = [facts(f"m{i}", proposed_level=L.HTXSNV) for i in range(6)]
    ballot = {m.id: Votes(approve=6 - (i > 2)) for i, m in enumerate(members)}
    r = classify_unit(members, ballot, load_profile("dhktna-2016"), as_of=AS_OF).quotas[0]
    assert r.limit == 1 and len(r.kept) + len(r.needs_decision) + len(r.over_quota) == 6
    assert r.kept == [] and len(r.needs_decision) == 3  # three tied at 6/6 straddle the limit


def test_dhktna_fifteen_percent_of_httnv_or_above() -> None:
    """001 §2.2.5a: ≤ 15 % of those HTTNV "trở lên": 3 of 20 may be excellent."""
    members = [facts(f"m{i:02d}", proposed_level=L.HTXSNV if i < 5 else L.HTTNV) for i in range(20)]
    ballot = {m.id: Votes(approve=20 - i if i < 5 else 20) for i, m in enumerate(members)}
    r = classify_unit(members, ballot, load_profile("dhktna-2016"), as_of=AS_OF).quotas[0]
    assert r.limit == 3 and r.kept == ["m00", "m01", "m02"]


# --- dukdntw-2018: seed 002 -----------------------------------------------------------------


def test_dukdntw_votes_as_the_central_rule_and_meeting_length() -> None:
    """002 §4.2: the review lasts at least 1 day, 1.5 days where suggestions were sent; the
    vote is the central rule's (QĐ 132)."""
    p, parent = load_profile("dukdntw-2018"), load_profile("qd132-2018")
    assert p.ballot == parent.ballot and p.quotas == parent.quotas
    assert p.meeting is not None and p.meeting.source.startswith("Kế hoạch số 58-KH/ĐUK")
    assert (p.meeting.length_days, p.meeting.length_days_with_suggestions) == (1, Fraction(3, 2))


# --- bvphoi-2021: seed 003 ------------------------------------------------------------------


def test_bvphoi_new_members_still_review() -> None:
    """003 §III: "mới kết nạp chưa đủ 06 tháng, nhưng vẫn phải kiểm điểm"."""
    o = outcome("bvphoi-2021", STRONG, ctx(10), admitted_on=dt.date(2023, 9, 1))
    assert not o.classified and "vẫn kiểm điểm" in o.reasons[0].message


def test_bvphoi_maternity_is_rated_on_time_worked() -> None:
    """003 §III: maternity → the result of the time actually worked; not sick leave."""
    o = outcome("bvphoi-2021", STRONG, ctx(10), maternity_leave_days=180)
    assert o.level == L.HTXSNV and "maternity_time_worked" in codes(o)
    assert o.reasons[-1].source.startswith(
        "Kế hoạch kiểm điểm tự phê bình và phê bình, đánh giá chất lượng chi bộ và đảng viên năm 2021 của Chi bộ Bệnh viện Phổi, mục III"  # noqa: E501 (the readable citation)
    )


def test_bvphoi_quota_at_cell_and_committee() -> None:
    """003 §III: ≤ 20 % of HTTNV at the cell, and again at the grassroots committee."""
    members, ballot = _cell(3, 9)
    p = load_profile("bvphoi-2021")
    cell = classify_unit(members, ballot, p, as_of=AS_OF)
    assert cell.quotas[0].limit == 2
    again = apply_quotas(cell.outcomes, p, "committee")
    assert again.results[0].limit == 2 and again.results[0].over_quota == []


# --- tuyenquang-2021: seed 004 --------------------------------------------------------------


def test_tuyenquang_twenty_percent_at_the_cell() -> None:
    """004 §2(5): "không vượt quá 20% số được xếp loại Hoàn thành tốt nhiệm vụ"."""
    members, ballot = _cell(4, 6)
    r = classify_unit(members, ballot, load_profile("tuyenquang-2021"), as_of=AS_OF).quotas[0]
    assert r.limit == 1 and r.kept == ["x0"] and r.over_quota == ["x1", "x2", "x3"]


def test_tuyenquang_head_and_deputy_not_above_their_collective() -> None:
    """004 §2(5): "người đứng đầu và cấp phó ... không được cao hơn" the collective."""
    assert level("tuyenquang-2021", STRONG, ctx(10), heads_collective_level=L.HTTNV) == L.HTTNV
    assert level("tuyenquang-2021", STRONG, ctx(10), deputy_of_collective_level=L.HTNV) == L.HTNV
