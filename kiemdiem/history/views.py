"""Thin views: the earlier-years import, the draft reward lists and the reports across the
tree, each scoped through accounts.access (Kind.HISTORY)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from kiemdiem.accounts.access import Action, Kind, can_at, scope_q
from kiemdiem.ballots.docx_parts import DOCX_TYPE
from kiemdiem.config.replica import from_replica
from kiemdiem.history import exports, reports
from kiemdiem.history.columns import HISTORY_COLUMNS, history_guide
from kiemdiem.history.importing import import_history
from kiemdiem.history.models import PastResult
from kiemdiem.history.rewards import profile_for
from kiemdiem.history.rewards import rewards_page as build_rewards
from kiemdiem.org.forms import ImportForm
from kiemdiem.org.models import Organization
from kiemdiem.org.tabular import write_csv, write_xlsx
from kiemdiem.org.views_io import download
from kiemdiem.rules import RuleProfile, list_profiles, load_profile

UNITS_PER_PAGE = 50
LISTS_PER_PAGE = 20
K = Kind.HISTORY


def _org(request: HttpRequest, org_id: int, action: Action = Action.VIEW) -> Organization:
    visible = Organization.objects.filter(scope_q(request.user, K, action, "path"))
    return get_object_or_404(visible, pk=org_id)


class HistoryImportForm(ImportForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["what"]


@login_required
def import_page(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _org(request, org_id, Action.IMPORT)
    form = HistoryImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]

        def may_write(target: Organization) -> bool:
            return target.path.startswith(org.path) and can_at(
                request.user, Action.IMPORT, K, target
            )

        dry_run = form.cleaned_data["dry_run"]
        data, name = upload.read(), upload.name
        result = import_history(data, name, may_write=may_write, dry_run=dry_run, user=request.user)
    return TemplateResponse(
        request, "history/import.html", {"org": org, "form": form, "result": result}
    )


@login_required
def template(request: HttpRequest, fmt: str) -> HttpResponse:
    headers = [c.header for c in HISTORY_COLUMNS]
    examples = [
        [
            2022,
            "Đảng viên",
            "42000123",
            "",
            "Nguyễn Thị Ánh",
            "HTXSNV",
            "có",
            "Giấy khen của Đảng ủy",
        ],
        [2022, "Tổ chức đảng", "TL-X1", "", "Chi bộ xóm 1", "TSVM tiêu biểu", "", ""],
        [2022, "Tập thể", "TL-X1", "Chi ủy Chi bộ xóm 1", "", "HTTNV", "", ""],
    ]
    if fmt == "csv":
        data = write_csv(headers, examples)
    elif fmt == "xlsx":
        data = write_xlsx(headers, examples, sheet_title="Kết quả các năm", notes=history_guide())
    else:
        raise Http404
    return download(data, f"mau-nhap-ket-qua-cac-nam.{fmt}")


def _year(request: HttpRequest, root: Organization) -> int:
    wanted = request.GET.get("nam", "")
    if wanted:
        if not wanted.isdigit() or not 1950 <= int(wanted) <= 2100:
            raise Http404("Năm không hợp lệ.")
        return int(wanted)
    above = [int(s) for s in root.path.strip("/").split("/") if s]
    from kiemdiem.cycles.models import Cycle

    latest = Cycle.objects.filter(organization_id__in=above).aggregate(y=Max("year"))["y"]
    if latest is None:
        latest = PastResult.objects.filter(member__cell__path__startswith=root.path).aggregate(
            y=Max("year")
        )["y"]
    return int(latest or timezone.localdate().year)


def _profile(request: HttpRequest, root: Organization, year: int) -> tuple[RuleProfile, bool]:
    """The plan's frozen profile for the year; without a plan, the one the user picks (first
    built-in with reward rules by default). Returns (profile, chosen by the user)."""
    _, profile = profile_for(root, year)
    if profile is not None:
        return profile, False
    with_rules = [p for p in list_profiles() if p.rewards is not None and p.rewards.streaks]
    wanted = request.GET.get("bo-quy-tac", "")
    known = {p.id for p in list_profiles()}
    if wanted and wanted not in known:
        raise Http404("Không có bộ quy tắc này.")
    return (load_profile(wanted) if wanted else with_rules[0]), True


def _rewards(request: HttpRequest, org_id: int, action: Action) -> Any:
    root = _org(request, org_id, action)
    year = _year(request, root)
    profile, chosen = _profile(request, root, year)
    return build_rewards(root, year, profile), chosen


@login_required
def rewards_page(request: HttpRequest, org_id: int) -> HttpResponse:
    page, chosen = _rewards(request, org_id, Action.VIEW)
    lists = Paginator(page.lists, LISTS_PER_PAGE).get_page(request.GET.get("trang"))
    context = {"p": page, "org": page.root, "chosen": chosen, "lists": lists,
               "profiles": [p for p in list_profiles() if p.rewards is not None],
               "can_export": can_at(request.user, Action.EXPORT, K, page.root)}  # fmt: skip
    return TemplateResponse(request, "history/rewards.html", context)


@login_required
def rewards_file(request: HttpRequest, org_id: int, fmt: str) -> HttpResponse:
    page, _ = _rewards(request, org_id, Action.EXPORT)
    name = f"khen-thuong-{page.root.code}-{page.year}"
    if fmt == "xlsx":
        return download(exports.rewards_xlsx(page), f"{name}.xlsx")
    if fmt == "docx":
        parent = page.root.parent.name if page.root.parent_id and page.root.parent else ""
        response = download(exports.rewards_docx(page, parent), f"{name}.docx")
        response["Content-Type"] = DOCX_TYPE
        return response
    raise Http404


@login_required
def report_page(request: HttpRequest, org_id: int) -> HttpResponse:
    root = _org(request, org_id)
    year = _year(request, root)
    with from_replica():  # a report reads only: the replica serves it where there is one
        report = reports.build(root, year, timezone.localdate())
    units = Paginator(report.units, UNITS_PER_PAGE).get_page(request.GET.get("trang"))
    parent = root.parent if root.parent_id else None
    up = parent if parent is not None and can_at(request.user, Action.VIEW, K, parent) else None
    context = {"r": report, "org": root, "units": units, "up": up,
               "can_export": can_at(request.user, Action.EXPORT, K, root)}  # fmt: skip
    return TemplateResponse(request, "history/report.html", context)


@login_required
def report_file(request: HttpRequest, org_id: int) -> HttpResponse:
    root = _org(request, org_id, Action.EXPORT)
    year = _year(request, root)
    with from_replica():
        report = reports.build(root, year, timezone.localdate())
    return download(exports.report_xlsx(report), f"bao-cao-{root.code}-{year}.xlsx")
