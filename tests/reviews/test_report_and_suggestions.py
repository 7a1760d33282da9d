"""Mẫu 01 and review suggestions (issue 4 §5, §7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kiemdiem.cycles.services import open_cycle
from kiemdiem.org.models import Collective, Position
from kiemdiem.reviews.models import REPORT_SECTIONS
from kiemdiem.reviews.services import (
    add_suggestion,
    answer_suggestion,
    draft_report,
    late_warning,
    meeting_length_days,
    save_report,
    send_report,
    sent_late,
)
from tests.conftest import World

pytestmark = pytest.mark.django_db
D = dt.date
FULL = {key: f"Nội dung mục {label}" for key, label in REPORT_SECTIONS}


@pytest.fixture
def setup(world: World):  # type: ignore[no-untyped-def]
    cycle = open_cycle(
        world.users["clerk"], world.orgs["commune"], year=2026, title="Kế hoạch 2026",
        number_symbol="52-KH/ĐU", issued_on=D(2026, 8, 1), profile_id="dukdntw-2018",
        template_id="thanhlien-2023",
    )  # fmt: skip
    ubnd = Collective.objects.create(organization=world.orgs["commune"], kind="ubnd",
                                     name="Lãnh đạo UBND xã A")  # fmt: skip
    Position.objects.create(member=world.members["cuong"], title="Chủ tịch UBND xã",
                            collective=ubnd, rank="head", start_on=D(2021, 7, 1))  # fmt: skip
    return cycle, ubnd


def test_report_is_drafted_under_the_head(world: World, setup) -> None:  # type: ignore[no-untyped-def]
    """000 §1.4.1a: Mẫu 01 is prepared under the head of the collective."""
    cycle, ubnd = setup
    report = draft_report(world.users["clerk"], cycle, ubnd, D(2026, 9, 3))
    assert report.head == world.members["cuong"]
    headless = Collective.objects.create(organization=world.orgs["commune"], kind="mttq",
                                         name="Ban Thường trực MTTQ xã A")  # fmt: skip
    with pytest.raises(ValidationError, match="chưa có người đứng đầu"):
        draft_report(world.users["clerk"], cycle, headless, D(2026, 9, 3))
    with pytest.raises(PermissionDenied):
        draft_report(world.users["outsider"], cycle, ubnd, D(2026, 9, 3))


def test_three_working_days_before_the_meeting_across_national_day(world: World, setup) -> None:  # type: ignore[no-untyped-def]
    """000 §1.4.1a "ít nhất 3 ngày làm việc": for a meeting on Thu 03/9/2026, sending on
    Wed 26/8 leaves Thu 27, Fri 28 (31/8, 1/9 and 2/9 are days off) = 2 → flagged; Tue 25/8
    leaves 3 → fine."""
    cycle, ubnd = setup
    report = draft_report(world.users["clerk"], cycle, ubnd, D(2026, 9, 3))
    with pytest.raises(ValidationError, match="còn thiếu"):
        send_report(world.users["clerk"], report, D(2026, 8, 26))
    save_report(world.users["clerk"], report, FULL,
                [{"body": "Ban Thường trực MTTQ xã", "opinion": "Đồng ý"}])  # fmt: skip
    assert send_report(world.users["clerk"], report, D(2026, 8, 26)) == 2
    assert sent_late(report)
    assert send_report(world.users["clerk"], report, D(2026, 8, 25)) == 3
    assert not sent_late(report)
    with pytest.raises(ValidationError, match="Mỗi ý kiến"):
        save_report(world.users["clerk"], report, FULL, [{"body": "", "opinion": "x"}])


def test_a_plan_may_ask_for_more_working_days(world: World, setup) -> None:  # type: ignore[no-untyped-def]
    """000 §1.4.1a, 002 §4.1, 003 §4.1.1 say "ít nhất 3 ngày làm việc"; the number is the
    profile's `meeting.report_lead_working_days`, so a plan asking 5 flags 3 days."""
    cycle, ubnd = setup
    meeting = dict(cycle.profile_snapshot.get("meeting") or {"source": "kế hoạch thử"})
    cycle.profile_snapshot = {**cycle.profile_snapshot, "meeting": meeting}
    meeting["report_lead_working_days"] = 5
    cycle.save()
    report = draft_report(world.users["clerk"], cycle, ubnd, D(2026, 9, 3))
    save_report(world.users["clerk"], report, FULL, [])
    assert send_report(world.users["clerk"], report, D(2026, 8, 25)) == 3
    assert sent_late(report)
    assert "ít hơn 5 ngày làm việc" in late_warning(report)


def test_suggestions_are_answered_and_lengthen_the_meeting(world: World, setup) -> None:  # type: ignore[no-untyped-def]
    """002 §4.2: the review lasts 1 day, 1.5 days where the superior sent suggestions."""
    cycle, ubnd = setup
    text = "Làm rõ trách nhiệm trong chậm giải phóng mặt bằng"
    s = add_suggestion(world.users["clerk"], cycle, world.orgs["commune"], text, collective=ubnd)
    answer_suggestion(world.users["clerk"], s, "Đã kiểm điểm làm rõ tại mục IV")
    s.refresh_from_db()
    assert s.answer and s.answered_by == world.users["clerk"]
    assert meeting_length_days(cycle, with_suggestions=False) == Decimal(1)
    assert meeting_length_days(cycle, with_suggestions=True) == Decimal("1.5")
    with pytest.raises(ValidationError, match="thuộc quyền"):
        add_suggestion(world.users["admin"], cycle, world.orgs["commune"], "x",
                       member=world.members["dung"])  # fmt: skip
    with pytest.raises(PermissionDenied):
        answer_suggestion(world.users["outsider"], s, "x")


def test_the_head_drafts_without_an_office_role_and_late_sending_is_named(
    world: World, setup
) -> None:  # type: ignore[no-untyped-def]
    """000 §1.4.1a: the head of the collective prepares Mẫu 01 and sends it at least 3
    working days ahead; a late one is flagged with the number of working days it left."""
    cycle, ubnd = setup
    cuong = world.members["cuong"]
    cuong.user = world.users["outsider"]  # the head logs in as themselves
    cuong.save()
    head = world.users["outsider"]
    report = draft_report(head, cycle, ubnd, D(2026, 9, 3))
    save_report(head, report, FULL, [{"body": "Thường trực HĐND xã", "opinion": "Nhất trí",
                                      "received_on": "2026-08-20"}])  # fmt: skip
    send_report(head, report, D(2026, 8, 26))
    report.refresh_from_db()
    assert report.status == "sent" and report.opinions[0]["received_on"] == "2026-08-20"
    assert late_warning(report).startswith("Báo cáo gửi trước hội nghị 2 ngày làm việc")
    with pytest.raises(PermissionDenied):
        draft_report(world.users["member"], cycle, ubnd, D(2026, 9, 3))


def test_meeting_length_defaults_when_the_profile_is_silent(world: World) -> None:
    """002 §4.2 (1 day; 1.5 days with suggestions) is the default for a snapshot without a
    `meeting` setting."""
    from tests.reviews.helpers import cycle as make

    silent = make(world.orgs["commune"], "dhktna-2016")
    assert meeting_length_days(silent, with_suggestions=False) == Decimal(1)
    assert meeting_length_days(silent, with_suggestions=True) == Decimal("1.5")
    two = make(
        world.orgs["province"],
        "x",
        meeting={"length_days": "2", "length_days_with_suggestions": "5/2"},
    )
    assert meeting_length_days(two, with_suggestions=True) == Decimal("2.5")
