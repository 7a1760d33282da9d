"""QĐ 366-QĐ/TW Điều 11: the level a score supports with its task conditions, and the facts
that make a member KHTNV whatever the score. Pure: facts and the profile in, caps out.

A level needs its score band and its conditions; where a condition fails the member falls
to the next level down whose conditions hold (KHTNV at the bottom). Unknown tasks leave the
task conditions unchecked, with a note: the chi ủy checks them (as an unknown unit rating
leaves the leader's condition open, caps._leader_unit).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from kiemdiem.rules.facts import Part, SubjectFacts, Tasks
from kiemdiem.rules.levels import Level
from kiemdiem.rules.profile import Condition, Conditions, RuleProfile, Scoring
from kiemdiem.rules.reasons import Reason, reason

Cap = tuple[Level, Reason]

# What each condition asks, in the words of Điều 11 (the numbers come from the profile).
WHAT = {
    "htxsnv_exceeded": "có ít nhất {share} số nhiệm vụ hoàn thành vượt mức ({part}/{whole})",
    "htxsnv_on_time": "hoàn thành 100% nhiệm vụ đúng hạn ({part}/{whole})",
    "htxsnv_shortcomings_fixed": (
        "khắc phục 100% hạn chế, khuyết điểm được chỉ ra ở kỳ kiểm điểm trước "
        "(còn {part} chưa khắc phục)"
    ),
    "httnv_on_time": "hoàn thành 100% nhiệm vụ đúng hạn ({part}/{whole})",
    "htnv_done": "hoàn thành 100% nhiệm vụ ({part}/{whole})",
    "htnv_late": "số nhiệm vụ chưa bảo đảm tiến độ không vượt quá {share} ({part}/{whole})",
    "khtnv_not_done": "Có trên {share} số nhiệm vụ trong năm không hoàn thành ({part}/{whole})",
    "khtnv_plan_done": (
        "Lĩnh vực, đơn vị do mình trực tiếp lãnh đạo, quản lý hoàn thành dưới {share} số "
        "nhiệm vụ theo chương trình, kế hoạch ({part}/{whole})"
    ),
    "khtnv_units": (
        "Có trên {share} số địa phương, đơn vị do mình phụ trách bị xếp loại Không hoàn "
        "thành nhiệm vụ ({part}/{whole})"
    ),
    "khtnv_low_confidence": (
        "Có trên {share} số phiếu tín nhiệm thấp tại kỳ lấy phiếu tín nhiệm trong năm "
        "({part}/{whole})"
    ),
    "khtnv_degraded": (
        "Bị cấp có thẩm quyền kết luận có biểu hiện suy thoái về tư tưởng chính trị, đạo "
        "đức, lối sống, “tự diễn biến”, “tự chuyển hóa”"
    ),
}
_BAND_CONDITIONS = {
    Level.HTXSNV: ("htxsnv_on_time", "htxsnv_exceeded", "htxsnv_shortcomings_fixed"),
    Level.HTTNV: ("httnv_on_time",),
    Level.HTNV: ("htnv_done", "htnv_late"),
}
_TASK_KEYS = frozenset(k for ks in _BAND_CONDITIONS.values() for k in ks) - {
    "htxsnv_shortcomings_fixed"
}


def percent(share: Fraction) -> str:
    pct = share * 100
    return f"{pct.numerator // pct.denominator}%" if pct.denominator == 1 else f"{float(pct):.1f}%"


def is_leader(f: SubjectFacts, cfg: Scoring) -> bool:
    """A leadership post: the member's framework says so, or (no framework) `is_leader`."""
    framework = cfg.frameworks.get(f.framework) if f.framework else None
    return framework.leader if framework is not None else f.is_leader


def _counts(key: str, f: SubjectFacts, t: Tasks) -> tuple[int, int]:
    """(part, whole) a condition is taken over."""
    if key in {"htxsnv_on_time", "httnv_on_time"}:
        return t.on_time, t.total
    if key == "htxsnv_exceeded":
        return t.exceeded, t.total
    if key in {"htnv_done", "khtnv_plan_done"}:
        return t.completed, t.total
    if key == "htnv_late":
        return t.late, t.total
    if key == "khtnv_not_done":
        return t.total - t.completed, t.total
    if key == "htxsnv_shortcomings_fixed":
        return f.shortcomings_unfixed, 0
    raise KeyError(key)


