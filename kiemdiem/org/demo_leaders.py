"""The demo commune's leadership collectives (domain.md §1) and who holds which post."""

from __future__ import annotations

import datetime as dt

from kiemdiem.org.choices import Category, CollectiveKind, Gender, PositionRank
from kiemdiem.org.demo_people import REFERENCE_DATE, People
from kiemdiem.org.models import Collective, Member, Organization

# Commune posts date from the new two-level local government (01/7/2025); cell committees
# from the cell congresses of the 2025–2027 term; school and health posts from appointments.
COMMUNE_TERM = dt.date(2025, 7, 1)
CELL_TERM = dt.date(2025, 4, 15)
APPOINTED = dt.date(2023, 8, 1)

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
# Cells large enough to elect a chi ủy; the others have a secretary only (domain.md §1).
WITH_CELL_COMMITTEE = ("TL-X1", "TL-X2", "TL-X3", "TL-X4", "TL-X5", "TL-THCS", "TL-CQ")
VILLAGES = ("TL-X1", "TL-X2", "TL-X3", "TL-X4", "TL-X5")

HEAD, DEPUTY = PositionRank.HEAD, PositionRank.DEPUTY


def collectives(commune: Organization, cells: dict[str, Organization]) -> dict[str, Collective]:
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
    for code in WITH_CELL_COMMITTEE:
        made[f"chi_uy:{code}"] = Collective(
            organization=cells[code], kind=CollectiveKind.CELL_COMMITTEE,
            name=f"Chi ủy {cells[code].name}",
        )  # fmt: skip
    Collective.objects.bulk_create(made.values())
    return made


def leadership(
    b: People,
    by_cell: dict[str, list[Member]],
    cells: dict[str, Organization],
    col: dict[str, Collective],
    other: Organization,
) -> None:
    p, male, female = b.position, Gender.MALE, Gender.FEMALE
    cq, ca, qs = by_cell["TL-CQ"], by_cell["TL-CA"], by_cell["TL-QS"]
    bch, btv = col[CollectiveKind.PARTY_EXECUTIVE], col[CollectiveKind.PARTY_STANDING]
    council, people = col[CollectiveKind.PEOPLES_COUNCIL], col[CollectiveKind.PEOPLES_COMMITTEE]
    front, chi_uy_cq = col[CollectiveKind.FATHERLAND_FRONT], col["chi_uy:TL-CQ"]

    def commune_post(m: Member, title: str, where: Collective, rank: str = "member") -> None:
        p(m, title, COMMUNE_TERM, collective=where, rank=rank, is_leader=True)

    # The Party secretary chairs the People's Council (the usual commune model) and sits in
    # the offices' chi ủy: four posts, more than three places of review (000 §2.2).
    b.fit(cq[0], 46, 56, party_years=18, gender=male)
    commune_post(cq[0], "Bí thư Đảng ủy", bch, HEAD)
    commune_post(cq[0], "Bí thư Đảng ủy", btv, HEAD)
    commune_post(cq[0], "Chủ tịch HĐND xã", council, HEAD)
    commune_post(cq[0], "Chi ủy viên", chi_uy_cq)
    b.fit(cq[1], 42, 52, party_years=14)
    commune_post(cq[1], "Phó Bí thư Thường trực Đảng ủy", bch, DEPUTY)
    commune_post(cq[1], "Phó Bí thư Thường trực Đảng ủy", btv, DEPUTY)
    b.fit(cq[2], 42, 52, party_years=14, gender=male)
    commune_post(cq[2], "Phó Bí thư Đảng ủy", bch, DEPUTY)
    commune_post(cq[2], "Ủy viên Ban Thường vụ", btv)
    commune_post(cq[2], "Chủ tịch UBND xã", people, HEAD)
    commune_post(cq[2], "Chi ủy viên", chi_uy_cq)
    for m in (cq[3], cq[4]):
        b.fit(m, 36, 50, party_years=8)
        commune_post(m, "Phó Chủ tịch UBND xã", people, DEPUTY)
        commune_post(m, "Đảng ủy viên", bch)
    # A vice-chair whose post ended in the year (moved to other work): reviewed for the time
    # served, so the position is kept with its end date.
    b.fit(cq[8], 45, 56, party_years=12)
    p(cq[8], "Phó Chủ tịch UBND xã", COMMUNE_TERM, collective=people, rank=DEPUTY,
      is_leader=True, end_on=dt.date(2026, 6, 30))  # fmt: skip
    b.fit(cq[17], 40, 52, party_years=10)
    commune_post(cq[17], "Phó Chủ tịch HĐND xã", council, DEPUTY)
    commune_post(cq[17], "Đảng ủy viên", bch)

    mass: list[tuple[str, str, tuple[int, int], str | None]] = [
        (CollectiveKind.FATHERLAND_FRONT, "Chủ tịch Ủy ban MTTQ xã", (46, 56), None),
        (CollectiveKind.YOUTH_UNION, "Bí thư Đoàn xã", (27, 30), None),
        (CollectiveKind.WOMEN_UNION, "Chủ tịch Hội Liên hiệp Phụ nữ xã", (36, 50), female),
        (CollectiveKind.FARMERS_UNION, "Chủ tịch Hội Nông dân xã", (42, 56), None),
        (CollectiveKind.VETERANS_UNION, "Chủ tịch Hội Cựu chiến binh xã", (52, 59), male),
        (CollectiveKind.TRADE_UNION, "Chủ tịch Công đoàn cơ sở xã", (35, 50), None),
    ]
    for i, (kind, title, (young, old), gender) in enumerate(mass):
        m = b.fit(cq[10 + i], young, old, party_years=min(8, young - 20), gender=gender)
        commune_post(m, title, col[kind], HEAD)
        commune_post(m, "Đảng ủy viên", bch)
    commune_post(cq[10], "Ủy viên Ban Thường vụ", btv)  # the Front's chair sits in the BTV
    b.fit(cq[16], 38, 55, party_years=8)
    commune_post(cq[16], "Phó Chủ tịch Ủy ban MTTQ xã", front, DEPUTY)

    # Police chief and military commander: posts in their units, cell secretaries, and BTV
    # members as in most communes — four posts each.
    b.fit(ca[0], 36, 46, party_years=12, gender=male)
    p(ca[0], "Trưởng Công an xã", APPOINTED, organization=cells["TL-CA"], rank=HEAD,
      is_leader=True)  # fmt: skip
    b.fit(qs[0], 36, 48, party_years=12, gender=male)
    p(qs[0], "Chỉ huy trưởng Ban Chỉ huy Quân sự xã", APPOINTED, organization=cells["TL-QS"],
      rank=HEAD, is_leader=True)  # fmt: skip
    for m in (ca[0], qs[0]):
        commune_post(m, "Đảng ủy viên", bch)
        commune_post(m, "Ủy viên Ban Thường vụ", btv)

    _units(b, by_cell, col)
    _cells(b, by_cell, cells, col)
    p(b.fit(by_cell[other.code][0], 45, 55, party_years=15), "Bí thư chi bộ", CELL_TERM,
      organization=other, rank=HEAD, is_leader=True)  # fmt: skip


