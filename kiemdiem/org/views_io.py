"""Import, export and the downloadable templates, in the web UI."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header

from kiemdiem.accounts.access import Action, can, members_for, organizations_for
from kiemdiem.org.exporting import export_members_xlsx, member_template, organization_template
from kiemdiem.org.forms import ImportForm
from kiemdiem.org.importing import import_members
from kiemdiem.org.importing_orgs import import_organizations
from kiemdiem.org.models import Organization

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(data: bytes, filename: str) -> HttpResponse:
    content_type = XLSX if filename.endswith(".xlsx") else "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    # Org codes may hold Vietnamese letters: let Django write the RFC 6266 form.
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


@login_required
def import_page(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_object_or_404(organizations_for(request.user, Action.IMPORT), pk=org_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data, name = upload.read(), upload.name
        dry_run = form.cleaned_data["dry_run"]

        def may_write(target: Organization) -> bool:
            return target.path.startswith(org.path) and can(request.user, Action.IMPORT, target)

        if form.cleaned_data["what"] == "organizations":
            importer = import_organizations
        else:
            importer = import_members
        result = importer(data, name, may_write=may_write, dry_run=dry_run, user=request.user)
    context = {"org": org, "form": form, "result": result}
    return TemplateResponse(request, "org/import.html", context)


@login_required
def export_members(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_object_or_404(organizations_for(request.user, Action.EXPORT), pk=org_id)
    members = members_for(request.user, Action.EXPORT).in_subtree(org.path)
    return download(export_members_xlsx(members), f"dang-vien-{org.code}.xlsx")


@login_required
def template_download(request: HttpRequest, what: str, fmt: str) -> HttpResponse:
    builders = {"dang-vien": member_template, "to-chuc": organization_template}
    if what not in builders or fmt not in ("xlsx", "csv"):
        raise Http404
    return download(builders[what](fmt), f"mau-nhap-{what}.{fmt}")
