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
from django.db import transaction

from kiemdiem.accounts.models import OfficeRole, Role
from kiemdiem.org.choices import Category, CollectiveKind, Gender, OrgKind, PositionRank, Suspension
from kiemdiem.org.demo_names import (
    FAMILY_WEIGHTED,
    GIVEN_FEMALE,
    GIVEN_MALE,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
)
from kiemdiem.org.models import (
    Collective,
    Member,
    Organization,
    Position,
    add_months,
    member_errors,
)

REFERENCE_DATE = dt.date(2026, 11, 20)  # the 2026 cycle; fixed so the demo is reproducible
DEMO_PASSWORD = "kiemdiem2025"

YOUNGEST: dict[str, int] = {Category.STUDENT: 19, Category.RETIRED: 62}
OLDEST: dict[str, int] = {
    Category.STUDENT: 23,
    Category.RETIRED: 85,
    Category.ARMED_FORCES: 50,
}

# (code, name, members, category mix) — the cells of the commune committee.
VILLAGE_MIX: list[tuple[str, int]] = [
    (Category.FARMER, 50), (Category.RETIRED, 25), (Category.BUSINESS, 8), (Category.WORKER, 7),
    (Category.LABORER, 6), (Category.STUDENT, 2), (Category.OTHER, 2),
]  # fmt: skip
CELLS: list[tuple[str, str, int, list[tuple[str, int]]]] = [
    ("TL-X1", "Chi bộ xóm 1", 46, VILLAGE_MIX),
    ("TL-X2", "Chi bộ xóm 2", 44, VILLAGE_MIX),
    ("TL-X3", "Chi bộ xóm 3", 45, VILLAGE_MIX),
    ("TL-X4", "Chi bộ xóm 4", 43, VILLAGE_MIX),
    ("TL-X5", "Chi bộ xóm 5", 42, VILLAGE_MIX),
    ("TL-THCS", "Chi bộ Trường THCS Thanh Liên", 18, [(Category.CCVC, 1)]),
    ("TL-TH", "Chi bộ Trường Tiểu học Thanh Liên", 15, [(Category.CCVC, 1)]),
    ("TL-MN", "Chi bộ Trường Mầm non Thanh Liên", 10, [(Category.CCVC, 1)]),
    ("TL-YT", "Chi bộ Trạm Y tế xã", 9, [(Category.CCVC, 1)]),
    ("TL-CQ", "Chi bộ Cơ quan xã", 30, [(Category.CCVC, 1)]),
    ("TL-CA", "Chi bộ Công an xã", 12, [(Category.ARMED_FORCES, 1)]),
    ("TL-QS", "Chi bộ Quân sự xã", 10, [(Category.ARMED_FORCES, 1)]),
]
OTHER_CELL = ("THPT-TC3", "Chi bộ cơ sở Trường THPT Thanh Chương 3", 20)

COMMUNE_COLLECTIVES = [
    (CollectiveKind.PARTY_EXECUTIVE, "Ban Chấp hành Đảng bộ xã Thanh Liên"),
    (CollectiveKind.PARTY_STANDING, "Ban Thường vụ Đảng ủy xã"),
    (CollectiveKind.PEOPLES_COMMITTEE, "Lãnh đạo Ủy ban nhân dân xã"),
    (CollectiveKind.PEOPLES_COUNCIL, "Thường trực Hội đồng nhân dân xã"),
    (CollectiveKind.FATHERLAND_FRONT, "Ban Thường trực Ủy ban MTTQ xã"),
    (CollectiveKind.YOUTH_UNION, "Ban Thường vụ Đoàn xã"),
    (CollectiveKind.WOMEN_UNION, "Ban Thường vụ Hội Liên hiệp Phụ nữ xã"),
    (CollectiveKind.FARMERS_UNION, "Ban Thường vụ Hội Nông dân xã"),
    (CollectiveKind.VETERANS_UNION, "Ban Thường vụ Hội Cựu chiến binh xã"),
    (CollectiveKind.TRADE_UNION, "Ban Chấp hành Công đoàn cơ sở xã"),
]


