"""Use-cases of an online secret ballot: open it from a meeting, start voting (roll frozen,
one-time codes), cast, close (box shuffled, hashes chained), count, verify.

Nothing here logs, audits or caches anything on the vote path (design principle 6): `cast`
takes a code and marks, and writes only the roll's has-voted flag and the box row.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.audit.models import record
from kiemdiem.ballots import sealing, vote_sql
from kiemdiem.ballots.counting import BLANK, Counts, Papers, choices_for, tally_of
from kiemdiem.ballots.models import (
    Ballot,
    BallotMode,
    BallotStatus,
    BoxEntry,
    Candidate,
    RollEntry,
)
from kiemdiem.ballots.open_facts import OpenBallot, forget, voting_ballot
from kiemdiem.ballots.rounds import (  # noqa: F401  (re-exported: the ballot's use-cases)
    SECOND_OPEN,
    SET_ASIDE,
    annul_ballot,
    binding,
    may_annul,
    refuse_second_open,
)
from kiemdiem.meetings.models import AttendanceStatus, ItemKind, Meeting
from kiemdiem.rules import profile_from_dict

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud from a slip
GENESIS = "0" * 64
NOT_OPENED = "Hòm phiếu đã niêm phong: cần mã khóa của ban kiểm phiếu để mở và kiểm phiếu."
SMALL_UNIT = 5  # fewer voters than this and a unanimous result names everyone's choice


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normal_code(code: str) -> str:
    """A code as typed on a phone: "ay dfc8nu" or "AYDF-C8NU" is AYDFC8NU (issue 12 §5)."""
    return "".join(ch for ch in code if not ch.isspace() and ch != "-").upper()


def code_hash(ballot_id: int, code: str) -> str:
    return _sha(f"{ballot_id}:{normal_code(code)}")


def short_receipt(receipt: str) -> str:
    """What is shown and read aloud: the first 50 bits of the receipt in base32 (10
    characters, no 0/1/8/9 to confuse), the full value kept in the box (issue 12 §4)."""
    return base64.b32encode(bytes.fromhex(receipt)).decode("ascii")[:10]


def receipt_of(marks: dict[str, str], nonce: str) -> str:
    """The voter's receipt: a commitment to their marks, not to them."""
    return _sha(json.dumps(marks, sort_keys=True, ensure_ascii=False) + "|" + nonce)


def _require(user: Any, meeting: Meeting) -> None:
    if not can_at(user, Action.EDIT, Kind.MEETING, meeting.organization):
        raise PermissionDenied("Đồng chí không có quyền tổ chức bỏ phiếu ở hội nghị này.")


def _voter(member: Any, present: bool, voters: Any, on: Any, cell_id: int) -> tuple[bool, str]:
    """May this member vote, and why (the profile's `voters`, 000 §1.4.3)."""
    if not present:
        return False, "vắng mặt"
    if member.suspension:
        return False, "đang bị đình chỉ sinh hoạt đảng"
    # The attachment itself, not "another cell": a party group's meeting is held under the
    # cell its members belong to.
    if member.temporary_cell_id == cell_id != member.cell_id and not voters.temporary:
        return False, "sinh hoạt tạm thời: không biểu quyết ở đây"
    if member.exempt_since is not None and voters.exempt == "never":
        return False, "miễn công tác và sinh hoạt đảng: bộ quy tắc không cho biểu quyết"
    official = member.official_on is not None and member.official_on <= on
    if official and voters.official:
        return True, "đảng viên chính thức có mặt"
    if not official and voters.probationary:
        return True, "đảng viên dự bị (bộ quy tắc cho biểu quyết)"
    if not official:
        return False, "đảng viên dự bị không biểu quyết"
    return False, "bộ quy tắc không cho biểu quyết"


def _off_ballot(meeting: Meeting, profile: Any) -> set[int]:
    """Members the chi ủy recorded as disciplined in the year, where the profile takes them
    off the ballot (e.g. 003 §III: "không đưa vào danh sách biểu quyết")."""
    d = profile.caps.discipline
    if d is None or not d.enabled or not d.off_ballot:
        return set()
    from kiemdiem.grading.models import MemberConditions

    return set(
        MemberConditions.objects.filter(
            cycle_id=meeting.cycle_id, disciplined_in_year=True
        ).values_list("member_id", flat=True)
    )


