from django.contrib import admin

from kiemdiem.cycles.models import Cycle, DayException, Step


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    fields = ["order", "title", "level", "starts_on", "ends_on", "source"]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["number_symbol", "title", "organization", "year", "profile_id", "status"]
    list_filter = ["year", "status", "profile_id"]
    search_fields = ["title", "number_symbol", "organization__name"]
    readonly_fields = ["profile_id", "profile_snapshot", "opened_by", "opened_at"]
    inlines = [StepInline]


@admin.register(DayException)
class DayExceptionAdmin(admin.ModelAdmin):
    list_display = ["day", "is_day_off", "organization", "note"]
    list_filter = ["is_day_off"]
