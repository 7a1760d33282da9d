"""Background jobs that make documents (a committee's dossiers take a while): their state,
progress and result file, kept in the database so any app server or the `kiemdiem worker`
command can run them and every server can show their progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang lập"
    DONE = "done", "Đã xong"
    FAILED = "failed", "Bị lỗi"


class DocumentJob(models.Model):
    kind = models.CharField("Loại việc", max_length=30, default="committee_dossiers")
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        "org.Organization", verbose_name="Tổ chức", on_delete=models.CASCADE, related_name="+"
    )
    pdf = models.BooleanField("Kèm bản PDF", default=False)
    status = models.CharField(
        "Trạng thái", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField("Đã xong", default=0)
    total = models.PositiveIntegerField("Tổng số", default=0)
    current = models.CharField("Đang lập", max_length=200, blank=True)
    error = models.TextField("Lỗi", blank=True)
    result = models.CharField("Tệp kết quả", max_length=300, blank=True)
    result_name = models.CharField("Tên tệp tải về", max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="Người yêu cầu", on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("Yêu cầu lúc", auto_now_add=True)
    started_at = models.DateTimeField("Bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("Xong lúc", null=True, blank=True)
    # Written at the claim and after each cell: a running job whose heartbeat stopped was
    # cut off (the server restarted) and must not block the next request for ever.
    heartbeat_at = models.DateTimeField("Cập nhật lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Việc lập văn bản"
        verbose_name_plural = "Việc lập văn bản"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="docjob_status_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.organization_id} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
