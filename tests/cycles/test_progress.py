"""Progress of a plan (issue 4 §9): per unit and per step, the self-reviews submitted, the
comments returned, the reports sent and the meetings held, what is late, the .xlsx, the
reminders — with the deadlines the plan's steps give (000 §II.3: the steps and their dates)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kiemdiem.audit.models import AuditEntry
from kiemdiem.cycles import progress, reminders
from kiemdiem.cycles.models import Subject, SubjectKind
from kiemdiem.feedback.models import FeedbackKind, FeedbackRequest, Status
from kiemdiem.meetings.models import Meeting, MeetingKind, MeetingStatus
from kiemdiem.reviews.models import CollectiveReport, ReportStatus, ReviewStatus, SelfReview
from tests.builders import make_collective, make_cycle, make_member
from tests.conftest import World

pytestmark = pytest.mark.django_db
D = dt.date
# 000 §II.3: self-reviews and comments by 07/11, the cell meetings by 25/11.
STEPS = [
    ("viet_ban_kiem_diem", D(2026, 11, 7), ["tu_kiem_diem", "nhan_xet"]),
    ("hop_chi_bo", D(2026, 11, 25), ["hop_kiem_diem", "bieu_quyet"]),
]


def _setup(w: World, steps: list[Any] = STEPS) -> Any:
    cycle = make_cycle(w.orgs["commune"], steps=steps)
    for key in ("an", "binh", "cuong"):
        m = w.members[key]
        Subject.objects.create(
            cycle=cycle, member=m, place=m.cell, kind=SubjectKind.REVIEW_AND_CLASSIFY, why="thử"
        )
    SelfReview.objects.create(
        cycle=cycle, member=w.members["an"], variant="2A", member_kind="x",
        status=ReviewStatus.SUBMITTED,
    )  # fmt: skip
    SelfReview.objects.create(
        cycle=cycle, member=w.members["binh"], variant="2A", member_kind="x",
        status=ReviewStatus.DRAFT,
    )  # fmt: skip
    common = {"cycle": cycle, "kind": FeedbackKind.RESIDENCE, "reason": "thử"}
    FeedbackRequest.objects.create(
        member=w.members["an"], from_organization=w.orgs["cell1"],
        to_organization=w.orgs["cell2"], due_on=D(2026, 11, 7), status=Status.ANSWERED, **common,
    )  # fmt: skip
    FeedbackRequest.objects.create(
        member=w.members["binh"], from_organization=w.orgs["cell1"],
        to_organization=w.orgs["cell2"], due_on=D(2026, 11, 7), status=Status.REQUESTED, **common,
    )  # fmt: skip
    Meeting.objects.create(
        cycle=cycle, organization=w.orgs["cell1"], kind=MeetingKind.CELL, title="Hội nghị",
        scheduled_at=timezone.now(), template_id="000", status=MeetingStatus.HELD,
    )  # fmt: skip
    # Each cell's chi ủy reviews as a collective (Mẫu 01); xóm 1's report has gone out.
    for key, cell in (("an", "cell1"), ("cuong", "cell2")):
        chi_uy = make_collective(w.orgs[cell])
        Subject.objects.create(
            cycle=cycle, member=w.members[key], collective=chi_uy,
            kind=SubjectKind.REVIEW_AND_CLASSIFY, why="thử",
        )  # fmt: skip
        if cell == "cell1":
            CollectiveReport.objects.create(
                cycle=cycle, collective=chi_uy, head=w.members[key],
                meeting_on=D(2026, 11, 20), status=ReportStatus.SENT,
            )  # fmt: skip
    return cycle


def _unit(p: progress.Progress, name: str) -> progress.UnitRow:
    return next(u for u in p.units if u.organization.name == name)


def _m(row: progress.UnitRow, key: str) -> progress.Measure:
    return next(m for m in row.measures if m.key == key)


def test_counts_per_cell_and_in_total(world: World) -> None:
    """Each cell's submitted papers out of its subjects, comments answered out of those
    asked, and held meetings; the committee's total is their sum."""
    cycle = _setup(world)
    p = progress.compute(cycle, world.orgs["commune"], D(2026, 11, 1))
    cell1, cell2 = _unit(p, "Chi bộ xóm 1"), _unit(p, "Chi bộ xóm 2")
    assert (_m(cell1, "reviews").done, _m(cell1, "reviews").expected) == (1, 2)
    assert (_m(cell2, "reviews").done, _m(cell2, "reviews").expected) == (0, 1)
    assert (_m(cell1, "feedback").done, _m(cell1, "feedback").expected) == (1, 2)
    assert (_m(cell1, "meetings").done, _m(cell2, "meetings").done) == (1, 0)
    assert (_m(cell1, "reports").done, _m(cell1, "reports").expected) == (1, 1)
    assert (_m(cell2, "reports").done, _m(cell2, "reports").expected) == (0, 1)
    assert (_m(p.total, "reviews").done, _m(p.total, "reviews").expected) == (1, 3)
    assert not p.total.late  # before every deadline nothing is late
    # The party group is part of its cell's meeting, not a unit of the committee.
    assert [u.organization.name for u in p.units] == ["Chi bộ xóm 1", "Chi bộ xóm 2"]


