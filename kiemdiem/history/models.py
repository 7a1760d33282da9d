"""Results of earlier years, imported from the offices' spreadsheets (issue 6 §4): one row
per subject and year. Years the system ran are read from grading's decisions instead
(`kiemdiem.history.levels`): a decision made here wins over an imported row of its year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class SubjectKind(models.TextChoices):
    # The same one-letter codes as grading.SubjectType, so subject keys ("m:12") match.
    MEMBER = "m", "Đảng viên"
    ORGANIZATION = "o", "Tổ chức đảng"
    COLLECTIVE = "c", "Tập thể lãnh đạo, quản lý"


class ResultLevel(models.TextChoices):
    """The levels of the four-level scale and the TSVM titles (grading/data/ratings.yaml:
    quality4 and tsvm), with the codes grading's decisions store."""

    HTXSNV = "HTXSNV", "Hoàn thành xuất sắc nhiệm vụ"
    HTTNV = "HTTNV", "Hoàn thành tốt nhiệm vụ"
    HTNV = "HTNV", "Hoàn thành nhiệm vụ"
    KHTNV = "KHTNV", "Không hoàn thành nhiệm vụ"
    TSVM_TB = "tsvm_tieu_bieu", "Trong sạch vững mạnh tiêu biểu"
    TSVM = "tsvm", "Trong sạch vững mạnh"
    NOT_TSVM = "chua_tsvm", "Chưa đạt trong sạch vững mạnh"


QUALITY4 = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
TSVM_LEVELS = ("tsvm_tieu_bieu", "tsvm", "chua_tsvm")
LEVEL_ORDER = (*QUALITY4, *TSVM_LEVELS)  # highest first within each scale


class PastResult(models.Model):
    subject_type = models.CharField("Đối tượng", max_length=1, choices=SubjectKind.choices)
    subject_key = models.CharField(max_length=24, editable=False)
    member = models.ForeignKey(
        "org.Member", verbose_name="Đảng viên", on_delete=models.CASCADE, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    organization = models.ForeignKey(
        "org.Organization", verbose_name="Tổ chức đảng", on_delete=models.CASCADE, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    collective = models.ForeignKey(
        "org.Collective", verbose_name="Tập thể", on_delete=models.CASCADE, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField("Năm")
    level = models.CharField("Xếp loại", max_length=20, choices=ResultLevel.choices)
    exemplary = models.BooleanField("Tiêu biểu", default=False)
    reward = models.CharField("Khen thưởng", max_length=200, blank=True)
    source_file = models.CharField("Tệp nhập", max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="Người nhập", on_delete=models.PROTECT,
        null=True, related_name="+",
    )  # fmt: skip
    imported_at = models.DateTimeField("Nhập lúc", auto_now=True)

    class Meta:
        verbose_name = "Kết quả năm trước"
        verbose_name_plural = "Kết quả các năm trước"
        ordering = ["subject_key", "year"]
        constraints = [
            models.UniqueConstraint(fields=["subject_key", "year"], name="past_result_one_a_year"),
            models.CheckConstraint(
                condition=Q(subject_type="m", member__isnull=False)
                | Q(subject_type="o", organization__isnull=False)
                | Q(subject_type="c", collective__isnull=False),
                name="past_result_has_its_subject",
            ),
        ]
        indexes = [models.Index(fields=["year", "subject_type"], name="past_result_year_idx")]

    def __str__(self) -> str:
        return f"{self.subject_key} {self.year}: {self.level}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.fill_key()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def fill_key(self) -> None:
        pk = {"m": self.member_id, "o": self.organization_id, "c": self.collective_id}
        self.subject_key = f"{self.subject_type}:{pk[self.subject_type]}"
