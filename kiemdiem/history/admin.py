from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kiemdiem.history.models import PastResult


@admin.register(PastResult)
class PastResultAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: results change only through the import (all or nothing, audited)."""

    list_display = ["year", "subject_type", "subject_key", "member", "organization",
                    "collective", "level", "exemplary", "reward", "source_file"]  # fmt: skip
    list_filter = ["year", "subject_type", "level", "exemplary"]
    search_fields = ["member__code", "member__full_name", "organization__code", "collective__name"]
    list_select_related = ["member", "organization", "collective"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
