"""Plain builder functions for test data: each returns a saved object with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from kiemdiem.accounts.models import OfficeRole, Role
from kiemdiem.org.choices import Category, Gender, OrgKind
from kiemdiem.org.models import Member, Organization

_seq = itertools.count(1)


def make_org(
    name: str, kind: str = OrgKind.CELL, parent: Organization | None = None, code: str = ""
) -> Organization:
    return Organization.objects.create(
        name=name, kind=kind, parent=parent, code=code or f"ORG{next(_seq):05d}"
    )


def make_member(cell: Organization, full_name: str = "Nguyễn Văn An", **fields: Any) -> Member:
    values: dict[str, Any] = {
        "code": f"M{next(_seq):06d}",
        "gender": Gender.MALE,
        "birth_date": dt.date(1980, 1, 1),
        "admitted_on": dt.date(2005, 5, 19),
        "official_on": dt.date(2006, 5, 19),
        "category": Category.FARMER,
    }
    values.update(fields)
    return Member.objects.create(cell=cell, full_name=full_name, **values)


def make_user(username: str, *, superuser: bool = False) -> AbstractUser:
    user_model = get_user_model()
    if superuser:
        return user_model.objects.create_superuser(username, password="x-pass-123")  # type: ignore[attr-defined,no-any-return]
    return user_model.objects.create_user(username, password="x-pass-123")  # type: ignore[attr-defined,no-any-return]


def grant(user: AbstractUser, role: str, org: Organization) -> OfficeRole:
    return OfficeRole.objects.create(user=user, role=role, organization=org)


def small_tree() -> dict[str, Organization]:
    """A province with one commune committee (two cells, one with a party group) and an
    unrelated grassroots cell: enough to prove scoping."""
    province = make_org("Đảng bộ tỉnh Thử", OrgKind.PROVINCE, code="T")
    commune = make_org("Đảng bộ xã A", OrgKind.GRASSROOTS_COMMITTEE, province, code="XA")
    cell1 = make_org("Chi bộ xóm 1", OrgKind.CELL, commune, code="XA-1")
    cell2 = make_org("Chi bộ xóm 2", OrgKind.CELL, commune, code="XA-2")
    group = make_org("Tổ đảng số 1", OrgKind.GROUP, cell1, code="XA-1-T1")
    other = make_org("Chi bộ cơ sở Trường B", OrgKind.GRASSROOTS_CELL, province, code="B")
    return {
        "province": province,
        "commune": commune,
        "cell1": cell1,
        "cell2": cell2,
        "group": group,
        "other": other,
    }


__all__ = ["Role", "grant", "make_cycle", "make_member", "make_org", "make_user", "small_tree"]


def make_cycle(
    org: Organization,
    *,
    year: int = 2026,
    reference_date: dt.date | None = None,
    steps: list[tuple[str, dt.date, list[str]]] | None = None,
    snapshot: dict[str, Any] | None = None,
) -> Any:
    """An open cycle of `org` with the current central profile frozen in, and the given
    steps as (code, ends_on, deliverables)."""
    from kiemdiem.cycles.models import Cycle, Level, Step
    from kiemdiem.cycles.profiles import profile_snapshot

    cycle = Cycle.objects.create(
        organization=org,
        year=year,
        title=f"Kế hoạch kiểm điểm năm {year}",
        number_symbol="52-KH/ĐU",
        issued_on=dt.date(year, 11, 2),
        profile_id="qd366-2025",
        profile_snapshot=snapshot if snapshot is not None else profile_snapshot("qd366-2025"),
        reference_date=reference_date or dt.date(year, 11, 20),
    )
    for order, (code, ends_on, deliverables) in enumerate(steps or [], start=1):
        Step.objects.create(
            cycle=cycle, order=order, code=code, title=code, level=Level.CELL,
            starts_on=dt.date(year, 11, 2), ends_on=ends_on, deliverables=deliverables,
        )  # fmt: skip
    return cycle


def make_collective(org: Organization, name: str = "", kind: str = "chi_uy") -> Any:
    """A leadership collective of `org`; by default its chi ủy."""
    from kiemdiem.org.models import Collective

    return Collective.objects.create(organization=org, kind=kind, name=name or f"Chi ủy {org.name}")


def make_position(
    member: Member,
    *,
    collective: Any = None,
    organization: Organization | None = None,
    rank: str = "member",
    title: str = "Chi ủy viên",
    is_leader: bool = True,
    start_on: dt.date = dt.date(2020, 1, 1),
) -> Any:
    """A current post of `member` in a collective (or an organization)."""
    from kiemdiem.org.models import Position

    return Position.objects.create(
        member=member, collective=collective, organization=organization, rank=rank,
        title=title, is_leader=is_leader, start_on=start_on,
    )  # fmt: skip
