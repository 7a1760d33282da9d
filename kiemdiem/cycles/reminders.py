"""Reminders (issue 4 §9): who is late, grouped by the organization that must act, with a
message ready to copy — and sent by e-mail when the server has a mail relay."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.accounts.models import OfficeRole, Role
from kiemdiem.audit.models import record
from kiemdiem.cycles.models import Cycle, Subject
from kiemdiem.cycles.progress import HELD, REVIEWED_HERE, deadlines, year_cycles
from kiemdiem.feedback.models import FeedbackRequest, overdue_q
from kiemdiem.meetings.models import Meeting, MeetingKind
from kiemdiem.org.choices import CELL_KINDS
from kiemdiem.org.models import Organization
from kiemdiem.reviews.models import CollectiveReport, ReportStatus, ReviewStatus, SelfReview

MAX_NAMES = 2000  # a page lists this many late people at most; the export has them all
RESPONSIBLE = (Role.CELL_SECRETARY, Role.COMMITTEE_OFFICE)


@dataclass
class Reminder:
    organization: Organization
    reviews: list[str] = field(default_factory=list)  # members, "Name (code)"
    feedback: list[str] = field(default_factory=list)  # "kind — member"
    reports: list[str] = field(default_factory=list)  # collectives whose report is not sent
    meeting: bool = False
    emails: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.reviews) + len(self.feedback) + len(self.reports) + int(self.meeting)


def late_list(cycle: Cycle, root: Organization, today: dt.date) -> list[Reminder]:
    """Everyone late under `root` as of `today`, by the organization that must act."""
    due = deadlines(list(cycle.steps.all()))
    ids = year_cycles(cycle)
    by_org: dict[int, Reminder] = {}
    orgs = {
        o.pk: o
        for o in Organization.objects.filter(path__startswith=root.path).only(
            "pk", "name", "kind", "path", "code"
        )
    }

    def rem(org_id: int) -> Reminder:
        if org_id not in by_org:
            by_org[org_id] = Reminder(orgs[org_id])
        return by_org[org_id]

    if "reviews" in due and today > due["reviews"]:
        submitted = SelfReview.objects.filter(
            cycle_id__in=ids, member_id=OuterRef("member_id"), status=ReviewStatus.SUBMITTED
        )
        missing = (
            Subject.objects.filter(
                cycle_id__in=ids, kind__in=REVIEWED_HERE, place__path__startswith=root.path
            )
            .exclude(Exists(submitted))
            .values_list("place_id", "member__full_name", "member__code", "member__sort_key")
            .distinct()
            .order_by("place_id", "member__sort_key")[:MAX_NAMES]
        )
        for place_id, name, code, _key in missing:
            rem(place_id).reviews.append(f"{name} ({code})")
    overdue = (
        FeedbackRequest.objects.filter(
            overdue_q(today), cycle_id__in=ids, to_organization__path__startswith=root.path
        )
        .values_list("to_organization_id", "kind", "member__full_name", "due_on")
        .order_by("to_organization_id", "member__sort_key")[:MAX_NAMES]
    )
    labels = dict(FeedbackRequest._meta.get_field("kind").choices or [])
    for org_id, kind, name, due_on in overdue:
        rem(org_id).feedback.append(f"{labels.get(kind, kind)} — {name} (hạn {due_on:%d/%m/%Y})")
    if "reports" in due and today > due["reports"]:
        # The same rows the progress page counts (progress.per_cell): a collective reviewed
        # this year whose report is not sent, under the collective's organization.
        in_tree = Q(cycle_id__in=ids, collective__organization__path__startswith=root.path)
        sent = CollectiveReport.objects.filter(in_tree, status=ReportStatus.SENT)
        unsent = (
            Subject.objects.filter(in_tree, collective__isnull=False)
            .exclude(collective_id__in=sent.values("collective_id"))
            .values_list("collective__organization_id", "collective__name")
            .distinct()
            .order_by("collective__organization_id", "collective__name")[:MAX_NAMES]
        )
        for org_id, name in unsent:
            rem(org_id).reports.append(name)
    if "meetings" in due and today > due["meetings"]:
        held = set(
            Meeting.objects.filter(
                cycle_id__in=ids, kind=MeetingKind.CELL, status__in=HELD
            ).values_list("organization_id", flat=True)
        )
        with_subjects = set(
            Subject.objects.filter(
                cycle_id__in=ids, kind__in=REVIEWED_HERE, place__path__startswith=root.path
            ).values_list("place_id", flat=True)
        )
        for org in orgs.values():
            if org.kind in CELL_KINDS and org.pk in with_subjects and org.pk not in held:
                rem(org.pk).meeting = True
    emails: dict[int, list[str]] = defaultdict(list)
    roles = OfficeRole.objects.filter(
        organization_id__in=list(by_org), role__in=RESPONSIBLE
    ).values_list("organization_id", "user__email")
    for org_id, email in roles:
        if email and email not in emails[org_id]:
            emails[org_id].append(email)
    for org_id, reminder in by_org.items():
        reminder.emails = emails[org_id]
    return sorted(by_org.values(), key=lambda r: r.organization.path)


def message(cycle: Cycle, reminder: Reminder, today: dt.date) -> str:
    """The text sent to the organization's secretary or office, in plain Vietnamese."""
    lines = [
        f"Kính gửi {reminder.organization.name},",
        "",
        f"Theo Kế hoạch số {cycle.number_symbol} ({cycle.title}), đến ngày "
        f"{today:%d/%m/%Y} còn các việc chưa hoàn thành:",
    ]
    if reminder.reviews:
        lines.append(f"- {len(reminder.reviews)} đảng viên chưa nộp bản tự kiểm điểm:")
        lines += [f"    {name}" for name in reminder.reviews]
    if reminder.feedback:
        lines.append(f"- {len(reminder.feedback)} phiếu nhận xét quá hạn chưa trả lời:")
        lines += [f"    {item}" for item in reminder.feedback]
    if reminder.reports:
        lines.append(f"- {len(reminder.reports)} báo cáo kiểm điểm tập thể chưa gửi:")
        lines += [f"    {name}" for name in reminder.reports]
    if reminder.meeting:
        lines.append("- Chưa tổ chức hội nghị kiểm điểm của chi bộ.")
    lines += ["", "Đề nghị đồng chí đôn đốc hoàn thành. Trân trọng."]
    return "\n".join(lines)


def email_enabled() -> bool:
    return bool(getattr(settings, "REMINDERS_BY_EMAIL", False))


@transaction.atomic
def send(user: Any, cycle: Cycle, root: Organization, today: dt.date) -> tuple[int, int]:
    """E-mail each late organization's secretary / office; returns (sent, without address).
    Each message sent is recorded in the audit log."""
    if not can_at(user, Action.EDIT, Kind.CYCLE, root):
        raise PermissionDenied("Đồng chí không có quyền gửi nhắc việc cho đơn vị này.")
    if not email_enabled():
        raise PermissionDenied("Máy chủ chưa cấu hình thư điện tử (EMAIL_HOST).")
    sent = without = 0
    subject = f"Nhắc việc kiểm điểm năm {cycle.year} — {cycle.number_symbol}"
    for reminder in late_list(cycle, root, today):
        if not reminder.emails:
            without += 1
            continue
        body = message(cycle, reminder, today)
        send_mail(subject, body, None, reminder.emails)
        record(
            user,
            "send_reminder",
            reminder.organization,
            new={"cycle": cycle.pk, "to": reminder.emails, "items": reminder.count},
        )
        sent += 1
    return sent, without
