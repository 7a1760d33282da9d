"""Recompute and check quotas for a whole subtree (a province: ~500,000 members): the rules
run again over every member from the stored inputs, and each cell's, each grassroots
organization's and each group's quota is checked over the standing levels.

The subtree is read in chunks (an organization holding at most CHUNK members, usually a
district), each chunk in a fixed number of queries (`outcomes_for`), so memory stays
bounded and the number of queries grows with the number of chunks, never with members.
With `workers` > 1 the chunks are shared among that many processes, each with its own
database connection: the rules are Python, so one process uses one core.
"""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.db import connection, connections

from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.context import grassroots_of
from kiemdiem.grading.facts import UnitOutcomes, outcomes_for
from kiemdiem.grading.models import Decision, SubjectType
from kiemdiem.grading.quotas import (
    QuotaView,
    category_name,
    standing_level,
    standing_levels,
    standing_outcome,
    views_for,
)
from kiemdiem.org.choices import CELL_KINDS, GRASSROOTS_KINDS
from kiemdiem.org.models import Member, Organization
from kiemdiem.rules import Outcome

# Below SQLite's 32,766 bound on query parameters (the comment derivation passes member ids).
CHUNK = 30_000


@dataclass
class TreeCheck:
    members: int = 0
    classified: int = 0
    cells: int = 0
    grassroots: int = 0
    chunks: int = 0
    levels: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    breaches: list[QuotaView] = field(default_factory=list)

    def add(self, other: TreeCheck) -> None:
        self.members += other.members
        self.classified += other.classified
        self.cells += other.cells
        self.grassroots += other.grassroots
        self.chunks += other.chunks
        for k, v in other.levels.items():
            self.levels[k] += v
        self.breaches += other.breaches


def chunks_of(org: Organization) -> list[Organization]:
    """The organizations the subtree is read by: `org` itself when it holds at most CHUNK
    members (or is a grassroots organization or a cell), else its children's chunks."""
    if org.kind in GRASSROOTS_KINDS or org.kind in CELL_KINDS:
        return [org]
    if Member.objects.filter(cell__path__startswith=org.path).count() <= CHUNK:
        return [org]
    return [c for child in org.children.all().order_by("path") for c in chunks_of(child)]


def check_tree(cycle: Cycle, org: Organization, *, workers: int = 1) -> TreeCheck:
    """Every quota of the subtree over the standing levels, recomputed from the inputs."""
    chunks = chunks_of(org)
    total = TreeCheck()
    if workers <= 1 or len(chunks) < 2 or _in_memory() or connection.in_atomic_block:
        for chunk in chunks:
            total.add(check_chunk(cycle, chunk))
        return total
    # Forked children must not share the parent's database socket: close it first, each
    # child opens its own on its first query.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for part in pool.map(_check_by_ids, [(cycle.pk, c.pk) for c in chunks]):
            total.add(part)
    return total


def _in_memory() -> bool:
    """An in-memory SQLite database lives in this process only: no worker could see it (nor
    what an open transaction has not committed: the caller then runs alone)."""
    if connection.vendor != "sqlite":
        return False
    name = str(connection.settings_dict["NAME"])
    return name == ":memory:" or "mode=memory" in name


def _check_by_ids(ids: tuple[int, int]) -> TreeCheck:
    cycle = Cycle.objects.get(pk=ids[0])
    result = check_chunk(cycle, Organization.objects.get(pk=ids[1]))
    result.levels = dict(result.levels)  # a defaultdict's factory does not pickle
    return result


def _grassroots_map(units: UnitOutcomes) -> tuple[dict[int, int | None], dict[int, Organization]]:
    ids = {int(s) for c in units.cells.values() for s in c.path.strip("/").split("/") if s}
    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
    return {cid: grassroots_of(c, orgs) for cid, c in units.cells.items()}, orgs


def check_chunk(cycle: Cycle, unit: Organization) -> TreeCheck:
    units = outcomes_for(cycle, unit)
    profile = units.profile
    standing = standing_levels(
        Decision.objects.filter(
            cycle=cycle, subject_type=SubjectType.MEMBER, place__path__startswith=unit.path
        )
    )
    owner, orgs = _grassroots_map(units)
    result = TreeCheck(members=len(units.rows), chunks=1)
    by_cell: dict[int, list[Outcome]] = defaultdict(list)
    by_org: dict[int, list[Outcome]] = defaultdict(list)
    by_group: dict[tuple[int, str], list[Outcome]] = defaultdict(list)
    totals: dict[int, int] = defaultdict(int)
    org_totals: dict[int, int] = defaultdict(int)
    for row in units.rows:
        totals[row.cell_id] += 1
        gid = owner.get(row.cell_id)
        if gid is not None:
            org_totals[gid] += 1
        o = row.outcome
        if o is None or not o.classified:
            continue
        level = standing_level(row, standing.get(f"m:{row.member_id}"))
        if level is not None:
            result.levels[level.name] += 1
        so = standing_outcome(o, level)
        result.classified += 1
        by_cell[row.cell_id].append(so)
        if gid is not None:
            by_org[gid].append(so)
            by_group[(gid, row.category)].append(so)
    for cid, outs in by_cell.items():
        result.cells += 1
        name = units.cells[cid].name
        result.breaches += [
            v for v in views_for(profile, outs, "cell", name, totals[cid]) if v.breach
        ]
    for gid, outs in by_org.items():
        result.grassroots += 1
        name = orgs[gid].name
        result.breaches += [
            v for v in views_for(profile, outs, "committee", name, org_totals[gid]) if v.breach
        ]
    if any("group" in q.scope for q in profile.quotas):
        for (gid, cat), outs in by_group.items():
            label = f"{orgs[gid].name} — {category_name(cat)}"
            result.breaches += [
                v for v in views_for(profile, outs, "group", label, len(outs)) if v.breach
            ]
    return result
