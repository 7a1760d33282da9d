"""Quota status at every level of the tree (issue 6 §2; domain.md §4.3): allowed, used, who
qualifies, who needs a decision, and where the excellent share breaks the rule.

A level "stands" as the deciding body decided it, else as the chi ủy proposed it, else as
the rules propose it; the quota is checked over the standing levels with the rule
engine's own mechanism (`kiemdiem.rules.quotas`), ranked by vote share. The superior's view
counts decided levels per grassroots organization with one GROUP BY (no recompute).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count

from kiemdiem.grading.facts import MemberRow, UnitOutcomes
from kiemdiem.grading.models import Decision, DecisionQuerySet, Step, SubjectType
from kiemdiem.org.choices import Category
from kiemdiem.rules import Level, Outcome, RuleProfile
from kiemdiem.rules.profile import Quota
from kiemdiem.rules.quotas import apply_quota

SCOPE_NAMES = {
    "cell": "Chi bộ",
    "committee": "Cấp ủy cơ sở",
    "group": "Nhóm đối tượng",
}


@dataclass
class QuotaView:
    scope: str
    label: str
    level: str
    allowed: int
    used: int
    base: int
    base_label: str
    share: str
    source: str
    quote: str = ""
    qualified: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    over: list[str] = field(default_factory=list)
    needs_decision: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # filled by a page, for display
    # Of `used`, those only proposed (or standing on the vote) and not yet decided: the check
    # counts them, the table shows them apart so "đã xếp" is decided levels only (issue 11 §5).
    proposed: int = 0

    @property
    def breach(self) -> bool:
        return self.used > self.allowed

    @property
    def decided(self) -> int:
        return self.used - self.proposed

    def _named(self, ids: list[str]) -> list[str]:
        return [self.names.get(i, i) for i in ids]

    @property
    def qualified_names(self) -> list[str]:
        return self._named(self.qualified)

    @property
    def over_names(self) -> list[str]:
        return self._named(self.over)

    @property
    def needs_decision_names(self) -> list[str]:
        return self._named(self.needs_decision)


def _share_text(q: Quota) -> str:
    pct = q.share * 100
    return f"{pct.numerator // pct.denominator}%" if pct.denominator == 1 else f"{float(pct):.1f}%"


def _base_label(q: Quota) -> str:
    return f"số {q.base_level.name}" + (" trở lên" if q.base == "at_or_above" else "")


def _base_count(q: Quota, levels: Iterable[Level | None]) -> int:
    if q.base == "exactly":
        return sum(1 for lv in levels if lv == q.base_level)
    return sum(1 for lv in levels if lv is not None and lv >= q.base_level)


def capacity(q: Quota, base: int, members_total: int) -> int:
    """How many may hold the level over this base (the share, the floor, the small unit)."""
    if q.small_unit is not None and members_total < q.small_unit.members_below:
        return q.small_unit.limit
    cap = q.share.numerator * base // q.share.denominator
    if q.floor is not None and base < q.floor.when_base_below:
        cap = max(cap, q.floor.allow)
    return cap


def limit_from_counts(q: Quota, counts: dict[Level, int], members_total: int) -> tuple[int, int]:
    """(limit, used) from counts alone: the limit is the rules' fixed point with those over it
    falling one level, as `kiemdiem.rules.quotas.limit_for` computes it with the ranking."""
    n = counts.get(q.level, 0)
    if q.small_unit is not None and members_total < q.small_unit.members_below:
        return q.small_unit.limit, n
    exactly = q.base == "exactly"
    if exactly:
        fixed = counts.get(q.base_level, 0)
    else:
        fixed = sum(c for lv, c in counts.items() if lv >= q.base_level and lv != q.level)
    fall = Level(max(q.level - 1, Level.KHTNV))
    joins_base = fall == q.base_level if exactly else fall >= q.base_level

    def base(x: int) -> int:
        return fixed + (n - x if joins_base else 0) + (0 if exactly else x)

    num, den = q.share.numerator, q.share.denominator
    limit = next((x for x in range(n, -1, -1) if x * den <= num * base(x)), 0)
    if q.floor is not None and base(min(q.floor.allow, n)) < q.floor.when_base_below:
        limit = max(limit, min(q.floor.allow, n))
    if limit >= n:  # no breach: show what the base allows, not only what is used
        limit = max(capacity(q, base(n), members_total), n)
    return limit, n


def standing_outcome(o: Outcome, level: Level | None) -> Outcome:
    if o.level == level:
        return o
    return Outcome(o.id, o.classified, level, o.vote_level, o.ceiling, o.votes,
                   list(o.notes), o.supported, o.denominator, o.vote_source)  # fmt: skip


def views_for(
    profile: RuleProfile,
    outcomes: list[Outcome],
    scope: str,
    label: str,
    members_total: int,
    decided: set[str] | None = None,
) -> list[QuotaView]:
    """The quota status of one unit (a cell, a committee, a group) over `outcomes`; `decided`
    holds the ids whose level is decided (None: all of them are)."""
    views = []
    for q in profile.quotas:
        if scope not in q.scope:
            continue
        _, res = apply_quota(outcomes, q, members_total)
        used = len(res.qualified)
        base = _base_count(q, (o.level for o in outcomes if o.classified))
        breach = used > res.limit
        allowed = res.limit if breach else max(capacity(q, base, members_total), used)
        views.append(QuotaView(
            scope, label, q.level.name, allowed, used,
            base, _base_label(q), _share_text(q), q.source, q.quote,
            res.qualified, res.kept, res.over_quota, res.needs_decision,
            proposed=0 if decided is None else sum(1 for i in res.qualified if i not in decided),
        ))  # fmt: skip
    return views


@dataclass
class Standing:
    """A subject's current acts: the chi ủy's proposal, the decision, the appraisal."""

    propose: Decision | None = None
    decide: Decision | None = None
    appraise: Decision | None = None


def standing_for(qs: DecisionQuerySet) -> dict[str, Standing]:
    """The current acts of every subject in `qs` (one query)."""
    found: dict[str, Standing] = defaultdict(Standing)
    for d in qs.current().select_related("made_by", "body"):
        setattr(found[d.subject_key], d.step, d)
    return dict(found)


# (the chi ủy's proposed level, the decided level), "" where there is none.
Pair = tuple[str, str]
_PARSED = {lv.name: lv for lv in Level}


def standing_levels(qs: DecisionQuerySet) -> dict[str, Pair]:
    """Only the levels of the current proposals and decisions (one light query): what
    quota checks over thousands of members need."""
    found: dict[str, list[str]] = {}
    rows = qs.current().filter(step__in=[Step.PROPOSE, Step.DECIDE])
    for key, step, level in rows.values_list("subject_key", "step", "level").iterator(5000):
        pair = found.get(key)
        if pair is None:
            pair = found[key] = ["", ""]
        pair[step == Step.DECIDE] = level
    return {k: (v[0], v[1]) for k, v in found.items()}


def standing_level(row: MemberRow, pair: Pair | None) -> Level | None:
    if pair is not None and (pair[1] or pair[0]):
        return _PARSED[pair[1] or pair[0]]
    return row.outcome.level if row.outcome is not None else None


@dataclass
class CommitteeStatus:
    units: UnitOutcomes
    levels: dict[str, Pair]
    committee: list[QuotaView]
    groups: list[QuotaView]
    cells: dict[int, list[QuotaView]]
    members_total: int

    @property
    def breaches(self) -> list[QuotaView]:
        every = [*self.committee, *self.groups]
        every += [v for views in self.cells.values() for v in views]
        return [v for v in every if v.breach]


def committee_status(units: UnitOutcomes, *, committee_scope: bool = True) -> CommitteeStatus:
    """Quotas over the standing levels: each cell's, and (for a grassroots organization) the
    committee's and each group's (QĐ 124/366: members of comparable role — read here as the
    members' category)."""
    cycle, profile = units.cycle, units.profile
    standing = standing_levels(
        Decision.objects.filter(
            cycle=cycle,
            subject_type=SubjectType.MEMBER,
            place__path__startswith=units.unit.path,
        )
    )
    by_cell: dict[int, list[Outcome]] = defaultdict(list)
    every: list[Outcome] = []
    groups: dict[str, list[Outcome]] = defaultdict(list)
    totals: dict[int, int] = defaultdict(int)
    decided: set[str] = set()
    for row in units.rows:
        totals[row.cell_id] += 1
        if row.outcome is None or not row.outcome.classified:
            continue
        pair = standing.get(f"m:{row.member_id}")
        level = standing_level(row, pair)
        o = standing_outcome(row.outcome, level)
        if pair is not None and pair[1]:
            decided.add(o.id)
        by_cell[row.cell_id].append(o)
        every.append(o)
        groups[row.category].append(o)
    cells = {
        cid: views_for(profile, outs, "cell", units.cells[cid].name, totals[cid], decided)
        for cid, outs in by_cell.items()
        if cid in units.cells
    }
    committee: list[QuotaView] = []
    group_views: list[QuotaView] = []
    if committee_scope:
        n = len(units.rows)
        committee = views_for(profile, every, "committee", units.unit.name, n, decided)
        for cat, outs in sorted(groups.items()):
            label = f"{SCOPE_NAMES['group']}: {category_name(cat)}"
            group_views += views_for(profile, outs, "group", label, len(outs), decided)
    return CommitteeStatus(units, standing, committee, group_views, cells, len(units.rows))


@dataclass
class UnitCount:
    """One grassroots organization under a superior: decided levels and its quota check."""

    organization_id: int
    name: str
    counts: dict[Level, int]
    proposed: int
    decided: int
    views: list[QuotaView]

    @property
    def breach(self) -> bool:
        return any(v.breach for v in self.views)

    @property
    def level_counts(self) -> list[tuple[str, int]]:
        return [(lv.name, self.counts.get(lv, 0)) for lv in sorted(Level, reverse=True)]


def superior_counts(
    profile: RuleProfile,
    decisions: DecisionQuerySet,
    proposals_by_org: dict[int, int],
    names: dict[int, str],
) -> list[UnitCount]:
    """Decided member levels per grassroots organization (one GROUP BY) against the
    profile's committee-scope quotas, and its group-scope quotas per members' category."""
    counts: dict[int, dict[Level, int]] = defaultdict(lambda: defaultdict(int))
    by_group: dict[tuple[int, str], dict[Level, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        decisions.current()
        .filter(step=Step.DECIDE, subject_type=SubjectType.MEMBER, grassroots__isnull=False)
        .values_list("grassroots_id", "member__category", "level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for gid, category, level, n in rows:
        lv = Level.parse(level)
        counts[gid][lv] += n
        by_group[(gid, category)][lv] += n
    # Each organization's groups, found by key: scanning every group for every organization
    # was quadratic (50,000 committees × 300,000 groups for the whole country).
    groups_of: dict[int, list[tuple[str, dict[Level, int]]]] = defaultdict(list)
    for (g, cat), gc in sorted(by_group.items()):
        groups_of[g].append((cat, gc))
    result = []
    for gid, name in names.items():
        c = dict(counts.get(gid, {}))
        decided = sum(c.values())
        total = max(decided, proposals_by_org.get(gid, 0))
        views = []
        for q in profile.quotas:
            if "committee" in q.scope:
                views.append(_count_view(q, "committee", name, c, total))
            if "group" in q.scope:
                for cat, gc in groups_of.get(gid, []):
                    label = f"{name} — {SCOPE_NAMES['group'].lower()}: {category_name(cat)}"
                    views.append(_count_view(q, "group", label, dict(gc), sum(gc.values())))
        result.append(UnitCount(gid, name, c, proposals_by_org.get(gid, 0), decided, views))
    return result


def category_name(code: str) -> str:
    return str(Category(code).label) if code in Category.values else code


def _count_view(q: Quota, scope: str, label: str, c: dict[Level, int], total: int) -> QuotaView:
    limit, used = limit_from_counts(q, c, total)
    base = _base_count(q, (lv for lv, n in c.items() for _ in range(n)))
    return QuotaView(scope, label, q.level.name, limit, used, base, _base_label(q),
                     _share_text(q), q.source, q.quote)  # fmt: skip
