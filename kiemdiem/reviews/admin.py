from django.contrib import admin

from kiemdiem.reviews.models import CollectiveReport, Suggestion


@admin.register(CollectiveReport)
class CollectiveReportAdmin(admin.ModelAdmin):
    list_display = ["collective", "cycle", "head", "meeting_on", "sent_on", "working_days_before"]
    readonly_fields = ["working_days_before"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = [
        "cycle",
        "from_organization",
        "collective",
        "member",
        "issued_on",
        "answered_at",
    ]