@dataclass
class DemoSummary:
    organizations: int = 0
    collectives: int = 0
    members: int = 0
    positions: int = 0
    cases: Counter[str] = field(default_factory=Counter)


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.serial = 0
        self.members: list[Member] = []
        self.positions: list[tuple[Member, dict[str, object]]] = []
        families, weights = zip(*FAMILY_WEIGHTED, strict=True)
        self.families, self.weights = list(families), list(weights)

    def name(self, gender: str) -> str:
        family = self.rng.choices(self.families, self.weights)[0]
        if gender == Gender.MALE:
            return f"{family} {self.rng.choice(MIDDLE_MALE)} {self.rng.choice(GIVEN_MALE)}"
        return f"{family} {self.rng.choice(MIDDLE_FEMALE)} {self.rng.choice(GIVEN_FEMALE)}"

    def member(self, cell: Organization, category: str, **facts: object) -> Member:
        self.serial += 1
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < 0.42 else Gender.MALE
        youngest = YOUNGEST.get(category, 24)
        oldest = OLDEST.get(category, 60)
        age = rng.randint(youngest, oldest)
        birth = dt.date(REFERENCE_DATE.year - age, rng.randint(1, 12), rng.randint(1, 28))
        # Admitted between 18 and (age - 1); official exactly after 12 months of probation.
        earliest = add_months(birth, 18 * 12 + 1)
        latest = add_months(REFERENCE_DATE, -13)
        span = max((latest - earliest).days, 0)
        admitted = earliest + dt.timedelta(days=rng.randint(0, span))
        m = Member(
            code=f"{42 if cell.code.startswith('TL') else 43}{self.serial:06d}",
            full_name=self.name(gender),
            gender=gender,
            birth_date=birth,
            cell=cell,
            admitted_on=admitted,
            official_on=add_months(admitted, 12),
            category=category,
        )
        for key, value in facts.items():
            setattr(m, key, value)
        self.members.append(m)
        return m

    def position(self, member: Member, title: str, **where: object) -> None:
        self.positions.append((member, {"title": title, **where}))


def _org(code: str, name: str, kind: str, parent: Organization | None) -> Organization:
    return Organization.objects.create(code=code, name=name, kind=kind, parent=parent)


def _categories(rng: random.Random, mix: list[tuple[str, int]], n: int) -> list[str]:
    kinds, weights = zip(*mix, strict=True)
    return list(rng.choices(kinds, weights, k=n))


@transaction.atomic
def build_demo(seed: int = 2023) -> DemoSummary:
    b = _Builder(seed)
    province = _org("NA", "Đảng bộ tỉnh Nghệ An", OrgKind.PROVINCE, None)
    commune = _org("TL", "Đảng bộ xã Thanh Liên", OrgKind.GRASSROOTS_COMMITTEE, province)
    cells = {code: _org(code, name, OrgKind.CELL, commune) for code, name, _, _ in CELLS}
    groups = [_org(f"TL-X1-T{i}", f"Tổ đảng số {i}", OrgKind.GROUP, cells["TL-X1"]) for i in (1, 2)]
    other = _org(OTHER_CELL[0], OTHER_CELL[1], OrgKind.GRASSROOTS_CELL, province)

    by_cell: dict[str, list[Member]] = {}
    for code, _, size, mix in CELLS:
        cell = cells[code]
        by_cell[code] = [b.member(cell, cat) for cat in _categories(b.rng, mix, size)]
    by_cell[other.code] = [b.member(other, Category.CCVC) for _ in range(OTHER_CELL[2])]
    for i, m in enumerate(by_cell["TL-X1"]):
        m.party_group = groups[i % 2]

    villages = [cells[c] for c in ("TL-X1", "TL-X2", "TL-X3", "TL-X4", "TL-X5")]
    _residences(b, by_cell, villages)
    _special_cases(b, by_cell, cells, other)
    collectives = _collectives(commune, cells)
    _leadership(b, by_cell, cells, collectives, other)

    for m in b.members:
        errors = member_errors(m, today=REFERENCE_DATE)
        if errors:
            raise ValueError(f"Dữ liệu mẫu sai ở {m.full_name} ({m.code}): {errors}")
    Member.objects.bulk_create(b.members, batch_size=500)
    Position.objects.bulk_create(
        Position(member=m, **{"start_on": dt.date(2020, 10, 1), **values})
        for m, values in b.positions
    )
    _accounts(province, commune, cells["TL-X1"], other, by_cell)
    return _summary(b)


