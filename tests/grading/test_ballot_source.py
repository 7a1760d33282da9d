"""The secret ballot's confirmed results feed the proposals (issue 6 §1; design.md data
flow): once a cell's ballot is closed, its counts are the tally — the same counts the
ballots' own counting gives — and the chi ủy can no longer type counts by hand."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kiemdiem.ballots import services as ballots
from kiemdiem.ballots.counting import Roll, count
from kiemdiem.ballots.results import roll_of
from kiemdiem.grading import services
from kiemdiem.grading.context import profile_of
from kiemdiem.grading.facts import outcomes_for
from kiemdiem.grading.manual import RowInput
from kiemdiem.grading.models import ProposalStatus
from kiemdiem.meetings.models import AttendanceStatus
from kiemdiem.rules import SubjectFacts
from tests.ballots.sealed import close_counted, start_voting
from tests.grading.helpers import D
from tests.meetings.helpers import ready_cell, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world: Any) -> Any:
    """Cell 1's review meeting (An absent with a reason) votes online: the head Hà
    excellent by everyone, the others good; the ballot is closed."""
    cell = ready_cell(world)
    meeting = schedule(world, cell)
    an = meeting.attendance.get(member=world.members["an"])
    an.status, an.reason = AttendanceStatus.ABSENT_WITH_REASON, "Đi công tác"
    an.save()
    ballot = ballots.open_ballot(world.users["secretary"], meeting)
    slips = dict(start_voting(world.users["secretary"], ballot))
    head_key = f"m{cell.head.pk}"
    for code in slips.values():
        marks = {c.key: "HTTNV" for c in ballot.candidates.all()}
        marks[head_key] = "HTXSNV"
        ballots.cast(ballot.pk, code, marks)
    world.ballot = close_counted(world.users["secretary"], ballot)
    world.cell, world.cycle, world.voters = cell, cell.cycle, len(slips)
    return world


def test_closed_ballot_is_the_tally_and_counts_as_the_ballots_count(closed: Any) -> None:
    """Each candidate's votes are the closed box's marks (Counts.votes); the proposal's level
    equals what the ballots' counting (ballots.counting.count) finds for the same facts."""
    w = closed
    units = outcomes_for(w.cycle, w.orgs["cell1"])
    tally = units.tallies[w.orgs["cell1"].pk]
    assert tally.source == "ballot" and "Bỏ phiếu kín trong hệ thống" in tally.label
    counted = ballots.counts(w.ballot)
    rows = {r.member_id: r for r in units.rows}
    # A member attending temporarily is on the ballot but classified at the official cell.
    keys = [c.key for c in w.ballot.candidates.all() if c.member_id in rows]
    assert len(keys) == w.ballot.candidates.count() - 1
    for key in keys:
        assert rows[int(key[1:])].votes == counted.votes(key)
    roll = w.ballot.roll
    facts = [dataclasses.replace(rows[int(k[1:])].facts, id=k) for k in keys]  # type: ignore[type-var]
    guest = f"m{w.cell.people['guest'].pk}"
    facts.append(SubjectFacts(id=guest, name="Lê Văn Tạm", temporary=True))
    result = count(
        [counted], facts,
        Roll(eligible=roll_of(w.ballot).eligible, present=w.voters,
             official_members=roll.count(), members_total=len(units.rows)),
        profile_of(w.cycle), as_of=D(2026, 11, 20), scope="group",
    )  # fmt: skip
    theirs = {
        c.outcome.id: (c.outcome.level.name if c.outcome.level else "")
        for c in result.candidates
        if c.outcome.id != guest
    }
    ours = {k: rows[int(k[1:])].level for k in keys}
    # A leader waits for the workplace comment (000 §1.4.1b) before any proposal.
    khanh = f"m{w.cell.officer.pk}"
    assert rows[w.cell.officer.pk].status == ProposalStatus.WAITING and ours.pop(khanh) == ""
    theirs.pop(khanh)
    assert ours == theirs
    # Issue 14: QĐ 366 Điều 11 khoản 1.4's quota (20 % of HTTNV in the cell's one group) now
    # applies in the cell: the head, everyone's HTXSNV, is over it (was HTXSNV, no quota).
    head = rows[w.cell.head.pk]
    assert head.level == "HTTNV" and "quota_over" in [x["code"] for x in head.reasons]
    # An was absent: present is read from the meeting's attendance.
    an = rows[w.members["an"].pk]
    assert an.facts is not None and an.facts.present is False
    assert an.status == ProposalStatus.DEFERRED  # qd366-2025 defers the absent (absent_deferred)
    ctx = units.contexts[w.orgs["cell1"].pk]
    # An, absent, is still entitled: an "eligible voters" base (qd366-2025, HD 07: "tổng số
    # đảng viên chính thức") counts the absent official members too.
    assert (ctx.voters_present, ctx.eligible_voters) == (w.voters, w.voters + 1)


def test_hand_entry_is_refused_where_the_ballot_counted(closed: Any) -> None:
    w = closed
    an = w.members["an"]
    with pytest.raises(ValidationError, match="đã có kết quả bỏ phiếu trong hệ thống"):
        services.enter_tally(w.users["secretary"], w.cycle, w.orgs["cell1"],
                             counted_on=D(2026, 11, 22), voters_present=3, spoiled=0,
                             minutes_ref="", rows=[RowInput(an.pk, an.full_name)])  # fmt: skip
