"""Who did what to which object, with old and new values. Written by services only, in the
same transaction as the change; never for ballots (design.md principle 6)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class AuditEntry(models.Model):
    at = models.DateTimeField("Thời điểm", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người thực hiện",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField("Thao tác", max_length=60)
    object_type = models.CharField("Loại đối tượng", max_length=60)
    object_id = models.CharField("Mã đối tượng", max_length=40)
    summary = models.CharField("Tóm tắt", max_length=300, blank=True)
    old = models.JSONField("Giá trị cũ", null=True, blank=True, encoder=DjangoJSONEncoder)
    new = models.JSONField("Giá trị mới", null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "Nhật ký thao tác"
        verbose_name_plural = "Nhật ký thao tác"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_type}#{self.object_id}"


def record(
    user: Any,
    action: str,
    obj: models.Model,
    *,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    summary: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary[:300],
        old=old,
        new=new,
    )