def _residences(
    b: _Builder, by_cell: dict[str, list[Member]], villages: list[Organization]
) -> None:
    """Workplace members (schools, health, offices, police) live in the villages: their
    residence cell comments on them (Mẫu 03, 000 §1.4.1b)."""
    for code in ("TL-THCS", "TL-TH", "TL-MN", "TL-YT", "TL-CQ", "TL-CA", "TL-QS"):
        for m in by_cell[code]:
            village = b.rng.choice(villages)
            m.residence_cell = village
            m.residence = f"{village.name.removeprefix('Chi bộ ').capitalize()}, xã Thanh Liên"


def _special_cases(
    b: _Builder,
    by_cell: dict[str, list[Member]],
    cells: dict[str, Organization],
    other: Organization,
) -> None:
    """Every special case of domain.md §1, at least once."""
    ref = REFERENCE_DATE
    x1, x2, x3, x4, x5 = (by_cell[f"TL-X{i}"] for i in range(1, 6))
    # Probationary: admitted 7–11 months ago; new: admitted less than 6 months ago.
    new = ((x2[11], 8), (x3[12], 10), (by_cell["TL-CQ"][20], 9), (x4[13], 3), (x5[14], 4))
    for m, months in new:
        m.admitted_on, m.official_on = add_months(ref, -months), None
        m.birth_date = min(m.birth_date, add_months(m.admitted_on, -20 * 12))
    # Exempt from work and activities (old age, health).
    for m in (x1[3], x2[4], x5[6]):
        m.category = Category.RETIRED
        m.birth_date = dt.date(1938 + b.rng.randint(0, 5), 3, 12)
        m.admitted_on, m.official_on = dt.date(1965, 5, 19), dt.date(1966, 5, 19)
        m.exempt_since = dt.date(2019, 1, 15)
    # Suspended from the party, and one suspended only from the cell committee.
    x3[5].suspension, x3[5].suspended_since = Suspension.PARTY, dt.date(2026, 8, 12)
    x4[1].suspension, x4[1].suspended_since = Suspension.COMMITTEE, dt.date(2026, 9, 3)
    # Temporary attachment: one working at the other grassroots cell's school, one teacher
    # attending the village cell where she now lives.
    x3[7].temporary_cell, x3[7].temporary_since = other, dt.date(2026, 2, 10)
    by_cell["TL-TH"][2].temporary_cell = cells["TL-X1"]
    by_cell["TL-TH"][2].temporary_since = dt.date(2026, 4, 1)
    # Transfers: from a cell in the tree 3 months ago (years at the old cell), and from
    # outside the system 10 months ago.
    moved = by_cell["TL-CQ"][7]
    moved.former_cell, moved.transferred_on = cells["TL-X4"], add_months(ref, -3)
    outsider = x5[8]
    outsider.former_cell_name = "Chi bộ xóm Đông, Đảng bộ xã Thanh Hương"
    outsider.transferred_on = add_months(ref, -10)
    # Students and a business owner are in the village mix; make sure both exist.
    x2[9].category, x2[9].birth_date = Category.STUDENT, dt.date(2004, 6, 2)
    x2[9].admitted_on, x2[9].official_on = dt.date(2023, 3, 26), dt.date(2024, 3, 26)
    x1[10].category = Category.BUSINESS


def _collectives(commune: Organization, cells: dict[str, Organization]) -> dict[str, Collective]:
    made: dict[str, Collective] = {
        kind: Collective(organization=commune, kind=kind, name=name)
        for kind, name in COMMUNE_COLLECTIVES
    }
    made["bgh"] = Collective(
        organization=cells["TL-THCS"], kind=CollectiveKind.SCHOOL_BOARD,
        name="Ban Giám hiệu Trường THCS Thanh Liên",
    )  # fmt: skip
    made["tram_y_te"] = Collective(
        organization=cells["TL-YT"], kind=CollectiveKind.HEALTH_STATION,
        name="Lãnh đạo Trạm Y tế xã Thanh Liên",
    )  # fmt: skip
    for code in ("TL-X1", "TL-X2", "TL-X3", "TL-X4", "TL-X5", "TL-THCS", "TL-CQ"):
        made[f"chi_uy:{code}"] = Collective(
            organization=cells[code], kind=CollectiveKind.CELL_COMMITTEE,
            name=f"Chi ủy {cells[code].name}",
        )  # fmt: skip
    Collective.objects.bulk_create(made.values())
    return made


