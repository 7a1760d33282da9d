"""One binding ballot per round (issue 12 §1): which of a meeting's ballots count, refusing
a second "open", setting aside an untouched draft, and the committee's annulment — an
audited act that keeps the annulled ballot and its box."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.audit.models import record
from kiemdiem.ballots.models import Ballot, BallotStatus
from kiemdiem.meetings.models import Meeting

SECOND_OPEN = (
    "Hội nghị này đã có cuộc bỏ phiếu của vòng 1: mỗi vòng chỉ có một cuộc bỏ phiếu có giá "
    "trị. Vòng tiếp theo chỉ được mở từ trang kiểm phiếu, cho những đồng chí chưa đủ số phiếu; "
    "muốn bỏ phiếu lại từ đầu thì cấp ủy cấp trên phải hủy cuộc bỏ phiếu cũ."
)


def binding(meeting_id: int) -> Any:
    """The meeting's binding ballots, one per round (issue 12 §1): all but the annulled."""
    return Ballot.objects.filter(meeting_id=meeting_id, annulled_at__isnull=True)


SET_ASIDE = "Chưa bỏ phiếu: thay bằng cuộc bỏ phiếu mới mở cho hội nghị."


def refuse_second_open(meeting: Meeting, user: Any = None) -> None:
    """A meeting has one binding first round. A draft no one has voted in (no codes handed
    out, no paper tally entered) is set aside — kept, marked, audited — so the cell may
    still change its mind (online or paper) before the vote; anything further is refused."""
    existing = binding(meeting.pk).filter(round=1).first()
    if existing is None:
        return
    untouched = existing.status == BallotStatus.DRAFT and not existing.entries.exists()
    if untouched and user is not None:
        existing.annulled_at, existing.annulled_by = timezone.now(), user
        existing.annul_reason = SET_ASIDE
        existing.save(update_fields=["annulled_at", "annulled_by", "annul_reason"])
        record(user, "set_aside_ballot", existing, new={"reason": SET_ASIDE})
        return
    if existing is not None:
        raise ValidationError(
            f"{SECOND_OPEN} (Cuộc bỏ phiếu đang có: “{existing.title}”, "
            f"{existing.get_status_display().lower()}.)"
        )


def may_annul(user: Any, meeting: Meeting) -> bool:
    """Annulling a cell's ballot is the superior committee's act, not the cell's own
    (issue 12 §1): the user must hold DECIDE on the level above the meeting's organization."""
    parent = meeting.organization.parent
    return parent is not None and can_at(user, Action.DECIDE, Kind.DECISION, parent)


def _require_committee(user: Any, meeting: Meeting) -> None:
    if not may_annul(user, meeting):
        raise PermissionDenied(
            "Chỉ cấp ủy cấp trên của tổ chức họp mới được hủy kết quả một cuộc bỏ phiếu."
        )


@transaction.atomic
def annul_ballot(user: Any, ballot: Ballot, reason: str) -> Ballot:
    """The committee annuls a ballot (a wrong roll, a disrupted meeting): it stays, with its
    box, marked annulled with who, when and why; its round is then free for a new ballot.
    A later round built on it is annulled with it, since its candidates came from it."""
    ballot = (
        Ballot.objects.select_for_update().select_related("meeting__organization").get(pk=ballot.pk)
    )
    _require_committee(user, ballot.meeting)
    reason = reason.strip()
    if not reason:
        raise ValidationError("Cần ghi lý do hủy kết quả cuộc bỏ phiếu.")
    if ballot.annulled_at is not None:
        raise ValidationError("Cuộc bỏ phiếu này đã bị hủy.")
    if ballot.status == BallotStatus.OPEN:
        raise ValidationError("Đóng cuộc bỏ phiếu trước khi hủy kết quả.")
    now = timezone.now()
    chain, current = [], ballot
    while current is not None:
        chain.append(current)
        current = binding(ballot.meeting_id).filter(previous=current).first()
    for b in chain:
        b.annulled_at, b.annulled_by, b.annul_reason = now, user, reason[:500]
        b.save(update_fields=["annulled_at", "annulled_by", "annul_reason"])
        record(user, "annul_ballot", b, new={"reason": b.annul_reason, "round": b.round})
    return ballot
