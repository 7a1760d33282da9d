"""Caps and conditions (domain.md §4.2): what lowers or bars a level whatever the vote.

Each check reads one profile setting; the profile's enabled checks are worked out once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import lru_cache
from typing import Any

from kiemdiem.rules.facts import SubjectFacts, Tasks
from kiemdiem.rules.levels import CCVC_LIMITED, DESCENDING, Level
from kiemdiem.rules.profile import Conditions, RuleProfile
from kiemdiem.rules.reasons import CATEGORY_NAMES, Reason, reason

_NAME = {lv: lv.name for lv in Level}
# CCVC ratings in order; "HTNV but limited capacity" sits between HTNV and KHTNV.
_CCVC_RANK = {"KHTNV": 0, CCVC_LIMITED: 1, "HTNV": 2, "HTTNV": 3, "HTXSNV": 4}
_DEGREE = {"KEM": 0, "TRUNG_BINH": 1, "TOT": 2, "XUAT_SAC": 3}

Cap = tuple[Level, Reason]
_NO_CAPS: tuple[Cap, ...] = ()  # immutable: shared by every member without caps
# Reasons that explain the outcome even when they leave HTXSNV open (a note, not a bar).
SHOWN_AT_ANY_LEVEL = frozenset(
    {"score_level", "maternity_time_worked", "sick_leave_time_worked", "tasks_unknown"}
)
_NO_CONDITIONS = Conditions()


def _sick_leave(f: SubjectFacts, p: RuleProfile) -> Sequence[Cap]:
    s = p.caps.sick_leave
    assert s is not None
    days = f.sick_leave_days
    if f.maternity_leave_days:
        m = p.caps.maternity
        if m is not None and m.enabled and m.counts_as_sick_leave:
            days += f.maternity_leave_days
    if days == 0 and not f.works_far_away:
        return _NO_CAPS
    if days >= s.days and s.rated_on_work_done:  # HD 43 7.5: a note, no cap
        return [(Level.HTXSNV, reason("sick_leave_time_worked", s.source, days=days))]
    if days >= s.days:
        why = reason("cap_sick_leave", s.source, days=s.days, level=_NAME[s.max_level])
        return [(s.max_level, why)]
    if s.far_away and f.works_far_away:
        return [(s.max_level, reason("cap_far_away", s.source, level=_NAME[s.max_level]))]
    return _NO_CAPS


def _attendance(f: SubjectFacts, p: RuleProfile) -> Sequence[Cap]:
    a = p.caps.attendance
    assert a is not None
    if f.meetings_absent < a.absences and f.meetings_silent < a.silent:
        return _NO_CAPS
    why = reason(
        "cap_attendance",
        a.source,
        absent=f.meetings_absent,
        silent=f.meetings_silent,
        level=_NAME[a.bars],
    )
    return [(Level(a.bars - 1), why)]


def _category(f: SubjectFacts, p: RuleProfile) -> Sequence[Cap]:
    c = p.caps.categories
    assert c is not None
    needed = c.awards_required.get(f.category)
    if not needed or f.awards & set(needed):
        return _NO_CAPS
    top = Level(c.level - 1)
    why = reason(
        "cap_category",
        c.source,
        category=CATEGORY_NAMES.get(f.category, f.category),
        level=_NAME[c.level],
        cap=_NAME[top],
    )
    return [(top, why)]


def _leader_unit(f: SubjectFacts, p: RuleProfile) -> Sequence[Cap]:
    """001 §2.2.5a: a leader (head or deputy) reaches HTXSNV only if their unit is rated at
    least HTTNV. An unknown unit rating leaves the level open: the chi ủy checks it."""
    c = p.caps.categories
    assert c is not None
    need = c.leader_unit_at_least
    unit = f.heads_collective_level or f.deputy_of_collective_level
    if need is None or not f.is_leader or unit is None or unit >= need:
        return _NO_CAPS
    top = Level(c.level - 1)
    why = reason("cap_leader_unit", c.source, unit=_NAME[unit], need=_NAME[need],
                 level=_NAME[c.level], cap=_NAME[top])  # fmt: skip
    return [(top, why)]


def _maternity(f: SubjectFacts, p: RuleProfile) -> Sequence[Cap]:
    if not f.maternity_leave_days:
        return _NO_CAPS
    m = p.caps.maternity
    assert m is not None
    why = reason("maternity_time_worked", m.source, days=f.maternity_leave_days)
    return [(Level.HTXSNV, why)]  # a note: it bars nothing


def _head(f: SubjectFacts, p: RuleProfile) -> Sequence[Cap]:
    h = p.caps.head
    assert h is not None
    caps: list[Cap] = []
    if f.heads_collective_level is not None:
        lv = f.heads_collective_level
        caps.append((lv, reason("cap_head", h.source, level=_NAME[lv])))
    if h.deputy and f.deputy_of_collective_level is not None:
        lv = f.deputy_of_collective_level
        caps.append((lv, reason("cap_deputy", h.source, level=_NAME[lv])))
    return caps


def _scoring(f: SubjectFacts, p: RuleProfile) -> Sequence[Cap]:
    cfg = p.caps.scoring
    assert cfg is not None
    if cfg.conditions != _NO_CONDITIONS:  # QĐ 366 Điều 11 conditions, each with its source
        from kiemdiem.rules.conditions import khtnv_caps, score_caps

        found = list(khtnv_caps(f, p))
        if f.score is not None:
            found = [*score_caps(f, p, _fmt(f.score)), *found]
        return found
    if f.score is None:
        return _NO_CAPS
    lv = score_level(f, p)
    return [(lv, reason("score_level", cfg.source, score=_fmt(f.score), level=_NAME[lv]))]


Check = Callable[[SubjectFacts, RuleProfile], Sequence[Cap]]


def enabled_checks(p: RuleProfile) -> tuple[Check, ...]:
    """The caps a profile turns on, in a fixed order (the classify engine keeps them)."""
    c = p.caps
    pairs: list[tuple[Any, Check]] = [  # each setting has `enabled`
        (c.sick_leave, _sick_leave),
        (c.attendance, _attendance),
        (c.ccvc, _ccvc),
        (c.categories, _category),
        (c.categories, _leader_unit),
        (c.maternity, _maternity),
        (c.head, _head),
        (c.criteria, _criteria),
        (c.scoring, _scoring),
    ]
    return tuple(fn for setting, fn in pairs if setting is not None and setting.enabled)


def caps_for(f: SubjectFacts, p: RuleProfile) -> Sequence[Cap]:
    """Every cap on a subject under a profile, with its reason."""
    found: list[Cap] = []
    for check in enabled_checks(p):
        found.extend(check(f, p))
    return found


def _ccvc(f: SubjectFacts, p: RuleProfile) -> Sequence[Cap]:
    """The CCVC link (domain.md §4.2): the party level of a civil servant follows their
    CCVC rating; awards may stand in for a CCVC HTXSNV where the profile says so."""
    if f.category != "ccvc":
        return _NO_CAPS
    link = p.caps.ccvc
    assert link is not None
    if f.ccvc_level is None:
        if link.missing_rating_caps_at is not None:
            lv = link.missing_rating_caps_at
            return [(lv, reason("cap_ccvc_missing", link.source, level=lv.name))]
        return []
    rank = _CCVC_RANK[f.ccvc_level]
    if rank == 0 and link.ccvc_khtnv_gives_khtnv:
        return [(Level.KHTNV, reason("cap_ccvc", link.source, ccvc=f.ccvc_level, level="KHTNV"))]
    for lv in DESCENDING:
        need = link.requires.get(lv)
        if need is None:
            return (
                []
                if lv == Level.HTXSNV
                else [(lv, reason("cap_ccvc", link.source, ccvc=f.ccvc_level, level=lv.name))]
            )
        award = lv == Level.HTXSNV and bool(f.awards & set(link.htxsnv_awards))
        if rank >= _CCVC_RANK[need] or award:
            if lv == Level.HTXSNV:
                return []
            return [(lv, reason("cap_ccvc", link.source, ccvc=f.ccvc_level, level=lv.name))]
    return [(Level.KHTNV, reason("cap_ccvc", link.source, ccvc=f.ccvc_level, level="KHTNV"))]


@lru_cache(maxsize=64)
def _fixed(level: Level, code: str, source: str, level_name: str = "") -> tuple[Cap, ...]:
    """A cap whose reason has no per-member values: made once and shared (reasons are
    immutable), since a province's recompute meets the same one hundreds of thousands of
    times."""
    values = {"level": level_name} if level_name else {}
    return ((level, reason(code, source, **values)),)


def _criteria(f: SubjectFacts, p: RuleProfile) -> Sequence[Cap]:
    """QĐ 124: HTXSNV needs every criterion Tốt or above and results Xuất sắc; HTTNV every
    criterion Trung bình or above and results Tốt or above; Kém, or under half the targets
    met (tasks done on time out of all), is KHTNV."""
    if not f.criteria:
        return _NO_CAPS
    cfg = p.caps.criteria
    assert cfg is not None
    key, results, lowest = cfg.results_key, None, 3
    for name, text in f.criteria.items():
        degree = _DEGREE.get(text)
        if degree is None:
            degree = _DEGREE.get(text.upper(), 0)
        if degree == 0:
            return _fixed(Level.KHTNV, "criteria_khtnv", cfg.source)
        if name == key:
            results = degree
        elif degree < lowest:
            lowest = degree
    t = f.tasks
    if t is not None and t.total > 0:
        share = cfg.min_targets_met  # on_time/total < p/q, cross-multiplied
        if t.on_time * share.denominator < share.numerator * t.total:
            return _fixed(Level.KHTNV, "criteria_khtnv", cfg.source)
    if lowest >= 2 and (results is None or results >= 3):
        return _NO_CAPS
    if lowest >= 1 and (results is None or results >= 2):
        return _fixed(Level.HTTNV, "cap_criteria", cfg.source, "HTTNV")
    return _fixed(Level.HTNV, "cap_criteria", cfg.source, "HTNV")


def score_level(f: SubjectFacts, p: RuleProfile) -> Level:
    """QĐ 366 Điều 11: the level a score supports, with its task conditions."""
    cfg = p.caps.scoring
    assert cfg is not None and f.score is not None
    tasks = f.tasks or Tasks()
    all_on_time = tasks.total == 0 or tasks.on_time >= tasks.total
    framework = cfg.frameworks.get(
        f.framework or (cfg.leader_framework if f.is_leader else cfg.member_framework)
    )
    # Without frameworks in the profile, leaders are the ones who must exceed targets.
    needs_exceeded = framework.exceeded_required if framework is not None else f.is_leader
    exceeded_ok = not needs_exceeded or (
        tasks.total > 0 and Fraction(tasks.exceeded, tasks.total) >= cfg.exceeded_share_for_leaders
    )
    if f.score >= cfg.htxsnv_from and all_on_time and exceeded_ok:
        return Level.HTXSNV
    if f.score >= cfg.httnv_from and all_on_time:
        return Level.HTTNV
    if f.score >= cfg.htnv_from:
        return Level.HTNV
    return Level.KHTNV


def _fmt(value: Fraction) -> str:
    return (
        str(value.numerator) if value.denominator == 1 else f"{float(value):.1f}".replace(".", ",")
    )
