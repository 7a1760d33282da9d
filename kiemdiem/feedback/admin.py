from django.contrib import admin

from kiemdiem.feedback.models import FeedbackRequest


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    # Read-only: changes go through the services, which check permission and write the audit.
    list_display = ["member", "kind", "from_organization", "to_organization", "due_on", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["cycle", "member", "from_organization", "to_organization"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
