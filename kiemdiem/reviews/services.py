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

from kiemdiem.accounts.access import Action, Kind, can_at, can_own
from kiemdiem.audit.models import record
from kiemdiem.cycles.models import Cycle
from kiemdiem.cycles.services import calendar_for
from kiemdiem.org.choices import PositionRank
from kiemdiem.org.models import Collective, Member, Organization
from kiemdiem.reviews.models import REPORT_SECTIONS, CollectiveReport, ReportStatus, Suggestion
from kiemdiem.rules.sources import readable

MIN_WORKING_DAYS = 3  # 000 §1.4.1a, used when a profile is silent
SECTION_KEYS = {key for key, _ in REPORT_SECTIONS}


def _require(user: Any, action: Action, kind: Kind, org: Organization) -> None:
    if not can_at(user, action, kind, org):
        raise PermissionDenied("Đồng chí không có quyền với văn bản này.")


def _require_report(user: Any, action: Action, collective: Collective, head_id: int | None) -> None:
    """The office of the collective's organization, or the head who drafts it (000 §1.4.1a)."""
    if can_at(user, action, Kind.COLLECTIVE_REPORT, collective.organization):
        return
    if not can_own(user, action, Kind.COLLECTIVE_REPORT, head_id):
        raise PermissionDenied("Đồng chí không có quyền với báo cáo kiểm điểm của tập thể này.")


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
    head = current_head(collective, meeting_on)
    _require_report(user, Action.EDIT, collective, head.pk if head else None)
    if head is None:
        raise ValidationError(
            f"{collective.name} chưa có người đứng đầu (chức vụ hiện giữ) tại ngày hội nghị: "
            "báo cáo kiểm điểm tập thể do người đứng đầu chỉ đạo chuẩn bị."
        )
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
    _require_report(user, Action.EDIT, report.collective, report.head_id)
    # Not locked once sent: the head completes the report after the meeting (000 §1.4.3).
    unknown = set(sections) - SECTION_KEYS
    if unknown:
        raise ValidationError(f"Mục không có trong Mẫu 01: {', '.join(sorted(unknown))}.")
    for item in opinions:
        if not item.get("body", "").strip() or not item.get("opinion", "").strip():
            raise ValidationError("Mỗi ý kiến cần ghi rõ cơ quan, tổ chức và nội dung.")
    old = {"sections": report.sections, "opinions": report.opinions}
    report.sections = {k: v.strip() for k, v in sections.items()}
    report.opinions = [
        {
            "body": o["body"].strip(),
            "opinion": o["opinion"].strip(),
            "received_on": str(o.get("received_on") or ""),
        }
        for o in opinions
    ]
    report.save(update_fields=["sections", "opinions"])
    record(user, "save_report", report, old=old, new={"sections": list(report.sections)})
    return report


@transaction.atomic
def send_report(user: Any, report: CollectiveReport, sent_on: dt.date) -> int:
    """Record when the report went to the participants and how many full working days that
    left before the meeting; fewer than three is flagged, not refused (people decide)."""
    _require_report(user, Action.EDIT, report.collective, report.head_id)
    if sent_on > report.meeting_on:
        raise ValidationError("Ngày gửi báo cáo không được sau ngày hội nghị.")
    missing = [label for key, label in REPORT_SECTIONS if not report.sections.get(key)]
    if missing:
        raise ValidationError("Báo cáo còn thiếu: " + "; ".join(missing) + ".")
    calendar = calendar_for(report.collective.organization)
    days = calendar.working_days_between(sent_on, report.meeting_on)
    report.sent_on, report.working_days_before = sent_on, days
    report.status = ReportStatus.SENT
    report.save(update_fields=["sent_on", "working_days_before", "status"])
    record(user, "send_report", report, new={"sent_on": sent_on, "working_days": days})
    return days


def lead_working_days(cycle: Cycle) -> int:
    """How many working days before the meeting Mẫu 01 must reach the participants under
    the cycle's rules (000 §1.4.1a: at least 3), from the frozen snapshot."""
    meeting = (cycle.profile_snapshot or {}).get("meeting") or {}
    value = meeting.get("report_lead_working_days")
    return MIN_WORKING_DAYS if value is None else int(value)


def sent_late(report: CollectiveReport) -> bool:
    days = report.working_days_before
    return days is not None and days < lead_working_days(report.cycle)


def late_warning(report: CollectiveReport) -> str:
    """The warning shown beside a report sent too late, naming the working days it left."""
    if not sent_late(report):
        return ""
    return (
        f"Báo cáo gửi trước hội nghị {report.working_days_before} ngày làm việc, "
        f"ít hơn {lead_working_days(report.cycle)} ngày làm việc theo quy định của kế hoạch "
        f"({readable('000 §1.4.1a')})."
    )


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


def may_answer(user: Any, suggestion: Suggestion) -> bool:
    """The cell or office of the addressee answers; so does the addressed member, or the
    collective's head, in their own review (000 §1.4.2)."""
    if suggestion.collective is not None:
        org = suggestion.collective.organization
        head = current_head(suggestion.collective, timezone.localdate())
        owner = head.pk if head else None
    else:
        org, owner = suggestion.member.cell, suggestion.member_id  # type: ignore[union-attr]
    return can_at(user, Action.ANSWER, Kind.SUGGESTION, org) or can_own(
        user, Action.ANSWER, Kind.SUGGESTION, owner
    )


@transaction.atomic
def answer_suggestion(user: Any, suggestion: Suggestion, answer: str) -> Suggestion:
    if not may_answer(user, suggestion):
        raise PermissionDenied("Đồng chí không có quyền giải trình gợi ý kiểm điểm này.")
    if not answer.strip():
        raise ValidationError("Cần ghi nội dung giải trình.")
    suggestion.answer, suggestion.answered_by = answer.strip(), user
    suggestion.answered_at = timezone.now()
    suggestion.save(update_fields=["answer", "answered_by", "answered_at"])
    record(user, "answer_suggestion", suggestion, new={"answer": suggestion.answer})
    return suggestion


DEFAULT_MEETING_DAYS = {False: "1", True: "3/2"}  # 002 §4.2, used when a profile is silent


def meeting_length_days(cycle: Cycle, with_suggestions: bool) -> Decimal:
    """How long the review meeting lasts under the cycle's rules (002 §4.2: 1 day, 1.5 days
    where the superior sent suggestions). Read from the frozen snapshot as plain data; a
    profile without a `meeting` setting (older plans say nothing) gets 002's 1 / 1.5 days."""
    meeting = (cycle.profile_snapshot or {}).get("meeting") or {}
    key = "length_days_with_suggestions" if with_suggestions else "length_days"
    days = Fraction(str(meeting.get(key) or DEFAULT_MEETING_DAYS[with_suggestions]))
    return Decimal(days.numerator) / Decimal(days.denominator)
