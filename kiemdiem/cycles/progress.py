"""How far a plan has come (issue 4 §9): per subordinate unit and per step, the self-reviews
submitted, the comments returned, the collective reports sent and the meetings held, and
what is late.

Everything is counted per cell with a handful of GROUP BY queries over the subtree, then
rolled up to the units in Python by reading the materialized paths: the number of queries
does not depend on the number of cells or members.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from kiemdiem.cycles.models import Cycle, Step, Subject, SubjectKind
from kiemdiem.feedback.models import DONE, FeedbackRequest, Status, overdue_q
from kiemdiem.meetings.models import Meeting, MeetingKind, MeetingStatus
from kiemdiem.org.choices import CELL_KINDS, OrgKind
from kiemdiem.org.models import Organization
from kiemdiem.reviews.models import CollectiveReport, ReportStatus, ReviewStatus, SelfReview

REVIEWED_HERE = (SubjectKind.REVIEW_AND_CLASSIFY, SubjectKind.REVIEW_ONLY)
HELD = (MeetingStatus.HELD, MeetingStatus.CLOSED)

# Which plan deliverable (kiemdiem/cycles/plan_templates) a measure answers to: the step
# carrying it gives the measure its deadline. A plan without such a step has no deadline
# for it, so nothing is called late.
DELIVERABLES = {
    "reviews": ("tu_kiem_diem",),
    "feedback": ("nhan_xet",),
    "reports": ("kiem_diem_tap_the", "bao_cao"),
    "meetings": ("hop_kiem_diem",),
}
MEASURES = {
    "reviews": "Bản tự kiểm điểm đã nộp",
    "feedback": "Nhận xét đã có",
    "reports": "Báo cáo tập thể đã gửi",
    "meetings": "Hội nghị đã họp",
}


@dataclass
class Tally:
    """Counts of one unit (a cell, or a unit summing its cells)."""

    reviews_expected: int = 0
    reviews_done: int = 0
    feedback_total: int = 0
    feedback_done: int = 0
    feedback_overdue: int = 0  # asked by this unit, not answered in time
    feedback_owed: int = 0  # asked of this unit, not answered in time
    reports_expected: int = 0
    reports_done: int = 0
    meetings_expected: int = 0
    meetings_planned: int = 0
    meetings_done: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def pair(self, measure: str) -> tuple[int, int]:
        """(done, expected) of a measure."""
        if measure == "reviews":
            return self.reviews_done, self.reviews_expected
        if measure == "feedback":
            return self.feedback_done, self.feedback_total
        if measure == "reports":
            return self.reports_done, self.reports_expected
        return self.meetings_done, self.meetings_expected


@dataclass
class Measure:
    key: str
    label: str
    done: int
    expected: int
    late: bool
    due: dt.date | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.expected) if self.expected else 0


@dataclass
class UnitRow:
    organization: Organization
    tally: Tally
    measures: list[Measure] = field(default_factory=list)

    @property
    def late(self) -> list[Measure]:
        return [m for m in self.measures if m.late]


# A step's status in words and its badge class: the plan page, the progress page and the
# progress workbook all read it from here (issue #11 §5), so a step never shows two states.
STEP_STATES: dict[str, tuple[str, str]] = {
    "future": ("Chưa đến", "badge-muted"),
    "open": ("Đang thực hiện", "badge-info"),
    "done": ("Đã xong", ""),
    "late": ("Chậm", "badge-danger"),
    "untracked": ("Đang thực hiện (không đếm tự động)", "badge-info"),
    "ended": ("Đã hết hạn (không đếm tự động)", "badge-muted"),
}


@dataclass
class StepRow:
    step: Step
    state: str  # a key of STEP_STATES
    measures: list[Measure]

    @property
    def label(self) -> str:
        return STEP_STATES[self.state][0]

    @property
    def badge(self) -> str:
        return STEP_STATES[self.state][1]


@dataclass
class Progress:
    cycle: Cycle
    root: Organization
    today: dt.date
    total: UnitRow
    units: list[UnitRow]
    steps: list[StepRow]
    deadlines: dict[str, dt.date]
    has_subjects: bool


def year_cycles(cycle: Cycle) -> list[int]:
    """The plans of the same year above and below this one: a member may hand in their
    paper under the committee's plan or under the cell's own."""
    path = cycle.organization.path
    above = [int(seg) for seg in path.strip("/").split("/") if seg]
    q = Q(organization__path__startswith=path) | Q(organization_id__in=above)
    return list(Cycle.objects.filter(q, year=cycle.year).values_list("pk", flat=True))


def deadlines(steps: list[Step]) -> dict[str, dt.date]:
    """Each measure's deadline: the latest end of the steps that deliver it."""
    result: dict[str, dt.date] = {}
    for key, wanted in DELIVERABLES.items():
        ends = [s.ends_on for s in steps if set(wanted) & set(s.deliverables or [])]
        if ends:
            result[key] = max(ends)
    return result


