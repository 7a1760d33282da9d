from django.contrib import admin

from kiemdiem.documents.models import DocumentJob


@admin.register(DocumentJob)
class DocumentJobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: jobs are made from the committee's page and run by the system."""

    list_display = ["pk", "organization", "cycle", "status", "done", "total", "requested_by",
                    "created_at", "finished_at"]  # fmt: skip
    list_filter = ["status"]
    readonly_fields = [f.name for f in DocumentJob._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
