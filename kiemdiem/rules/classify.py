"""facts + votes + profile -> Outcome(level, reasons). Caps only ever lower a level.

A profile is compiled once into an `Engine` (thresholds as integer rows, the caps it turns
on, the sources of its reasons), so classifying a member reads plain attributes: a
province's recompute classifies millions of members with the same profile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from kiemdiem.rules.caps import SHOWN_AT_ANY_LEVEL, Cap, enabled_checks
from kiemdiem.rules.facts import SubjectFacts, UnitContext, Votes
from kiemdiem.rules.levels import DESCENDING, Level
from kiemdiem.rules.outcome import Outcome
from kiemdiem.rules.profile import DISCIPLINE_FORMS, RuleProfile, Threshold
from kiemdiem.rules.reasons import Reason, reason

__all__ = ["Engine", "Outcome", "classify", "engine_for", "supported_levels"]

# Enum attribute lookups are slow in a hot loop; plain module constants are not.
_HTXSNV, _HTTNV, _HTNV, _KHTNV = Level.HTXSNV, Level.HTTNV, Level.HTNV, Level.KHTNV
# Whether those not classified still write and present a review (QĐ 132 vs QĐ 124).
_WHAT = {
    "xep_loai": {
        True: "vẫn kiểm điểm nhưng không xếp loại",
        False: "không kiểm điểm, không xếp loại",
    },
    # QĐ 366 Điều 3, 5.2: whoever is reviewed is rated; the others are not evaluated.
    "danh_gia": {
        True: "vẫn kiểm điểm nhưng không đánh giá, xếp loại",
        False: "không kiểm điểm, không đánh giá, xếp loại",
    },
}
_EXEMPT = {"xep_loai": "không xếp loại", "danh_gia": "không kiểm điểm, không đánh giá, xếp loại"}
# Whose share a threshold is taken over, as the discipline reasons name it.
_BASE_WORDS = {
    "eligible_voters": "số đảng viên chính thức",
    "voters_present": "số người dự họp biểu quyết",
    "valid_marks": "số phiếu hợp lệ",
}


def threshold_words(t: Threshold) -> str:
    """ "trên 1/2", "từ 2/3 trở lên": a threshold as the plans word it."""
    share = f"{t.share.numerator}/{t.share.denominator}"
    return f"trên {share}" if t.op == ">" else f"từ {share} trở lên"


# A threshold as integers, highest level first: (index of its count — exact at 0..3 in
# DESCENDING order, at or above at 4..7 —, level, ">=", p, q, counts at_or_above).
# count/den against p/q is count*q against p*den: exact, no Fraction per vote.
Row = tuple[int, Level, bool, int, int, bool]


def _row(index: int, level: Level, t: Threshold) -> Row:
    above = t.counts == "at_or_above"
    q = t.share
    return (index + 4 * above, level, t.op == ">=", q.numerator, q.denominator, above)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the last day of a shorter month)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _holds(ge: bool, num: int, q: int, count: int, den: int) -> bool:
    if den <= 0:
        return False
    left, right = count * q, num * den
    return left >= right if ge else left > right


class Engine:
    """One profile, compiled: every lookup classify() needs, as plain attributes."""

    __slots__ = (
        "_cutoffs",
        "absent_deferred",
        "approve",
        "ballot_source",
        "checks",
        "den_kind",
        "discipline",
        "eligibility_source",
        "khtnv_row",
        "profile",
        "rows",
        "scoring",
        "spoiled_in",
    )  # fmt: skip

    def __init__(self, p: RuleProfile) -> None:
        self.profile = p
        self.rows: tuple[Row, ...] = tuple(
            _row(i, lv, t) for i, lv in enumerate(DESCENDING)
            if (t := p.ballot.thresholds.get(lv)) is not None
        )  # fmt: skip
        self.khtnv_row = next((r for r in self.rows if r[1] == _KHTNV), None)
        self.checks: tuple[Callable[[SubjectFacts, RuleProfile], Sequence[Cap]], ...] = (
            enabled_checks(p)
        )
        self.approve = p.ballot.method == "approve_proposal"
        self.den_kind = p.ballot.denominator
        self.spoiled_in = p.ballot.spoiled_in_denominator
        d, sc = p.caps.discipline, p.caps.scoring
        self.discipline = d.source if d is not None and d.enabled else None
        self.scoring = sc is not None and sc.enabled
        self.absent_deferred = p.eligibility.absent_deferred
        self.eligibility_source = p.eligibility.source
        self.ballot_source = p.ballot.source
        self._cutoffs: dict[dt.date, dt.date] = {}

    def denominator(self, votes: Votes, ctx: UnitContext) -> int:
        kind = self.den_kind
        if kind == "eligible_voters":
            return ctx.eligible_voters
        if kind == "voters_present":
            return ctx.voters_present - (0 if self.spoiled_in else ctx.spoiled)
        return sum(votes.levels.values()) + votes.approve + votes.disapprove  # valid marks

    def new_member_cutoff(self, as_of: dt.date) -> dt.date:
        """Admitted after this day: too new to be classified."""
        cutoff = self._cutoffs.get(as_of)
        if cutoff is None:
            cutoff = months_before(as_of, self.profile.eligibility.new_member_months)
            self._cutoffs[as_of] = cutoff
        return cutoff

    def not_classified(self, f: SubjectFacts, ctx: UnitContext) -> Reason | None:
        e = self.profile.eligibility
        words = _WHAT[e.wording]
        if f.exempt and not e.exempt_classified:
            return reason("exempt_not_classified", e.source, what=_EXEMPT[e.wording])
        if f.suspended and not e.suspended_classified:
            return reason("suspended_not_classified", e.source, what=words[e.suspended_reviewed])
        if f.admitted_on is not None and f.admitted_on > self.new_member_cutoff(ctx.as_of):
            what = words[e.new_members_reviewed]
            return reason(
                "new_member_not_classified", e.source, months=e.new_member_months, what=what
            )
        if f.temporary and e.temporary_classified_at == "official":
            return reason("temporary_classified_at_official", e.source)
        return None

    def supported(self, votes: Votes, proposal: Level | None, den: int) -> tuple[Level, ...]:
        """Every level whose threshold the votes meet (over `den`), highest first."""
        if den <= 0:
            return ()
        if not self.approve:
            get = votes.levels.get
            c4, c3, c2, c1 = get(_HTXSNV, 0), get(_HTTNV, 0), get(_HTNV, 0), get(_KHTNV, 0)
            c43 = c4 + c3
            c432 = c43 + c2
            # Exact counts at 0..3, counts at or above at 4..7: each row knows its index.
            marks = (c4, c3, c2, c1, c4, c43, c432, c432 + c1)
            out = []
            for i, lv, ge, num, q, _ in self.rows:
                left, right = marks[i] * q, num * den
                if left >= right if ge else left > right:
                    out.append(lv)
            return tuple(out)
        if proposal is None:
            return ()
        if proposal == _KHTNV:
            r = self.khtnv_row
            return (
                (_KHTNV,) if r is not None and _holds(r[2], r[3], r[4], votes.approve, den) else ()
            )
        # Approving level L also supports every level below it, down to HTNV.
        return tuple(
            lv
            for _, lv, ge, num, q, _ in self.rows
            if _HTNV <= lv <= proposal and _holds(ge, num, q, votes.approve, den)
        )

    def disciplined(self, f: SubjectFacts, votes: Votes | None, ctx: UnitContext) -> Outcome | None:
        """Disciplined in the year → KHTNV: off the ballot, or only by the vote for KHTNV
        where the profile says so (001 §2.2.5d: "và có trên 1/2 số đảng viên chính thức bỏ
        phiếu tán thành"). None: the form is lighter than the profile's `from_form`."""
        d = self.profile.caps.discipline
        assert d is not None and self.discipline is not None
        form = f.discipline_form
        rank = DISCIPLINE_FORMS.index
        if d.from_form is not None and form is not None and rank(form) < rank(d.from_form):
            return None
        if d.off_ballot:
            why = reason("discipline_khtnv", self.discipline)
            return Outcome(f.id, True, _KHTNV, ceiling=_KHTNV, notes=[why])
        t = self.profile.ballot.thresholds.get(_KHTNV)
        words = {
            "rule": threshold_words(t) if t else "đủ tỷ lệ",
            "base": _BASE_WORDS[self.den_kind],
        }
        if self.approve and f.proposed_level not in (None, _KHTNV):
            level = f.proposed_level.name if f.proposed_level else ""
            why = reason("discipline_proposal", self.discipline, level=level)
            return Outcome(f.id, True, None, ceiling=_KHTNV, notes=[why])
        if votes is None:
            why = reason("discipline_vote", self.discipline, **words)
            return Outcome(f.id, True, None, ceiling=_KHTNV, notes=[why])
        den = self.denominator(votes, ctx)
        supported = self.supported(votes, _KHTNV, den)
        if _KHTNV not in supported:
            why = reason("discipline_vote_short", self.discipline, **words)
            return Outcome(f.id, True, None, None, _KHTNV, votes, [why], denominator=den)
        why = reason("discipline_vote", self.discipline, **words)
        return Outcome(f.id, True, _KHTNV, _KHTNV, _KHTNV, votes, [why], supported, den,
                       self.ballot_source)  # fmt: skip

    def caps(self, f: SubjectFacts) -> Sequence[Cap]:
        found: Sequence[Cap] = ()
        p = self.profile
        for check in self.checks:
            more = check(f, p)
            if more:
                found = more if not found else [*found, *more]
        return found

    def classify(self, f: SubjectFacts, votes: Votes | None, ctx: UnitContext) -> Outcome:
        admitted = f.admitted_on
        if (
            f.exempt
            or f.suspended
            or f.temporary
            or (admitted is not None and admitted > self.new_member_cutoff(ctx.as_of))
        ):
            skip = self.not_classified(f, ctx)
            if skip is not None:
                return Outcome(f.id, False, None, notes=[skip])
        if (f.disciplined_in_year or f.discipline_form) and self.discipline is not None:
            decided = self.disciplined(f, votes, ctx)
            if decided is not None:
                return decided
        if not f.present and self.absent_deferred:
            why = reason("absent_deferred", self.eligibility_source)
            return Outcome(f.id, True, None, notes=[why])
        caps = self.caps(f)
        if caps:
            ceiling = min(lv for lv, _ in caps)
            reasons = [r for lv, r in caps if lv < _HTXSNV or r.code in SHOWN_AT_ANY_LEVEL]
        else:
            ceiling, reasons = _HTXSNV, []
        if votes is None:
            if self.scoring and f.score is not None:
                return Outcome(f.id, True, ceiling, ceiling=ceiling, notes=reasons)
            # Under a scored profile the missing fact is the score, which its own rule asks.
            sc = self.profile.caps.scoring
            if self.scoring and sc is not None:
                why = reason("score_missing", sc.source)
            else:
                why = reason("vote_undecided", self.ballot_source)
            return Outcome(f.id, True, None, ceiling=ceiling, notes=[*reasons, why])
        proposal = f.proposed_level
        if self.approve and proposal is None:
            why = reason("proposal_missing", self.ballot_source)
            return Outcome(f.id, True, None, ceiling=ceiling, notes=[why])
        den = self.denominator(votes, ctx)
        supported = self.supported(votes, proposal, den)
        if not supported:
            undecided = [reason("vote_undecided", self.ballot_source), *reasons]
            return Outcome(f.id, True, None, None, ceiling, votes, undecided, denominator=den)
        vote_level = supported[0]
        # A cap lowers the level to the highest one the votes still support under the cap;
        # if the votes support none that low (e.g. KHTNV by cap), the cap itself decides.
        if vote_level <= ceiling:
            level = vote_level
        else:
            level = next((lv for lv in supported if lv <= ceiling), ceiling)
        return Outcome(
            f.id, True, level, vote_level, ceiling, votes, reasons, supported, den,
            self.ballot_source,
        )  # fmt: skip


_ENGINES: dict[int, Engine] = {}


def engine_for(p: RuleProfile) -> Engine:
    """The compiled profile, made once per profile object (profiles are frozen)."""
    engine = _ENGINES.get(id(p))
    if engine is None or engine.profile is not p:
        if len(_ENGINES) > 256:  # profiles rebuilt from snapshots come and go
            _ENGINES.clear()
        engine = _ENGINES[id(p)] = Engine(p)
    return engine


def classify(f: SubjectFacts, votes: Votes | None, p: RuleProfile, ctx: UnitContext) -> Outcome:
    """One subject's outcome: classified or not (and why), the level the vote alone gives,
    the caps applied, the resulting level, exact shares and reasons."""
    return engine_for(p).classify(f, votes, ctx)


def supported_levels(
    votes: Votes, proposal: Level | None, den: int, p: RuleProfile
) -> tuple[Level, ...]:
    """Every level whose threshold the votes meet (over `den`), highest first."""
    return engine_for(p).supported(votes, proposal, den)
