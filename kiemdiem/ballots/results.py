"""A ballot's rounds read from the database and counted through `counting.count`, for the
counting page, the biên bản kiểm phiếu and the next round: the same arithmetic whether the
counts came from a closed online box or a confirmed paper tally.

Reads are set-based: the roll with its members, the candidates with theirs, the year's
conditions, one query per round for the counts (a ballot has one or two rounds).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kiemdiem.audit.models import record
from kiemdiem.ballots.counting import CountResult, Counts, Papers, Roll, check, count
from kiemdiem.ballots.minutes_docx import Absent, Counter, MinutesData
from kiemdiem.ballots.models import (
    Ballot,
    BallotMode,
    BallotStatus,
    Candidate,
    PaperEntry,
    RollEntry,
)
from kiemdiem.ballots.services import _require, _voter, roll_rows, verify
from kiemdiem.ballots.services import counts as box_counts
from kiemdiem.meetings import headcount
from kiemdiem.meetings.models import AttendanceStatus
from kiemdiem.org.choices import Suspension
from kiemdiem.rules import Level, RuleProfile, SubjectFacts, profile_from_dict
from kiemdiem.rules.quorum import rounds_shortfalls


def profile_of(ballot: Ballot) -> RuleProfile:
    return profile_from_dict(ballot.meeting.cycle.profile_snapshot)


def _entitled(m: Any, entry: Any, voters: Any, on: Any, cell_id: int) -> bool:
    """Entitled to vote, present or not: an absent official member still counts in an
    "eligible voters" base (HD 07: "tổng số đảng viên chính thức", not those present); an
    exempt member only where the profile counts them absent too."""
    if entry.may_vote:
        return True
    if entry.why != "vắng mặt":
        return False
    if m.exempt_since is not None and voters.exempt != "always":
        return False
    return _voter(m, True, voters, on, cell_id)[0]


def roll_of(ballot: Ballot, profile: RuleProfile | None = None) -> Roll:
    """The unit's figures from the roll: those who may vote (present), those entitled
    present or not, the official members, all members listed."""
    profile = profile or profile_of(ballot)
    on = timezone.localdate(ballot.meeting.scheduled_at)
    present = eligible = official = total = 0
    for entry in ballot.roll.select_related("member"):
        m = entry.member
        total += 1
        present += entry.may_vote
        eligible += _entitled(m, entry, profile.voters, on, ballot.meeting.organization_id)
        official += m.official_on is not None and m.official_on <= on
    return Roll(eligible=eligible, present=present, official_members=official, members_total=total)


def eligible_by_ballot(ids: list[int]) -> dict[int, int]:
    """`roll_of(...).eligible` for many ballots in two queries (grading's tally source)."""
    return {pk: eligible for pk, (eligible, _, _) in roll_figures(ids).items()}


def roll_figures(ids: list[int]) -> dict[int, tuple[int, int, RuleProfile]]:
    """Each ballot's (eligible, present, profile) in two queries, as `roll_of` counts them."""
    profiles: dict[int, RuleProfile] = {}
    meta = {}
    for pk, cycle_id, snapshot, at, cell_id in Ballot.objects.filter(pk__in=ids).values_list(
        "pk",
        "meeting__cycle_id",
        "meeting__cycle__profile_snapshot",
        "meeting__scheduled_at",
        "meeting__organization_id",
    ):
        if cycle_id not in profiles:
            profiles[cycle_id] = profile_from_dict(snapshot)
        meta[pk] = (profiles[cycle_id], timezone.localdate(at), cell_id)
    eligible, present = dict.fromkeys(ids, 0), dict.fromkeys(ids, 0)
    for entry in RollEntry.objects.filter(ballot_id__in=ids).select_related("member"):
        profile, on, cell_id = meta[entry.ballot_id]
        eligible[entry.ballot_id] += _entitled(entry.member, entry, profile.voters, on, cell_id)
        present[entry.ballot_id] += entry.may_vote
    return {pk: (eligible[pk], present[pk], meta[pk][0]) for pk in meta}


def below_quorum(figures: tuple[int, int, RuleProfile], cast: int, round_: int) -> bool:
    """Too few attended (round 1) or voted for this ballot to declare levels (the same
    rule `counting.count` refuses by; grading's tally source skips such a ballot)."""
    eligible, present, profile = figures
    rounds = [(present, cast, eligible)] if round_ == 1 else [(eligible, cast, eligible)]
    return bool(rounds_shortfalls(profile.quorum, rounds))


def is_final(ballot: Ballot) -> bool:
    if ballot.mode == BallotMode.PAPER:
        return ballot.confirmed_at is not None
    # A sealed box is final once k shares opened and counted it (opening.count_sealed).
    sealed_waiting = bool(ballot.public_key) and ballot.tally is None
    return ballot.status == BallotStatus.CLOSED and not sealed_waiting


def paper_counts(ballot: Ballot) -> Counts:
    """A confirmed paper ballot's final counts (both entries are equal; the first is read)."""
    if ballot.confirmed_at is None:
        raise ValidationError("Kết quả kiểm phiếu giấy chưa được xác nhận.")
    e = PaperEntry.objects.get(ballot=ballot, number=1)
    return Counts(ballot.method, Papers(e.issued, e.returned, e.spoiled), e.rows)


def final_counts(ballot: Ballot) -> Counts:
    if ballot.mode == BallotMode.PAPER:
        return paper_counts(ballot)
    return box_counts(ballot)


def verify_any(ballot: Ballot) -> list[str]:
    """The faults of either mode, in Vietnamese: an online box recounted and its chain
    checked (services.verify); a confirmed paper ballot's two entries compared again and
    its counts checked against the papers issued."""
    if ballot.mode != BallotMode.PAPER:
        return verify(ballot)
    if ballot.confirmed_at is None:
        return []
    from kiemdiem.ballots.double_entry import compare

    entries = {e.number: e for e in PaperEntry.objects.filter(ballot=ballot)}
    if set(entries) != {1, 2}:
        return ["Kết quả đã xác nhận nhưng thiếu một lần nhập."]
    first, second = (
        Counts(ballot.method, Papers(e.issued, e.returned, e.spoiled), e.rows)
        for e in (entries[1], entries[2])
    )
    names = dict(ballot.candidates.values_list("key", "name"))
    return [m.message for m in compare(first, second, names)] + check(first, roll_of(ballot), names)


def chain(ballot: Ballot) -> list[Ballot]:
    """Round 1 … this ballot, oldest first, read afresh (a caller's copy may predate the
    close or the confirmation)."""
    rounds = [Ballot.objects.select_related("meeting__cycle").get(pk=ballot.pk)]
    while rounds[0].previous_id is not None:
        prev = Ballot.objects.select_related("meeting__cycle").get(pk=rounds[0].previous_id)
        rounds.insert(0, prev)
    return rounds


def facts_of(ballot: Ballot, profile: RuleProfile) -> list[SubjectFacts]:
    """Round 1's candidates with the facts the engine's caps read: the member's record,
    present at the meeting or not, the year's conditions the chi ủy recorded, the level
    proposed for the vote."""
    from kiemdiem.grading.models import MemberConditions
    from kiemdiem.grading.readers import condition_facts

    cycle = ballot.meeting.cycle
    on = cycle.reference_date
    cands = list(ballot.candidates.select_related("member"))
    ids = [c.member_id for c in cands if c.member_id is not None]
    conds: dict[int | None, dict[str, Any]] = {
        r["member_id"]: dict(r)
        for r in MemberConditions.objects.filter(cycle=cycle, member_id__in=ids).values()
    }
    present = dict(
        ballot.meeting.attendance.filter(member_id__in=ids).values_list("member_id", "status")
    )
    out = []
    for c in cands:
        m, cond = c.member, conds.get(c.member_id) or {}
        if m is None:
            out.append(SubjectFacts(id=c.key, name=c.name))
            continue
        out.append(SubjectFacts(
            id=c.key, name=c.name,
            official=m.official_on is not None and m.official_on <= on,
            admitted_on=m.admitted_on, exempt=m.exempt_since is not None,
            suspended=m.suspension == Suspension.PARTY, category=m.category,
            # Absent from the meeting: the profile may defer them (eligibility.absent_deferred).
            present=present.get(m.pk, AttendanceStatus.PRESENT) == AttendanceStatus.PRESENT,
            **condition_facts(cond),
            proposed_level=Level.parse(c.proposal) if c.proposal else None,
        ))  # fmt: skip
    return out


def result_of(ballot: Ballot) -> CountResult:
    """Every round up to this ballot through the rule engine, the unit's quotas applied."""
    rounds = chain(ballot)
    if not all(is_final(b) for b in rounds):
        raise ValidationError(
            "Chưa có kết quả cuối cùng: chưa đóng bỏ phiếu, chưa mở hòm phiếu niêm phong "
            "hoặc chưa xác nhận."
        )
    profile = profile_of(rounds[0])
    return count(
        [final_counts(b) for b in rounds],
        facts_of(rounds[0], profile),
        [roll_of(b, profile) for b in rounds],
        profile,
        as_of=rounds[0].meeting.cycle.reference_date,
    )


def minutes_of(ballot: Ballot, result: CountResult) -> MinutesData:
    """The biên bản kiểm phiếu's data: the meeting, the committee, the attendance."""
    rounds = chain(ballot)
    meeting = ballot.meeting
    org = meeting.organization
    parent = org.parent.name if org.parent_id is not None and org.parent else ""
    attendance = headcount.attendance_of(meeting)
    hc = headcount.meeting_headcount(meeting, attendance)
    absent = [Absent(a.member.full_name, a.reason) for a in headcount.absent_rows(attendance)]
    # The ballot's own committee where it was typed on the ballot, else the meeting's.
    names = ballot.committee or headcount.committee_names(meeting)
    committee = [Counter(n, "Trưởng ban" if i == 0 else "Thành viên") for i, n in enumerate(names)]
    online = ballot.mode == BallotMode.ONLINE
    return MinutesData(
        superior=parent,
        issuer=org.name,
        kind="members",
        year=meeting.cycle.year,
        place="",
        venue=meeting.place,
        at=timezone.localtime(meeting.scheduled_at),
        meeting_title=meeting.title,
        committee=committee,
        official_members=hc.official,
        temporary_official=hc.temporary_official,
        elsewhere_official=headcount.official_elsewhere(meeting),
        summoned=hc.summoned,
        present=hc.present,
        absent=absent,
        result=result,
        online=online,
        chain_heads=tuple(b.head for b in rounds) if online else (),
        ballots_in_box=tuple(r.papers.returned for r in result.rounds) if online else (),
        roll_digests=tuple(b.roll_hash for b in rounds) if online else (),
    )


@transaction.atomic
def open_next_round(user: Any, ballot: Ballot) -> Ballot:
    """A further round listing only the candidates no level reached (000 §1.4.3: the cell
    votes again), same mode, committee and method; the roll from the attendance again."""
    ballot = Ballot.objects.select_for_update().select_related("meeting__cycle").get(pk=ballot.pk)
    _require(user, ballot.meeting)
    if ballot.annulled_at is not None:
        raise ValidationError("Cuộc bỏ phiếu này đã bị hủy: không mở vòng tiếp theo.")
    if Ballot.objects.filter(previous=ballot, annulled_at__isnull=True).exists():
        raise ValidationError("Vòng bỏ phiếu tiếp theo đã được mở.")
    again = result_of(ballot).revote
    if not again:
        raise ValidationError("Không có đồng chí nào phải biểu quyết lại.")
    profile = profile_of(ballot)
    base = ballot.title.split(" (lần ")[0]
    nxt = Ballot.objects.create(
        meeting=ballot.meeting,
        title=f"{base} (lần {ballot.round + 1})",
        method=ballot.method,
        round=ballot.round + 1,
        previous=ballot,
        mode=ballot.mode,
        committee=ballot.committee,
    )
    by_key = {c.key: c for c in ballot.candidates.all()}
    Candidate.objects.bulk_create(
        Candidate(ballot=nxt, order=n, key=c.key, name=c.name, member_id=by_key[c.key].member_id,
                  proposal=by_key[c.key].proposal)
        for n, c in enumerate(again, start=1)
    )  # fmt: skip
    RollEntry.objects.bulk_create(roll_rows(nxt, ballot.meeting, profile))
    record(user, "open_next_round", nxt, new={"round": nxt.round, "candidates": len(again)})
    return nxt