def _leadership(
    b: _Builder,
    by_cell: dict[str, list[Member]],
    cells: dict[str, Organization],
    col: dict[str, Collective],
    other: Organization,
) -> None:
    head, deputy = PositionRank.HEAD, PositionRank.DEPUTY
    cq, p = by_cell["TL-CQ"], b.position
    bch, btv = col[CollectiveKind.PARTY_EXECUTIVE], col[CollectiveKind.PARTY_STANDING]
    # The Party secretary holds four posts: more than three places of review (000 §2.2).
    p(cq[0], "Bí thư Đảng ủy", collective=bch, rank=head, is_leader=True)
    p(cq[0], "Bí thư Đảng ủy", collective=btv, rank=head, is_leader=True)
    council, people = col[CollectiveKind.PEOPLES_COUNCIL], col[CollectiveKind.PEOPLES_COMMITTEE]
    front = col[CollectiveKind.FATHERLAND_FRONT]
    p(cq[0], "Chủ tịch HĐND xã", collective=council, rank=head, is_leader=True)
    p(cq[0], "Chi ủy viên", collective=col["chi_uy:TL-CQ"], is_leader=True)
    p(cq[1], "Phó Bí thư Thường trực Đảng ủy", collective=bch, rank=deputy, is_leader=True)
    p(cq[1], "Phó Bí thư Thường trực Đảng ủy", collective=btv, rank=deputy, is_leader=True)
    p(cq[2], "Phó Bí thư Đảng ủy", collective=bch, rank=deputy, is_leader=True)
    p(cq[2], "Chủ tịch UBND xã", collective=people, rank=head, is_leader=True)
    p(cq[2], "Ủy viên Ban Thường vụ", collective=btv, is_leader=True)
    for m in (cq[3], cq[4]):
        p(m, "Phó Chủ tịch UBND xã", collective=people, rank=deputy, is_leader=True)
    # A former vice-chair whose post ended in the year.
    p(cq[8], "Phó Chủ tịch UBND xã", collective=people, rank=deputy, is_leader=True,
      start_on=dt.date(2020, 10, 1), end_on=dt.date(2026, 6, 30))  # fmt: skip
    mass = [(CollectiveKind.FATHERLAND_FRONT, "Chủ tịch Ủy ban MTTQ xã"),
            (CollectiveKind.YOUTH_UNION, "Bí thư Đoàn xã"),
            (CollectiveKind.WOMEN_UNION, "Chủ tịch Hội Liên hiệp Phụ nữ xã"),
            (CollectiveKind.FARMERS_UNION, "Chủ tịch Hội Nông dân xã"),
            (CollectiveKind.VETERANS_UNION, "Chủ tịch Hội Cựu chiến binh xã"),
            (CollectiveKind.TRADE_UNION, "Chủ tịch Công đoàn cơ sở xã")]  # fmt: skip
    for i, (kind, title) in enumerate(mass):
        p(cq[10 + i], title, collective=col[kind], rank=head, is_leader=True)
        p(cq[10 + i], "Đảng ủy viên", collective=bch, is_leader=True)
    p(cq[16], "Phó Chủ tịch Ủy ban MTTQ xã", collective=front, rank=deputy, is_leader=True)
    thcs, yt = by_cell["TL-THCS"], by_cell["TL-YT"]
    p(thcs[0], "Hiệu trưởng", collective=col["bgh"], rank=head, is_leader=True)
    for m in (thcs[1], thcs[2]):
        p(m, "Phó Hiệu trưởng", collective=col["bgh"], rank=deputy, is_leader=True)
    p(yt[0], "Trưởng Trạm Y tế", collective=col["tram_y_te"], rank=head, is_leader=True)
    p(yt[1], "Phó Trưởng Trạm Y tế", collective=col["tram_y_te"], rank=deputy, is_leader=True)
    # Cell secretaries, deputies and chi ủy members.
    for code, cell in cells.items():
        members = by_cell[code]
        secretary = members[0] if code != "TL-CQ" else cq[1]
        p(secretary, "Bí thư chi bộ", organization=cell, rank=head, is_leader=True)
        committee = col.get(f"chi_uy:{code}")
        if committee is not None:
            p(secretary, "Bí thư chi bộ", collective=committee, rank=head, is_leader=True)
            p(members[1] if code != "TL-X4" else members[2], "Phó Bí thư chi bộ",
              collective=committee, rank=deputy, is_leader=True)  # fmt: skip
            if code == "TL-X4":  # the one suspended from the committee keeps the post on record
                p(members[1], "Chi ủy viên", collective=committee, is_leader=True)
        if code.startswith("TL-X") and code != "TL-X1":
            p(secretary, "Đảng ủy viên", collective=bch, is_leader=True)
    p(by_cell[other.code][0], "Bí thư chi bộ", organization=other, rank=head, is_leader=True)


