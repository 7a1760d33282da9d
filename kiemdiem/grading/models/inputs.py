"""What the rules need that no other app holds: the vote counts a chi ủy copies from its
paper minutes (kết quả nhập tay), and the conditions of the year it records per member
(civil-servant rating, discipline, sick leave...)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class TallySheet(models.Model):
    """A cell's counted results entered by hand from the biên bản kiểm phiếu: for offices
    that counted on paper outside the system. Counts only, never a ballot."""

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    cell = models.ForeignKey(
        "org.Organization", verbose_name="Chi bộ", on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField("Cách bỏ phiếu", max_length=20)
    voters_present = models.PositiveIntegerField("Số người có mặt biểu quyết")
    spoiled = models.PositiveIntegerField("Số phiếu không hợp lệ", default=0)
    counted_on = models.DateField("Ngày kiểm phiếu")
    minutes_ref = models.CharField("Biên bản kiểm phiếu", max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    entered_at = models.DateTimeField("Nhập lúc", auto_now=True)

    class Meta:
        verbose_name = "Kết quả biểu quyết nhập tay"
        verbose_name_plural = "Kết quả biểu quyết nhập tay"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "cell"], name="tally_sheet_one_per_cell")
        ]

    def __str__(self) -> str:
        return f"Kết quả nhập tay — {self.cell_id} ({self.counted_on:%d/%m/%Y})"


class TallyRow(models.Model):
    sheet = models.ForeignKey(TallySheet, on_delete=models.CASCADE, related_name="rows")
    member = models.ForeignKey("org.Member", on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField("Có mặt", default=True)
    htxsnv = models.PositiveIntegerField("Phiếu HTXSNV", default=0)
    httnv = models.PositiveIntegerField("Phiếu HTTNV", default=0)
    htnv = models.PositiveIntegerField("Phiếu HTNV", default=0)
    khtnv = models.PositiveIntegerField("Phiếu KHTNV", default=0)
    approve = models.PositiveIntegerField("Tán thành", default=0)
    disapprove = models.PositiveIntegerField("Không tán thành", default=0)
    proposed_level = models.CharField("Mức chi ủy đưa ra biểu quyết", max_length=6, blank=True)
    voted = models.BooleanField("Có biểu quyết", default=True)

    class Meta:
        verbose_name = "Số phiếu của đảng viên"
        verbose_name_plural = "Số phiếu của đảng viên"
        constraints = [
            models.UniqueConstraint(fields=["sheet", "member"], name="tally_row_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.htxsnv}/{self.httnv}/{self.htnv}/{self.khtnv}"


class CcvcRating(models.TextChoices):
    HTXSNV = "HTXSNV", "Hoàn thành xuất sắc nhiệm vụ"
    HTTNV = "HTTNV", "Hoàn thành tốt nhiệm vụ"
    HTNV = "HTNV", "Hoàn thành nhiệm vụ"
    HTNV_HAN_CHE = "HTNV_HAN_CHE", "Hoàn thành nhiệm vụ nhưng còn hạn chế về năng lực"
    KHTNV = "KHTNV", "Không hoàn thành nhiệm vụ"


class MemberConditions(models.Model):
    """A member's year as the chi ủy records it for the classification (domain.md §4.2):
    the rules' caps read these. Absent row: nothing recorded, the safe defaults."""

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("org.Member", on_delete=models.PROTECT, related_name="+")
    ccvc_level = models.CharField(
        "Xếp loại cán bộ, công chức, viên chức",
        max_length=12,
        choices=CcvcRating.choices,
        blank=True,
    )
    disciplined_in_year = models.BooleanField("Bị kỷ luật trong năm", default=False)
    sick_leave_days = models.PositiveIntegerField("Số ngày nghỉ ốm", default=0)
    maternity_leave_days = models.PositiveIntegerField("Số ngày nghỉ thai sản", default=0)
    works_far_away = models.BooleanField("Đi làm ăn xa", default=False)
    meetings_absent = models.PositiveIntegerField("Số kỳ vắng sinh hoạt", default=0)
    meetings_silent = models.PositiveIntegerField("Số kỳ không phát biểu", default=0)
    awards = models.JSONField("Khen thưởng trong năm", default=list, blank=True)
    # QĐ 366 Điều 11's facts in `kiemdiem classify`'s JSON shape (docs/rules.md: tasks,
    # discipline_form, degraded, led_units, confidence_votes, shortcomings_unfixed, group),
    # read by the same parser, so the web and the CLI rate the same facts alike.
    article_11 = models.JSONField("Số liệu theo Điều 11 QĐ 366", default=dict, blank=True)
    note = models.CharField("Ghi chú", max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Điều kiện xếp loại trong năm"
        verbose_name_plural = "Điều kiện xếp loại trong năm"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "member"], name="conditions_one_per_cycle"),
            models.CheckConstraint(
                condition=Q(sick_leave_days__lte=366) & Q(maternity_leave_days__lte=366),
                name="conditions_days_in_a_year",
            ),
        ]

    def __str__(self) -> str:
        return f"Điều kiện {self.member_id}"

    def clean(self) -> None:
        """Điều 11's facts are refused here, with the reader's Vietnamese message, rather
        than when a page rates them."""
        from django.core.exceptions import ValidationError

        from kiemdiem.batch_input import InputError, article_11_facts

        try:
            article_11_facts(self.article_11 or {}, str(self.member_id))
        except InputError as exc:
            raise ValidationError({"article_11": str(exc)}) from None
