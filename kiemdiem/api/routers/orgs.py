"""Who am I, and the organizations of my part of the tree with their member counts."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kiemdiem.accounts.access import grants, members_for, organizations_for, own_member_id
from kiemdiem.accounts.models import Role
from kiemdiem.api.common import In, Page, Paging, attach, attached, get_or_404, page
from kiemdiem.org.choices import OrgKind
from kiemdiem.org.models import Organization
from kiemdiem.org.stats import STATUS_LABELS, Counts, overview

router = Router(tags=["Tổ chức"])


class RoleOut(Schema):
    role: str
    role_label: str
    organization_id: int | None
    organization_name: str


class MeOut(Schema):
    username: str
    full_name: str
    member_id: int | None = Field(description="Hồ sơ đảng viên của tài khoản, nếu có.")
    roles: list[RoleOut]


class OrgOut(Schema):
    id: int
    code: str
    name: str
    kind: OrgKind
    kind_label: str = Field(alias="get_kind_display")
    parent_id: int | None
    depth: int


class CountOut(Schema):
    key: str
    label: str
    count: int


class ChildOut(OrgOut):
    members: int = Field(description="Số đảng viên trong cả cây của tổ chức con.")
    status: list[CountOut]

    resolve_members: ClassVar[Any] = attached("members")
    resolve_status: ClassVar[Any] = attached("status")


class OrgDetailOut(ChildOut):
    categories: list[CountOut]
    children: list[ChildOut]

    resolve_categories: ClassVar[Any] = attached("categories")
    resolve_children: ClassVar[Any] = attached("children")


class OrgFilter(In):
    parent: int | None = Field(None, description="Chỉ các tổ chức trực thuộc tổ chức này.")
    kind: OrgKind | None = None
    q: str | None = Field(None, max_length=100, description="Tìm theo tên hoặc mã.")


@router.get("/me", response=MeOut, summary="Tài khoản đang gọi và các vai trò")
def get_me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    labels = dict(Role.choices)
    ids = [g.organization_id for g in grants(user) if g.organization_id]
    names = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))
    roles = [
        {
            "role": g.role,
            "role_label": labels.get(g.role, g.role),
            "organization_id": g.organization_id,
            "organization_name": names.get(g.organization_id, "Toàn hệ thống")
            if g.organization_id
            else "Toàn hệ thống",
        }
        for g in grants(user)
    ]
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name() if hasattr(user, "get_full_name") else "",
        "member_id": own_member_id(user),
        "roles": roles,
    }


@router.get("/organizations", response=Page[OrgOut], summary="Các tổ chức trong phạm vi, theo cây")
def list_organizations(
    request: HttpRequest, paging: Query[Paging], filters: Query[OrgFilter]
) -> dict[str, Any]:
    qs = organizations_for(request.user)
    if filters.parent is not None:
        qs = qs.filter(parent_id=filters.parent)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q and filters.q.strip():
        text = filters.q.strip()
        # Names carry diacritics; the code is plain: both are matched without case.
        qs = qs.filter(Q(name__icontains=text) | Q(code__icontains=text))
    return page(qs.order_by("path"), paging)


def _counts(c: Counts) -> list[dict[str, Any]]:
    return [{"key": k, "label": label, "count": c.status[k]} for k, label in STATUS_LABELS]


@router.get(
    "/organizations/{org_id}",
    response=OrgDetailOut,
    summary="Một tổ chức: số đảng viên theo tình trạng, đối tượng; các tổ chức con",
)
def get_organization(request: HttpRequest, org_id: int) -> Organization:
    org = get_or_404(organizations_for(request.user), pk=org_id)
    view = overview(org, members_for(request.user))
    categories = [{"key": k, "label": lab, "count": n} for k, lab, n in view.counts.category_rows()]
    children = [attach(child, members=c.total, status=_counts(c)) for child, c in view.children]
    return attach(
        org,
        members=view.counts.total,
        status=_counts(view.counts),
        categories=categories,
        children=children,
    )
