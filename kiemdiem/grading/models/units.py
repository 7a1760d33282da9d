"""Units rated besides members (issue 6 §3): villages, front work boards, youth and women's
branches and government departments that a grassroots committee rates or records, and
the score sheets (bảng điểm) cells and collectives fill in."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kiemdiem.grading.models.subjects import SubjectFields


class UnitKind(models.TextChoices):
    MASS_UNIT = "mass_unit", "Xóm, Ban công tác Mặt trận, chi đoàn, chi hội"
    GOVERNMENT_UNIT = "government_unit", "Đơn vị do chính quyền, chuyên môn phân loại"


class RatedUnit(models.Model):
    """A unit outside the party tree rated under a grassroots organization's plan
    (000 §3 Bước 3: "xét phân loại thi đua các xóm, Ban CTMT, các chi đoàn, chi hội")."""

    organization = models.ForeignKey(
        "org.Organization",
        verbose_name="Báo cáo về tổ chức đảng",
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("Loại đơn vị", max_length=20, choices=UnitKind.choices)
    name = models.CharField("Tên đơn vị", max_length=200)
    rated_by = models.CharField(
        "Cơ quan đánh giá", max_length=200, help_text="Ví dụ: UBND xã, Ủy ban MTTQ, Đoàn xã."
    )

    class Meta:
        verbose_name = "Đơn vị được xếp loại"
        verbose_name_plural = "Đơn vị được xếp loại"
        ordering = ["organization", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="rated_unit_unique")
        ]

    def __str__(self) -> str:
        return self.name


class UnitSheet(SubjectFields):
    """A cell's or a collective's self-scoring sheet for one cycle: points per criterion of
    a template (YAML data), the total, and the level its bands give."""

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    template = models.CharField("Mẫu bảng điểm", max_length=60)
    scores = models.JSONField("Điểm từng tiêu chí", default=dict)  # {criterion: "decimal"}
    total = models.DecimalField("Tổng điểm", max_digits=6, decimal_places=2, default=0)
    level = models.CharField("Mức theo bảng điểm", max_length=20, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Bảng điểm tự đánh giá"
        verbose_name_plural = "Bảng điểm tự đánh giá"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "subject_key"], name="unit_sheet_one")
        ]

    def __str__(self) -> str:
        return f"Bảng điểm {self.subject_key}: {self.total}"
