"""What each grading page shows, assembled set-based (a fixed number of queries per page
whatever the size of the subtree); the views only parse, call and render."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.appraisal import open_orders
from kiemdiem.grading.context import grassroots_of, profile_of, without_vote
from kiemdiem.grading.facts import MemberRow, outcomes_for
from kiemdiem.grading.models import Decision, Proposal, ProposalStatus, Step, SubjectType
from kiemdiem.grading.quotas import (
    CommitteeStatus,
    QuotaView,
    Standing,
    UnitCount,
    committee_status,
    standing_for,
    superior_counts,
)
from kiemdiem.grading.unit_totals import UnitTotals, cell_totals
from kiemdiem.org.choices import GRASSROOTS_KINDS, OrgKind
from kiemdiem.org.models import Organization
from kiemdiem.reviews.periodic import quarters_of
from kiemdiem.reviews.scoring import fmt
from kiemdiem.rules import Level

LEVEL_NAMES = {lv.name: lv.label for lv in Level}


@dataclass
class Line:
    """One member on a cell page."""

    row: MemberRow
    standing: Standing
    flags: list[str] = field(default_factory=list)
    quarters: str = ""  # Mẫu 05's quarterly self-ratings, beside the yearly score

    @property
    def proposed(self) -> str:
        p = self.standing.propose
        return p.level if p is not None else ""

    @property
    def decided(self) -> str:
        d = self.standing.decide
        return d.level if d is not None else ""

    @property
    def score(self) -> str:
        """The 100-point score the rules read, as Vietnamese writes it ("94,5")."""
        f = self.row.facts
        if f is None or f.score is None:
            return ""
        return fmt(Decimal(f.score.numerator) / Decimal(f.score.denominator))

    @property
    def stale(self) -> bool:
        """Inputs changed since the decision: the committee should look again."""
        d = self.standing.decide
        return d is not None and d.proposal_fingerprint != self.row.fingerprint


@dataclass
class CellPage:
    cycle: Cycle
    cell: Organization
    body: Organization | None
    status: CommitteeStatus
    lines: list[Line]
    quotas: list[QuotaView]
    counts: dict[str, int]
    can_enter: bool
    can_propose: bool
    can_decide: bool
    orders: list[Any]
    no_vote: bool = False

    @property
    def tally(self) -> Any:
        return self.status.units.tallies.get(self.cell.pk)

    @property
    def totals(self) -> UnitTotals:
        """The header figures this page and the cell's papers state (Mẫu 04, tờ trình)."""
        return cell_totals(self)


def _flags(row: MemberRow, views: list[QuotaView]) -> list[str]:
    key = str(row.member_id)
    flags = []
    for v in views:
        if key in v.needs_decision:
            flags.append(f"Bằng phiếu tại ranh giới hạn mức {v.level}: cấp ủy quyết định")
        elif key in v.over:
            flags.append(f"Vượt hạn mức {v.level} ({v.label})")
    return flags


def cell_page(user: Any, cycle: Cycle, cell: Organization) -> CellPage:
    gid = grassroots_of(cell)
    body: Organization | None = cell if gid == cell.pk else None
    if gid is not None and body is None:
        body = Organization.objects.filter(pk=gid).first()
    units = outcomes_for(cycle, cell)
    status = committee_status(units, committee_scope=cell.kind == OrgKind.GRASSROOTS_CELL)
    views = status.cells.get(cell.pk, []) + status.committee + status.groups
    names = {str(r.member_id): r.name for r in units.rows}
    for v in views:
        v.names = names
    standing = standing_for(
        Decision.objects.filter(cycle=cycle, subject_type=SubjectType.MEMBER, place=cell)
    )
    lines = [
        Line(r, standing.get(f"m:{r.member_id}", Standing()), _flags(r, views)) for r in units.rows
    ]
    no_vote = without_vote(cycle, tallied=cell.pk in units.tallies)
    if no_vote:
        by_member = quarters_of(cycle, [r.member_id for r in units.rows])
        for ln in lines:
            ln.quarters = by_member.get(ln.row.member_id, "")
    counts = Counter(r.status for r in units.rows)
    counts["decided"] = sum(1 for x in lines if x.decided)
    counts["proposed_by_chi_uy"] = sum(1 for x in lines if x.proposed)
    return CellPage(
        cycle, cell, body, status, lines, views, dict(counts),
        can_enter=can_at(user, Action.EDIT, Kind.DECISION, cell),
        can_propose=can_at(user, Action.PROPOSE, Kind.DECISION, cell),
        can_decide=body is not None and can_at(user, Action.DECIDE, Kind.DECISION, body),
        orders=open_orders(cycle, body) if body is not None else [],
        no_vote=no_vote,
    )  # fmt: skip


