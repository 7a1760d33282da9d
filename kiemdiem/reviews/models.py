"""The papers of the review that precede any vote: the member's self-review (Mẫu 02), the
collective's report (Mẫu 01) and the superior's review suggestions (gợi ý kiểm điểm)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from kiemdiem.cycles.models import Cycle
from kiemdiem.org.models import Collective, Member, Organization
from kiemdiem.reviews.scoring import total

# Mẫu 01's sections (research/regulations.md §3.1), kept as data so a plan can rename them.
REPORT_SECTIONS = [
    ("uu_diem", "I. Ưu điểm, kết quả đạt được"),
    ("han_che", "II. Hạn chế, khuyết điểm và nguyên nhân"),
    ("khac_phuc", "III. Kết quả khắc phục hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận"),
    ("giai_trinh", "IV. Giải trình những vấn đề được gợi ý kiểm điểm"),
    ("phuong_huong", "V. Phương hướng, biện pháp khắc phục"),
    ("tu_xep_loai", "VI. Tự đánh giá, xếp loại"),
]


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Đã nộp"
    RETURNED = "returned", "Trả lại để sửa"


class QualityLevel(models.TextChoices):
    HTXSNV = "HTXSNV", "Hoàn thành xuất sắc nhiệm vụ"
    HTTNV = "HTTNV", "Hoàn thành tốt nhiệm vụ"
    HTNV = "HTNV", "Hoàn thành nhiệm vụ"
    KHTNV = "KHTNV", "Không hoàn thành nhiệm vụ"


class SelfReview(models.Model):
    """Mẫu 02: one member's self-review in one cycle. The variant, and whether the member was
    a leader, are fixed when the paper is first created, so a later change of post never
    reshapes a paper already written. Scores are decimal strings in JSON, summed exactly."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="self_reviews")
    member = models.ForeignKey(
        Member, verbose_name="Đảng viên", on_delete=models.PROTECT, related_name="self_reviews"
    )
    variant = models.CharField("Mẫu", max_length=4)
    member_kind = models.CharField("Đối tượng", max_length=12)
    leader = models.BooleanField("Cán bộ lãnh đạo, quản lý", default=False)
    status = models.CharField(
        "Trạng thái", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    answers = models.JSONField("Nội dung các mục", default=dict, blank=True)
    manifestations = models.JSONField("Liên hệ 27 biểu hiện", default=dict, blank=True)
    criteria = models.JSONField("Tự đánh giá tiêu chí", default=dict, blank=True)
    self_level = models.CharField(
        "Tự nhận mức xếp loại", max_length=6, choices=QualityLevel.choices, blank=True
    )
    self_scores = models.JSONField("Điểm tự chấm", default=dict, blank=True)
    committee_scores = models.JSONField("Điểm chi ủy chấm", default=dict, blank=True)
    committee_scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_comment = models.TextField("Ý kiến khi trả lại", blank=True)
    submitted_at = models.DateTimeField("Nộp lúc", null=True, blank=True)
    saved_at = models.DateTimeField("Lưu lúc", auto_now=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người nhập",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Người gõ bản kiểm điểm (bí thư nhập hộ đảng viên không dùng máy tính).",
    )

    class Meta:
        verbose_name = "Bản tự kiểm điểm (Mẫu 02)"
        verbose_name_plural = "Bản tự kiểm điểm (Mẫu 02)"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "member"], name="self_review_one_per_cycle")
        ]

    def __str__(self) -> str:
        return f"Mẫu {self.variant} — {self.member}"

    @property
    def locked(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED

    @property
    def self_total(self) -> Any:
        return total(self.self_scores)

    @property
    def committee_total(self) -> Any:
        return total(self.committee_scores) if self.committee_scores else None


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SENT = "sent", "Đã gửi"


class CollectiveReport(models.Model):
    """Mẫu 01, drafted under the collective's head, with the opinions collected from the
    bodies the plan names, sent to participants before the meeting (000 §1.4.1a)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="collective_reports")
    collective = models.ForeignKey(
        Collective, verbose_name="Tập thể", on_delete=models.PROTECT, related_name="+"
    )
    head = models.ForeignKey(
        Member, verbose_name="Người đứng đầu", on_delete=models.PROTECT, related_name="+"
    )
    sections = models.JSONField("Nội dung", default=dict, blank=True)
    opinions = models.JSONField("Ý kiến đóng góp", default=list, blank=True)
    meeting_on = models.DateField("Ngày hội nghị kiểm điểm")
    sent_on = models.DateField("Ngày gửi báo cáo", null=True, blank=True)
    working_days_before = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(
        "Trạng thái", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )

    class Meta:
        verbose_name = "Báo cáo kiểm điểm tập thể (Mẫu 01)"
        verbose_name_plural = "Báo cáo kiểm điểm tập thể (Mẫu 01)"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "collective"], name="report_one_per_cycle")
        ]

    def __str__(self) -> str:
        return f"Mẫu 01 — {self.collective}"


class Suggestion(models.Model):
    """A superior's written points a collective or a person must answer in the review."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="suggestions")
    from_organization = models.ForeignKey(
        Organization, verbose_name="Cấp ủy gợi ý", on_delete=models.PROTECT, related_name="+"
    )
    collective = models.ForeignKey(
        Collective, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField("Nội dung gợi ý")
    issued_on = models.DateField("Ngày gợi ý")
    answer = models.TextField("Giải trình", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "Gợi ý kiểm điểm"
        verbose_name_plural = "Gợi ý kiểm điểm"
        constraints = [
            models.CheckConstraint(
                condition=Q(collective__isnull=True, member__isnull=False)
                | Q(collective__isnull=False, member__isnull=True),
                name="suggestion_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"Gợi ý cho {self.collective or self.member}"


class PeriodicRating(models.Model):
    """Mẫu 05 (HD 43-HD/BTCTW): a member's quarterly self-rating by concrete products, kept
    through the year so the yearly score draws on it (QĐ 366 asks for regular evaluation).
    One per member, year and quarter; the yearly paper stays the SelfReview."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="periodic_ratings")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="periodic_ratings")
    quarter = models.PositiveSmallIntegerField(
        "Quý", choices=[(q, f"Quý {q}") for q in range(1, 5)]
    )
    score = models.DecimalField("Điểm tự chấm", max_digits=5, decimal_places=2)
    level = models.CharField("Tự xếp loại", max_length=6, choices=QualityLevel.choices)
    products = models.TextField("Sản phẩm, kết quả cụ thể trong quý")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Tự đánh giá hằng quý (Mẫu 05)"
        verbose_name_plural = "Tự đánh giá hằng quý (Mẫu 05)"
        ordering = ["member", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "member", "quarter"], name="periodic_rating_one_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"Mẫu 05 quý {self.quarter} — {self.member}"
