"""Use-cases for Mẫu 01 and review suggestions: one transaction each, permission through the
access table, an audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.audit.models import record
from kiemdiem.cycles.models import Cycle
from kiemdiem.cycles.services import calendar_for
from kiemdiem.org.choices import PositionRank
from kiemdiem.org.models import Collective, Member, Organization
from kiemdiem.reviews.models import REPORT_SECTIONS, CollectiveReport, Suggestion
from kiemdiem.rules import profile_from_dict

MIN_WORKING_DAYS = 3  # 000 §1.4.1a: sent at least 3 working days before the meeting
SECTION_KEYS = {key for key, _ in REPORT_SECTIONS}


def _require(user: Any, action: Action, kind: Kind, org: Organization) -> None:
    if not can_at(user, action, kind, org):
        raise PermissionDenied("Đồng chí không có quyền với văn bản này.")


def current_head(collective: Collective, on: dt.date) -> Member | None:
    position = (
        collective.positions.filter(rank=PositionRank.HEAD, start_on__lte=on)
        .exclude(end_on__lt=on)
        .select_related("member")
        .first()
    )
    return position.member if position else None


@transaction.atomic
def draft_report(
    user: Any, cycle: Cycle, collective: Collective, meeting_on: dt.date
) -> CollectiveReport:
    """Mẫu 01 is drafted under the collective's head (000 §1.4.1a)."""
    _require(user, Action.EDIT, Kind.COLLECTIVE_REPORT, collective.organization)
    head = current_head(collective, meeting_on)
    if head is None:
        raise ValidationError(f"{collective.name} chưa có người đứng đầu tại ngày hội nghị.")
    report, created = CollectiveReport.objects.get_or_create(
        cycle=cycle, collective=collective, defaults={"head": head, "meeting_on": meeting_on}
    )
    if created:
        record(user, "draft_report", report, new={"head": head.pk, "meeting_on": meeting_on})
    return report


@transaction.atomic
def save_report(
    user: Any, report: CollectiveReport, sections: dict[str, str], opinions: list[dict[str, str]]
) -> CollectiveReport:
    _require(user, Action.EDIT, Kind.COLLECTIVE_REPORT, report.collective.organization)
    unknown = set(sections) - SECTION_KEYS
    if unknown:
        raise ValidationError(f"Mục không có trong Mẫu 01: {', '.join(sorted(unknown))}.")
    for item in opinions:
        if not item.get("body", "").strip() or not item.get("opinion", "").strip():
            raise ValidationError("Mỗi ý kiến cần ghi rõ cơ quan, tổ chức và nội dung.")
    old = {"sections": report.sections, "opinions": report.opinions}
    report.sections = {k: v.strip() for k, v in sections.items()}
    report.opinions = opinions
    report.save(update_fields=["sections", "opinions"])
    record(user, "save_report", report, old=old, new={"sections": list(report.sections)})
    return report


@transaction.atomic
def send_report(user: Any, report: CollectiveReport, sent_on: dt.date) -> int:
    """Record when the report went to the participants and how many full working days that
    left before the meeting; fewer than three is flagged, not refused (people decide)."""
    _require(user, Action.EDIT, Kind.COLLECTIVE_REPORT, report.collective.organization)
    if sent_on > report.meeting_on:
        raise ValidationError("Ngày gửi báo cáo không được sau ngày hội nghị.")
    missing = [label for key, label in REPORT_SECTIONS if not report.sections.get(key)]
    if missing:
        raise ValidationError("Báo cáo còn thiếu: " + "; ".join(missing) + ".")
    calendar = calendar_for(report.collective.organization)
    days = calendar.working_days_between(sent_on, report.meeting_on)
    report.sent_on, report.working_days_before = sent_on, days
    report.save(update_fields=["sent_on", "working_days_before"])
    record(user, "send_report", report, new={"sent_on": sent_on, "working_days": days})
    return days


def sent_late(report: CollectiveReport) -> bool:
    return report.working_days_before is not None and report.working_days_before < MIN_WORKING_DAYS


@transaction.atomic
def add_suggestion(
    user: Any,
    cycle: Cycle,
    superior: Organization,
    text: str,
    *,
    collective: Collective | None = None,
    member: Member | None = None,
) -> Suggestion:
    """The superior's committee writes points a collective or person must answer."""
    _require(user, Action.EDIT, Kind.SUGGESTION, superior)
    target_org = collective.organization if collective else member.cell if member else None
    if target_org is None or (collective is not None and member is not None):
        raise ValidationError("Gợi ý phải gửi cho đúng một tập thể hoặc một đảng viên.")
    if not target_org.path.startswith(superior.path) or (target_org == superior and member):
        raise ValidationError("Chỉ gợi ý cho tập thể, cá nhân thuộc quyền của cấp ủy mình.")
    if not text.strip():
        raise ValidationError("Cần ghi nội dung gợi ý.")
    suggestion = Suggestion.objects.create(
        cycle=cycle,
        from_organization=superior,
        collective=collective,
        member=member,
        text=text.strip(),
        issued_on=timezone.localdate(),
    )
    record(user, "add_suggestion", suggestion, new={"text": suggestion.text})
    return suggestion


@transaction.atomic
def answer_suggestion(user: Any, suggestion: Suggestion, answer: str) -> Suggestion:
    org = suggestion.collective.organization if suggestion.collective else suggestion.member.cell  # type: ignore[union-attr]
    _require(user, Action.ANSWER, Kind.SUGGESTION, org)
    if not answer.strip():
        raise ValidationError("Cần ghi nội dung giải trình.")
    suggestion.answer, suggestion.answered_by = answer.strip(), user
    suggestion.answered_at = timezone.now()
    suggestion.save(update_fields=["answer", "answered_by", "answered_at"])
    record(user, "answer_suggestion", suggestion, new={"answer": suggestion.answer})
    return suggestion


def meeting_length_days(cycle: Cycle, with_suggestions: bool) -> Decimal:
    """How long the review meeting lasts under the cycle's rules (002 §4.2: 1 day, 1.5 days
    where the superior sent suggestions)."""
    meeting = profile_from_dict(cycle.profile_snapshot).meeting
    if meeting is None:
        return Decimal(1)
    days: Fraction = (
        meeting.length_days_with_suggestions if with_suggestions else meeting.length_days
    )
    return Decimal(days.numerator) / Decimal(days.denominator)
