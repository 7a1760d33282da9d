"""A committee of 1,000 cells and 50,000 members in the middle of the cycle, built with bulk
inserts: for the bounded-query test and bench/bench_progress.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.utils import timezone

from kiemdiem.cycles.models import Subject, SubjectKind
from kiemdiem.feedback.models import FeedbackKind, FeedbackRequest, Status
from kiemdiem.meetings.models import Meeting, MeetingKind, MeetingStatus
from kiemdiem.org.choices import Category, Gender, OrgKind
from kiemdiem.org.models import Member, Organization
from kiemdiem.reviews.models import ReviewStatus, SelfReview
from tests.builders import Role, grant, make_cycle, make_org, make_user

D = dt.date
STEPS = [
    ("viet_ban_kiem_diem", D(2026, 11, 7), ["tu_kiem_diem", "nhan_xet"]),
    ("kiem_diem_tap_the", D(2026, 11, 17), ["kiem_diem_tap_the"]),
    ("hop_chi_bo", D(2026, 11, 25), ["hop_kiem_diem", "bieu_quyet"]),
]


def build(cells: int = 1000, members: int = 50_000) -> tuple[Organization, Any, Any]:
    """(committee, cycle, committee clerk); about half the papers are in, a third of the
    comments answered, some overdue, a meeting held in every other cell."""
    province = make_org("Đảng bộ tỉnh Lớn", OrgKind.PROVINCE, code="BIGP")
    committee = make_org("Đảng ủy Khối Lớn", OrgKind.GRASSROOTS_COMMITTEE, province, code="BIGP-K")
    units = [
        Organization(name=f"Chi bộ {i + 1}", kind=OrgKind.CELL, parent=committee, code=f"BC{i}")
        for i in range(cells)
    ]
    # Organization.save() computes each path; a bulk insert followed by one path update
    # per row would be no faster for 1,000 rows.
    for unit in units:
        unit.save()
    rows = [
        Member(
            code=f"BM{i:07d}",
            full_name=f"Nguyễn Văn {i}",
            gender=Gender.MALE if i % 2 else Gender.FEMALE,
            birth_date=D(1960 + i % 40, 1 + i % 12, 1 + i % 28),
            cell=units[i % cells],
            admitted_on=D(2000, 1, 1),
            official_on=D(2001, 1, 1),
            category=Category.FARMER,
        )
        for i in range(members)
    ]
    Member.objects.bulk_create(rows, batch_size=5000)
    people = list(Member.objects.filter(cell__parent=committee).values_list("pk", "cell_id"))
    cycle = make_cycle(committee, steps=STEPS)
    Subject.objects.bulk_create(
        [
            Subject(
                cycle=cycle,
                member_id=pk,
                place_id=cell,
                kind=SubjectKind.REVIEW_AND_CLASSIFY,
                why="thử",
            )
            for pk, cell in people
        ],
        batch_size=5000,
    )
    SelfReview.objects.bulk_create(
        [
            SelfReview(
                cycle=cycle,
                member_id=pk,
                variant="2A",
                member_kind="x",
                status=ReviewStatus.SUBMITTED if n % 2 else ReviewStatus.DRAFT,
            )
            for n, (pk, _cell) in enumerate(people[: members * 3 // 4])
        ],
        batch_size=5000,
    )
    FeedbackRequest.objects.bulk_create(
        [
            FeedbackRequest(
                cycle=cycle,
                member_id=pk,
                kind=FeedbackKind.RESIDENCE,
                reason="thử",
                from_organization_id=cell,
                to_organization_id=units[(n + 1) % cells].pk,
                due_on=D(2026, 11, 7),
                status=Status.ANSWERED if n % 3 == 0 else Status.REQUESTED,
            )
            for n, (pk, cell) in enumerate(people[: members // 5])
        ],
        batch_size=5000,
    )
    Meeting.objects.bulk_create(
        [
            Meeting(
                cycle=cycle,
                organization=u,
                kind=MeetingKind.CELL,
                title="Hội nghị",
                scheduled_at=timezone.now(),
                template_id="000",
                status=MeetingStatus.HELD if n % 2 else MeetingStatus.PLANNED,
            )
            for n, u in enumerate(units)
        ]
    )
    if connection.vendor == "postgresql":
        # What autovacuum does within a minute of such a load: planner statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    clerk = make_user("big-progress-clerk")
    grant(clerk, Role.COMMITTEE_OFFICE, committee)
    return committee, cycle, clerk