def off_ballot_names(ballot: Ballot) -> tuple[list[str], str]:
    """Those reviewed at the meeting but kept off this ballot (disciplined in the year), and
    the profile's source: shown beside the roll so nobody is dropped silently."""
    meeting = ballot.meeting
    profile = profile_from_dict(meeting.cycle.profile_snapshot)
    off = _off_ballot(meeting, profile)
    if not off:
        return [], ""
    names = meeting.items.filter(
        kind=ItemKind.INDIVIDUAL_REVIEW, subject_member_id__in=off
    ).values_list("subject_member__full_name", flat=True)
    d = profile.caps.discipline
    return list(names), d.source if d is not None else ""


def roll_rows(ballot: Ballot, meeting: Meeting, profile: Any) -> list[RollEntry]:
    """The voter roll from the attendance: who may vote and why."""
    on = meeting.scheduled_at.date()
    rows = []
    for a in meeting.attendance.select_related("member"):
        present = a.status == AttendanceStatus.PRESENT
        may, why = _voter(a.member, present, profile.voters, on, meeting.organization_id)
        rows.append(RollEntry(ballot=ballot, member=a.member, name=a.member.full_name,
                              may_vote=may, why=why))  # fmt: skip
    return rows


@transaction.atomic
def open_ballot(
    user: Any, meeting: Meeting, title: str = "", mode: str = BallotMode.ONLINE
) -> Ballot:
    """A ballot classifying the members reviewed at the meeting, candidates in the agenda's
    order (those disciplined off it where the profile says so), the roll from the
    attendance and the cycle's frozen profile. `mode`: online (codes, phones) or paper
    (printed papers counted by the ban kiểm phiếu, entered twice)."""
    _require(user, meeting)
    if mode not in BallotMode.values:
        raise ValidationError("Hình thức bỏ phiếu không hợp lệ.")
    # The meeting's row lock serialises two "open" taps; the constraint backs it up.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).exists()
    refuse_second_open(meeting, user)
    profile = profile_from_dict(meeting.cycle.profile_snapshot)
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                meeting=meeting,
                title=title or f"Bỏ phiếu xếp loại chất lượng đảng viên — {meeting.title}",
                method=profile.ballot.method,
                mode=mode,
            )
    except IntegrityError:
        raise ValidationError(SECOND_OPEN) from None
    off = _off_ballot(meeting, profile)
    items = [
        it
        for it in meeting.items.filter(
            kind=ItemKind.INDIVIDUAL_REVIEW, subject_member__isnull=False
        )
        .select_related("subject_member")
        .order_by("order")
        if it.subject_member_id not in off
    ]
    Candidate.objects.bulk_create(
        Candidate(ballot=ballot, order=n, key=f"m{it.subject_member_id}",
                  name=it.subject_member.full_name, member=it.subject_member)  # type: ignore[union-attr]
        for n, it in enumerate(items, start=1)
    )  # fmt: skip
    rows = roll_rows(ballot, meeting, profile)
    RollEntry.objects.bulk_create(rows)
    new = {"candidates": len(items), "roll": len(rows), "mode": mode, "off_ballot": len(off)}
    record(user, "open_ballot", ballot, new=new)
    return ballot


def roll_digest(ballot: Ballot) -> str:
    lines = ballot.roll.order_by("member_id").values_list("member_id", "may_vote")
    return _sha(json.dumps([[m, v] for m, v in lines]))


class Slips(list[tuple[str, str]]):
    """(name, code) for the voters' slips, and (holder, share) for the ban kiểm phiếu: both
    shown once, right after the start, never stored in clear."""

    shares: list[tuple[str, str]]
    threshold: int


