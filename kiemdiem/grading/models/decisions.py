"""Proposals (what the rules propose, with reasons), decisions (what people decide: append
only) and the superior's re-classification orders (domain.md §4.4; design.md principles 3–5).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q

from kiemdiem.grading.models.subjects import SubjectFields


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Có đề xuất"
    WAITING = "waiting", "Chờ nhận xét"
    NO_TALLY = "no_tally", "Chưa có kết quả biểu quyết"
    UNDECIDED = "undecided", "Biểu quyết chưa đạt mức nào"
    DEFERRED = "deferred", "Xếp loại ở hội nghị sau"
    NOT_CLASSIFIED = "not_classified", "Không xếp loại tại đây"


class Proposal(SubjectFields):
    """The rules' proposal for one subject in one cycle: recomputed when its inputs change
    (the fingerprint says when), never a decision. A decision copies the level and the
    fingerprint it was made on, so history does not depend on this row."""

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    scale = models.CharField("Thang xếp loại", max_length=30, default="quality4")
    status = models.CharField("Tình trạng", max_length=16, choices=ProposalStatus.choices)
    level = models.CharField("Mức đề xuất", max_length=20, blank=True)
    vote_level = models.CharField("Mức theo phiếu", max_length=20, blank=True)
    reasons = models.JSONField("Lý do", default=list)  # [{code, message, source}]
    sources = models.JSONField("Căn cứ", default=list)  # the rules' sources, once each
    details = models.JSONField("Số liệu", default=dict)  # counts, denominator, score...
    tally_source = models.CharField("Nguồn kết quả", max_length=20, blank=True)
    fingerprint = models.CharField("Dấu vân tay dữ liệu", max_length=32)
    computed_at = models.DateTimeField("Tính lúc", auto_now=True)

    class Meta:
        verbose_name = "Đề xuất xếp loại"
        verbose_name_plural = "Đề xuất xếp loại"
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "subject_key"], name="proposal_one_per_subject"
            )
        ]
        indexes = [models.Index(fields=["cycle", "place"], name="proposal_cycle_place_idx")]

    def __str__(self) -> str:
        return f"{self.subject_key}: {self.level or self.get_status_display()}"


class Step(models.TextChoices):
    PROPOSE = "propose", "Chi ủy đề xuất"
    DECIDE = "decide", "Quyết định xếp loại"
    APPRAISE = "appraise", "Thẩm định"


class Tier(models.TextChoices):
    CELL = "cell", "Chi bộ"
    GRASSROOTS = "grassroots", "Cấp ủy cơ sở"
    SUPERIOR = "superior", "Cấp ủy cấp trên"


class Verdict(models.TextChoices):
    AGREE = "agree", "Nhất trí"
    RETURN = "return", "Trả lại, yêu cầu xem xét lại"


class Grounds(models.TextChoices):
    REGULAR = "regular", "Xếp loại trong kỳ"
    CHANGED = "changed", "Xếp loại lại trong kỳ"
    RECLASSIFICATION = "reclassification", "Xếp loại lại theo yêu cầu của cấp trên"
    ANNUL_DEFECT = "annul_defect", "Hủy bỏ kết quả: phát hiện khuyết điểm sau khi xếp loại"
    ANNUL_VIOLATION = "annul_violation", "Hủy bỏ kết quả: vi phạm từ năm trước bị xử lý"


ANNULMENTS = (Grounds.ANNUL_DEFECT, Grounds.ANNUL_VIOLATION)


class AppendOnlyError(Exception):
    """A decision row was about to be changed or removed: history is never overwritten."""

    def __init__(self, what: str = "sửa") -> None:
        super().__init__(
            f"Không được {what} quyết định đã ghi: muốn thay đổi thì ghi một quyết định mới "
            "thay thế quyết định cũ (lịch sử giữ cả hai)."
        )


class DecisionQuerySet(models.QuerySet["Decision"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError()

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("xóa")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError()

    def current(self) -> DecisionQuerySet:
        """Rows no later row supersedes: the subject's standing proposal, decision and
        appraisal (one of each at most)."""
        return self.filter(successor__isnull=True)


class Decision(SubjectFields):
    """One act of a body of the tree on one subject: the chi ủy's proposal (Mẫu 04), the
    deciding body's decision, or the superior's appraisal. Rows are only ever added (the
    model, its queryset and a database trigger refuse UPDATE and DELETE); a later act of the
    same step supersedes the earlier one, which stays in the history (000 §2.3, 001 §2.2.6:
    "hủy bỏ kết quả và xếp loại lại")."""

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    step = models.CharField("Bước", max_length=10, choices=Step.choices)
    scale = models.CharField("Thang xếp loại", max_length=30, default="quality4")
    level = models.CharField("Mức xếp loại", max_length=20, blank=True)
    verdict = models.CharField(
        "Ý kiến thẩm định", max_length=10, choices=Verdict.choices, blank=True
    )
    grounds = models.CharField(
        "Trường hợp", max_length=20, choices=Grounds.choices, default=Grounds.REGULAR
    )
    reason = models.TextField("Lý do", blank=True)
    body = models.ForeignKey(
        "org.Organization",
        verbose_name="Cấp quyết định",
        on_delete=models.PROTECT,
        related_name="+",
    )
    tier = models.CharField("Cấp", max_length=12, choices=Tier.choices)
    proposal_level = models.CharField("Mức đề xuất khi quyết định", max_length=20, blank=True)
    proposal_fingerprint = models.CharField(max_length=32, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name="Thay thế quyết định",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor",
    )
    order = models.ForeignKey(
        "grading.ReclassificationOrder",
        verbose_name="Theo yêu cầu xếp loại lại",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người ghi",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    made_at = models.DateTimeField("Thời điểm", auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "Quyết định xếp loại"
        verbose_name_plural = "Quyết định xếp loại"
        ordering = ["made_at", "pk"]
        indexes = [
            models.Index(fields=["cycle", "subject_key", "step"], name="decision_subject_idx"),
            models.Index(fields=["cycle", "place"], name="decision_cycle_place_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(step="appraise", level="", verdict__in=["agree", "return"])
                | (~Q(step="appraise") & ~Q(level="") & Q(verdict="")),
                name="decision_level_or_verdict",
            ),
            models.CheckConstraint(
                condition=Q(grounds__in=["regular"]) | ~Q(reason=""),
                name="decision_reason_when_not_regular",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.subject_key}: {self.level or self.verdict}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError()
        self.fill_key()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("xóa")

    @property
    def is_annulment(self) -> bool:
        return self.grounds in ANNULMENTS


class ReclassificationOrder(models.Model):
    """The superior orders a unit to classify again where the excellent share breaks the
    rule (000 §2.3; 004 §2(6)). The unit decides again (new decisions superseding the old)
    and reports back; the order then closes if the quota holds."""

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "org.Organization",
        verbose_name="Đơn vị phải xếp loại lại",
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_type = models.CharField("Đối tượng", max_length=1, default="m")
    level = models.CharField("Mức vượt tỷ lệ", max_length=20)
    used = models.PositiveIntegerField("Số đã xếp")
    allowed = models.PositiveIntegerField("Số được phép")
    rule_source = models.CharField("Căn cứ", max_length=300)
    reason = models.TextField("Lý do")
    body = models.ForeignKey(
        "org.Organization", verbose_name="Cấp yêu cầu", on_delete=models.PROTECT, related_name="+"
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    ordered_at = models.DateTimeField("Yêu cầu lúc", auto_now_add=True)
    resolved_at = models.DateTimeField("Báo cáo đã xếp loại lại lúc", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Yêu cầu xếp loại lại"
        verbose_name_plural = "Yêu cầu xếp loại lại"
        ordering = ["-ordered_at", "-pk"]

    def __str__(self) -> str:
        return f"Xếp loại lại {self.organization_id}: {self.level} {self.used}/{self.allowed}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
