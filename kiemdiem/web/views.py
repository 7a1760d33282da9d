"""The first screens: the user's part of the tree, member lists, a member's record."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from kiemdiem.accounts.access import (
    Action,
    can,
    members_for,
    organizations_for,
    own_member_id,
    scope_roots,
)
from kiemdiem.grading.my_results import visible_members
from kiemdiem.org.choices import Category
from kiemdiem.org.models import Member, MemberQuerySet, Organization, fold
from kiemdiem.org.stats import overview
from kiemdiem.web import year


def _breadcrumbs(request: HttpRequest, org: Organization) -> list[Organization]:
    return list(organizations_for(request.user).filter(pk__in=org.ancestors()).order_by("depth"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's year first (issue 15 §2): the plan's step, what is theirs to do; the
    counts of their part of the tree below it."""
    years = year.years_for(request.user, timezone.localdate())
    roots = scope_roots(request.user)
    if not roots:
        member_id = own_member_id(request.user)
        if member_id is not None:
            member = Member.objects.select_related("cell").get(pk=member_id)
            context = {"member": member, "years": years}
            return TemplateResponse(request, "web/home_member.html", context)
        return TemplateResponse(request, "web/no_access.html", status=403)
    return _organization_page(request, roots[0], other_roots=roots[1:], years=years)


@login_required
def organization(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_object_or_404(organizations_for(request.user), pk=org_id)
    return _organization_page(request, org)


def _organization_page(
    request: HttpRequest,
    org: Organization,
    other_roots: list[Organization] | None = None,
    years: list[year.Year] | None = None,
) -> HttpResponse:
    view = overview(org, members_for(request.user))
    biggest = max((c.total for _, c in view.children), default=0)
    context = {
        "org": org,
        "view": view,
        "biggest": biggest or 1,
        "breadcrumbs": _breadcrumbs(request, org),
        "other_roots": other_roots or [],
        "years": years or [],
        "can_import": can(request.user, Action.IMPORT, org),
        "can_export": can(request.user, Action.EXPORT, org),
    }
    return TemplateResponse(request, "web/organization.html", context)


@login_required
def member_list(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_object_or_404(organizations_for(request.user), pk=org_id)
    # Those attending temporarily are reviewed here too (domain.md §1), so they are listed.
    here = Q(cell__path__startswith=org.path) | Q(temporary_cell__path__startswith=org.path)
    members = members_for(request.user).filter(here).select_related("cell")
    query = request.GET.get("q", "").strip()
    if query:
        members = members.filter(search_text__contains=fold(query))
    category = request.GET.get("doi_tuong", "")
    if category in Category.values:
        members = members.filter(category=category)
    status = request.GET.get("tinh_trang", "")
    members = _filter_status(members, status)
    page = Paginator(members.vietnamese_order(), settings.MEMBERS_PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    context = {
        "org": org,
        "page": page,
        "query": query,
        "category": category,
        "status": status,
        "categories": Category.choices,
        "statuses": STATUS_FILTERS,
        "breadcrumbs": _breadcrumbs(request, org),
        "can_export": can(request.user, Action.EXPORT, org),
    }
    return TemplateResponse(request, "web/member_list.html", context)


STATUS_FILTERS = [
    ("chinh_thuc", "Chính thức"),
    ("du_bi", "Dự bị"),
    ("mien", "Miễn sinh hoạt"),
    ("dinh_chi", "Đình chỉ"),
    ("tam_thoi", "Sinh hoạt tạm thời nơi khác"),
    ("chuyen_den", "Chuyển đến"),
]


def _filter_status(members: MemberQuerySet, status: str) -> MemberQuerySet:
    filters: dict[str, dict[str, Any]] = {
        "chinh_thuc": {"official_on__isnull": False},
        "du_bi": {"official_on__isnull": True},
        "mien": {"exempt_since__isnull": False},
        "dinh_chi": {"suspension__gt": ""},
        "tam_thoi": {"temporary_cell__isnull": False},
        "chuyen_den": {"transferred_on__isnull": False},
    }
    return members.filter(**filters[status]) if status in filters else members


@login_required
def member_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_object_or_404(
        members_for(request.user).select_related(
            "cell", "party_group", "temporary_cell", "former_cell", "residence_cell"
        ),
        pk=member_id,
    )
    positions = member.positions.select_related("collective", "organization").order_by("-start_on")
    context = {
        "member": member,
        "positions": positions,
        "is_self": member.user_id == request.user.pk,
        "can_see_results": Member.objects.filter(
            visible_members(request.user), pk=member.pk
        ).exists(),
    }
    return TemplateResponse(request, "web/member_detail.html", context)