@transaction.atomic
def start_voting(user: Any, ballot: Ballot) -> Slips:
    """Freeze the roll (its hash recorded), make the ballot's key pair and split its private
    key among the ban kiểm phiếu (sealing.py), and hand each voter a one-time code."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    _require(user, ballot.meeting)
    if ballot.status != BallotStatus.DRAFT:
        raise ValidationError("Cuộc bỏ phiếu đã mở hoặc đã đóng.")
    if ballot.mode != BallotMode.ONLINE:
        raise ValidationError("Cuộc bỏ phiếu giấy không phát mã bỏ phiếu trực tuyến.")
    slips = Slips()
    for entry in ballot.roll.filter(may_vote=True):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        entry.code_hash = code_hash(ballot.pk, code)
        entry.save(update_fields=["code_hash"])
        slips.append((entry.name, code))
    keys = sealing.make_keys(list(ballot.committee))
    slips.shares, slips.threshold = keys.shares, keys.k
    ballot.public_key, ballot.wrapped_key, ballot.key_threshold = keys.public, keys.wrapped, keys.k
    ballot.key_holders = [holder for holder, _code in keys.shares]
    ballot.roll_hash = roll_digest(ballot)
    ballot.status = BallotStatus.OPEN
    ballot.save(update_fields=["roll_hash", "status", "public_key", "wrapped_key",
                               "key_threshold", "key_holders"])  # fmt: skip
    new = {"roll_hash": ballot.roll_hash, "public_key": keys.public,
           "shares": f"{keys.k}/{len(keys.shares)}"}  # fmt: skip
    record(user, "start_voting", ballot, new=new)
    return slips


@dataclass(frozen=True)
class CastResult:
    counted: bool  # False: this code had already voted (a retry), nothing new was counted
    receipt: str = ""


def _clean_marks(ballot: OpenBallot, marks: dict[str, str]) -> dict[str, str]:
    allowed = {*choices_for(ballot.method), BLANK}
    if set(marks) - set(ballot.keys):
        raise ValidationError("Phiếu có ứng viên không thuộc cuộc bỏ phiếu này.")
    clean = {k: marks.get(k) or BLANK for k in ballot.keys}
    if any(v not in allowed for v in clean.values()):
        raise ValidationError("Phiếu có lựa chọn không hợp lệ.")
    return clean


def _held_open(ballot_id: int) -> tuple[str | None] | None:
    """Inside the vote's transaction: the ballot is still open and stays so until this vote
    commits, so close() either waits for the vote or comes first and the vote is refused —
    never a ballot added after the chain's head was recorded (vote_sql.held_open)."""
    return vote_sql.held_open(ballot_id)


def cast(ballot_id: int, code: str, marks: dict[str, str], *, fresh: bool = False) -> CastResult:
    """One vote: the roll's conditional update and the box's insert in one transaction.
    A retried code that already voted changes nothing and says so. The ballot's fixed facts
    come from the process's cache (open_facts); one that proves stale — marks it refuses, or
    a public key other than the stored one — is read again before anything is refused."""
    if fresh:
        forget(ballot_id)
    ballot = voting_ballot(ballot_id)
    if ballot is None:
        raise ValidationError("Cuộc bỏ phiếu không mở.")
    try:
        clean = _clean_marks(ballot, marks)
    except ValidationError:
        if fresh:
            raise
        return cast(ballot_id, code, marks, fresh=True)
    # Sealed before the transaction: only the ciphertext ever reaches the database.
    sealed = sealing.seal(ballot.public_key, clean) if ballot.public_key else None
    digest = code_hash(ballot.pk, code)
    with transaction.atomic():
        held = _held_open(ballot.pk)
        if held is None:
            raise ValidationError("Cuộc bỏ phiếu không mở.")
        stale = held[0] != ballot.public_key
        if not stale and vote_sql.mark_voted(ballot.pk, digest):
            entry = _box_entry(ballot.pk, clean, sealed)
            vote_sql.insert_box(entry)
            return CastResult(True, entry.receipt)
    if stale:
        if fresh:
            raise ValidationError("Cuộc bỏ phiếu không mở.")
        return cast(ballot_id, code, marks, fresh=True)
    if RollEntry.objects.filter(ballot_id=ballot.pk, code_hash=digest, has_voted=True).exists():
        return CastResult(False)
    raise ValidationError("Mã bỏ phiếu không đúng.")


def _box_entry(ballot_id: int, clean: dict[str, str], sealed: str | None) -> BoxEntry:
    """A box row: sealed (marks only in the ciphertext, the receipt its hash), or on a
    ballot started before sealing, the marks with a nonce as before."""
    if sealed is not None:
        return BoxEntry(id=secrets.token_hex(16), ballot_id=ballot_id, marks={}, nonce="",
                        sealed=sealed, receipt=_sha(sealed))  # fmt: skip
    nonce = secrets.token_hex(16)
    return BoxEntry(id=secrets.token_hex(16), ballot_id=ballot_id, marks=clean, nonce=nonce,
                    receipt=receipt_of(clean, nonce))  # fmt: skip


def turnout(ballot: Ballot) -> tuple[int, int]:
    """(voted, may vote): all the secretary sees while voting."""
    roll = ballot.roll.filter(may_vote=True)
    return roll.filter(has_voted=True).count(), roll.count()


