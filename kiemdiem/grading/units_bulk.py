"""Deciding every proposed unit of a body at once (cells, collectives, villages, branches),
set-based: the order rules are checked once for the whole board, in memory, and the
decisions are written in one bulk insert with one audit row. A superior's board of 1,000
grassroots committees takes a fixed number of queries (tests/grading/test_units_bulk.py),
not one round of queries per unit as deciding them one by one does (units.decide_unit,
which stays the path for a single decision and gives the same results)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from kiemdiem.accounts.access import Action
from kiemdiem.audit.models import record
from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.checks import PARTY_COLLECTIVES, collective_checks, organization_checks
from kiemdiem.grading.context import acting_body, profile_of
from kiemdiem.grading.models import Decision, Grounds, Step, SubjectType, subject_fields
from kiemdiem.grading.quotas import standing_for
from kiemdiem.grading.scales import scheme_for
from kiemdiem.grading.services import acts_summary, insert_decisions
from kiemdiem.grading.units import K, UnitSubject, _check_level, subjects_for
from kiemdiem.org.choices import CELL_KINDS
from kiemdiem.org.models import Collective, Organization


@dataclass
class UnitsDecided:
    decided: int = 0
    skipped: list[str] = field(default_factory=list)


def _pending(cycle: Cycle, subjects: list[UnitSubject]) -> list[tuple[UnitSubject, str]]:
    """Units with a proposal and no decision yet, with the proposed level."""
    acts = standing_for(
        Decision.objects.filter(cycle=cycle, subject_key__in=[s.key for s in subjects])
    )
    out = []
    for s in subjects:
        st = acts.get(s.key)
        if st is not None and st.propose is not None and st.decide is None:
            out.append((s, st.propose.level))
    return out


class _Below:
    """The cells and collectives under the body, by path, with the year's decided unit keys:
    what the order rules of 000 §2.3 and §1.4.3 ask about, read once for the whole board."""

    def __init__(self, cycle: Cycle, body: Organization) -> None:
        self.decided = set(
            Decision.objects.current()
            .filter(cycle__year=cycle.year, step=Step.DECIDE)
            .exclude(subject_type=SubjectType.MEMBER)
            .values_list("subject_key", flat=True)
        )
        cells = Organization.objects.filter(path__startswith=body.path, kind__in=CELL_KINDS)
        self.cells = sorted(cells.values_list("path", "pk", "name"))
        self.cell_paths = [p for p, _, _ in self.cells]
        colls = Collective.objects.filter(organization__path__startswith=body.path)
        self.colls = sorted(
            colls.values_list("organization__path", "organization_id", "pk", "kind", "name")
        )
        self.coll_paths = [c[0] for c in self.colls]

    @staticmethod
    def _under(paths: list[str], prefix: str) -> range:
        start = bisect.bisect_left(paths, prefix)
        return range(start, bisect.bisect_left(paths, prefix + "\uffff"))

    def problems(self, subject: UnitSubject) -> list[str]:
        place = subject.place
        if subject.type == SubjectType.ORGANIZATION:
            lower = [
                name for i in self._under(self.cell_paths, place.path)
                for _, pk, name in [self.cells[i]]
                if pk != place.pk and f"o:{pk}" not in self.decided
            ]  # fmt: skip
            return organization_checks(subject.obj, lower)
        if subject.type != SubjectType.COLLECTIVE:
            return []
        lower, siblings = [], []
        for i in self._under(self.coll_paths, place.path):
            _, org_id, pk, kind, name = self.colls[i]
            if f"c:{pk}" in self.decided:
                continue
            if org_id != place.pk:
                lower.append(name)
            elif subject.obj.kind in PARTY_COLLECTIVES and kind not in PARTY_COLLECTIVES:
                siblings.append(name)
        return collective_checks(subject.obj, siblings, lower)


@transaction.atomic
def decide_all_units(user: Any, cycle: Cycle, body: Organization) -> UnitsDecided:
    """Each proposed unit at its proposal. The order rules (000 §2.3, §1.4.3: the units below
    first, a party committee after the government and mass-organization collectives) decide
    the order: a unit refused now is tried again after the others within this act, and those
    still refused are named with the reason. Written in bulk, audited once with the list."""
    acting, tier = acting_body(user, Action.DECIDE, K, body)
    subjects = subjects_for(body)
    pending = _pending(cycle, subjects)
    below = _Below(cycle, body)
    profile = profile_of(cycle)
    made: list[Decision] = []
    refused: dict[str, list[str]] = {}
    progress = True
    while pending and progress:
        progress, left = False, []
        for subject, level in pending:
            problems = below.problems(subject)
            if problems:
                refused[subject.key] = problems
                left.append((subject, level))
                continue
            scheme, scale = scheme_for(profile, subject.kind)
            _check_level(scale, level)
            made.append(_decision(user, cycle, subject, scheme.scale, level, acting, tier))
            below.decided.add(subject.key)
            refused.pop(subject.key, None)
            progress = True
        pending = left
    if made:
        insert_decisions(made)
        summary = f"{acting.name} quyết định xếp loại {len(made)} đơn vị theo đề xuất"
        record(user, "unit_decide_all", body, new=acts_summary(made), summary=summary)
    return UnitsDecided(decided=len(made), skipped=["; ".join(refused[s.key]) for s, _ in pending])


def _decision(
    user: Any, cycle: Cycle, subject: UnitSubject, scale_id: str, level: str,
    body: Organization, tier: str,
) -> Decision:  # fmt: skip
    """A first decision at the proposal, as units._act makes it (no earlier decision:
    `_pending` keeps only undecided units)."""
    return Decision(
        cycle=cycle, step=Step.DECIDE, scale=scale_id, level=level, grounds=Grounds.REGULAR,
        reason="", body=body, tier=tier, supersedes=None, made_by=user, proposal_level="",
        **subject_fields(subject.type, subject.obj, subject.place, subject.grassroots_id),
    )  # fmt: skip