def test_late_after_the_steps_deadline(world: World) -> None:
    """000 §II.3: after 07/11 the missing self-reviews and the unanswered comment are late;
    the meetings are not late until 25/11; late units come first."""
    cycle = _setup(world)
    p = progress.compute(cycle, world.orgs["commune"], D(2026, 11, 10))
    assert _m(p.total, "reviews").late and _m(p.total, "feedback").late
    assert not _m(p.total, "meetings").late
    assert p.total.tally.feedback_owed == 1  # xóm 2 owes xóm 1 a comment
    step1, step2 = p.steps
    assert step1.state == "late" and step2.state == "open"
    p = progress.compute(cycle, world.orgs["commune"], D(2026, 11, 26))
    assert _m(_unit(p, "Chi bộ xóm 2"), "meetings").late
    assert not _m(_unit(p, "Chi bộ xóm 1"), "meetings").late


def test_reminders_name_who_is_late_and_who_must_act(world: World) -> None:
    """The reminder list: members without a submitted paper at their cell, the overdue
    comment at the cell that must answer it, cells without a held meeting."""
    cycle = _setup(world)
    late = {r.organization.name: r for r in reminders.late_list(cycle, world.orgs["commune"],
                                                                 D(2026, 11, 26))}  # fmt: skip
    assert late["Chi bộ xóm 1"].reviews == [f"Trần Thị Bình ({world.members['binh'].code})"]
    assert late["Chi bộ xóm 2"].meeting and len(late["Chi bộ xóm 2"].feedback) == 1
    text = reminders.message(cycle, late["Chi bộ xóm 1"], D(2026, 11, 26))
    assert "1 đảng viên chưa nộp bản tự kiểm điểm" in text and "Trần Thị Bình" in text


def test_email_only_when_configured_and_audited(world: World, settings: Any) -> None:
    """Reminders go by e-mail only when the server has a mail relay; each is audited."""
    cycle = _setup(world)
    world.users["secretary"].email = "bithu@example.vn"
    world.users["secretary"].save()
    settings.REMINDERS_BY_EMAIL = False
    with pytest.raises(Exception, match="chưa cấu hình thư điện tử"):
        reminders.send(world.users["clerk"], cycle, world.orgs["commune"], D(2026, 11, 26))
    settings.REMINDERS_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sent, without = reminders.send(
        world.users["clerk"], cycle, world.orgs["commune"], D(2026, 11, 26)
    )
    assert (sent, without) == (1, 1)  # xóm 2 has no address on file
    assert mail.outbox[0].to == ["bithu@example.vn"]
    assert AuditEntry.objects.filter(action="send_reminder").count() == 1
    with pytest.raises(Exception, match="không có quyền"):
        reminders.send(world.users["secretary"], cycle, world.orgs["commune"], D(2026, 11, 26))


