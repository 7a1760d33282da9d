"""QĐ 366-QĐ/TW Điều 11 and HD 43-HD/BTCTW mục 7.5, condition by condition and at each
boundary, under the qd366-2025 profile (research/regulations.md §1.2a)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest

from kiemdiem.rules import Tasks
from kiemdiem.rules.facts import Part
from tests.rules.helpers import L, codes, ctx, level, outcome, votes

STRONG = votes(HTXSNV=10)
ALL = Tasks(total=10, on_time=10, exceeded=3)


def lv(score: Fraction | int | None = 95, tasks: Tasks | None = ALL, **kw: Any) -> L | None:
    s = Fraction(score) if score is not None else None
    return level("qd366-2025", STRONG, ctx(10), score=s, tasks=tasks, **kw)


TABLE = [
    # (article, why, score, tasks, extra facts, level)
    ("Điều 11 khoản 1", "90 points, all on time, 3/10 exceeded", 90, ALL, {}, L.HTXSNV),
    ("Điều 11 khoản 1/2", "89.99 points → HTTNV", Fraction(8999, 100), ALL, {}, L.HTTNV),
    ("Điều 11 khoản 1.2", "3 of 10 exceeded (30 %), no post", 95, ALL, {}, L.HTXSNV),
    ("Điều 11 khoản 1.2", "2 of 7 exceeded (28.6 %) → HTTNV", 95, Tasks(7, 7, 2), {}, L.HTTNV),
    (
        "Điều 11 khoản 1.1",
        "leader, 2 of 7 exceeded → HTTNV",
        95,
        Tasks(7, 7, 2),
        {"is_leader": True},
        L.HTTNV,
    ),
    ("Điều 11 khoản 1.1", "leader, 3 of 10 exceeded", 95, ALL, {"is_leader": True}, L.HTXSNV),
    (
        "Điều 11 khoản 1.3",
        "earlier shortcomings not fixed → HTTNV",
        95,
        ALL,
        {"shortcomings_unfixed": 1},
        L.HTTNV,
    ),
    ("Điều 11 khoản 2", "one late task: not 100 % on time → HTNV", 95, Tasks(10, 9, 3), {}, L.HTNV),
    ("Điều 11 khoản 3", "2 of 10 late (20 % exactly) → HTNV", 80, Tasks(10, 8, 0), {}, L.HTNV),
    ("Điều 11 khoản 3", "3 of 10 late (30 %) → KHTNV", 80, Tasks(10, 7, 0), {}, L.KHTNV),
    ("Điều 11 khoản 3", "one task not done → not HTNV", 80, Tasks(10, 9, 0, done=9), {}, L.KHTNV),
    (
        "Điều 11 khoản 4.2",
        "6 of 10 not done → KHTNV whatever the score",
        95,
        Tasks(10, 4, 0, done=4),
        {},
        L.KHTNV,
    ),
    (
        "Điều 11 khoản 4.1",
        "leader: plan 69 % done → KHTNV",
        95,
        Tasks(100, 69, 0, done=69),
        {"is_leader": True},
        L.KHTNV,
    ),
    (
        "Điều 11 khoản 4.1",
        "leader: > 1/2 of units led rated KHTNV",
        95,
        ALL,
        {"is_leader": True, "led_units_khtnv": Part(3, 5)},
        L.KHTNV,
    ),
    (
        "Điều 11 khoản 4.1",
        "leader: exactly 1/2 of units led KHTNV is not > 1/2",
        95,
        ALL,
        {"is_leader": True, "led_units_khtnv": Part(2, 4)},
        L.HTXSNV,
    ),
    (
        "Điều 11 khoản 4.1",
        "leader: > 1/2 low-confidence ballots",
        95,
        ALL,
        {"is_leader": True, "low_confidence": Part(11, 20)},
        L.KHTNV,
    ),
    (
        "Điều 11 khoản 4.1",
        "leader condition does not apply to a member",
        95,
        ALL,
        {"low_confidence": Part(11, 20)},
        L.HTXSNV,
    ),
    ("Điều 11 khoản 4", "suy thoái concluded → KHTNV", 95, ALL, {"degraded": True}, L.KHTNV),
    (
        "Điều 11 khoản 4",
        "khiển trách in the year → KHTNV",
        95,
        ALL,
        {"discipline_form": "khien_trach"},
        L.KHTNV,
    ),
    ("Điều 11 khoản 4", "49.99 points → KHTNV", Fraction(4999, 100), ALL, {}, L.KHTNV),
]


@pytest.mark.parametrize(
    ("article", "why", "score", "tasks", "kw", "expected"), TABLE, ids=[r[1] for r in TABLE]
)
def test_qd366_article_11(
    article: str, why: str, score: Any, tasks: Tasks, kw: dict[str, Any], expected: L
) -> None:
    assert lv(score, tasks, **kw) == expected, f"QĐ 366 {article}: {why}"


def test_khtnv_reason_cites_its_clause() -> None:
    """Điều 11 khoản 4.2: the reason names the share and its source."""
    o = outcome("qd366-2025", STRONG, ctx(10), score=Fraction(95), tasks=Tasks(10, 4, 0, 4))
    why = [r for r in o.reasons if r.code == "condition_khtnv"]
    assert why and "khoản 4" in why[0].source and "6/10" in why[0].message


def test_unknown_tasks_are_noted_not_assumed() -> None:
    """Điều 11: without task counts the conditions are not checked, and the report says so."""
    o = outcome("qd366-2025", STRONG, ctx(10), score=Fraction(95), tasks=None)
    assert "tasks_unknown" in codes(o)


def test_sick_leave_and_maternity_rated_on_work_done() -> None:
    """HD 43-HD/BTCTW mục 7.5: ≥ 3 months' sick leave or maternity: no cap, a note."""
    assert lv(sick_leave_days=120) == L.HTXSNV
    assert "sick_leave_time_worked" in codes(
        outcome("qd366-2025", STRONG, ctx(10), score=Fraction(95), tasks=ALL, sick_leave_days=120)
    )
    assert lv(maternity_leave_days=180) == L.HTXSNV


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"exempt": True}, "exempt_not_classified"),
        ({"suspended": True}, "suspended_not_classified"),
        ({"admitted_on": dt.date(2023, 7, 1)}, "new_member_not_classified"),
    ],
)
def test_who_is_not_reviewed(kw: dict[str, Any], code: str) -> None:
    """QĐ 366 Điều 5 khoản 2: exempt, suspended, admitted < 6 months: not reviewed, a reason."""
    o = outcome("qd366-2025", STRONG, ctx(10), score=Fraction(95), tasks=ALL, **kw)
    assert o.level is None and codes(o) == [code]
    assert "không kiểm điểm" in o.reasons[0].message
