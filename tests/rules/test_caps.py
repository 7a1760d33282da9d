"""Caps and conditions (domain.md §4.2): a level is lowered or barred whatever the vote."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from kiemdiem.rules import Tasks, Votes
from tests.rules.helpers import AS_OF, L, codes, ctx, level, outcome, votes

STRONG = votes(HTXSNV=10)


def test_disciplined_is_khtnv_without_a_vote() -> None:
    """003 §III: "bị xử lý kỷ luật thì xếp loại không hoàn thành nhiệm vụ, không đưa vào danh
    sách biểu quyết"."""
    o = outcome("bvphoi-2021", None, ctx(10), disciplined_in_year=True)
    assert o.level == L.KHTNV and codes(o) == ["discipline_khtnv"]


def test_sick_leave_three_months_at_most_htnv() -> None:
    """003 §III, 001 §2.2.5: "nghỉ ốm từ 03 tháng trở lên không xếp loại HTTNV trở lên"."""
    assert level("bvphoi-2021", STRONG, ctx(10), sick_leave_days=90) == L.HTNV
    assert level("bvphoi-2021", STRONG, ctx(10), sick_leave_days=89) == L.HTXSNV


def test_working_far_away_at_most_htnv_in_001_only() -> None:
    """001 §2.2.5: "đi làm ăn xa nơi cư trú ... không phân loại đạt mức HTTNV trở lên"."""
    o = outcome(
        "dhktna-2016",
        Votes(approve=9),
        ctx(9),
        proposed_level=L.HTTNV,
        works_far_away=True,
    )
    assert o.level == L.HTNV and "cap_far_away" in codes(o)
    assert level("bvphoi-2021", STRONG, ctx(10), works_far_away=True) == L.HTXSNV


def test_absences_and_silence_bar_htxsnv() -> None:
    """003 §III: absent from ≥ 3 regular meetings, or silent in ≥ 6 → not HTXSNV."""
    assert level("bvphoi-2021", STRONG, ctx(10), meetings_absent=3) == L.HTTNV
    assert level("bvphoi-2021", STRONG, ctx(10), meetings_silent=6) == L.HTTNV
    assert level("bvphoi-2021", STRONG, ctx(10), meetings_absent=2, meetings_silent=5) == L.HTXSNV


def test_ccvc_link_central() -> None:
    """HD 21-HD/BTCTW: the party level of a CCVC member follows their CCVC rating."""
    kw = {"category": "ccvc"}
    assert level("qd132-2018", STRONG, ctx(10), ccvc_level="HTXSNV", **kw) == L.HTXSNV
    assert level("qd132-2018", STRONG, ctx(10), ccvc_level="HTTNV", **kw) == L.HTTNV
    assert level("qd132-2018", STRONG, ctx(10), ccvc_level="HTNV_HAN_CHE", **kw) == L.HTNV
    assert level("qd132-2018", STRONG, ctx(10), ccvc_level="KHTNV", **kw) == L.KHTNV


def test_ccvc_awards_stand_in_for_htxsnv_in_001() -> None:
    """001 §2.2.5a: CCVC HTXSNV, or a "Chiến sỹ thi đua cấp cơ sở" proposal, or a "Bằng khen"."""
    common = {"category": "ccvc", "ccvc_level": "HTTNV", "proposed_level": L.HTXSNV}
    approve = Votes(approve=9)
    assert outcome("dhktna-2016", approve, ctx(9), **common).level == L.HTTNV
    awarded = outcome("dhktna-2016", approve, ctx(9), awards=frozenset({"bang_khen"}), **common)
    assert awarded.level == L.HTXSNV


def test_students_and_business_need_an_award_for_htxsnv_in_001() -> None:
    """001 §2.2.5a: students and business people need an award (giấy khen or above)."""
    base = {"proposed_level": L.HTXSNV}
    assert (
        outcome("dhktna-2016", Votes(approve=9), ctx(9), category="student", **base).level
        == L.HTTNV
    )
    o = outcome("dhktna-2016", Votes(approve=9), ctx(9), category="business",
                awards=frozenset({"giay_khen"}), **base)  # fmt: skip
    assert o.level == L.HTXSNV


def test_head_not_above_the_collective() -> None:
    """003 §III: the head of the committee is never above the committee."""
    o = outcome("bvphoi-2021", STRONG, ctx(10), heads_collective_level=L.HTTNV)
    assert o.level == L.HTTNV and "cap_head" in codes(o)


def test_deputy_capped_only_where_the_plan_says_so() -> None:
    """004 §2(5): the head and the deputy; 003 names only the head."""
    assert level("tuyenquang-2021", STRONG, ctx(10), deputy_of_collective_level=L.HTNV) == L.HTNV
    assert level("bvphoi-2021", STRONG, ctx(10), deputy_of_collective_level=L.HTNV) == L.HTXSNV


