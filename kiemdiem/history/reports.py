"""Reports across the tree (issue 6 §6): for any organization, the distribution of levels per
subordinate unit and in total (members; cells and collectives where rated), this year
against earlier years (from `history.levels`, imported and decided years merged), and the
units late (cycles.progress) or in breach of a quota (grading.quotas).

A fixed number of GROUP BY queries whatever the subtree's size; units are rolled up in
Python by reading the materialized paths, as the progress dashboard does.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from kiemdiem.cycles import progress
from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.models import Decision, Step, SubjectType
from kiemdiem.grading.quotas import (
    QuotaView,
    _base_label,
    _share_text,
    limit_from_counts,
    superior_counts,
)
from kiemdiem.history.levels import level_counts
from kiemdiem.history.models import LEVEL_ORDER, QUALITY4, ResultLevel
from kiemdiem.org.choices import CELL_KINDS, GRASSROOTS_KINDS, OrgKind
from kiemdiem.org.models import Member, Organization
from kiemdiem.rules import Level, RuleProfile, profile_from_dict
from kiemdiem.rules.profile import Quota

YEARS_BACK = 4  # earlier years shown beside the reviewed one
NAMES = dict(ResultLevel.choices)
SHORT = {"tsvm_tieu_bieu": "TSVM tiêu biểu", "tsvm": "TSVM", "chua_tsvm": "Chưa đạt TSVM"}


@dataclass
class Dist:
    """How many held each level; `total` also counts those without a result."""

    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0

    def add(self, level: str, n: int) -> None:
        self.counts[level] = self.counts.get(level, 0) + n

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def unrated(self) -> int:
        return max(0, self.total - self.rated)

    def bars(self, codes: tuple[str, ...] = QUALITY4) -> list[tuple[str, str, int, float]]:
        """(code, short name, count, percent of the total) for each level, then the unrated."""
        whole = max(self.total, self.rated) or 1
        out = [(c, SHORT.get(c, c), self.counts.get(c, 0), 100 * self.counts.get(c, 0) / whole)
               for c in codes]  # fmt: skip
        if self.unrated:
            out.append(("none", "Chưa có kết quả", self.unrated, 100 * self.unrated / whole))
        return out

    @property
    def member_bars(self) -> list[tuple[str, str, int, float]]:
        return self.bars(QUALITY4)

    @property
    def org_bars(self) -> list[tuple[str, str, int, float]]:
        present = tuple(c for c in LEVEL_ORDER if self.counts.get(c))
        return self.bars(present or QUALITY4)


@dataclass
class UnitLine:
    organization: Organization
    members: Dist
    late: list[str] = field(default_factory=list)  # labels of the measures late
    breaches: list[QuotaView] = field(default_factory=list)


@dataclass
class Report:
    root: Organization
    year: int
    cycle: Cycle | None
    units: list[UnitLine]
    total: Dist
    by_year: list[tuple[int, Dist]]
    cells: Dist  # the cells' (and organizations') own ratings this year
    collectives: Dist
    late: list[UnitLine]
    breaches: list[QuotaView]

    @property
    def flagged(self) -> list[UnitLine]:
        return [u for u in self.units if u.late or u.breaches]


def _unit_of(org: Organization, depth: int, units: dict[int, UnitLine]) -> UnitLine | None:
    segs = org.path.strip("/").split("/")
    return units.get(int(segs[depth])) if len(segs) > depth else None


def build(root: Organization, year: int, today: dt.date) -> Report:
    orgs = list(
        Organization.objects.filter(path__startswith=root.path)
        .only("pk", "name", "code", "kind", "path", "parent_id", "depth")
        .order_by("path")
    )
    depth = len(root.path.strip("/").split("/"))
    units: dict[int, UnitLine] = {}
    for o in orgs:
        if o.parent_id == root.pk and o.kind != OrgKind.GROUP:
            units[o.pk] = UnitLine(o, Dist())
    if not units:  # a cell: it is its own unit
        units[root.pk] = UnitLine(root, Dist())
        depth -= 1
    by_id = {o.pk: o for o in orgs}
    years = list(range(year - YEARS_BACK, year + 1))
    sizes = dict(
        Member.objects.in_subtree(root.path)
        .values_list("cell_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = Dist(total=sum(sizes.values()))
    for cell_id, n in sizes.items():
        unit = _unit_of(by_id[cell_id], depth, units)
        if unit is not None:
            unit.members.total += n
    per_year = {y: Dist(total=total.total) for y in years}
    for (org_id, y, level), n in level_counts(root, "m", years).items():
        per_year[y].add(level, n)
        unit = _unit_of(by_id[org_id], depth, units) if org_id in by_id else None
        if y == year and unit is not None:
            unit.members.add(level, n)
    total.counts = dict(per_year[year].counts)
    rated_orgs = [o for o in orgs if o.kind != OrgKind.GROUP and o.pk != root.pk]
    cells = Dist(total=len(rated_orgs))
    for (_, _, level), n in level_counts(root, "o", [year]).items():
        cells.add(level, n)
    collectives = Dist(total=_collectives_in(root))
    for (_, _, level), n in level_counts(root, "c", [year]).items():
        collectives.add(level, n)
    cycle = _cycle_for(root, year)
    if cycle is not None:
        _late(cycle, root, today, units)
    breaches: list[QuotaView] = []
    for profile, cycle_ids in _profiles(root, year, cycle):
        breaches += _breaches(profile, cycle_ids, year, root, orgs, sizes, depth, units)
    lines = sorted(units.values(), key=lambda u: u.organization.path)
    return Report(root, year, cycle, lines, total, [(y, per_year[y]) for y in years], cells,
                  collectives, [u for u in lines if u.late], breaches)  # fmt: skip


def _collectives_in(root: Organization) -> int:
    from kiemdiem.org.models import Collective

    return Collective.objects.filter(organization__path__startswith=root.path).count()


def _cycle_for(root: Organization, year: int) -> Cycle | None:
    above = [int(s) for s in root.path.strip("/").split("/") if s]
    return (
        Cycle.objects.filter(organization_id__in=above, year=year)
        .select_related("organization")
        .order_by("-organization__depth")
        .first()
    )


def _profiles(
    root: Organization, year: int, cycle: Cycle | None
) -> list[tuple[RuleProfile, list[int] | None]]:
    """The rules the year's quotas are checked by: the plan covering `root`; without one (a
    superior that issued none), each profile the plans of the subtree froze, over their own
    decisions. One query per profile in use, not per plan."""
    if cycle is not None:
        return [(profile_from_dict(cycle.profile_snapshot), None)]
    below = Cycle.objects.filter(organization__path__startswith=root.path, year=year)
    by_profile: dict[str, list[int]] = defaultdict(list)
    for pk, profile_id in below.values_list("pk", "profile_id"):
        by_profile[profile_id].append(pk)
    out: list[tuple[RuleProfile, list[int] | None]] = []
    for ids in by_profile.values():
        snapshot = Cycle.objects.filter(pk=ids[0]).values_list("profile_snapshot", flat=True)[0]
        out.append((profile_from_dict(snapshot), ids))
    return out


def _late(cycle: Cycle, root: Organization, today: dt.date, units: dict[int, UnitLine]) -> None:
    """The progress dashboard's own late measures, per subordinate unit."""
    data = progress.compute(cycle, root, today)
    rows = data.units or [data.total]
    for row in rows:
        unit = units.get(row.organization.pk)
        if unit is not None:
            unit.late = [m.label for m in row.late]


