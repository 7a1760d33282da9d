"""Rewards from several years of results (domain.md §5): streaks of a level, the reward
quotas of a plan, and who is within them.

Pure: years and levels in, lists out. Nobody is dropped: a selection puts every candidate
in exactly one of `within` (inside the quota), `tied` (level with others at the quota's edge:
the committee picks `open_slots` of them) and `over` (beyond the quota, ranked, for the
committee to choose from if it swaps one in).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from kiemdiem.rules.profile import ExemplaryShare, SizeBand, StreakReward


def streak(levels: Mapping[int, str | None], year: int, wanted: Collection[str]) -> int:
    """How many years in a row, ending with `year`, the subject held a level in `wanted`.
    A missing year breaks the streak: "5 năm liền" means five consecutive years."""
    n = 0
    while levels.get(year - n) in wanted:
        n += 1
    return n


def size_limit(bands: Iterable[SizeBand], members: int) -> int:
    """The limit of the band the base organization's size falls in (001 §3.2)."""
    limit = 0
    for band in sorted(bands, key=lambda b: b.from_members):
        if members >= band.from_members:
            limit = band.limit
    return limit


def streak_limit(rule: StreakReward, members: int) -> int:
    return rule.limit if rule.limit is not None else size_limit(rule.by_size, members)


def exemplary_base(rule: ExemplaryShare, levels: Iterable[str | None]) -> int:
    """Those the share is taken over: at the base level, or at it or above."""
    base = rule.base_level
    names = {base.name} if rule.base == "exactly" else {lv.name for lv in type(base) if lv >= base}
    return sum(1 for lv in levels if lv in names)


def exemplary_limit(rule: ExemplaryShare, base: int, members: int) -> int:
    """At most `share` of the base, rounded down; a cell under `members_below` members at
    most `small_unit.limit` (001 §II.2.3: "chi bộ có dưới 7 đảng viên thì không quá 01")."""
    if rule.small_unit is not None and members < rule.small_unit.members_below:
        return rule.small_unit.limit
    return rule.share.numerator * base // rule.share.denominator


@dataclass(frozen=True)
class Candidate:
    id: str
    years: int  # consecutive years at the level, this year included
    share: Fraction = Fraction(0)  # this year's vote share for the level


@dataclass
class Selection:
    limit: int
    within: list[str] = field(default_factory=list)
    tied: list[str] = field(default_factory=list)
    over: list[str] = field(default_factory=list)

    @property
    def open_slots(self) -> int:
        """How many of `tied` the committee may still choose."""
        return max(0, min(self.limit - len(self.within), len(self.tied)))

    @property
    def ranked(self) -> list[str]:
        return [*self.within, *self.tied, *self.over]


def _rank(c: Candidate) -> tuple[int, Fraction]:
    return (c.years, c.share)


def select(candidates: Iterable[Candidate], limit: int) -> Selection:
    """Rank by years at the level, then this year's vote share (higher first), and cut at
    `limit`. Candidates level with the one at the cut share its fate: all of them are `tied`,
    so no order of equals the rules cannot tell apart decides who is rewarded."""
    # The id among equals only keeps the lists deterministic; it decides nothing.
    ranked = sorted(candidates, key=lambda c: (-c.years, -c.share, c.id))
    out = Selection(limit=max(0, limit))
    if len(ranked) <= out.limit:
        out.within = [c.id for c in ranked]
        return out
    if out.limit == 0:
        out.over = [c.id for c in ranked]
        return out
    edge = _rank(ranked[out.limit - 1])
    beyond = _rank(ranked[out.limit])
    for c in ranked:
        r = _rank(c)
        if edge == beyond and r == edge:
            out.tied.append(c.id)
        elif r > edge or (r == edge and edge != beyond):
            out.within.append(c.id)
        else:
            out.over.append(c.id)
    return out
