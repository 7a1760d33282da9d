"""A unit's outcomes + profile -> QuotaReport: ranked, limited, decisions flagged.

The limit is the largest x (0 <= x <= number qualifying) with x <= share * base(x): the base
may itself depend on how many keep the level (those beyond the limit fall to a lower level
and may join the base). Nobody is dropped silently: each one kept, over the limit or tied at
the limit gets a reason, and the report never exceeds the limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from kiemdiem.rules.levels import Level
from kiemdiem.rules.outcome import Outcome
from kiemdiem.rules.profile import Quota, RuleProfile
from kiemdiem.rules.reasons import Reason, reason


@dataclass
class QuotaResult:
    level: Level
    limit: int
    qualified: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    over_quota: list[str] = field(default_factory=list)
    needs_decision: list[str] = field(default_factory=list)
    source: str = ""
    group: str = ""  # the group of comparable role (QĐ 124 Điều 12, QĐ 366 Điều 11 1.4)

    def as_dict(self) -> dict[str, object]:
        group = {"group": self.group} if self.group else {}
        return {
            **group,
            "level": self.level.name,
            "limit": self.limit,
            "qualified": self.qualified,
            "kept": self.kept,
            "over_quota": self.over_quota,
            "needs_decision": self.needs_decision,
        }


@dataclass
class QuotaReport:
    outcomes: list[Outcome]
    results: list[QuotaResult]


def _fallback(o: Outcome, below: Level) -> Level:
    """The highest level under `below` that the votes and caps allow."""
    for lv in o.supported:
        if lv < below and (o.ceiling is None or lv <= o.ceiling):
            return lv
    if o.ceiling is not None and o.ceiling < below:
        return o.ceiling
    return Level(max(below - 1, Level.KHTNV))


def _rank_key(o: Outcome, level: Level, same_den: bool) -> tuple[Fraction | int, Fraction | int]:
    """Vote share for the level, then for the level or above (approvals, for a proposal).
    Within one denominator the counts order exactly like the shares, and cost no Fraction."""
    den, v = o.denominator, o.votes
    if den <= 0 or v is None:
        return (0, 0)
    if v.levels:
        exact = v.levels.get(level, 0)
        above = sum(n for lv, n in v.levels.items() if lv >= level)
    else:
        exact = above = v.approve
    if same_den:
        return (exact, above)
    return (Fraction(exact, den), Fraction(above, den))


def _with(o: Outcome, level: Level, extra: Reason) -> Outcome:
    """A copy with a new level and one more reason (cheaper than dataclasses.replace)."""
    return Outcome(o.id, o.classified, level, o.vote_level, o.ceiling, o.votes,
                   [*o.notes, extra], o.supported, o.denominator, o.vote_source)  # fmt: skip


def limit_for(q: Quota, others: list[Outcome], ranked: list[Outcome], members_total: int) -> int:
    n = len(ranked)
    if q.small_unit is not None and members_total < q.small_unit.members_below:
        return min(q.small_unit.limit, n)
    exactly = q.base == "exactly"
    if exactly:
        fixed = sum(1 for o in others if o.level == q.base_level)
    else:
        fixed = sum(1 for o in others if o.level is not None and o.level >= q.base_level)
    # joins[x]: how many of ranked[x:] land in the base when only the first x keep the level.
    joins = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        lv = _fallback(ranked[i], q.level)
        joins[i] = joins[i + 1] + (lv == q.base_level if exactly else lv >= q.base_level)

    def base(x: int) -> int:
        return fixed + joins[x] + (0 if exactly else x)

    num, den = q.share.numerator, q.share.denominator
    # The largest x with x <= share * base(x), compared in integers.
    limit = next((x for x in range(n, -1, -1) if x * den <= num * base(x)), 0)
    if q.floor is not None:
        allow = min(q.floor.allow, n)
        if base(allow) < q.floor.when_base_below:
            limit = max(limit, allow)
    return limit


def apply_quota(
    outcomes: list[Outcome], q: Quota, members_total: int
) -> tuple[list[Outcome], QuotaResult]:
    qualifying = [o for o in outcomes if o.classified and o.level == q.level]
    others = [o for o in outcomes if not (o.classified and o.level == q.level)]
    # Vote share for the level first, then for the level or above; the id only makes the
    # order total (ties at the limit go to the committee anyway).
    same_den = len({o.denominator for o in qualifying}) <= 1
    keys = {o.id: _rank_key(o, q.level, same_den) for o in qualifying}
    ranked = sorted(qualifying, key=lambda o: (keys[o.id], o.id), reverse=True)
    limit = limit_for(q, others, ranked, members_total)
    result = QuotaResult(q.level, limit, [o.id for o in ranked], source=q.source)
    changed: dict[str, Outcome] = {}
    if limit < len(ranked):
        boundary = keys[ranked[limit].id]
        tied = limit > 0 and keys[ranked[limit - 1].id] == boundary
        cut = limit
        if tied:
            cut = next(i for i, o in enumerate(ranked) if keys[o.id] == boundary)
        for i, o in enumerate(ranked):
            if i < cut:
                continue
            fallback = _fallback(o, q.level)
            in_tie = tied and keys[o.id] == boundary
            code = "quota_needs_decision" if in_tie else "quota_over"
            (result.needs_decision if in_tie else result.over_quota).append(o.id)
            why = reason(code, q.source, level=q.level.name, limit=limit, fallback=fallback.name)
            changed[o.id] = _with(o, fallback, why)
        kept_ids = [o.id for o in ranked[:cut]]
    else:
        kept_ids = [o.id for o in ranked]
    result.kept = kept_ids
    by_id = {o.id: o for o in ranked}
    for rank, oid in enumerate(kept_ids, start=1):
        o = by_id[oid]
        why = reason("quota_kept", q.source, level=q.level.name, limit=limit, rank=rank)
        changed[oid] = _with(o, o.level if o.level is not None else q.level, why)
    return [changed.get(o.id, o) for o in outcomes], result


def own_scope(profile: RuleProfile) -> str | None:
    """The scope a single unit's file is checked at when none is asked for: the cell's own
    quota, else the groups of comparable role (QĐ 124, QĐ 366), else the grassroots
    organization's (QĐ 132: a cell run stands for it). None: the profile has no quota."""
    scopes = {s for q in profile.quotas for s in q.scope}
    return next((s for s in ("cell", "group", "committee") if s in scopes), None)


