"""Requests for written comments on a member (Mẫu 03 and the others), sent from one
organization to another inside the system, never through the member (000 §1.4.1b: "Không để
cá nhân cán bộ, đảng viên tự lấy phiếu")."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q


class FeedbackKind(models.TextChoices):
    RESIDENCE = "residence", "Nhận xét nơi cư trú (Mẫu 03)"
    WORKPLACE = "workplace", "Nhận xét nơi công tác"
    MASS_ORG = "mass_org", "Nhận xét của đoàn thể"
    TEMPORARY_CELL = "temporary_cell", "Nhận xét của chi bộ sinh hoạt tạm thời"
    FORMER_CELL = "former_cell", "Nhận xét của chi bộ nơi chuyển đi"


class Status(models.TextChoices):
    REQUESTED = "requested", "Đang chờ trả lời"
    ANSWERED = "answered", "Đã trả lời"
    RECORDED_PAPER = "recorded_paper", "Đã nhận phiếu giấy"
    CANCELLED = "cancelled", "Đã hủy"


# A request in one of these states has given the classification what it waited for.
DONE = (Status.ANSWERED, Status.RECORDED_PAPER)


class FeedbackRequest(models.Model):
    cycle = models.ForeignKey(
        "cycles.Cycle", verbose_name="Kế hoạch", on_delete=models.CASCADE, related_name="+"
    )
    member = models.ForeignKey(
        "org.Member", verbose_name="Đảng viên", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("Loại nhận xét", max_length=20, choices=FeedbackKind.choices)
    from_organization = models.ForeignKey(
        "org.Organization",
        verbose_name="Nơi đề nghị",
        on_delete=models.PROTECT,
        related_name="feedback_sent",
    )
    # Null when the answering body is outside the system (a former cell in another province,
    # a residence without an account): the request then only comes back on paper.
    to_organization = models.ForeignKey(
        "org.Organization",
        verbose_name="Nơi nhận xét",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_received",
    )
    to_name = models.CharField(
        "Tên nơi nhận xét",
        max_length=300,
        blank=True,
        help_text="Nơi ngoài hệ thống, hoặc tên cụ thể của tập thể trả lời (ví dụ: BCH Công đoàn).",
    )
    reason = models.CharField("Căn cứ", max_length=300)
    due_on = models.DateField("Hạn trả lời")
    status = models.CharField(
        "Trạng thái", max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    # {"form": "mau03", "items": {code: mark}, "comment": str, "signer_name": str,
    #  "signer_title": str}; the item texts live in requirements.yaml.
    answer = models.JSONField("Nội dung nhận xét", default=dict, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người trả lời",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField("Trả lời lúc", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người nhập phiếu giấy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_on = models.DateField("Ngày nhận phiếu giấy", null=True, blank=True)
    cancel_reason = models.CharField("Lý do hủy", max_length=300, blank=True)
    created_at = models.DateTimeField("Lập lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người lập",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "Đề nghị nhận xét"
        verbose_name_plural = "Đề nghị nhận xét"
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["cycle", "status"], name="feedback_cycle_status_idx"),
            models.Index(fields=["to_organization", "status"], name="feedback_to_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "member", "kind"], name="feedback_one_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(to_organization__isnull=False) | ~Q(to_name=""),
                name="feedback_has_addressee",
                violation_error_message="Cần ghi nơi nhận xét.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.member_id}"

    @property
    def addressee(self) -> str:
        if self.to_organization_id and self.to_name:
            return f"{self.to_name} ({self.to_organization})"
        return str(self.to_organization) if self.to_organization_id else self.to_name

    @property
    def outside(self) -> bool:
        """Answered outside the system: only the requesting side records the paper form."""
        return self.to_organization_id is None

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == Status.REQUESTED and today > self.due_on


def overdue_q(today: dt.date) -> Q:
    return Q(status=Status.REQUESTED, due_on__lt=today)
