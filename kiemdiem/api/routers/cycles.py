"""Plans (kế hoạch): their steps and deadlines, lower levels' plans, who is reviewed where;
moving a step's window. Visibility is the web's own (`cycles.views._cycles`): one's subtree
and the plans above it that one implements."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kiemdiem.accounts.access import Action, Kind, can_at, scope_q
from kiemdiem.api.common import (
    In,
    IsoDate,
    MemberRef,
    Page,
    Paging,
    Ref,
    attach,
    attached,
    get_or_404,
    page,
)
from kiemdiem.cycles import services
from kiemdiem.cycles.models import Cycle, CycleStatus, Level, Step, Subject, SubjectKind
from kiemdiem.cycles.views import _cycles

router = Router(tags=["Kế hoạch"])


class CycleOut(Schema):
    id: int
    year: int
    title: str
    number_symbol: str
    issued_on: dt.date
    organization: Ref
    parent_id: int | None = Field(description="Kế hoạch cấp trên mà kế hoạch này thực hiện.")
    profile_id: str
    reference_date: dt.date
    status: CycleStatus
    status_label: str = Field(alias="get_status_display")

    @staticmethod
    def resolve_organization(obj: Any) -> dict[str, Any]:
        return {"id": obj.organization_id, "name": obj.organization.name}


class StepOut(Schema):
    id: int
    order: int
    code: str
    title: str
    level: Level
    level_label: str = Field(alias="get_level_display")
    starts_on: dt.date
    ends_on: dt.date
    deliverables: list[Any]
    source: str
    parent_step_id: int | None
    superior_ends_on: dt.date | None = Field(
        description="Hạn của bước tương ứng trong kế hoạch cấp trên (chỉ được rút ngắn)."
    )

    @staticmethod
    def resolve_superior_ends_on(obj: Step) -> dt.date | None:
        return obj.parent_step.ends_on if obj.parent_step is not None else None


class CycleDetailOut(CycleOut):
    steps: list[StepOut]
    children: list[CycleOut] = Field(description="Kế hoạch cấp dưới trong phạm vi người gọi.")
    can_edit: bool
    profile: dict[str, Any] = Field(description="Bộ quy tắc đã chốt khi mở kế hoạch.")

    resolve_steps: ClassVar[Any] = attached("steps")
    resolve_children: ClassVar[Any] = attached("children")
    resolve_can_edit: ClassVar[Any] = attached("can_edit")

    @staticmethod
    def resolve_profile(obj: Cycle) -> dict[str, Any]:
        return dict(obj.profile_snapshot or {})


class CycleFilter(In):
    year: int | None = Field(None, ge=1930, le=2200)
    organization: int | None = Field(None, description="Kế hoạch do tổ chức này ban hành.")
    status: CycleStatus | None = None


class StepWindowIn(In):
    starts_on: IsoDate = Field(description="Từ ngày (NNNN-TT-NN).")
    ends_on: IsoDate = Field(description="Hạn hoàn thành (NNNN-TT-NN).")


class SubjectOut(Schema):
    id: int
    member: MemberRef
    place: Ref | None = Field(description="Chi bộ nơi kiểm điểm (trống: trước một tập thể).")
    collective: Ref | None
    kind: SubjectKind
    kind_label: str = Field(alias="get_kind_display")
    why: str
    correction: str = Field(description="Lý do điều chỉnh của văn phòng, nếu có.")

    @staticmethod
    def resolve_place(obj: Subject) -> dict[str, Any] | None:
        return {"id": obj.place.pk, "name": obj.place.name} if obj.place else None

    @staticmethod
    def resolve_collective(obj: Subject) -> dict[str, Any] | None:
        c = obj.collective
        return {"id": c.pk, "name": c.name} if c is not None else None


class SubjectFilter(In):
    place: int | None = Field(None, description="Chỉ những dòng kiểm điểm tại chi bộ này.")
    kind: SubjectKind | None = None


@router.get("/cycles", response=Page[CycleOut], summary="Các kế hoạch trong phạm vi")
def list_cycles(
    request: HttpRequest, paging: Query[Paging], filters: Query[CycleFilter]
) -> dict[str, Any]:
    qs = _cycles(request)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.organization is not None:
        qs = qs.filter(organization_id=filters.organization)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return page(qs.order_by("-year", "organization__path", "pk"), paging)


@router.get("/cycles/{cycle_id}", response=CycleDetailOut, summary="Một kế hoạch và các bước")
def get_cycle(request: HttpRequest, cycle_id: int) -> Any:
    cycle = get_or_404(_cycles(request), pk=cycle_id)
    steps = list(cycle.steps.select_related("parent_step").order_by("order"))
    children = list(
        cycle.children.filter(scope_q(request.user, Kind.CYCLE, Action.VIEW, "organization__path"))
        .select_related("organization")
        .order_by("organization__path")
    )
    can_edit = can_at(request.user, Action.EDIT, Kind.CYCLE, cycle.organization)
    return attach(cycle, steps=steps, children=children, can_edit=can_edit)


@router.put(
    "/cycles/{cycle_id}/steps/{step_id}",
    response=StepOut,
    summary="Đổi thời gian của một bước (kế hoạch cấp dưới chỉ được rút ngắn hạn)",
)
def change_step_window(
    request: HttpRequest, cycle_id: int, step_id: int, data: StepWindowIn
) -> Any:
    cycle = get_or_404(_cycles(request, Action.EDIT), pk=cycle_id)
    step = get_or_404(cycle.steps.select_related("parent_step", "cycle__organization"), pk=step_id)
    return services.change_step_window(request.user, step, data.starts_on, data.ends_on)


@router.get(
    "/cycles/{cycle_id}/subjects",
    response=Page[SubjectOut],
    summary="Ai kiểm điểm ở đâu trong kế hoạch (đảng viên trong phạm vi người gọi)",
)
def list_subjects(
    request: HttpRequest, cycle_id: int, paging: Query[Paging], filters: Query[SubjectFilter]
) -> dict[str, Any]:
    cycle = get_or_404(_cycles(request), pk=cycle_id)
    user = request.user
    # The web's subject list: rows of the members the user may see (official or temporary).
    visible = scope_q(user, Kind.MEMBER, Action.VIEW, "member__cell__path") | scope_q(
        user, Kind.MEMBER, Action.VIEW, "member__temporary_cell__path"
    )
    rows = cycle.subjects.filter(visible).select_related("member", "place", "collective")
    if filters.place is not None:
        rows = rows.filter(place_id=filters.place)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    order = ("member__sort_key", "member__code", "collective_id", "pk")
    return page(rows.order_by(*order), paging)