def _met(key: str, c: Condition, f: SubjectFacts, t: Tasks | None) -> tuple[bool, str]:
    """Whether a band condition holds, and its words with the member's numbers."""
    if key == "htxsnv_shortcomings_fixed":
        return f.shortcomings_unfixed == 0, WHAT[key].format(part=f.shortcomings_unfixed)
    assert t is not None
    part, whole = _counts(key, f, t)
    words = WHAT[key].format(share=percent(c.share), part=part, whole=whole)
    return c.holds(part, whole), words


def _known(t: Tasks | None) -> Tasks | None:
    return t if t is not None and t.total > 0 else None


def band(score: Fraction, cfg: Scoring) -> Level:
    if score >= cfg.htxsnv_from:
        return Level.HTXSNV
    if score >= cfg.httnv_from:
        return Level.HTTNV
    if score >= cfg.htnv_from:
        return Level.HTNV
    return Level.KHTNV


def score_caps(f: SubjectFacts, p: RuleProfile, score_text: str) -> Sequence[Cap]:
    """The score's band, lowered level by level while a condition of Điều 11 fails."""
    cfg = p.caps.scoring
    assert cfg is not None and f.score is not None
    conds, leader, tasks = cfg.conditions, is_leader(f, cfg), _known(f.tasks)
    top = band(f.score, cfg)
    caps: list[Cap] = []
    unchecked = False
    level = top
    while level > Level.KHTNV:
        failed: list[tuple[str, Condition]] = []
        for key in _BAND_CONDITIONS[level]:
            c: Condition | None = getattr(conds, key)
            if c is None or not c.applies(leader):
                continue
            if key in _TASK_KEYS and tasks is None:
                unchecked = True
                continue
            ok, words = _met(key, c, f, tasks)
            if not ok:
                failed.append((words, c))
        if not failed:
            break
        below = Level(level - 1)
        for words, c in failed:
            caps.append((below, reason("score_condition_unmet", c.source, score=score_text,
                                       band=level.name, what=words, level=below.name)))  # fmt: skip
        level = below
    caps.insert(0, (level, reason("score_level", cfg.source, score=score_text, level=level.name)))
    if unchecked:
        caps.append((Level.HTXSNV, reason("tasks_unknown", cfg.source, level=top.name)))
    return caps


def khtnv_caps(f: SubjectFacts, p: RuleProfile) -> Sequence[Cap]:
    """Điều 11 khoản 4: the facts that make a member KHTNV whatever the score."""
    cfg = p.caps.scoring
    assert cfg is not None
    conds: Conditions = cfg.conditions
    leader, tasks = is_leader(f, cfg), _known(f.tasks)
    found: list[Cap] = []

    def check(key: str, counts: tuple[int, int] | None) -> None:
        c: Condition | None = getattr(conds, key)
        if c is None or not c.applies(leader) or counts is None or counts[1] <= 0:
            return
        if c.holds(*counts):
            words = WHAT[key].format(share=percent(c.share), part=counts[0], whole=counts[1])
            found.append((Level.KHTNV, reason("condition_khtnv", c.source, what=words)))

    def part(x: Part | None) -> tuple[int, int] | None:
        return (x.part, x.whole) if x is not None else None

    if tasks is not None:
        check("khtnv_not_done", _counts("khtnv_not_done", f, tasks))
        check("khtnv_plan_done", _counts("khtnv_plan_done", f, tasks))
    check("khtnv_units", part(f.led_units_khtnv))
    check("khtnv_low_confidence", part(f.low_confidence))
    degraded = conds.khtnv_degraded
    if f.degraded and degraded is not None and degraded.applies(leader):
        found.append((Level.KHTNV, reason("condition_khtnv", degraded.source,
                                          what=WHAT["khtnv_degraded"])))  # fmt: skip
    return found
