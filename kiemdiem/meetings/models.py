"""A review meeting (hội nghị kiểm điểm) of a cell, a party group or a leadership collective:
its agenda in the required order, who attended, and the minutes (biên bản) item by item."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from kiemdiem.meetings import agenda as a


class MeetingKind(models.TextChoices):
    CELL = a.CELL, "Hội nghị chi bộ"
    GROUP = a.GROUP, "Họp tổ đảng"
    COLLECTIVE = a.COLLECTIVE, "Hội nghị tập thể lãnh đạo, quản lý"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Đã lên lịch"
    HELD = "held", "Đã họp"
    CLOSED = "closed", "Đã kết thúc"


class ItemKind(models.TextChoices):
    OPENING = a.OPENING, "Khai mạc"
    COLLECTIVE_REVIEW = a.COLLECTIVE_REVIEW, "Kiểm điểm tập thể"
    INDIVIDUAL_REVIEW = a.INDIVIDUAL_REVIEW, "Kiểm điểm cá nhân"
    GROUP_REPORT = a.GROUP_REPORT, "Tổ đảng báo cáo"
    VOTE = a.VOTE, "Bỏ phiếu"
    REWARDS = a.REWARDS, "Khen thưởng"
    REGISTRATION = a.REGISTRATION, "Đăng ký thi đua"
    CLOSING = a.CLOSING, "Bế mạc"
    OTHER = a.OTHER, "Nội dung khác"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Có mặt"
    ABSENT_WITH_REASON = "absent_reason", "Vắng có lý do"
    ABSENT = "absent", "Vắng không lý do"


class Meeting(models.Model):
    """`organization` is always set (the cell or group, or the collective's organization) so
    one path prefix scopes every meeting; `collective` is set for a collective's meeting."""

    cycle = models.ForeignKey(
        "cycles.Cycle", verbose_name="Kế hoạch", on_delete=models.PROTECT, related_name="meetings"
    )
    organization = models.ForeignKey(
        "org.Organization",
        verbose_name="Tổ chức",
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    collective = models.ForeignKey(
        "org.Collective",
        verbose_name="Tập thể",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    kind = models.CharField("Loại hội nghị", max_length=12, choices=MeetingKind.choices)
    title = models.CharField("Tên hội nghị", max_length=300)
    scheduled_at = models.DateTimeField("Thời gian")
    place = models.CharField("Địa điểm", max_length=200, blank=True)
    # Filled from the profile by the reviews' suggestion rules later (002 §4.2: 1 day, 1.5 with
    # suggestions); a plain number until then.
    planned_days = models.DecimalField(
        "Thời lượng (ngày)", max_digits=3, decimal_places=1, default=Decimal("1")
    )
    chair = models.ForeignKey(
        "org.Member",
        verbose_name="Chủ trì",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    secretary = models.ForeignKey(
        "org.Member",
        verbose_name="Thư ký",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The ban kiểm phiếu the meeting elects from those present (research/regulations.md §3.7):
    # its head and its other members. A ballot of this meeting takes its `committee` (names,
    # head first) from here.
    count_head = models.ForeignKey(
        "org.Member",
        verbose_name="Trưởng ban kiểm phiếu",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    counters = models.ManyToManyField(
        "org.Member", verbose_name="Thành viên ban kiểm phiếu", blank=True, related_name="+"
    )
    review_in_groups = models.BooleanField("Đảng viên kiểm điểm ở tổ đảng", default=False)
    template_id = models.CharField("Mẫu chương trình", max_length=60)
    status = models.CharField(
        "Trạng thái", max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Hội nghị kiểm điểm"
        verbose_name_plural = "Hội nghị kiểm điểm"
        ordering = ["scheduled_at", "pk"]
        indexes = [models.Index(fields=["cycle", "organization"], name="meeting_cycle_org_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=a.COLLECTIVE, collective__isnull=False)
                | (~Q(kind=a.COLLECTIVE) & Q(collective__isnull=True)),
                name="meeting_collective_iff_kind",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.status == MeetingStatus.CLOSED


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField("Thứ tự")
    kind = models.CharField("Loại", max_length=20, choices=ItemKind.choices)
    title = models.CharField("Nội dung", max_length=300)
    source = models.CharField("Căn cứ", max_length=200, blank=True)
    # The subject's place in the order rules (agenda.RANK_*), kept so an edited agenda can be
    # checked again without rebuilding it.
    rank = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    subject_member = models.ForeignKey(
        "org.Member",
        verbose_name="Người kiểm điểm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_collective = models.ForeignKey(
        "org.Collective",
        verbose_name="Tập thể kiểm điểm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_group = models.ForeignKey(
        "org.Organization",
        verbose_name="Tổ đảng báo cáo",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chair = models.ForeignKey(
        "org.Member",
        verbose_name="Chủ trì mục này",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Khi kiểm điểm người đứng đầu, một đồng chí cấp phó chủ trì.",
    )
    done = models.BooleanField("Đã xong", default=False)

    class Meta:
        verbose_name = "Mục chương trình"
        verbose_name_plural = "Chương trình hội nghị"
        ordering = ["meeting", "order"]
        # No unique (meeting, order): a reorder rewrites every order in one bulk update, which
        # a non-deferrable unique constraint would reject halfway on SQLite and PostgreSQL.
        indexes = [models.Index(fields=["meeting", "order"], name="agenda_item_order_idx")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("org.Member", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "Tình trạng",
        max_length=14,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    reason = models.CharField("Lý do", max_length=200, blank=True)
    # Snapshots taken when the list is built: exempt members are listed (they may attend) but
    # are not counted in the attendance base; temporary members attend here.
    exempt = models.BooleanField("Miễn sinh hoạt", default=False)
    temporary = models.BooleanField("Sinh hoạt tạm thời", default=False)
    sort_key = models.CharField(max_length=400, editable=False, default="")

    class Meta:
        verbose_name = "Điểm danh"
        verbose_name_plural = "Điểm danh"
        ordering = ["meeting", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.status}"


class MinutesEntry(models.Model):
    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="minutes")
    discussion = models.TextField("Ý kiến thảo luận", blank=True)
    strengths = models.TextField("Ưu điểm", blank=True)
    shortcomings = models.TextField("Hạn chế, khuyết điểm", blank=True)
    conclusion = models.TextField("Kết luận của chủ trì", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField("Ghi lúc", auto_now=True)

    class Meta:
        verbose_name = "Biên bản (từng mục)"
        verbose_name_plural = "Biên bản (từng mục)"

    def __str__(self) -> str:
        return f"Biên bản mục {self.item_id}"