@time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC))
def test_pages_xlsx_and_scope(world: World, client: Client) -> None:
    """The committee office sees its units; a cell secretary sees only their cell (even
    from the committee's plan); an outsider sees nothing; the .xlsx holds the same."""
    cycle = _setup(world)
    url = reverse("progress", args=[cycle.pk])
    client.force_login(world.users["clerk"])
    page = client.get(url).content.decode()
    assert "Chi bộ xóm 2" in page and "chậm" in page
    body = client.get(reverse("progress_xlsx", args=[cycle.pk])).content
    book = openpyxl.load_workbook(io.BytesIO(body))
    units = [[c.value for c in row] for row in book["Theo đơn vị"].iter_rows()]
    assert units[0][:3] == ["Đơn vị", "Mã", "Bản tự kiểm điểm đã nộp"]
    assert units[1][:4] == ["Chi bộ xóm 1", "XA-1", 1, 2]
    assert units[-1][0] == "Tổng cộng" and units[-1][2:4] == [1, 3]
    late = [[c.value for c in row] for row in book["Chậm"].iter_rows(min_row=2)]
    assert late[0][:2] == ["Chi bộ xóm 1", "Chưa nộp bản tự kiểm điểm"]
    assert book["Theo bước"]["E2"].value == "Chậm"
    client.force_login(world.users["secretary"])
    page = client.get(url).content.decode()
    assert "Tiến độ: Chi bộ xóm 1" in page and "Chi bộ xóm 2" not in page
    cell2 = world.orgs["cell2"].pk
    assert client.get(f"{url}?don-vi={cell2}").status_code == 404
    client.force_login(world.users["outsider"])
    assert client.get(url).status_code == 404
    assert client.post(reverse("reminder_send", args=[cycle.pk])).status_code == 404


def test_plan_without_subjects_says_so(world: World, client: Client) -> None:
    """Before the subjects are derived the page asks for them instead of showing 0/0."""
    cycle = make_cycle(world.orgs["commune"], steps=STEPS)
    make_member(world.orgs["cell2"], "Đỗ Thị Hoa")
    client.force_login(world.users["clerk"])
    page = client.get(reverse("progress", args=[cycle.pk])).content.decode()
    assert "Chưa lập danh sách đối tượng kiểm điểm" in page


@time_machine.travel(dt.datetime(2026, 12, 20, 9, tzinfo=dt.UTC))
def test_one_late_list_for_the_badge_the_reminders_and_the_reports(
    world: World, client: Client
) -> None:
    """Issue #11 (pages agree): a collective whose report is not sent is late on the
    progress page and is on the reminder list under its organization; the progress badge
    counts the same organizations the reminder page lists."""
    reports = ("gui_bao_cao", D(2026, 12, 1), ["bao_cao"])
    cycle = _setup(world, [*STEPS, reports])
    today = D(2026, 12, 20)
    p = progress.compute(cycle, world.orgs["commune"], today)
    assert _m(_unit(p, "Chi bộ xóm 2"), "reports").late
    late = reminders.late_list(cycle, world.orgs["commune"], today)
    by_name = {r.organization.name: r for r in late}
    assert len(by_name["Chi bộ xóm 2"].reports) == 1
    assert "báo cáo kiểm điểm tập thể chưa gửi" in reminders.message(
        cycle, by_name["Chi bộ xóm 2"], today
    )
    client.force_login(world.users["clerk"])
    page = client.get(reverse("progress", args=[cycle.pk])).content.decode()
    assert f"{len(late)} đơn vị chậm" in page
    listed = client.get(reverse("reminders", args=[cycle.pk])).content.decode()
    assert f"{len(late)} đơn vị có việc chậm" in listed


def _step_badges(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-step-status="(\d+)">([^<]+)<', page))


@time_machine.travel(dt.datetime(2026, 11, 26, 9, tzinfo=dt.UTC))
def test_plan_and_progress_pages_show_one_status_per_step(world: World, client: Client) -> None:
    """Issue 11 §5: one function decides a step's status. After 25/11 with both cells' meetings
    held, the meeting step is done on the plan page as on the progress page (the plan page
    used to say "Đã hết hạn" from the dates alone); the self-review step is late on both."""
    cycle = _setup(world)
    Meeting.objects.create(
        cycle=cycle, organization=world.orgs["cell2"], kind=MeetingKind.CELL, title="Hội nghị",
        scheduled_at=timezone.now(), template_id="000", status=MeetingStatus.HELD,
    )  # fmt: skip
    client.force_login(world.users["clerk"])
    plan = _step_badges(client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode())
    shown = _step_badges(client.get(reverse("progress", args=[cycle.pk])).content.decode())
    assert plan == shown == {"1": "Chậm", "2": "Đã xong"}
    # A cell secretary sees the statuses of their own cell on both pages.
    client.force_login(world.users["secretary"])
    plan = _step_badges(client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode())
    shown = _step_badges(client.get(reverse("progress", args=[cycle.pk])).content.decode())
    assert plan and plan == shown
