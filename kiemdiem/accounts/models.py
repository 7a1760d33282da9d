"""Office roles: what a user does over which part of the tree."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kiemdiem.org.models import Organization


class Role(models.TextChoices):
    CELL_SECRETARY = "cell_secretary", "Bí thư, chi ủy chi bộ"
    COMMITTEE_OFFICE = "committee_office", "Văn phòng cấp ủy cơ sở"
    SUPERIOR_REVIEWER = "superior_reviewer", "Ban Tổ chức cấp trên (thẩm định)"
    ADMINISTRATOR = "administrator", "Quản trị hệ thống"


class OfficeRole(models.Model):
    """A user's role over an organization's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Tài khoản",
        on_delete=models.CASCADE,
        related_name="office_roles",
    )
    role = models.CharField("Vai trò", max_length=30, choices=Role.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name="Phạm vi (tổ chức và cấp dưới)",
        on_delete=models.CASCADE,
        related_name="office_roles",
    )

    class Meta:
        verbose_name = "Vai trò"
        verbose_name_plural = "Vai trò"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organization"], name="office_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.organization}"