def apply_quotas(
    outcomes: list[Outcome],
    profile: RuleProfile,
    scope: str = "cell",
    members_total: int = 0,
    *,
    groups: dict[str, str] | None = None,
    outstanding: bool = False,
) -> QuotaReport:
    """`groups`: member id → group of comparable role, for quotas at the "group" scope (one
    group when none is given). `outstanding`: the competent level decided the unit's results
    are outstanding, so a quota's `outstanding_share` replaces its share (QĐ 366 Điều 11 1.4)."""
    results = []
    total = members_total or len(outcomes)
    for q in profile.quotas:
        if scope not in q.scope:
            continue
        if outstanding and q.outstanding_share is not None:
            q = q.model_copy(update={"share": q.outstanding_share})
        by_group: dict[str, list[int]] = {}
        for i, o in enumerate(outcomes):
            key = (groups or {}).get(o.id, "") if scope == "group" else ""
            by_group.setdefault(key, []).append(i)
        merged = list(outcomes)
        for key in sorted(by_group):
            part = [outcomes[i] for i in by_group[key]]
            done, result = apply_quota(part, q, total)
            result.group = key
            for i, o in zip(by_group[key], done, strict=True):
                merged[i] = o
            results.append(result)
        outcomes = merged
    return QuotaReport(outcomes, results)