def test_criteria_degrees_of_qd124() -> None:
    """QĐ 124: HTXSNV needs every criterion Tốt+ and results Xuất sắc; HTTNV Trung bình+ and
    results Tốt+; a criterion rated Kém, or < 50% of targets → KHTNV."""
    good = {"chinh_tri": "TOT", "dao_duc": "XUAT_SAC", "ket_qua": "XUAT_SAC"}
    assert level("qd124-2023", STRONG, ctx(10), criteria=good) == L.HTXSNV
    assert level("qd124-2023", STRONG, ctx(10), criteria={**good, "ket_qua": "TOT"}) == L.HTTNV
    assert (
        level("qd124-2023", STRONG, ctx(10), criteria={**good, "dao_duc": "TRUNG_BINH"}) == L.HTTNV
    )
    assert (
        level("qd124-2023", STRONG, ctx(10), criteria={**good, "ket_qua": "TRUNG_BINH"}) == L.HTNV
    )
    assert level("qd124-2023", STRONG, ctx(10), criteria={**good, "chinh_tri": "KEM"}) == L.KHTNV
    low = Tasks(total=10, on_time=4)
    assert level("qd124-2023", STRONG, ctx(10), criteria=good, tasks=low) == L.KHTNV


def test_scoring_of_qd366() -> None:
    """QĐ 366 Điều 11: ≥ 90 HTXSNV (all tasks on time, ≥ 30% exceeded, for everyone: khoản
    1.1 and 1.2), 70–< 90
    HTTNV (all on time), 50–< 70 HTNV, < 50 KHTNV; the score's level caps the vote."""
    on_time = Tasks(total=10, on_time=10, exceeded=3)
    assert level("qd366-2025", STRONG, ctx(10), score=Fraction(90), tasks=on_time) == L.HTXSNV
    assert level("qd366-2025", STRONG, ctx(10), score=Fraction(179, 2), tasks=on_time) == L.HTTNV
    assert level("qd366-2025", STRONG, ctx(10), score=Fraction(69), tasks=on_time) == L.HTNV
    assert level("qd366-2025", STRONG, ctx(10), score=Fraction(49), tasks=on_time) == L.KHTNV
    late = Tasks(total=10, on_time=9)
    assert level("qd366-2025", STRONG, ctx(10), score=Fraction(95), tasks=late) == L.HTNV
    few = Tasks(total=10, on_time=10, exceeded=2)
    assert (
        level("qd366-2025", STRONG, ctx(10), score=Fraction(95), tasks=few, is_leader=True)
        == L.HTTNV
    )
    # Issue 14: khoản 1.2 asks members without a post for ≥ 30% exceeded too (was HTXSNV).
    assert level("qd366-2025", STRONG, ctx(10), score=Fraction(95), tasks=few) == L.HTTNV


def test_score_alone_classifies_when_there_is_no_vote() -> None:
    o = outcome("qd366-2025", None, ctx(10), score=Fraction(75), tasks=Tasks(4, 4, 0))
    assert o.level == L.HTTNV


def test_who_is_classified() -> None:
    """domain.md §1: exempt, suspended, new (< 6 months) and temporary members are not
    classified here (the temporary one at the official cell)."""
    assert codes(outcome("qd132-2018", STRONG, ctx(10), exempt=True)) == ["exempt_not_classified"]
    assert codes(outcome("qd132-2018", STRONG, ctx(10), suspended=True)) == [
        "suspended_not_classified"
    ]
    new = outcome("qd132-2018", STRONG, ctx(10), admitted_on=AS_OF - dt.timedelta(days=150))
    assert codes(new) == ["new_member_not_classified"]
    six = outcome("qd132-2018", STRONG, ctx(10), admitted_on=dt.date(2023, 5, 20))
    assert six.classified  # exactly 6 months before the reference date
    assert codes(outcome("qd132-2018", STRONG, ctx(10), temporary=True)) == [
        "temporary_classified_at_official"
    ]


def test_absent_member_is_deferred() -> None:
    """001 §2.2.5: absent members are classified at the next meeting."""
    o = outcome("dhktna-2016", Votes(approve=9), ctx(9), present=False, proposed_level=L.HTTNV)
    assert o.classified and o.level is None and codes(o) == ["absent_deferred"]


def test_caps_only_lower() -> None:
    """A cap never raises: a weak vote stays weak whatever the cap."""
    o = outcome("bvphoi-2021", votes(HTNV=10), ctx(10), heads_collective_level=L.HTXSNV)
    assert o.level == L.HTNV
