"""facts + votes + profile -> Outcome(level, reasons). Caps only ever lower a level."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

from kiemdiem.rules.caps import SHOWN_AT_ANY_LEVEL, caps_for
from kiemdiem.rules.facts import SubjectFacts, UnitContext, Votes
from kiemdiem.rules.levels import DESCENDING, Level
from kiemdiem.rules.profile import RuleProfile
from kiemdiem.rules.reasons import Reason, reason
from kiemdiem.rules.tally import counts, denominator

# Enum attribute and .name lookups are slow in a hot loop; plain module constants are not.
_HTXSNV, _HTTNV, _HTNV, _KHTNV = Level.HTXSNV, Level.HTTNV, Level.HTNV, Level.KHTNV
_NAME = {lv: lv.name for lv in Level}


@dataclass(slots=True)
class Outcome:
    id: str
    classified: bool
    level: Level | None
    vote_level: Level | None = None
    ceiling: Level | None = None  # the highest level the caps allow
    votes: Votes | None = None
    notes: list[Reason] = field(default_factory=list)  # every reason but the vote's own
    # Data the quota step needs: what the votes alone support below a level.
    supported: tuple[Level, ...] = ()
    denominator: int = 0  # what the shares are taken over, to show them unreduced (2/10)
    vote_source: str = ""  # set when the vote decided: its reason is made when asked for

    @property
    def reasons(self) -> list[Reason]:
        if not self.vote_source or self.vote_level is None:
            return self.notes
        shown = ", ".join(f"{k}: {n}/{self.denominator}" for k, n in self.counts.items() if n)
        vote = reason(
            "vote_level",
            self.vote_source,
            level=_NAME[self.vote_level],
            detail=shown or "không có phiếu",
        )
        return [vote, *self.notes]

    @property
    def counts(self) -> dict[str, int]:
        """Marks per level, or approvals: made on demand from the votes."""
        return counts(self.votes) if self.votes is not None else {}

    @property
    def shares(self) -> dict[str, Fraction]:
        """Exact shares, made on demand: most outcomes are never asked for them."""
        if self.denominator <= 0:
            return {}
        return {k: Fraction(n, self.denominator) for k, n in self.counts.items()}


@lru_cache(maxsize=256)
def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


# Whether those not classified still write and present a review (QĐ 132 vs QĐ 124).
_WHAT = {True: "vẫn kiểm điểm nhưng không xếp loại", False: "không kiểm điểm, không xếp loại"}


def _not_classified(f: SubjectFacts, p: RuleProfile, ctx: UnitContext) -> Reason | None:
    e = p.eligibility
    if f.exempt and not e.exempt_classified:
        return reason("exempt_not_classified", e.source)
    if f.suspended and not e.suspended_classified:
        return reason("suspended_not_classified", e.source, what=_WHAT[e.suspended_reviewed])
    if f.admitted_on and f.admitted_on > _months_before(ctx.as_of, e.new_member_months):
        what = _WHAT[e.new_members_reviewed]
        return reason("new_member_not_classified", e.source, months=e.new_member_months, what=what)
    if f.temporary and e.temporary_classified_at == "official":
        return reason("temporary_classified_at_official", e.source)
    return None


# Per profile, the thresholds as plain tuples, highest level first:
# (index in DESCENDING, level, ">=", p, q, at_or_above).
Row = tuple[int, Level, bool, int, int, bool]
_TABLES: dict[int, tuple[RuleProfile, tuple[Row, ...]]] = {}


def _table(p: RuleProfile) -> tuple[Row, ...]:
    cached = _TABLES.get(id(p))
    if cached is not None and cached[0] is p:
        return cached[1]
    rows = tuple(
        (i, lv, t.op == ">=", t.share.numerator, t.share.denominator, t.counts == "at_or_above")
        for i, lv in enumerate(DESCENDING)
        if (t := p.ballot.thresholds.get(lv)) is not None
    )
    _TABLES[id(p)] = (p, rows)
    return rows


def _holds(ge: bool, num: int, den_share: int, count: int, den: int) -> bool:
    # count/den against num/den_share, cross-multiplied: exact without a Fraction per vote.
    if den <= 0:
        return False
    left, right = count * den_share, num * den
    return left >= right if ge else left > right


def supported_levels(
    votes: Votes, proposal: Level | None, den: int, p: RuleProfile
) -> tuple[Level, ...]:
    """Every level whose threshold the votes meet (over `den`), highest first."""
    table = _table(p)
    if p.ballot.method == "choose_level":
        if den <= 0:
            return ()
        get = votes.levels.get
        c4, c3, c2, c1 = get(_HTXSNV, 0), get(_HTTNV, 0), get(_HTNV, 0), get(_KHTNV, 0)
        exact = (c4, c3, c2, c1)
        at_or_above = (c4, c4 + c3, c4 + c3 + c2, c4 + c3 + c2 + c1)
        supported = []
        # count/den against num/q, cross-multiplied: exact, and no Fraction per vote.
        for i, lv, ge, num, q, above in table:
            left, right = (at_or_above[i] if above else exact[i]) * q, num * den
            if left >= right if ge else left > right:
                supported.append(lv)
        return tuple(supported)
    if proposal is None:
        return ()
    if proposal == Level.KHTNV:
        rows = [r for r in table if r[1] == Level.KHTNV]
        ok = bool(rows) and _holds(rows[0][2], rows[0][3], rows[0][4], votes.approve, den)
        return (Level.KHTNV,) if ok else ()
    # Approving level L also supports every level below it, down to HTNV.
    return tuple(
        lv
        for _, lv, ge, num, qd, _ in table
        if Level.HTNV <= lv <= proposal and _holds(ge, num, qd, votes.approve, den)
    )


@dataclass(frozen=True, slots=True)
class _Plan:
    """What classify() reads from a profile, looked up once per profile, not per member."""

    discipline: str | None  # the rule's source when discipline caps are on
    absent_deferred: bool
    eligibility_source: str
    scoring: bool
    approve: bool
    ballot_source: str


_PLANS: dict[int, tuple[RuleProfile, _Plan]] = {}


def _plan(p: RuleProfile) -> _Plan:
    cached = _PLANS.get(id(p))
    if cached is not None and cached[0] is p:
        return cached[1]
    d, sc = p.caps.discipline, p.caps.scoring
    plan = _Plan(
        discipline=d.source if d is not None and d.enabled else None,
        absent_deferred=p.eligibility.absent_deferred,
        eligibility_source=p.eligibility.source,
        scoring=sc is not None and sc.enabled,
        approve=p.ballot.method == "approve_proposal",
        ballot_source=p.ballot.source,
    )
    _PLANS[id(p)] = (p, plan)
    return plan


def classify(f: SubjectFacts, votes: Votes | None, p: RuleProfile, ctx: UnitContext) -> Outcome:
    if f.exempt or f.suspended or f.temporary or f.admitted_on:
        skip = _not_classified(f, p, ctx)
        if skip is not None:
            return Outcome(f.id, False, None, notes=[skip])
    plan = _plan(p)
    if f.disciplined_in_year and plan.discipline is not None:
        why = reason("discipline_khtnv", plan.discipline)
        return Outcome(f.id, True, _KHTNV, ceiling=_KHTNV, notes=[why])
    if not f.present and plan.absent_deferred:
        why = reason("absent_deferred", plan.eligibility_source)
        return Outcome(f.id, True, None, notes=[why])
    caps = caps_for(f, p)
    if caps:
        ceiling = min(lv for lv, _ in caps)
        reasons = [r for lv, r in caps if lv < _HTXSNV or r.code in SHOWN_AT_ANY_LEVEL]
    else:
        ceiling, reasons = _HTXSNV, []
    if votes is None:
        if plan.scoring and f.score is not None:
            return Outcome(f.id, True, ceiling, ceiling=ceiling, notes=reasons)
        code = "score_missing" if plan.scoring else "vote_undecided"
        why = reason(code, plan.ballot_source)
        return Outcome(f.id, True, None, ceiling=ceiling, notes=[*reasons, why])
    proposal = f.proposed_level
    if plan.approve and proposal is None:
        why = reason("proposal_missing", plan.ballot_source)
        return Outcome(f.id, True, None, ceiling=ceiling, notes=[why])
    den = denominator(votes, ctx, p)
    supported = supported_levels(votes, proposal, den, p)
    if not supported:
        undecided = [reason("vote_undecided", plan.ballot_source), *reasons]
        return Outcome(f.id, True, None, None, ceiling, votes, undecided, denominator=den)
    vote_level = supported[0]
    # A cap lowers the level to the highest one the votes still support under the cap; if the
    # votes support none that low (e.g. KHTNV by cap), the cap itself decides.
    if vote_level <= ceiling:
        level = vote_level
    else:
        level = next((lv for lv in supported if lv <= ceiling), ceiling)
    return Outcome(
        f.id, True, level, vote_level, ceiling, votes, reasons, supported, den, plan.ballot_source
    )
