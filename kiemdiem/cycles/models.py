"""The yearly cycle: a plan (kế hoạch) with its steps and deadlines, and the days off an
office adds to the national calendar."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from kiemdiem.org.models import Organization


class CycleStatus(models.TextChoices):
    OPEN = "open", "Đang thực hiện"
    CLOSED = "closed", "Đã kết thúc"


class Level(models.TextChoices):
    """Which level of the tree carries out a step."""

    SUPERIOR = "superior", "Cấp ủy cấp trên"
    GRASSROOTS = "grassroots", "Đảng ủy cơ sở"
    COLLECTIVE = "collective", "Tập thể lãnh đạo, quản lý"
    CELL = "cell", "Chi bộ"
    GROUP = "group", "Tổ đảng"


class Cycle(models.Model):
    """One organization's plan for one year's review. A lower level's plan implements its
    superior's (`parent`) and inherits its steps; the rule profile is frozen when it opens."""

    organization = models.ForeignKey(
        Organization,
        verbose_name="Cấp ủy ban hành",
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    year = models.PositiveSmallIntegerField("Năm kiểm điểm")
    title = models.CharField("Tên kế hoạch", max_length=300)
    number_symbol = models.CharField("Số, ký hiệu", max_length=40, help_text="Ví dụ: 44-KH/ĐU")
    issued_on = models.DateField("Ngày ban hành")
    parent = models.ForeignKey(
        "self",
        verbose_name="Thực hiện kế hoạch cấp trên",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    template_id = models.CharField("Mẫu các bước", max_length=60, blank=True)
    profile_id = models.CharField("Bộ quy tắc", max_length=60)
    profile_snapshot = models.JSONField("Bộ quy tắc đã chốt", editable=False)
    reference_date = models.DateField(
        "Ngày tính mốc", help_text="Mốc tính thời gian (ví dụ: kết nạp dưới 6 tháng)."
    )
    status = models.CharField(
        "Trạng thái", max_length=10, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    opened_at = models.DateTimeField("Mở lúc", auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người mở",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "Kế hoạch kiểm điểm"
        verbose_name_plural = "Kế hoạch kiểm điểm"
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="cycle_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.number_symbol} — {self.title}"


class Step(models.Model):
    cycle = models.ForeignKey(
        Cycle, verbose_name="Kế hoạch", on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField("Thứ tự")
    code = models.SlugField("Mã bước", max_length=60)
    title = models.CharField("Nội dung", max_length=300)
    level = models.CharField("Cấp thực hiện", max_length=12, choices=Level.choices)
    starts_on = models.DateField("Từ ngày")
    ends_on = models.DateField("Hạn hoàn thành")
    deliverables = models.JSONField("Sản phẩm", default=list, blank=True)
    source = models.CharField("Căn cứ", max_length=200, blank=True)
    parent_step = models.ForeignKey(
        "self",
        verbose_name="Bước của kế hoạch cấp trên",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="child_steps",
    )

    class Meta:
        verbose_name = "Bước thực hiện"
        verbose_name_plural = "Các bước thực hiện"
        ordering = ["cycle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="step_code_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="step_ends_after_start",
                violation_error_message="Hạn hoàn thành không được trước ngày bắt đầu.",
            ),
        ]

    def __str__(self) -> str:
        return f"Bước {self.order}: {self.title}"


class DayException(models.Model):
    """A day an office adds to the national calendar: a compensatory day off, or a day
    worked in exchange (usually a Saturday). Applies to the organization's whole subtree."""

    organization = models.ForeignKey(
        Organization, verbose_name="Áp dụng cho", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("Ngày")
    is_day_off = models.BooleanField("Là ngày nghỉ", default=True)
    note = models.CharField("Ghi chú", max_length=200, blank=True)

    class Meta:
        verbose_name = "Ngày nghỉ bù, làm bù"
        verbose_name_plural = "Ngày nghỉ bù, làm bù"
        constraints = [
            models.UniqueConstraint(fields=["organization", "day"], name="day_exception_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {'nghỉ bù' if self.is_day_off else 'làm bù'}"


class SubjectKind(models.TextChoices):
    REVIEW_AND_CLASSIFY = "review_classify", "Kiểm điểm và xếp loại"
    REVIEW_ONLY = "review", "Kiểm điểm, không xếp loại tại đây"
    CLASSIFY_ONLY = "classify", "Xếp loại (kiểm điểm nơi khác)"
    REPORT_ONLY = "report", "Chỉ báo cáo (quá ba nơi kiểm điểm)"
    EXCLUDED = "excluded", "Không kiểm điểm"


class Subject(models.Model):
    """Who is reviewed where in a cycle: derived from the tree and the profile, corrected by
    the office with a reason (a correction survives a new derivation)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="subjects")
    member = models.ForeignKey(
        "org.Member", verbose_name="Đảng viên", on_delete=models.CASCADE, related_name="+"
    )
    place = models.ForeignKey(
        Organization,
        verbose_name="Chi bộ",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    collective = models.ForeignKey(
        "org.Collective",
        verbose_name="Tập thể",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField("Hình thức", max_length=20, choices=SubjectKind.choices)
    why = models.CharField("Căn cứ", max_length=300)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người điều chỉnh",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    correction = models.CharField("Lý do điều chỉnh", max_length=300, blank=True)

    class Meta:
        verbose_name = "Đối tượng kiểm điểm"
        verbose_name_plural = "Đối tượng kiểm điểm"
        indexes = [models.Index(fields=["cycle", "place"], name="subject_cycle_place_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "member", "place", "collective"], name="subject_unique_place"
            ),
            models.CheckConstraint(
                condition=Q(place__isnull=False) | Q(collective__isnull=False),
                name="subject_has_a_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.place_id or self.collective_id}: {self.kind}"