@dataclass
class CellSummary:
    cell: Organization
    members: int
    proposed: int
    waiting: int
    chi_uy: int
    decided: int
    levels: dict[str, int]
    breach: bool


@dataclass
class CommitteePage:
    cycle: Cycle
    org: Organization
    status: CommitteeStatus
    cells: list[CellSummary]
    levels: dict[str, int]
    orders: list[Any]
    can_decide: bool


def committee_page(user: Any, cycle: Cycle, org: Organization) -> CommitteePage:
    units = outcomes_for(cycle, org)
    status = committee_status(units, committee_scope=org.kind in GRASSROOTS_KINDS)
    names = {str(r.member_id): f"{r.name} ({units.cells[r.cell_id].name})" for r in units.rows}
    for v in [*status.committee, *status.groups]:
        v.names = names
    by_cell = units.by_cell()
    cells = []
    all_levels: Counter[str] = Counter()
    for cid, cell in sorted(units.cells.items(), key=lambda kv: kv[1].path):
        rows = by_cell.get(cid, [])
        st = [status.levels.get(f"m:{r.member_id}", ("", "")) for r in rows]
        levels: Counter[str] = Counter(decided for _, decided in st if decided)
        all_levels.update(levels)
        cells.append(CellSummary(
            cell, len(rows),
            sum(1 for r in rows if r.status == ProposalStatus.PROPOSED),
            sum(1 for r in rows if r.status == ProposalStatus.WAITING),
            sum(1 for proposed, _ in st if proposed),
            sum(levels.values()), dict(levels),
            any(v.breach for v in status.cells.get(cid, [])),
        ))  # fmt: skip
    return CommitteePage(
        cycle, org, status, cells, dict(all_levels), open_orders(cycle, org),
        can_at(user, Action.DECIDE, Kind.DECISION, org),
    )  # fmt: skip


@dataclass
class SuperiorPage:
    cycle: Cycle
    org: Organization
    units: list[UnitCount]
    breaches: list[UnitCount]
    orders: list[Any]
    can_appraise: bool
    page: Any


def superior_page(user: Any, cycle: Cycle, org: Organization, page: Any) -> SuperiorPage:
    """Every grassroots organization below `org` (a page of them), decided levels counted in
    one GROUP BY, breaches flagged over the whole subtree."""
    grassroots = Organization.objects.filter(
        path__startswith=org.path, kind__in=GRASSROOTS_KINDS
    ).order_by("path")
    names = dict(grassroots.values_list("pk", "name"))
    decisions = Decision.objects.filter(
        cycle__year=cycle.year, grassroots__path__startswith=org.path
    )
    proposals = dict(
        Proposal.objects.filter(
            cycle__year=cycle.year,
            subject_type=SubjectType.MEMBER,
            grassroots__path__startswith=org.path,
            status=ProposalStatus.PROPOSED,
        )
        .values_list("grassroots_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = superior_counts(profile_of(cycle), decisions, proposals, names)
    ids_on_page = {o.pk for o in page.object_list}
    return SuperiorPage(
        cycle, org, [c for c in counts if c.organization_id in ids_on_page],
        [c for c in counts if c.breach], open_orders(cycle, org),
        can_at(user, Action.APPRAISE, Kind.DECISION, org), page,
    )  # fmt: skip


def history(cycle: Cycle, key: str) -> list[Decision]:
    """Every act on one subject, oldest first: superseded ones included (principle 5)."""
    return list(
        Decision.objects.filter(cycle__year=cycle.year, subject_key=key)
        .select_related("body", "made_by", "supersedes", "order", "successor")
        .order_by("pk")
    )


__all__ = ["Step", "cell_page", "committee_page", "history", "superior_page"]
