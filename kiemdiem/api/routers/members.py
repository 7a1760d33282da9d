"""Members, searched and filtered as on the web's member list; one member's record."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kiemdiem.accounts.access import members_for, organizations_for
from kiemdiem.api.common import In, Page, Paging, Ref, attach, attached, get_or_404, page
from kiemdiem.org.choices import Category, Gender, PositionRank, Suspension
from kiemdiem.org.models import Member, fold
from kiemdiem.web.views import STATUS_FILTERS, _filter_status

router = Router(tags=["Đảng viên"])

# The web's own filter (_filter_status), so the API's status filter cannot drift from the
# member list's; the assert keeps the documented values equal to the web's.
StatusFilter = Literal["chinh_thuc", "du_bi", "mien", "dinh_chi", "tam_thoi", "chuyen_den"]
assert set(StatusFilter.__args__) == {k for k, _ in STATUS_FILTERS}  # type: ignore[attr-defined]


class MemberOut(Schema):
    id: int
    code: str
    full_name: str
    gender: Gender
    birth_date: dt.date
    cell: Ref
    party_group: Ref | None
    temporary_cell: Ref | None
    category: Category
    category_label: str = Field(alias="get_category_display")
    admitted_on: dt.date
    official_on: dt.date | None = Field(description="Trống: đảng viên dự bị.")
    exempt_since: dt.date | None
    suspension: Suspension
    suspended_since: dt.date | None
    temporary_since: dt.date | None
    transferred_on: dt.date | None

    @staticmethod
    def resolve_cell(obj: Any) -> dict[str, Any]:
        return {"id": obj.cell_id, "name": obj.cell.name}

    @staticmethod
    def resolve_party_group(obj: Any) -> dict[str, Any] | None:
        g = obj.party_group
        return {"id": g.pk, "name": g.name} if g is not None else None

    @staticmethod
    def resolve_temporary_cell(obj: Any) -> dict[str, Any] | None:
        t = obj.temporary_cell
        return {"id": t.pk, "name": t.name} if t is not None else None


class PositionOut(Schema):
    title: str
    place: str
    collective_id: int | None
    organization_id: int | None
    rank: PositionRank
    is_leader: bool
    start_on: dt.date
    end_on: dt.date | None

    @staticmethod
    def resolve_place(obj: Any) -> str:
        return str(obj.collective or obj.organization)


class MemberDetailOut(MemberOut):
    residence: str
    residence_cell: Ref | None
    former_cell_name: str
    positions: list[PositionOut]

    resolve_positions: ClassVar[Any] = attached("positions")

    @staticmethod
    def resolve_residence_cell(obj: Any) -> dict[str, Any] | None:
        r = obj.residence_cell
        return {"id": r.pk, "name": r.name} if r is not None else None

    @staticmethod
    def resolve_former_cell_name(obj: Any) -> str:
        return obj.former_cell.name if obj.former_cell_id else obj.former_cell_name


class MemberFilter(In):
    organization: int | None = Field(
        None,
        description="Chỉ đảng viên sinh hoạt (chính thức hoặc tạm thời) trong cây của tổ chức này.",
    )
    q: str | None = Field(None, max_length=100, description="Họ tên (không cần dấu) hoặc mã.")
    category: Category | None = Field(None, description="Đối tượng.")
    status: StatusFilter | None = Field(
        None, description="Tình trạng, như bộ lọc trên trang danh sách đảng viên."
    )


_RELATED = ("cell", "party_group", "temporary_cell")


@router.get("/members", response=Page[MemberOut], summary="Danh sách đảng viên trong phạm vi")
def list_members(
    request: HttpRequest, paging: Query[Paging], filters: Query[MemberFilter]
) -> dict[str, Any]:
    members = members_for(request.user)
    if filters.organization is not None:
        org = get_or_404(organizations_for(request.user), pk=filters.organization)
        # As on the web: those attending temporarily are reviewed here too (domain.md §1).
        members = members.filter(
            Q(cell__path__startswith=org.path) | Q(temporary_cell__path__startswith=org.path)
        )
    if filters.q and filters.q.strip():
        members = members.filter(search_text__contains=fold(filters.q.strip()))
    if filters.category:
        members = members.filter(category=filters.category)
    if filters.status:
        members = _filter_status(members, filters.status)
    return page(members.select_related(*_RELATED).vietnamese_order(), paging)


@router.get("/members/{member_id}", response=MemberDetailOut, summary="Hồ sơ một đảng viên")
def get_member(request: HttpRequest, member_id: int) -> Member:
    qs = members_for(request.user).select_related(*_RELATED, "residence_cell", "former_cell")
    member = get_or_404(qs, pk=member_id)
    positions = member.positions.select_related("collective", "organization")
    return attach(member, positions=list(positions.order_by("-start_on")))
