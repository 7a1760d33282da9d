"""Personal API tokens: a program acts as its owner, with exactly the owner's scope.

Only a hash of the token is stored: the token itself is shown once, when it is created, and
cannot be read back from the database (a leaked backup does not leak working tokens)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Tài khoản",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("Tên khóa", max_length=100)
    # SHA-256 of the whole token, hex. The token carries 256 random bits, so a plain hash is
    # enough: a slow password hash would only slow every API request.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    last_used_at = models.DateTimeField("Dùng lần cuối", null=True, blank=True)
    revoked_at = models.DateTimeField("Thu hồi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Khóa truy cập API"
        verbose_name_plural = "Khóa truy cập API"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
