"""The papers of the review that precede any vote: the collective's report (Mẫu 01) and the
superior's review suggestions (gợi ý kiểm điểm)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from kiemdiem.cycles.models import Cycle
from kiemdiem.org.models import Collective, Member, Organization

# Mẫu 01's sections (research/regulations.md §3.1), kept as data so a plan can rename them.
REPORT_SECTIONS = [
    ("uu_diem", "I. Ưu điểm, kết quả đạt được"),
    ("han_che", "II. Hạn chế, khuyết điểm và nguyên nhân"),
    ("khac_phuc", "III. Kết quả khắc phục hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận"),
    ("giai_trinh", "IV. Giải trình những vấn đề được gợi ý kiểm điểm"),
    ("phuong_huong", "V. Phương hướng, biện pháp khắc phục"),
    ("tu_xep_loai", "VI. Tự đánh giá, xếp loại"),
]


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