def _units(b: People, by_cell: dict[str, list[Member]], col: dict[str, Collective]) -> None:
    """School board of the THCS and the health station's leaders."""
    thcs, yt = by_cell["TL-THCS"], by_cell["TL-YT"]
    b.fit(thcs[0], 45, 56, party_years=15)
    b.position(thcs[0], "Hiệu trưởng", APPOINTED, collective=col["bgh"], rank=HEAD,
               is_leader=True)  # fmt: skip
    for m in (thcs[1], thcs[2]):
        b.fit(m, 38, 52, party_years=10)
        b.position(m, "Phó Hiệu trưởng", APPOINTED, collective=col["bgh"], rank=DEPUTY,
                   is_leader=True)  # fmt: skip
    b.fit(yt[0], 40, 55, party_years=10)
    b.position(yt[0], "Trưởng Trạm Y tế", APPOINTED, collective=col["tram_y_te"], rank=HEAD,
               is_leader=True)  # fmt: skip
    b.fit(yt[1], 35, 50, party_years=6)
    b.position(yt[1], "Phó Trưởng Trạm Y tế", APPOINTED, collective=col["tram_y_te"],
               rank=DEPUTY, is_leader=True)  # fmt: skip


def _cells(
    b: People,
    by_cell: dict[str, list[Member]],
    cells: dict[str, Organization],
    col: dict[str, Collective],
) -> None:
    """Cell secretaries, deputies and chi ủy members; village secretaries sit in the BCH."""
    bch = col[CollectiveKind.PARTY_EXECUTIVE]
    retired_born_by = REFERENCE_DATE.year - 62
    for code, cell in cells.items():
        members = by_cell[code]
        # The standing deputy secretary leads the offices' cell; the school's principal, the
        # health station's head and the police and military chiefs lead theirs.
        secretary = by_cell["TL-CQ"][1] if code == "TL-CQ" else members[0]
        if code in VILLAGES:
            b.fit(secretary, 52, 68, party_years=20)
            old = secretary.birth_date.year <= retired_born_by
            secretary.category = Category.RETIRED if old else Category.FARMER
        elif code in ("TL-TH", "TL-MN"):
            b.fit(secretary, 42, 55, party_years=12, gender=Gender.FEMALE)
        b.position(secretary, "Bí thư chi bộ", CELL_TERM, organization=cell, rank=HEAD,
                   is_leader=True)  # fmt: skip
        if code in VILLAGES and code != "TL-X1":
            b.position(secretary, "Đảng ủy viên", COMMUNE_TERM, collective=bch, is_leader=True)
        committee = col.get(f"chi_uy:{code}")
        if committee is None:
            continue
        b.position(secretary, "Bí thư chi bộ", CELL_TERM, collective=committee, rank=HEAD,
                   is_leader=True)  # fmt: skip
        # X4's member suspended from the committee (index 1) keeps the post on record.
        deputy, third = {"TL-X4": (2, 1), "TL-CQ": (5, 6)}.get(code, (1, 2))
        if code in VILLAGES:
            b.fit(members[deputy], 38, 60, party_years=10, category=Category.FARMER)
            b.fit(members[third], 32, 58, party_years=6, category=Category.FARMER)
        elif code == "TL-CQ":
            b.fit(members[deputy], 36, 52, party_years=10)
            b.fit(members[third], 30, 50, party_years=6)
        b.position(members[deputy], "Phó Bí thư chi bộ", CELL_TERM, collective=committee,
                   rank=DEPUTY, is_leader=True)  # fmt: skip
        b.position(members[third], "Chi ủy viên", CELL_TERM, collective=committee,
                   is_leader=True)  # fmt: skip