def _breaches(
    profile: RuleProfile,
    cycle_ids: list[int] | None,
    year: int,
    root: Organization,
    orgs: list[Organization],
    sizes: dict[int, int],
    depth: int,
    units: dict[int, UnitLine],
) -> list[QuotaView]:
    """Quota checks over the decided member levels of the year: each cell's (one GROUP BY)
    and each grassroots organization's (grading's superior view, one GROUP BY)."""
    decided = Decision.objects.filter(
        cycle__year=year,
        subject_type=SubjectType.MEMBER,
        member__cell__path__startswith=root.path,
    )
    if cycle_ids is not None:
        decided = decided.filter(cycle_id__in=cycle_ids)
    by_id = {o.pk: o for o in orgs}
    found: list[tuple[Organization, QuotaView]] = []
    cell_quotas = [q for q in profile.quotas if "cell" in q.scope]
    if cell_quotas:
        counts: dict[int, dict[Level, int]] = defaultdict(dict)
        rows = (
            decided.current()
            .filter(step=Step.DECIDE)
            .values_list("member__cell_id", "level")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for cell_id, level, n in rows:
            counts[cell_id][Level.parse(level)] = n
        for cell_id, c in counts.items():
            for q in cell_quotas:
                limit, used = limit_from_counts(q, c, sizes.get(cell_id, 0))
                if used > limit:
                    cell = by_id[cell_id]
                    found.append((cell, _view(q, cell.name, limit, used)))
    grassroots = {o.pk: o for o in orgs if o.kind in GRASSROOTS_KINDS and o.kind not in CELL_KINDS}
    if grassroots and any("committee" in q.scope or "group" in q.scope for q in profile.quotas):
        members: dict[int, int] = defaultdict(int)
        for cell_id, n in sizes.items():
            for seg in by_id[cell_id].path.strip("/").split("/"):
                if int(seg) in grassroots:
                    members[int(seg)] += n
        names = {pk: g.name for pk, g in grassroots.items()}
        for uc in superior_counts(profile, decided, dict(members), names):
            found += [(grassroots[uc.organization_id], v) for v in uc.views if v.breach]
    for org, view in found:
        unit = _unit_of(org, depth, units)
        if unit is not None:
            unit.breaches.append(view)
    return [v for _, v in found]


def _view(q: Quota, label: str, limit: int, used: int) -> QuotaView:
    return QuotaView("cell", label, q.level.name, limit, used, 0, _base_label(q),
                     _share_text(q), q.source, q.quote)  # fmt: skip
