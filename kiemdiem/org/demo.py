"""A realistic, deterministic demo: a commune Party committee modeled on Thanh Liên (seed 000).

Same seed, same data: names, codes and dates come from `random.Random(seed)` and a fixed
reference date, never from today. Every member passes the model invariants.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from kiemdiem.accounts.models import OfficeRole, Role
from kiemdiem.org.choices import Category, Gender, OrgKind, Suspension
from kiemdiem.org.demo_leaders import collectives, leadership
from kiemdiem.org.demo_people import REFERENCE_DATE, People
from kiemdiem.org.models import (
    Collective,
    Member,
    Organization,
    Position,
    add_months,
    member_errors,
)

__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "REFERENCE_DATE", "DemoSummary", "build_demo"]

DEMO_PASSWORD = "kiemdiem2025"

VILLAGE_MIX: list[tuple[str, int]] = [
    (Category.FARMER, 50), (Category.RETIRED, 25), (Category.BUSINESS, 8), (Category.WORKER, 7),
    (Category.LABORER, 6), (Category.STUDENT, 2), (Category.OTHER, 2),
]  # fmt: skip
CCVC: list[tuple[str, int]] = [(Category.CCVC, 1)]
ARMED: list[tuple[str, int]] = [(Category.ARMED_FORCES, 1)]
# (code, name, members, category mix, share of women): teachers and nurses are mostly women,
# commune police and militia mostly men.
CELLS: list[tuple[str, str, int, list[tuple[str, int]], float]] = [
    ("TL-X1", "Chi bộ xóm 1", 50, VILLAGE_MIX, 0.4),
    ("TL-X2", "Chi bộ xóm 2", 48, VILLAGE_MIX, 0.4),
    ("TL-X3", "Chi bộ xóm 3", 49, VILLAGE_MIX, 0.4),
    ("TL-X4", "Chi bộ xóm 4", 47, VILLAGE_MIX, 0.4),
    ("TL-X5", "Chi bộ xóm 5", 46, VILLAGE_MIX, 0.4),
    ("TL-THCS", "Chi bộ Trường THCS Thanh Liên", 20, CCVC, 0.65),
    ("TL-TH", "Chi bộ Trường Tiểu học Thanh Liên", 17, CCVC, 0.8),
    ("TL-MN", "Chi bộ Trường Mầm non Thanh Liên", 10, CCVC, 0.95),
    ("TL-YT", "Chi bộ Trạm Y tế xã", 9, CCVC, 0.65),
    ("TL-CQ", "Chi bộ Cơ quan xã", 32, CCVC, 0.4),
    ("TL-CA", "Chi bộ Công an xã", 12, ARMED, 0.1),
    ("TL-QS", "Chi bộ Quân sự xã", 10, ARMED, 0.05),
]
VILLAGES = ("TL-X1", "TL-X2", "TL-X3", "TL-X4", "TL-X5")
OTHER_CELL = ("THPT-TC3", "Chi bộ cơ sở Trường THPT Thanh Chương 3", 20)


@dataclass
class DemoSummary:
    organizations: int = 0
    collectives: int = 0
    members: int = 0
    positions: int = 0
    # members by grassroots organization, then by special case of domain.md §1 (in that order)
    grassroots: Counter[str] = field(default_factory=Counter)
    cases: Counter[str] = field(default_factory=Counter)


def _org(code: str, name: str, kind: str, parent: Organization | None) -> Organization:
    return Organization.objects.create(code=code, name=name, kind=kind, parent=parent)


def _categories(rng: random.Random, mix: list[tuple[str, int]], n: int) -> list[str]:
    kinds, weights = zip(*mix, strict=True)
    return list(rng.choices(kinds, weights, k=n))


@transaction.atomic
def build_demo(seed: int = 2023) -> DemoSummary:
    """Build the demo commune in an empty database; the caller checks that it is empty."""
    b = People(seed)
    # No district level: districts ended on 01/7/2025, communes now sit under the province.
    province = _org("NA", "Đảng bộ tỉnh Nghệ An", OrgKind.PROVINCE, None)
    commune = _org("TL", "Đảng bộ xã Thanh Liên", OrgKind.GRASSROOTS_COMMITTEE, province)
    cells = {code: _org(code, name, OrgKind.CELL, commune) for code, name, *_ in CELLS}
    groups = [_org(f"TL-X1-T{i}", f"Tổ đảng số {i}", OrgKind.GROUP, cells["TL-X1"]) for i in (1, 2)]
    # A second grassroots organization: the outsider whose data the commune must not see.
    other = _org(OTHER_CELL[0], OTHER_CELL[1], OrgKind.GRASSROOTS_CELL, province)

    by_cell: dict[str, list[Member]] = {}
    for code, _, size, mix, women in CELLS:
        cell = cells[code]
        by_cell[code] = [b.member(cell, cat, women) for cat in _categories(b.rng, mix, size)]
    by_cell[other.code] = [b.member(other, Category.CCVC, 0.6) for _ in range(OTHER_CELL[2])]
    for i, m in enumerate(by_cell["TL-X1"]):
        m.party_group = groups[i % 2]  # the biggest village reviews in two party groups (003)

    _residences(b, by_cell, [cells[c] for c in VILLAGES])
    _special_cases(b, by_cell, cells, other)
    leadership(b, by_cell, cells, collectives(commune, cells), other)

    for m in b.members:
        errors = member_errors(m, today=REFERENCE_DATE)
        if errors:
            raise ValueError(f"Dữ liệu mẫu sai ở {m.full_name} ({m.code}): {errors}")
    Member.objects.bulk_create(b.members, batch_size=500)  # sort_key filled by the queryset
    Position.objects.bulk_create(Position(member=m, **values) for m, values in b.positions)
    _accounts(province, commune, cells["TL-X1"], other, by_cell)
    from kiemdiem.history.demo import earlier_years  # the tree first: history points into it

    commune_members = [m for m in b.members if m.cell.code != other.code]
    earlier_years(seed, commune_members, cells.values(), "Giấy khen của Đảng ủy xã")
    return _summary(b)


def _residences(b: People, by_cell: dict[str, list[Member]], villages: list[Organization]) -> None:
    """Workplace members (schools, health, offices, police) live in the villages: their
    residence cell comments on them (Mẫu 03, 000 §1.4.1b)."""
    for code in ("TL-THCS", "TL-TH", "TL-MN", "TL-YT", "TL-CQ", "TL-CA", "TL-QS"):
        for m in by_cell[code]:
            village = b.rng.choice(villages)
            m.residence_cell = village
            m.residence = f"{village.name.removeprefix('Chi bộ ').capitalize()}, xã Thanh Liên"


def _special_cases(
    b: People,
    by_cell: dict[str, list[Member]],
    cells: dict[str, Organization],
    other: Organization,
) -> None:
    """Every special case of domain.md §1, at least once. Leaders (indices 0–2 of a cell and
    the first ~20 of the offices' cell) are left alone: leadership() redraws them."""
    ref = REFERENCE_DATE
    x1, x2, x3, x4, x5 = (by_cell[code] for code in VILLAGES)
    cq = by_cell["TL-CQ"]
    # Probationary (admitted 8–10 months ago) and new (admitted less than 6 months ago).
    new = ((x2[11], 8), (x3[12], 10), (cq[20], 9), (x4[13], 3), (x5[14], 4))
    for m, months in new:
        m.admitted_on, m.official_on = add_months(ref, -months), None
        m.birth_date = min(m.birth_date, add_months(m.admitted_on, -20 * 12))
    # Exempt from work and activities: old age (three veterans), and health (one farmer).
    for m in (x1[3], x2[4], x5[6]):
        m.category = Category.RETIRED
        m.birth_date = dt.date(1938 + b.rng.randint(0, 5), 3, 12)
        m.admitted_on, m.official_on = dt.date(1965, 5, 19), dt.date(1966, 5, 19)
        m.exempt_since = dt.date(2019, 1, 15)
    b.fit(x4[20], 55, 59, party_years=20, category=Category.FARMER)
    x4[20].exempt_since = dt.date(2025, 3, 1)
    # Suspended from the party, and one suspended only from the cell committee.
    x3[5].suspension, x3[5].suspended_since = Suspension.PARTY, dt.date(2026, 8, 12)
    x4[1].suspension, x4[1].suspended_since = Suspension.COMMITTEE, dt.date(2026, 9, 3)
    # Temporary attachment: a contract worker at the other grassroots organization's school
    # for the school year, and a teacher attending the village cell where she now lives.
    x3[7].category = Category.LABORER
    x3[7].temporary_cell, x3[7].temporary_since = other, dt.date(2026, 2, 10)
    by_cell["TL-TH"][2].temporary_cell = cells["TL-X1"]
    by_cell["TL-TH"][2].temporary_since = dt.date(2026, 4, 1)
    # Transfers: from a village cell of the tree to the offices 3 months ago (after years
    # there, so the old cell comments), and from outside the system 10 months ago.
    moved = cq[7]
    moved.former_cell, moved.transferred_on = cells["TL-X4"], add_months(ref, -3)
    outsider = x5[8]
    outsider.former_cell_name = "Chi bộ xóm Đông, Đảng bộ xã Thanh Hương"
    outsider.transferred_on = add_months(ref, -10)
    # Students and a business owner are in the village mix; make sure both exist.
    x2[9].category, x2[9].birth_date = Category.STUDENT, dt.date(2004, 6, 2)
    x2[9].admitted_on, x2[9].official_on = dt.date(2023, 3, 26), dt.date(2024, 3, 26)
    x1[10].category = Category.BUSINESS


# username, role, scope (an organization code, None for the whole tree), linked member as
# (cell code, index), or a name for users who are not members of the demo tree.
ACCOUNTS: list[tuple[str, str | None, str | None, tuple[str, int] | str]] = [
    ("admin", None, None, "Quản trị hệ thống"),
    ("vanphong", Role.COMMITTEE_OFFICE, "TL", ("TL-CQ", 9)),
    ("bithu.xom1", Role.CELL_SECRETARY, "TL-X1", ("TL-X1", 0)),
    ("bantochuc", Role.SUPERIOR_REVIEWER, "NA", "Hoàng Đình Thắng"),
    ("dangvien", None, None, ("TL-X1", 5)),
    ("bithu.thpt", Role.CELL_SECRETARY, "THPT-TC3", ("THPT-TC3", 0)),
]
DEMO_LOGINS = [
    ("admin", "Quản trị hệ thống", "toàn bộ"),
    ("vanphong", "Văn phòng cấp ủy cơ sở", "Đảng bộ xã Thanh Liên"),
    ("bithu.xom1", "Bí thư chi bộ", "Chi bộ xóm 1"),
    ("bantochuc", "Ban Tổ chức cấp trên", "Đảng bộ tỉnh Nghệ An"),
    ("dangvien", "Đảng viên", "hồ sơ của mình (Chi bộ xóm 1)"),
    ("bithu.thpt", "Bí thư chi bộ", "Chi bộ cơ sở Trường THPT Thanh Chương 3"),
]


def _accounts(
    province: Organization,
    commune: Organization,
    x1: Organization,
    other: Organization,
    by_cell: dict[str, list[Member]],
) -> None:
    """Demo users in three queries plus one per linked member. One password hash for all:
    hashing is deliberately slow (~0.3 s each) and was most of the build's time."""
    users = get_user_model()
    password = make_password(DEMO_PASSWORD)
    scopes = {org.code: org for org in (province, commune, x1, other)}
    made, roles, links = [], [], []
    for username, role, scope, who in ACCOUNTS:
        if isinstance(who, tuple):
            member: Member | None = by_cell[who[0]][who[1]]
            full_name = by_cell[who[0]][who[1]].full_name
        else:
            member, full_name = None, who
        # get_full_name() is "first last": first holds family and middle names, so the
        # Vietnamese order (family first) comes out whole.
        first, _, last = full_name.rpartition(" ")
        superuser = username == "admin"
        user = users(username=username, password=password, first_name=first, last_name=last,
                     is_staff=superuser, is_superuser=superuser)  # fmt: skip
        made.append(user)
        if role is not None and scope is not None:
            roles.append((user, role, scopes[scope]))
        if member is not None:
            links.append((user, member))
    users.objects.bulk_create(made)
    saved = {u.username: u for u in users.objects.filter(username__in=[u.username for u in made])}
    OfficeRole.objects.bulk_create(
        OfficeRole(user=saved[u.username], role=role, organization=org) for u, role, org in roles
    )
    for user, member in links:
        Member.objects.filter(code=member.code).update(user=saved[user.username])


def _summary(b: People) -> DemoSummary:
    s = DemoSummary(
        organizations=Organization.objects.count(),
        collectives=Collective.objects.count(),
        members=len(b.members),
        positions=len(b.positions),
    )
    six_months_ago = add_months(REFERENCE_DATE, -6)
    for m in b.members:
        cell = m.cell
        s.grassroots[cell.name if cell.parent is None or cell.kind != OrgKind.CELL
                     else cell.parent.name] += 1  # fmt: skip
        s.cases["dự bị"] += m.official_on is None
        s.cases["mới kết nạp dưới 6 tháng"] += m.admitted_on > six_months_ago
        s.cases["miễn công tác và sinh hoạt đảng"] += m.exempt_since is not None
        s.cases["đình chỉ sinh hoạt đảng"] += m.suspension == Suspension.PARTY
        s.cases["đình chỉ sinh hoạt cấp ủy"] += m.suspension == Suspension.COMMITTEE
        s.cases["sinh hoạt tạm thời"] += m.temporary_cell is not None
        s.cases["chuyển sinh hoạt đến"] += m.transferred_on is not None
        s.cases["sinh hoạt tổ đảng"] += m.party_group is not None
        s.cases["có chi bộ nơi cư trú"] += m.residence_cell is not None
        s.cases[f"đối tượng: {Category(m.category).label}"] += 1
        s.cases[f"giới tính: {Gender(m.gender).label}"] += 1
    return s