def _accounts(
    province: Organization,
    commune: Organization,
    x1: Organization,
    other: Organization,
    by_cell: dict[str, list[Member]],
) -> None:
    users = get_user_model()
    rows = [
        ("admin", "Quản trị", "hệ thống", None, None),
        ("vanphong", "Văn phòng", "Đảng ủy xã", Role.COMMITTEE_OFFICE, commune),
        ("bithu.xom1", "", "", Role.CELL_SECRETARY, x1),
        ("bantochuc", "Ban Tổ chức", "Tỉnh ủy", Role.SUPERIOR_REVIEWER, province),
        ("dangvien", "", "", None, None),
        ("bithu.thpt", "", "", Role.CELL_SECRETARY, other),
    ]
    linked = {"bithu.xom1": by_cell["TL-X1"][0], "dangvien": by_cell["TL-X1"][5],
              "bithu.thpt": by_cell[other.code][0]}  # fmt: skip
    for username, first, last, role, org in rows:
        if username == "admin":
            user = users.objects.create_superuser(username, password=DEMO_PASSWORD)
        else:
            user = users.objects.create_user(username, password=DEMO_PASSWORD)
        member = linked.get(username)
        if member is not None:
            # get_full_name() is "first last": keep the Vietnamese order family-first.
            first, _, last = member.full_name.rpartition(" ")
            Member.objects.filter(code=member.code).update(user=user)
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
        if role is not None and org is not None:
            OfficeRole.objects.create(user=user, role=role, organization=org)


def _summary(b: _Builder) -> DemoSummary:
    s = DemoSummary(
        organizations=Organization.objects.count(),
        collectives=Collective.objects.count(),
        members=len(b.members),
        positions=len(b.positions),
    )
    for m in b.members:
        s.cases["dự bị"] += m.official_on is None
        s.cases["mới kết nạp dưới 6 tháng"] += m.admitted_on > add_months(REFERENCE_DATE, -6)
        s.cases["miễn sinh hoạt"] += m.exempt_since is not None
        s.cases["đình chỉ sinh hoạt đảng"] += m.suspension == Suspension.PARTY
        s.cases["đình chỉ sinh hoạt cấp ủy"] += m.suspension == Suspension.COMMITTEE
        s.cases["sinh hoạt tạm thời"] += m.temporary_cell is not None
        s.cases["chuyển sinh hoạt đến"] += m.transferred_on is not None
        s.cases[f"đối tượng: {Category(m.category).label}"] += 1
    return s


DEMO_LOGINS = [
    ("admin", "Quản trị hệ thống", "toàn bộ"),
    ("vanphong", "Văn phòng cấp ủy cơ sở", "Đảng bộ xã Thanh Liên"),
    ("bithu.xom1", "Bí thư chi bộ", "Chi bộ xóm 1"),
    ("bantochuc", "Ban Tổ chức cấp trên", "Đảng bộ tỉnh Nghệ An"),
    ("dangvien", "Đảng viên", "hồ sơ của mình (Chi bộ xóm 1)"),
    ("bithu.thpt", "Bí thư chi bộ", "Chi bộ cơ sở Trường THPT Thanh Chương 3"),
]
