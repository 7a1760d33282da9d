from django.contrib import admin

from kiemdiem.org.models import Collective, Member, Organization, Position


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]


@admin.register(Collective)
class CollectiveAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organization"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["organization"]


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ["collective", "organization"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "code", "cell", "category", "admitted_on", "official_on"]
    list_filter = ["category", "gender", "suspension"]
    search_fields = ["full_name", "code"]
    autocomplete_fields = [
        "cell",
        "party_group",
        "temporary_cell",
        "former_cell",
        "residence_cell",
        "user",
    ]
    inlines = [PositionInline]
    list_select_related = ["cell"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["member", "title", "rank", "collective", "organization", "start_on", "end_on"]
    list_filter = ["rank", "is_leader"]
    search_fields = ["member__full_name", "title"]
    autocomplete_fields = ["member", "collective", "organization"]
