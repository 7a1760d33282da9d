"""The biên bản kiểm phiếu of a cell, written by the ballots' own writer
(kiemdiem.ballots.minutes_docx): where the cell voted in the system (an online box closed or
a paper count confirmed), the ballots' own reading of it (kiemdiem.ballots.results, with the
counting committee and the chain head); where the chi ủy typed its counts from the paper
minutes, those counts as the grading used them, through the same counting structures."""

from __future__ import annotations

import dataclasses

from django.utils import timezone

from kiemdiem.ballots import results
from kiemdiem.ballots.counting import (
    BLANK,
    CandidateResult,
    CountResult,
    Counts,
    Papers,
    base_name,
    choices_for,
)
from kiemdiem.ballots.minutes_docx import Absent, Counter, MinutesData
from kiemdiem.ballots.models import Ballot
from kiemdiem.documents.cell import CellData
from kiemdiem.meetings import headcount
from kiemdiem.rules.quorum import QuorumError


def ballot_minutes(data: CellData) -> MinutesData | None:
    """None where the cell has no counted vote."""
    if data.meeting is not None:
        last = (
            Ballot.objects.filter(meeting=data.meeting)
            .select_related("meeting__cycle", "meeting__organization__parent")
            .order_by("-round", "-pk")
            .first()
        )
        if last is not None and results.is_final(last):
            try:
                result = results.result_of(last)
            except QuorumError:  # below the quorum: no biên bản declares levels (issue 12 §5)
                return None
            minutes = results.minutes_of(last, result)
            return dataclasses.replace(minutes, place=data.issuer.place)
    tally = data.page.tally
    voted = [ln for ln in data.lines if ln.row.votes is not None and ln.row.outcome is not None]
    if tally is None or not voted:
        return None
    profile = data.page.status.units.profile
    method = profile.ballot.method
    rows: dict[str, dict[str, int]] = {}
    candidates = []
    official = sum(1 for ln in data.lines if ln.row.facts is not None and ln.row.facts.official)
    for ln in voted:
        o, facts = ln.row.outcome, ln.row.facts
        assert o is not None and facts is not None
        counts = dict(o.counts)
        rows[facts.id] = counts
        marks = {**{c: counts.get(c, 0) for c in choices_for(method)}, BLANK: 0}
        candidates.append(CandidateResult(facts, 1, marks, o.denominator, official, o))
    present = tally.voters_present or sum(1 for p in tally.present.values() if p)
    papers = Papers(issued=present, returned=present, spoiled=tally.spoiled)
    counted = Counts(method, papers, rows)
    result = CountResult(
        profile_id=profile.id,
        method=method,
        base_name=base_name(profile),
        base_source=profile.ballot.source,
        rounds=[counted],
        contexts=[],
        candidates=candidates,
        quotas=list(data.page.status.units.cell_quotas.get(data.cell.pk, [])),
        by_round=[candidates],
    )
    meeting = data.meeting
    if meeting is not None:
        listed = headcount.attendance_of(meeting)
        hc = headcount.meeting_headcount(meeting, listed)
        absent = [Absent(a.member.full_name, a.reason) for a in headcount.absent_rows(listed)]
        committee = headcount.committee_names(meeting)
        official, summoned, present_n = hc.official, hc.summoned, hc.present
        temporary = hc.temporary_official
        elsewhere = headcount.official_elsewhere(meeting)
    else:
        absent, committee, summoned, present_n = [], [], len(data.lines), present
        temporary = elsewhere = 0
    at = meeting.scheduled_at if meeting is not None else None
    when = timezone.localtime(at) if at is not None else timezone.now()
    return MinutesData(
        superior=data.issuer.superior,
        issuer=data.cell.name,
        kind="members",
        year=data.cycle.year,
        place=data.issuer.place,
        venue=meeting.place if meeting is not None else "",
        at=when,
        meeting_title=meeting.title if meeting is not None else f"hội nghị {data.cell.name}",
        committee=[
            Counter(n, "Trưởng ban" if i == 0 else "Thành viên") for i, n in enumerate(committee)
        ],
        official_members=official,
        temporary_official=temporary,
        elsewhere_official=elsewhere,
        summoned=summoned,
        present=present_n,
        absent=absent,
        result=result,
    )
