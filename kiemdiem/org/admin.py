from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from kiemdiem.accounts.access import Action, can, members_for
from kiemdiem.org.exporting import export_members_xlsx
from kiemdiem.org.forms import ImportForm
from kiemdiem.org.importing import import_members
from kiemdiem.org.importing_orgs import import_organizations
from kiemdiem.org.models import Collective, Member, Organization, Position
from kiemdiem.org.views_io import download


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
    change_list_template = "admin/org/member/change_list.html"
    actions = ["export_xlsx"]

    @admin.action(description="Xuất Excel các đảng viên đã chọn")
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[Member]) -> HttpResponse:
        allowed = members_for(request.user, Action.EXPORT).filter(pk__in=queryset)
        return download(export_members_xlsx(allowed), "dang-vien.xlsx")

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "nhap/",
                self.admin_site.admin_view(self.import_view),
                name="org_member_import",
            )
        ]
        return extra + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """The same all-or-nothing importer as the web page and the CLI."""
        form = ImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]

            def may_write(org: Organization) -> bool:
                return can(request.user, Action.IMPORT, org)

            importer = (
                import_organizations
                if form.cleaned_data["what"] == "organizations"
                else import_members
            )
            result = importer(
                upload.read(),
                upload.name,
                may_write=may_write,
                dry_run=form.cleaned_data["dry_run"],
                user=request.user,
            )
            if result.ok:
                messages.success(request, result.summary())
        context = {
            **self.admin_site.each_context(request),
            "title": "Nhập từ tệp",
            "form": form,
            "result": result,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/org/member/import.html", context)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["member", "title", "rank", "collective", "organization", "start_on", "end_on"]
    list_filter = ["rank", "is_leader"]
    search_fields = ["member__full_name", "title"]
    autocomplete_fields = ["member", "collective", "organization"]