def per_cell(cycle_ids: list[int], root: Organization, today: dt.date) -> dict[int, Tally]:
    """Counts per organization where the work happens (mostly cells), in seven queries."""
    tallies: dict[int, Tally] = defaultdict(Tally)
    in_tree = root.path
    subjects = Subject.objects.filter(
        cycle_id__in=cycle_ids, kind__in=REVIEWED_HERE, place__path__startswith=in_tree
    )
    # Two plain GROUP BYs; the submitted ones as a semi-join (IN), which both databases
    # hash, rather than a correlated EXISTS per subject.
    submitted = SelfReview.objects.filter(
        cycle_id__in=cycle_ids, status=ReviewStatus.SUBMITTED
    ).values("member_id")
    expected = subjects.values("place_id").annotate(n=Count("member_id", distinct=True))
    for row in expected:
        tallies[row["place_id"]].reviews_expected = row["n"]
    done = (
        subjects.filter(member_id__in=submitted)
        .values("place_id")
        .annotate(n=Count("member_id", distinct=True))
    )
    for row in done:
        tallies[row["place_id"]].reviews_done = row["n"]
    live = FeedbackRequest.objects.filter(cycle_id__in=cycle_ids).exclude(status=Status.CANCELLED)
    asked = (
        live.filter(from_organization__path__startswith=in_tree)
        .values("from_organization_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status__in=DONE)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
    )
    for row in asked:
        t = tallies[row["from_organization_id"]]
        t.feedback_total, t.feedback_done = row["total"], row["done"]
        t.feedback_overdue = row["overdue"]
    owed = (
        live.filter(overdue_q(today), to_organization__path__startswith=in_tree)
        .values("to_organization_id")
        .annotate(n=Count("pk"))
    )
    for row in owed:
        tallies[row["to_organization_id"]].feedback_owed = row["n"]
    in_tree_q = Q(cycle_id__in=cycle_ids, collective__organization__path__startswith=in_tree)
    expected_reports = Subject.objects.filter(in_tree_q, collective__isnull=False)
    sent = CollectiveReport.objects.filter(in_tree_q, status=ReportStatus.SENT)
    for org_id, n in _collectives_by_organization(expected_reports):
        tallies[org_id].reports_expected = n
    for org_id, n in _collectives_by_organization(sent):
        tallies[org_id].reports_done = n
    meetings = (
        Meeting.objects.filter(
            cycle_id__in=cycle_ids,
            kind=MeetingKind.CELL,
            organization__path__startswith=in_tree,
        )
        .values("organization_id")
        .annotate(
            planned=Count("pk"),
            held=Count("pk", filter=Q(status__in=HELD)),
        )
    )
    for row in meetings:
        t = tallies[row["organization_id"]]
        t.meetings_planned, t.meetings_done = row["planned"], min(row["held"], 1)
    return tallies


def _collectives_by_organization(qs: QuerySet[Any]) -> list[tuple[int, int]]:
    """How many distinct collectives per organization a queryset of rows names."""
    rows = qs.values("collective__organization_id").annotate(
        n=Count("collective_id", distinct=True)
    )
    return [(row["collective__organization_id"], row["n"]) for row in rows]


def _measures(t: Tally, due: dict[str, dt.date], today: dt.date) -> list[Measure]:
    out = []
    for key, label in MEASURES.items():
        done, expected = t.pair(key)
        late = done < expected and key in due and today > due[key]
        if key == "feedback":
            late = late or t.feedback_overdue > 0
        out.append(Measure(key, label, done, expected, late, due.get(key)))
    return out


def compute(cycle: Cycle, root: Organization, today: dt.date) -> Progress:
    """The progress of `cycle` over `root`'s subtree, by `root`'s direct subordinate units
    (a cell shows itself)."""
    steps = list(cycle.steps.order_by("order"))
    due = deadlines(steps)
    cycle_ids = year_cycles(cycle)
    cells = per_cell(cycle_ids, root, today)
    orgs = list(
        Organization.objects.filter(path__startswith=root.path)
        .only("pk", "name", "kind", "path", "depth", "parent_id", "code")
        .order_by("path")
    )
    has_subjects = any(t.reviews_expected for t in cells.values())
    # Each cell owes one review meeting where members are reviewed there (all cells when
    # the plan's subjects are not derived yet).
    for org in orgs:
        if org.kind in CELL_KINDS and (cells[org.pk].reviews_expected or not has_subjects):
            cells[org.pk].meetings_expected = 1
    depth = len(root.path.strip("/").split("/"))
    units: dict[int, UnitRow] = {}
    total = UnitRow(root, Tally())
    for org in orgs:
        if org.pk == root.pk:
            continue
        # Party groups review inside their cell's meeting: their work is the cell's.
        if org.parent_id == root.pk and org.kind != OrgKind.GROUP:
            units[org.pk] = UnitRow(org, Tally())
    for org in orgs:
        t = cells.get(org.pk)
        if t is None:
            continue
        total.tally.add(t)
        segs = org.path.strip("/").split("/")
        if len(segs) > depth:
            unit = units.get(int(segs[depth]))
            if unit is not None:
                unit.tally.add(t)
    rows = list(units.values())
    for row in [total, *rows]:
        row.measures = _measures(row.tally, due, today)
    rows.sort(key=lambda r: (-len(r.late), r.organization.path))
    return Progress(
        cycle=cycle,
        root=root,
        today=today,
        total=total,
        units=rows,
        steps=[_step_row(s, total.tally, due, today) for s in steps],
        deadlines=due,
        has_subjects=has_subjects,
    )


def _step_row(step: Step, t: Tally, due: dict[str, dt.date], today: dt.date) -> StepRow:
    delivered = set(step.deliverables or [])
    keys = [k for k, wanted in DELIVERABLES.items() if delivered & set(wanted)]
    measures = [m for m in _measures(t, due, today) if m.key in keys]
    if today < step.starts_on:
        state = "future"
    elif not measures:
        state = "untracked" if today <= step.ends_on else "ended"
    elif all(m.done >= m.expected for m in measures):
        state = "done"
    elif today > step.ends_on:
        state = "late"
    else:
        state = "open"
    return StepRow(step, state, measures)
