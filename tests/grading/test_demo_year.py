"""`kiemdiem demo-year`: the demo commune's year run through the real services, up to the
chi ủy's proposals (000 §2.2.3.2 Bước 1–2), with the decisions left to the committee."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kiemdiem.ballots import services as ballots
from kiemdiem.ballots.models import Ballot, BallotStatus
from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.models import Decision, TallySheet
from kiemdiem.meetings.models import Meeting, MeetingStatus
from kiemdiem.org.models import Member
from kiemdiem.reviews.models import ReviewStatus, SelfReview

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_year_reaches_the_proposals_and_leaves_decisions(capsys: Any) -> None:
    call_command("demo", verbosity=0)
    call_command("demo_year", "--plan", "thanhlien-2023")
    cycle = Cycle.objects.get(organization__code="TL")
    assert cycle.profile_id == "thanhlien-2023"
    meetings = Meeting.objects.filter(cycle=cycle)
    assert meetings.count() == 12 and not meetings.exclude(status=MeetingStatus.HELD).exists()
    # Xóm 1 voted online: the box verifies and holds one paper per voter on the roll.
    ballot = Ballot.objects.get(meeting__cycle=cycle)
    assert ballot.status == BallotStatus.CLOSED and ballots.verify(ballot) == []
    voted = ballot.roll.filter(has_voted=True).count()
    assert voted == ballot.roll.filter(may_vote=True).count() > 30
    assert TallySheet.objects.filter(cycle=cycle).count() == 11
    # Mẫu 02 typed by each cell's secretary (an account made for the year), a few missing.
    papers = SelfReview.objects.filter(cycle=cycle, status=ReviewStatus.SUBMITTED)
    assert papers.count() > 300
    assert papers.exclude(entered_by__office_roles__role="cell_secretary").count() == 0
    proposals = Decision.objects.filter(cycle=cycle, step="propose", subject_type="m")
    members = Member.objects.filter(cell__parent__code="TL").count()
    # Members not classified this year (new, exempt, suspended) get no proposal.
    assert members - 15 <= proposals.count() < members
    assert not Decision.objects.filter(cycle=cycle, step="decide").exists()
    assert "Văn phòng cấp ủy quyết định" in capsys.readouterr().out


def test_runs_once_and_never_on_real_data() -> None:
    with pytest.raises(CommandError, match="Chưa có dữ liệu mẫu"):
        call_command("demo_year", "--plan", "thanhlien-2023")
    call_command("demo_year", "--if-needed", "--plan", "thanhlien-2023")  # no demo: nothing happens
    assert not Cycle.objects.exists()
    call_command("demo", verbosity=0)
    call_command("demo_year", "--if-needed", "--plan", "thanhlien-2023")
    with pytest.raises(CommandError, match="năm mẫu đã được chạy"):
        call_command("demo_year", "--plan", "thanhlien-2023")
    call_command("demo_year", "--if-needed", "--plan", "thanhlien-2023")
    assert Cycle.objects.count() == 1


def test_deciding_all_follows_the_order_rules_of_000() -> None:
    """000 §2.3, §1.4.3: collectives and cells are decided before their members and heads,
    the commune's committee by the superior; "decide all" decides whom the rules allow now
    and names the others with the reason instead of refusing the whole cell."""
    from django.contrib.auth import get_user_model

    from kiemdiem.grading.deciding import decide
    from kiemdiem.grading.units_bulk import decide_all_units
    from kiemdiem.org.models import Organization

    call_command("demo", verbosity=0)
    call_command("demo_year", "--plan", "thanhlien-2023")
    users = get_user_model().objects
    office, superior = users.get(username="vanphong"), users.get(username="bantochuc")
    cycle = Cycle.objects.get(organization__code="TL")
    commune = Organization.objects.get(code="TL")
    cells = list(Organization.objects.filter(parent=commune, kind="chi_bo"))

    def members() -> list[str]:
        return [why for cell in cells for why in decide(office, cycle, cell).skipped]

    early = members()  # before any collective: the chi ủy members wait
    assert any("chưa được xếp loại — tập thể lãnh đạo" in w for w in early)
    units = decide_all_units(office, cycle, commune)
    assert units.decided > 20 and units.skipped == []
    waiting = members()
    assert any("Ban Chấp hành Đảng bộ xã Thanh Liên" in w for w in waiting)
    assert decide_all_units(superior, cycle, commune.parent).decided == 3
    assert all("không xếp loại tại chi bộ này" in w for w in members())
    decided = Decision.objects.current().filter(cycle=cycle, step="decide", subject_type="m")
    proposed = Decision.objects.current().filter(cycle=cycle, step="propose", subject_type="m")
    assert decided.count() == proposed.count()
