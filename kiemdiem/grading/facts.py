"""The rules' input for every member of a subtree, built set-based (design.md, data flow):

    member facts (org) + subjects (cycles) + comments awaited (feedback) + self-review
    (reviews) + the year's conditions + the tally (a pluggable source) -> SubjectFacts, Votes
    -> rules engine -> Outcome -> cell quotas -> the proposal with its reasons.

`outcomes_for(cycle, unit)` reads a fixed number of queries whatever the size of the
subtree (each one a path-prefix scan, never one query per member or per cell).
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.context import profile_of, snapshot_hash
from kiemdiem.grading.models import ProposalStatus
from kiemdiem.grading.readers import (
    Post,
    condition_facts,
    conditions_of,
    current_posts,
    reviews_of,
    skipped_here,
    unit_levels,
    waiting_for,
)
from kiemdiem.grading.tallies import CellTally, tallies_for
from kiemdiem.org.choices import CELL_KINDS, PositionRank, Suspension
from kiemdiem.org.models import Member, Organization
from kiemdiem.rules import Level, Outcome, QuotaResult, RuleProfile, SubjectFacts, Votes
from kiemdiem.rules.classify import engine_for
from kiemdiem.rules.facts import UnitContext
from kiemdiem.rules.quotas import apply_quotas, own_scope
from kiemdiem.rules.sources import readable
from kiemdiem.rules.tally import unit_context

_SUBJECTS_SOURCE = readable("Đối tượng kiểm điểm của kế hoạch (000 §2.2, §2.3)")


@dataclass
class MemberRow:
    member_id: int
    code: str
    name: str
    sort_key: str
    cell_id: int
    category: str
    status: str = ProposalStatus.PROPOSED
    facts: SubjectFacts | None = None
    votes: Votes | None = None
    outcome: Outcome | None = None
    extra: list[dict[str, str]] = field(default_factory=list)  # reasons the rules do not make
    waiting: list[str] = field(default_factory=list)
    tally_source: str = ""
    posts: list[Post] = field(default_factory=list)
    score_by: str = ""
    context: UnitContext | None = None
    # What the fingerprint is made of, kept until it is asked for: a province's recompute
    # never asks, and hashing 500,000 reprs was a fifth of its time.
    printed_from: tuple[Any, ...] | None = field(default=None, repr=False)
    _fingerprint: str = field(default="", repr=False)

    @property
    def fingerprint(self) -> str:
        if not self._fingerprint and self.printed_from is not None:
            self._fingerprint = fingerprint(*self.printed_from)
        return self._fingerprint

    @property
    def level(self) -> str:
        o = self.outcome
        return o.level.name if o is not None and o.level is not None else ""

    @property
    def reasons(self) -> list[dict[str, str]]:
        made = [r.as_dict() for r in self.outcome.reasons] if self.outcome is not None else []
        return made + self.extra

    @property
    def not_classified_reason(self) -> str:
        """Why the member is not classified here, in words: the subjects list's reason or the
        rules' (exempt, suspended, newly admitted, temporary). Issue 11 §5: the status is
        never shown without it."""
        for r in self.reasons:
            if r["code"].endswith("not_classified"):
                return r["message"]
        return ""

    @property
    def vote_line(self) -> str:
        """The vote shares that got votes, "HTXSNV: 3/45, HTNV: 5/45" (no stray comma when
        the last level got none)."""
        o = self.outcome
        if o is None or not o.votes:
            return ""
        return ", ".join(f"{k}: {n}/{o.denominator}" for k, n in o.counts.items() if n)

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(r["source"] for r in self.reasons if r.get("source")))

    @property
    def details(self) -> dict[str, Any]:
        o = self.outcome
        data: dict[str, Any] = {}
        if o is not None and o.votes is not None:
            data["counts"] = o.counts
            data["denominator"] = o.denominator
        if self.facts is not None and self.facts.score is not None:
            data["score"] = str(self.facts.score)
            data["score_by"] = self.score_by
        if self.waiting:
            data["waiting"] = self.waiting
        return data


@dataclass
class UnitOutcomes:
    cycle: Cycle
    unit: Organization
    profile: RuleProfile
    rows: list[MemberRow]
    cells: dict[int, Organization]
    tallies: dict[int, CellTally]
    contexts: dict[int, UnitContext]
    cell_quotas: dict[int, list[QuotaResult]]

    def by_cell(self) -> dict[int, list[MemberRow]]:
        grouped: dict[int, list[MemberRow]] = defaultdict(list)
        for r in self.rows:
            grouped[r.cell_id].append(r)
        return grouped


_FACT_FIELDS = tuple(f.name for f in dataclasses.fields(SubjectFacts))
_FACTS = operator.attrgetter(*_FACT_FIELDS)
_AWARDS, _CRITERIA = _FACT_FIELDS.index("awards"), _FACT_FIELDS.index("criteria")


def fingerprint(key: str, f: SubjectFacts, v: Votes | None, ctx: UnitContext, extra: str) -> str:
    """What the proposal was computed from, in a stable form: a decision made on it keeps
    the fingerprint, so a later change of the inputs shows. (Sets and mappings are sorted:
    their own order is not stable between processes.)"""
    values = list(_FACTS(f))
    values[_AWARDS] = sorted(f.awards)
    values[_CRITERIA] = sorted(f.criteria.items())
    votes = (sorted(v.levels.items()), v.approve, v.disapprove) if v is not None else None
    text = repr((key, extra, ctx, values, votes))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _reason(code: str, message: str, source: str) -> dict[str, str]:
    return {"code": code, "message": message, "source": source}


def _cap_levels(
    posts: list[Post], levels: dict[str, Level], rank: str
) -> tuple[Level | None, list[str]]:
    """The lowest decided level among the units the member heads (or deputises), and the
    keys of those not decided yet."""
    if not posts:
        return None, []
    held = [p for p in posts if p.rank == rank]
    found = [levels[p.key] for p in held if p.key in levels]
    pending = [p.key for p in held if p.key not in levels]
    return (min(found) if found else None), pending


MEMBER_FIELDS = (
    "pk", "code", "full_name", "sort_key", "cell_id", "category", "official_on", "admitted_on",
    "exempt_since", "suspension",
)  # fmt: skip


def outcomes_for(cycle: Cycle, unit: Organization) -> UnitOutcomes:
    """Every member of `unit`'s subtree with their facts, votes, outcome (after the cell's
    quota) and status, in a fixed number of queries."""
    profile = profile_of(cycle)
    run = engine_for(profile).classify
    key = f"{cycle.profile_id}:{snapshot_hash(cycle)}"
    on, path = cycle.reference_date, unit.path
    head_cap = profile.caps.head is not None and profile.caps.head.enabled
    deputy_cap = head_cap and profile.caps.head is not None and profile.caps.head.deputy
    head_source = profile.caps.head.source if profile.caps.head is not None else ""
    # A cell's quota: its own, or per group of comparable role within it (QĐ 124, QĐ 366), as
    # `kiemdiem classify` applies it; the committee's quotas are checked over its cells.
    scope = "group" if own_scope(profile) == "group" else "cell"
    # Who is not reviewed: under QĐ 366 its Điều 5 khoản 2 says it; older plans list them.
    sc = profile.caps.scoring
    subjects_source = (
        readable(profile.eligibility.source) if sc is not None and sc.enabled else _SUBJECTS_SOURCE
    )

    cells = {
        o.pk: o for o in Organization.objects.filter(path__startswith=path, kind__in=CELL_KINDS)
    }
    members = list(
        Member.objects.filter(cell__path__startswith=path)
        .order_by("cell__path", "sort_key", "code")
        .values_list(*MEMBER_FIELDS)
        .iterator(chunk_size=5000)
    )
    visitors = list(
        Member.objects.filter(temporary_cell__path__startswith=path).values_list(
            "pk", "temporary_cell_id", "official_on", "exempt_since", "suspension", "admitted_on"
        )
    )
    conditions = conditions_of(cycle, path)
    reviews = reviews_of(cycle, path)
    waiting = waiting_for(cycle, path)
    skip = skipped_here(cycle, path)
    posts = current_posts(path, on)
    levels = unit_levels(cycle)
    tallies = tallies_for(cycle.pk, path)

    by_cell: dict[int, list[tuple[MemberRow, SubjectFacts, bool]]] = defaultdict(list)
    for (
        mid,
        code,
        name,
        sort_key,
        cell_id,
        category,
        official_on,
        admitted,
        exempt,
        susp,
    ) in members:
        tally = tallies.get(cell_id)
        cond = conditions.get(mid) or {}
        review = reviews.get(mid)
        mposts = posts.get(mid, [])
        row = MemberRow(mid, code, name, sort_key, cell_id, category, posts=mposts)
        heads_level, head_pending = _cap_levels(mposts, levels, PositionRank.HEAD)
        deputy_level, deputy_pending = _cap_levels(mposts, levels, PositionRank.DEPUTY)
        f = SubjectFacts(
            id=str(mid),
            name=name,
            official=official_on is not None,
            admitted_on=admitted,
            exempt=exempt is not None,
            suspended=susp == Suspension.PARTY,
            present=tally.present.get(mid, True) if tally is not None else True,
            category=category,
            **condition_facts(cond),
            heads_collective_level=heads_level if head_cap else None,
            deputy_of_collective_level=deputy_level if deputy_cap else None,
            is_leader=any(p.is_leader for p in mposts),
            self_level=Level.parse(review[0]) if review and review[0] else None,
            proposed_level=tally.proposed.get(mid) if tally is not None else None,
            criteria=review[1] if review else {},
            score=review[2] if review else None,
        )
        row.facts = f
        row.score_by = review[3] if review else ""
        row.votes = tally.votes.get(mid) if tally is not None else None
        row.tally_source = tally.source if tally is not None else ""
        if head_cap and (head_pending or (deputy_cap and deputy_pending)):
            row.extra.append(_reason(
                "collective_pending",
                "Người đứng đầu, cấp phó: mức xếp loại không được cao hơn tập thể, tổ chức mình "
                "phụ trách, mà tập thể, tổ chức đó chưa được quyết định xếp loại.",
                head_source,
            ))  # fmt: skip
        classify = True
        if mid in skip:
            why, correction = skip[mid]
            text = why + (f" (điều chỉnh: {correction})" if correction else "")
            row.status, classify = ProposalStatus.NOT_CLASSIFIED, False
            row.extra.append(_reason("subject_not_classified", text, subjects_source))
        elif mid in waiting:
            row.status, classify = ProposalStatus.WAITING, False
            row.waiting = waiting[mid]
            row.extra.append(_reason(
                "feedback_waiting",
                "Chờ nhận xét: " + "; ".join(waiting[mid]) + ". Chưa đề xuất mức xếp loại.",
                readable("000 §2.3; 001 §2.2.2"),
            ))  # fmt: skip
        by_cell[cell_id].append((row, f, classify))

    for vid, tcell, official_on, exempt, susp, admitted in visitors:
        if tcell in cells:  # votes where they attend, if the profile lets them
            visitor = SubjectFacts(
                id=f"v{vid}", official=official_on is not None, admitted_on=admitted,
                temporary=True, exempt=exempt is not None, suspended=susp == Suspension.PARTY,
            )  # fmt: skip
            by_cell[tcell].append((MemberRow(vid, "", "", "", tcell, ""), visitor, False))

    rows: list[MemberRow] = []
    contexts: dict[int, UnitContext] = {}
    cell_quotas: dict[int, list[QuotaResult]] = {}
    for cell_id, entries in by_cell.items():
        tally = tallies.get(cell_id)
        own = [e for e in entries if not e[1].id.startswith("v")]
        ctx = unit_context(
            [f for _, f, _ in entries], profile, on,
            tally.spoiled if tally is not None else 0, len(own),
        )  # fmt: skip
        if tally is not None and tally.voters_present is not None:
            ctx = dataclasses.replace(ctx, voters_present=tally.voters_present)
        if tally is not None and tally.eligible is not None:
            ctx = dataclasses.replace(ctx, eligible_voters=tally.eligible)
        contexts[cell_id] = ctx
        outcomes: list[Outcome] = []
        per_member = tally.voters_by_member if tally is not None else {}
        for row, f, classify in own:
            row_ctx = ctx
            if row.member_id in per_member:  # counted in a later round, over its own papers
                row_ctx = dataclasses.replace(ctx, voters_present=per_member[row.member_id])
            row.context = row_ctx
            if classify:
                row.outcome = run(f, row.votes, row_ctx)
                outcomes.append(row.outcome)
        if cell_id in cells and outcomes:
            groups = {f.id: f.group for _, f, _ in own if f.group}
            report = apply_quotas(outcomes, profile, scope, len(own), groups=groups)
            done = {o.id: o for o in report.outcomes}
            cell_quotas[cell_id] = report.results
        else:
            done = {}
        for row, f, classify in own:
            if classify and row.outcome is not None:
                row.outcome = done.get(row.outcome.id, row.outcome)
                row.status = _status(row.outcome, tally)
            extra = row.status + "|" + row.tally_source + "|" + ";".join(row.waiting)
            row.printed_from = (key, f, row.votes, row.context or ctx, extra)
            rows.append(row)
    return UnitOutcomes(cycle, unit, profile, rows, cells, tallies, contexts, cell_quotas)


def _status(o: Outcome, tally: CellTally | None) -> str:
    if not o.classified:
        return ProposalStatus.NOT_CLASSIFIED
    if o.level is not None:
        return ProposalStatus.PROPOSED
    if any(r.code == "absent_deferred" for r in o.notes):
        return ProposalStatus.DEFERRED
    return ProposalStatus.NO_TALLY if tally is None else ProposalStatus.UNDECIDED
