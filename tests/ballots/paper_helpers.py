"""Builders for paper ballot tests: a cell's review meeting with a paper ballot, and the
tally sheet as the entry form posts it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kiemdiem.ballots import paper_flow, services
from kiemdiem.ballots.counting import BLANK, choices_for
from kiemdiem.ballots.double_entry import field_key
from kiemdiem.ballots.models import Ballot, Candidate
from kiemdiem.meetings.models import AttendanceStatus
from kiemdiem.rules import SubjectFacts
from tests.conftest import World
from tests.meetings.helpers import ready_cell, schedule

COMMITTEE = ["Phạm Thị Hà", "Võ Văn Khánh", "Nguyễn Thị Yến"]


def paper_ballot(world: World, *, absent: bool = True) -> tuple[Ballot, Any]:
    """Cell 1's meeting (An absent with a reason) with a paper ballot and its committee."""
    cell = ready_cell(world)
    meeting = schedule(world, cell)
    if absent:
        an = meeting.attendance.get(member=world.members["an"])
        an.status, an.reason = AttendanceStatus.ABSENT_WITH_REASON, "Đi công tác"
        an.save()
    ballot = services.open_ballot(world.users["secretary"], meeting, mode="paper")
    paper_flow.set_committee(world.users["secretary"], ballot, COMMITTEE)
    ballot.refresh_from_db()
    return ballot, cell


def sheet(
    ballot: Ballot,
    marks: dict[str, dict[str, int]] | None = None,
    *,
    issued: int | None = None,
    returned: int | None = None,
    spoiled: int = 0,
) -> dict[str, str]:
    """The form fields: every paper returned; a candidate not in `marks` gets every valid
    paper under "HTTNV" (or "approve")."""
    voters = ballot.roll.filter(may_vote=True).count()
    issued = voters if issued is None else issued
    returned = issued if returned is None else returned
    valid = returned - spoiled
    data = {"issued": str(issued), "returned": str(returned), "spoiled": str(spoiled)}
    default = choices_for(ballot.method)[0 if ballot.method != "choose_level" else 1]
    for c in ballot.candidates.all():
        row = (marks or {}).get(c.key, {default: valid})
        for choice in (*choices_for(ballot.method), BLANK):
            data[field_key(c.key, choice)] = str(row.get(choice, 0))
    return data


def facts_by_hand(candidates: Iterable[Candidate], absent: set[int]) -> list[SubjectFacts]:
    """The rule engine's facts built in the test from the members' records and who the
    test made absent (no conditions recorded), to compute the expected result
    independently of the pages."""
    out = []
    for c in candidates:
        m = c.member
        assert m is not None
        out.append(SubjectFacts(
            id=c.key, name=c.name, admitted_on=m.admitted_on,
            official=m.official_on is not None, exempt=m.exempt_since is not None,
            category=m.category, present=m.pk not in absent,
        ))  # fmt: skip
    return out
