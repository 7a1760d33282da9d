"""A member's own results, year by year ("Kết quả của tôi", issue 15 §1): the decided level,
the vote or score behind it, the rules' reasons with their sources (the same rows and words
as the cell's grading page: `outcomes_for`), the acts from the chi ủy's proposal to the
superior's appraisal, the shortcomings to fix where rated HTNV (001 §2.2.5c) and the
member's papers. Nothing of a year is shown before the deciding body has decided: until then
the year says only that it is not decided yet.

A fixed number of queries per year of plans, whatever the size of the member's cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.context import grading_cycle, path_ids
from kiemdiem.grading.facts import MemberRow, outcomes_for
from kiemdiem.grading.models import Decision, Step
from kiemdiem.history.models import PastResult
from kiemdiem.meetings.models import MinutesEntry
from kiemdiem.org.choices import OrgKind
from kiemdiem.org.models import Member
from kiemdiem.reviews.models import SelfReview
from kiemdiem.rules import Level
from kiemdiem.rules.sources import readable

LEVEL_NAMES = {lv.name: lv.label for lv in Level}
# 001 §2.2.5c: a member rated HTNV is told the shortcomings to fix and by when. Only that
# plan says so in these words: under another plan the page cites nothing rather than a
# university's 2016 plan (found in review).
SHORTCOMINGS_SOURCE = "001 §2.2.5c"
SHORTCOMINGS_PROFILES = ("dhktna-2016",)


@dataclass
class Shortcoming:
    meeting: str
    held_at: Any
    shortcomings: str
    conclusion: str


@dataclass
class Year:
    """One year of a member's results. `decided` is None until the deciding body decides:
    then nothing else of the year is filled in (the proposal is not the member's result)."""

    year: int
    cycle: Cycle | None = None
    decided: Decision | None = None
    row: MemberRow | None = None
    acts: list[Decision] = field(default_factory=list)
    shortcomings: list[Shortcoming] = field(default_factory=list)
    review: SelfReview | None = None
    past: PastResult | None = None

    @property
    def level(self) -> str:
        if self.decided is not None:
            return self.decided.level
        return self.past.level if self.past is not None else ""

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, self.level)

    @property
    def is_decided(self) -> bool:
        return self.decided is not None or self.past is not None

    @property
    def appraisal(self) -> Decision | None:
        found = [a for a in self.acts if a.step == Step.APPRAISE and not hasattr(a, "successor")]
        return found[-1] if found else None

    @property
    def differs(self) -> bool:
        """The body decided another level than the chi ủy (or the rules) proposed."""
        d = self.decided
        return d is not None and bool(d.proposal_level) and d.proposal_level != d.level

    @property
    def needs_fixing(self) -> bool:
        return self.level == Level.HTNV.name

    @property
    def shortcomings_source(self) -> str:
        """The plan's words for telling an HTNV member what to fix, as an office cites them."""
        if self.cycle is None or self.cycle.profile_id not in SHORTCOMINGS_PROFILES:
            return ""
        return readable(SHORTCOMINGS_SOURCE)


def visible_members(user: Any) -> Q:
    """Whose results the user may read: their own (the member role) and those of the members
    their grants on decisions cover (the access table, Kind.DECISION)."""
    from kiemdiem.accounts.access import Action, Kind, own_q, scope_q

    return scope_q(user, Kind.DECISION, Action.VIEW, "cell__path") | own_q(
        user, Kind.DECISION, Action.VIEW, "pk"
    )


def member_years(member: Member) -> list[Year]:
    """Every year the member has a plan or an imported result for, newest first."""
    ids = path_ids(member.cell.path)
    years = set(
        Cycle.objects.filter(organization_id__in=ids)
        .exclude(organization__kind__in=(OrgKind.CELL, OrgKind.GROUP))
        .values_list("year", flat=True)
    )
    past = {p.year: p for p in PastResult.objects.filter(member=member)}
    found = []
    for year in sorted(years | set(past), reverse=True):
        y = Year(year, past=past.get(year))
        if year in years:
            _fill(y, member)
        found.append(y)
    return found


def _fill(y: Year, member: Member) -> None:
    try:
        cycle = grading_cycle(member.cell, y.year)
    except Cycle.DoesNotExist:
        return
    y.cycle = cycle
    y.review = SelfReview.objects.filter(cycle=cycle, member=member).first()
    key = f"m:{member.pk}"
    y.decided = (
        Decision.objects.current()
        .filter(cycle=cycle, subject_key=key, step=Step.DECIDE)
        .select_related("body")
        .first()
    )
    if y.decided is None:
        return
    y.past = None  # the year's own decision stands over an imported copy of it
    y.acts = list(
        Decision.objects.filter(cycle__year=cycle.year, subject_key=key)
        .select_related("body", "successor")
        .order_by("pk")
    )
    rows = [r for r in outcomes_for(cycle, member.cell).rows if r.member_id == member.pk]
    y.row = rows[0] if rows else None
    if y.needs_fixing:
        y.shortcomings = _shortcomings(cycle, member)


def _shortcomings(cycle: Cycle, member: Member) -> list[Shortcoming]:
    """What the cell's minutes say of the member's shortcomings and the chair's conclusion
    (the meeting that reviewed them), for each meeting of the year that did."""
    entries = (
        MinutesEntry.objects.filter(item__meeting__cycle__year=cycle.year,
                                    item__subject_member=member)
        .exclude(shortcomings="", conclusion="")
        .select_related("item__meeting")
        .order_by("item__meeting__scheduled_at", "pk")
    )  # fmt: skip
    return [
        Shortcoming(e.item.meeting.title, e.item.meeting.scheduled_at, e.shortcomings,
                    e.conclusion)
        for e in entries
    ]  # fmt: skip
