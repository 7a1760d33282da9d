"""Home is the year (issue 15 §2): the current plan's step and its deadline, and the short
list of what is this user's to do, each with the page that does it.

Every count is read from the function that the page it links to prints from — the plan's
progress (cycles.progress.compute), the grading pages (grading.pages) and the member's own
papers — so home never says a number another page contradicts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q
from django.urls import reverse

from kiemdiem.accounts.access import Action, Kind, allowed, grants, own_member_id
from kiemdiem.cycles import progress
from kiemdiem.cycles.models import Cycle
from kiemdiem.grading import pages
from kiemdiem.grading.context import grading_cycle, path_ids
from kiemdiem.grading.models import Decision, Step, SubjectType
from kiemdiem.org.choices import CELL_KINDS, GRASSROOTS_KINDS
from kiemdiem.org.models import Member, Organization
from kiemdiem.reviews.models import ReviewStatus, SelfReview, Suggestion
from kiemdiem.reviews.self_reviews import variant_for


@dataclass
class Task:
    text: str
    url: str
    count: int = 0


@dataclass
class Year:
    """One plan as one organization (or the member) lives it."""

    cycle: Cycle
    place: str  # whose tasks: "Của đồng chí", or the organization's name
    step: progress.StepRow | None = None
    tasks: list[Task] = field(default_factory=list)
    # Where the plan's number links: its page for an office; a plain member, who may not
    # read the plan's progress over the tree, goes to their own paper under it.
    plan_url: str = ""

    @property
    def deadline(self) -> dt.date | None:
        return self.step.step.ends_on if self.step is not None else None


def current_cycle(org: Organization) -> Cycle | None:
    """The newest plan that `org` implements (its own or an ancestor's); for a superior
    without one, the newest plan below it (it appraises those)."""
    above = (
        Cycle.objects.filter(organization_id__in=path_ids(org.path))
        .select_related("organization")
        .order_by("-year", "-organization__depth")
        .first()
    )
    if above is not None:
        return above
    return (
        Cycle.objects.filter(organization__path__startswith=org.path)
        .select_related("organization")
        .order_by("-year", "organization__depth")
        .first()
    )


def current_step(rows: list[progress.StepRow], today: dt.date) -> progress.StepRow | None:
    """The step whose window holds today, else the latest late one, else the next to come,
    else the last (the plan is over)."""
    now = [r for r in rows if r.step.starts_on <= today <= r.step.ends_on]
    if now:
        return now[-1]
    late = [r for r in rows if r.state == "late"]
    if late:
        return late[-1]
    coming = [r for r in rows if r.state == "future"]
    return coming[0] if coming else (rows[-1] if rows else None)


def years_for(user: Any, today: dt.date) -> list[Year]:
    """The user's own year as a member, then one per organization they hold a role over."""
    found: list[Year] = []
    member_id = own_member_id(user)
    if member_id is not None:
        member = Member.objects.select_related("cell").filter(pk=member_id).first()
        if member is not None:
            mine = _member_year(user, member, today)
            # An office holder who is also a member sees their own card only when it asks
            # something of them; a plain member always sees their year.
            if mine is not None and (mine.tasks or not grants(user)):
                found.append(mine)
    seen: set[int] = set()
    for g in grants(user):
        if g.organization_id is None or g.organization_id in seen:
            continue
        seen.add(g.organization_id)
        org = Organization.objects.filter(pk=g.organization_id).first()
        cycle = current_cycle(org) if org is not None else None
        if org is None or cycle is None:
            continue
        year = Year(cycle, org.name, plan_url=reverse("cycle_detail", args=[cycle.pk]))
        data = progress.compute(cycle, org, today)
        year.step = current_step(data.steps, today)
        if org.kind in CELL_KINDS:
            year.tasks = _cell_tasks(user, cycle, org, data)
        elif org.kind in GRASSROOTS_KINDS:
            year.tasks = _committee_tasks(user, cycle, org, data)
        if allowed(g.role, Kind.DECISION, Action.APPRAISE) and org.kind not in GRASSROOTS_KINDS:
            year.tasks += _superior_tasks(user, cycle, org)
        found.append(year)
    return found


def _member_year(user: Any, member: Member, today: dt.date) -> Year | None:
    cycle = current_cycle(member.cell)
    if cycle is None:
        return None
    year = Year(cycle, "Của đồng chí", plan_url=reverse("my_review", args=[cycle.pk]))
    year.step = current_step(progress.compute(cycle, member.cell, today).steps, today)
    review = SelfReview.objects.filter(
        cycle_id__in=progress.year_cycles(cycle), member=member
    ).first()
    write = reverse("my_review", args=[cycle.pk])
    if review is None or review.status == ReviewStatus.DRAFT:
        # The member's own form under the plan's rules (2A/2B/2C under QĐ 366, 02A/02B, 02).
        form = review.variant if review is not None else variant_for(cycle, member)[0]
        year.tasks.append(Task(f"Viết và nộp bản tự kiểm điểm (Mẫu {form})", write))
    elif review.status == ReviewStatus.RETURNED:
        year.tasks.append(Task("Bản tự kiểm điểm bị trả lại: sửa theo ý kiến và nộp lại", write))
    unanswered = Suggestion.objects.filter(
        Q(member=member), cycle__year=cycle.year, answer=""
    ).order_by("pk")
    for s in unanswered[:5]:
        year.tasks.append(
            Task("Giải trình gợi ý kiểm điểm", reverse("suggestion_detail", args=[s.pk]))
        )
    decided = (
        Decision.objects.current()
        .filter(cycle__year=cycle.year, subject_key=f"m:{member.pk}", step=Step.DECIDE)
        .exists()
    )
    if decided:
        url = reverse("member_results", args=[member.pk])
        year.tasks.append(Task(f"Đã có kết quả xếp loại năm {cycle.year}: xem mức và lý do", url))
    return year


def _cell_tasks(user: Any, cycle: Cycle, cell: Organization, data: progress.Progress) -> list[Task]:
    t = data.total.tally
    tasks = []
    missing = t.reviews_expected - t.reviews_done
    if missing > 0:
        url = reverse("review_cell", args=[cycle.pk, cell.pk])
        tasks.append(Task(f"{missing} đảng viên chưa nộp bản tự kiểm điểm", url, missing))
    if t.feedback_owed:
        tasks.append(Task(f"{t.feedback_owed} phiếu nhận xét quá hạn chưa trả lời",
                          reverse("feedback_inbox"), t.feedback_owed))  # fmt: skip
    meetings = f"{reverse('meeting_list', args=[cycle.pk])}?to_chuc={cell.pk}"
    if t.meetings_done < t.meetings_expected:
        text = "Tổ chức hội nghị kiểm điểm của chi bộ" + (
            " (đã lên lịch)" if t.meetings_planned else ""
        )
        tasks.append(Task(text, meetings, 1))
    try:
        graded_in = grading_cycle(cell, near=cycle)
    except Cycle.DoesNotExist:
        return tasks
    page = pages.cell_page(user, graded_in, cell)
    grading = reverse("grading_cell", args=[graded_in.pk, cell.pk])
    if t.meetings_done and not page.tally:
        tasks.append(Task("Mở phiếu biểu quyết hoặc nhập kết quả kiểm phiếu", meetings, 1))
    to_propose = page.counts.get("proposed", 0) - page.counts.get("proposed_by_chi_uy", 0)
    if page.can_propose and to_propose > 0:
        tasks.append(Task(f"Chi ủy lập đề xuất (Mẫu 04): {to_propose} đảng viên", grading,
                          to_propose))  # fmt: skip
    if page.can_decide:
        waiting = page.counts.get("proposed_by_chi_uy", 0) - page.counts.get("decided", 0)
        if waiting > 0:
            tasks.append(Task(f"Quyết định xếp loại {waiting} đảng viên", grading, waiting))
    return tasks


def _committee_tasks(
    user: Any, cycle: Cycle, org: Organization, data: progress.Progress
) -> list[Task]:
    tasks = []
    late = [u for u in data.units if u.late]
    if late:
        tasks.append(Task(f"{len(late)} đơn vị chậm tiến độ: nhắc việc",
                          reverse("reminders", args=[cycle.pk]), len(late)))  # fmt: skip
    page = pages.committee_page(user, cycle, org)
    if page.can_decide:
        waiting = [c for c in page.cells if c.chi_uy > c.decided]
        if waiting:
            n = sum(c.chi_uy - c.decided for c in waiting)
            url = reverse("grading_committee", args=[cycle.pk, org.pk])
            text = f"{len(waiting)} chi bộ chờ quyết định xếp loại ({n} đảng viên)"
            tasks.append(Task(text, url, len(waiting)))
            for c in waiting[:5]:
                tasks.append(Task(f"Quyết định: {c.cell.name} ({c.chi_uy - c.decided} đảng viên)",
                                  reverse("grading_cell", args=[cycle.pk, c.cell.pk]),
                                  c.chi_uy - c.decided))  # fmt: skip
    return tasks


def _superior_tasks(user: Any, cycle: Cycle, org: Organization) -> list[Task]:
    grassroots = Organization.objects.filter(
        path__startswith=org.path, kind__in=GRASSROOTS_KINDS
    ).order_by("path")
    page = pages.superior_page(user, cycle, org, Paginator(grassroots, 10_000).get_page(1))
    if not page.can_appraise:
        return []
    appraised = set(
        Decision.objects.current()
        .filter(cycle__year=cycle.year, step=Step.APPRAISE, subject_type=SubjectType.MEMBER,
                grassroots__path__startswith=org.path)
        .values_list("grassroots_id", flat=True)
    )  # fmt: skip
    todo = [u for u in page.units if u.decided and u.organization_id not in appraised]
    if not todo:
        return []
    url = reverse("grading_superior", args=[cycle.pk, org.pk])
    return [Task(f"{len(todo)} tổ chức cơ sở đã quyết định, chờ thẩm định", url, len(todo))]