def _chain(entries: list[BoxEntry]) -> str:
    head = GENESIS
    for n, entry in enumerate(entries):
        head = _sha(head + entry.receipt)
        entry.position, entry.link = n, head
    return head


@transaction.atomic
def close(user: Any, ballot: Ballot) -> Ballot:
    """Stop voting; re-write the box in a random order under fresh ids and purge the old
    rows, so the physical order no longer follows the order of casting; chain the hashes
    over that order and record the head. Closing is final."""
    vote_sql.hold_for_close(ballot.pk)
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    _require(user, ballot.meeting)
    if ballot.status != BallotStatus.OPEN:
        raise ValidationError("Chỉ đóng được cuộc bỏ phiếu đang mở.")
    old = list(BoxEntry.objects.filter(ballot=ballot))
    secrets.SystemRandom().shuffle(old)
    fresh = [
        BoxEntry(
            id=secrets.token_hex(16),
            ballot=ballot,
            marks=e.marks,
            nonce=e.nonce,
            sealed=e.sealed,
            receipt=e.receipt,
        )
        for e in old
    ]
    BoxEntry.objects.filter(ballot=ballot).delete()
    ballot.head = _chain(fresh)
    BoxEntry.objects.bulk_create(fresh)
    ballot.status = BallotStatus.CLOSED
    ballot.save(update_fields=["status", "head"])
    voted, eligible = turnout(ballot)
    record(user, "close_ballot", ballot, new={"voted": voted, "eligible": eligible})
    return ballot


def counts(ballot: Ballot) -> Counts:
    """The closed box as the counting structure shared with paper ballots (whose counts
    are their confirmed entries: results.final_counts). A sealed box is counted once, when
    k shares open it (opening.count_sealed); until then there is nothing to read."""
    if ballot.mode == BallotMode.PAPER:
        raise ValidationError("Cuộc bỏ phiếu giấy không có hòm phiếu trực tuyến.")
    if ballot.status != BallotStatus.CLOSED:
        raise ValidationError("Chỉ kiểm phiếu sau khi đóng.")
    issued = ballot.roll.filter(may_vote=True).count()
    if ballot.public_key:
        if ballot.tally is None:
            raise ValidationError(NOT_OPENED)
        papers = Papers(issued=issued, returned=ballot.tally["returned"])
        return Counts(method=ballot.method, papers=papers, rows=ballot.tally["rows"])
    marks = BoxEntry.objects.filter(ballot=ballot).values_list("marks", flat=True)
    return Counts(method=ballot.method, papers=Papers(issued=issued, returned=len(marks)),
                  rows=tally_of(list(marks)))  # fmt: skip


def verify(ballot: Ballot) -> list[str]:
    """Recount from the box and check every receipt and the chain; the faults in Vietnamese
    (empty: all holds)."""
    problems = []
    entries = list(BoxEntry.objects.filter(ballot=ballot).order_by("position"))
    head = GENESIS
    for e in entries:
        if (_sha(e.sealed) if e.sealed is not None else receipt_of(e.marks, e.nonce)) != e.receipt:
            problems.append(f"Phiếu {e.id[:8]}…: biên nhận không khớp nội dung.")
        head = _sha(head + e.receipt)
        if e.link != head:
            problems.append(f"Phiếu thứ {e.position}: chuỗi mã băm bị đứt.")
    if ballot.status == BallotStatus.CLOSED and head != ballot.head:
        problems.append("Mã băm cuối chuỗi khác mã đã công bố.")
    voted = ballot.roll.filter(has_voted=True).count()
    if voted != len(entries):
        problems.append(f"Số phiếu trong hòm ({len(entries)}) khác số người đã bỏ ({voted}).")
    if ballot.roll_hash and roll_digest(ballot) != ballot.roll_hash:
        problems.append("Danh sách cử tri đã bị thay đổi sau khi mở bỏ phiếu.")
    return problems


def small_unit_warning(ballot: Ballot) -> str:
    _, eligible = turnout(ballot)
    if eligible < SMALL_UNIT:
        return (
            f"Chỉ có {eligible} người bỏ phiếu: kết quả có thể cho biết từng người đã chọn gì "
            "(nhất là khi mọi phiếu giống nhau). Cân nhắc bỏ phiếu giấy hoặc gộp đơn vị."
        )
    return ""
