"""A commune whose cell 1 has gone through the whole cycle: a chi ủy (secretary and a
deputy), a civil servant, self-reviews, the meeting with minutes, the counted votes, the
chi ủy's proposals and the committee's decisions; cell 2 has nothing yet."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from kiemdiem.grading import deciding, services, units
from kiemdiem.grading.context import profile_of
from kiemdiem.grading.scales import sheet_for
from kiemdiem.meetings import services as meetings
from kiemdiem.org.choices import Category, PositionRank
from kiemdiem.reviews.models import ReviewStatus, SelfReview
from kiemdiem.reviews.self_reviews import variant_for
from tests.builders import make_collective, make_member, make_position
from tests.grading.helpers import enter, fill_cell, grading_cycle

AT = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def write_review(cycle: Any, member: Any, level: str, **extra: Any) -> SelfReview:
    code, kind, leader = variant_for(cycle, member)
    return SelfReview.objects.create(
        cycle=cycle,
        member=member,
        variant=code,
        member_kind=kind,
        leader=leader,
        status=ReviewStatus.SUBMITTED,
        submitted_at=timezone.now(),
        self_level=level,
        answers={"pham_chat": f"Ưu điểm của {member.full_name}: gương mẫu & đúng hạn."},
        manifestations={str(i): "1" for i in range(1, 28)} | {"5": "3"},
        **extra,
    )


def rate_units(w: Any, cell: Any, committee: Any) -> None:
    """The cell scores its sheet (full marks but one point) and the committee decides the
    cell and its chi ủy first: collectives before their members (000 §2.3)."""
    clerk, commune = w.users["clerk"], w.orgs["commune"]
    org = units.find_subject(commune, f"o:{cell.pk}")
    template = sheet_for(profile_of(w.cycle), "organization")
    assert template is not None
    raw = {c.code: str(c.max) for c in template.criteria}
    raw[template.criteria[0].code] = str(template.criteria[0].max - 1)
    units.save_sheet(w.users["secretary"], w.cycle, org, raw)
    units.propose_unit(w.users["secretary"], w.cycle, org)
    units.decide_unit(
        clerk, w.cycle, commune, org, units.UnitSheet.objects.get(subject_key=org.key).level
    )
    chi_uy = units.find_subject(commune, f"c:{committee.pk}")
    units.propose_unit(w.users["secretary"], w.cycle, chi_uy, "HTXSNV")
    units.decide_unit(clerk, w.cycle, commune, chi_uy, "HTXSNV")


@pytest.fixture
def dossier(world: Any) -> Any:
    w = world
    cell = w.orgs["cell1"]
    w.cycle = grading_cycle(w.orgs["commune"], "thanhlien-2023")
    w.extra = fill_cell(cell, 8, "Trần Văn")
    w.teacher = make_member(cell, "Hoàng Thị Giáo", category=Category.CCVC)
    committee = make_collective(cell)
    an, binh = w.members["an"], w.members["binh"]
    make_position(
        an, collective=committee, organization=None, rank=PositionRank.HEAD, title="Bí thư chi bộ"
    )
    make_position(binh, collective=committee, rank=PositionRank.DEPUTY, title="Phó Bí thư")
    people = [an, binh, w.teacher, *w.extra]
    lines: dict[Any, dict[str, int]] = {m: {"httnv": 11} for m in people}
    lines[an] = {"htxsnv": 11}
    lines[binh] = {"htxsnv": 9, "httnv": 2}  # two HTXSNV by the vote: over the cell's quota
    w.meeting, _ = meetings.schedule_meeting(
        w.users["clerk"], w.cycle, cell, AT, place="Nhà văn hóa xóm 1", chair=an, secretary=binh
    )
    first = w.meeting.items.order_by("order").first()
    meetings.record_minutes(w.users["clerk"], first, discussion="Hội nghị nhất trí chương trình.")
    write_review(w.cycle, an, "HTXSNV")
    write_review(w.cycle, w.teacher, "HTTNV")
    enter(w.users["secretary"], w.cycle, cell, 11, lines)
    rate_units(w, cell, committee)
    services.propose_cell(w.users["secretary"], w.cycle, cell)
    deciding.decide(w.users["clerk"], w.cycle, cell)
    return w
