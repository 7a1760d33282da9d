"""A commune under the dhktna-2016 rules (seed 001) with five years of results: imported for
2022–2025, decided in the system for 2026, as hand-computed in the tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiemdiem.cycles.models import Cycle
from kiemdiem.history.importing import import_history
from kiemdiem.org.models import Member, Organization
from tests.builders import make_member
from tests.conftest import World
from tests.grading.helpers import grading_cycle
from tests.history.helpers import decide, member_row, org_row, xlsx

YEAR = 2026


@dataclass
class Years:
    cycle: Cycle
    cell1: list[Member]  # 8 members: 0 HTXSNV 6 years, 1 HTXSNV 5 years, 2 broken streak
    cell2: list[Member]


def five_years(world: World) -> Years:
    """cell1 (8 members): B = cell1[0] HTXSNV 2021–2026 (6 years), A = cell1[1] HTXSNV
    2022–2026 (5), C = cell1[2] HTXSNV but HTTNV in 2024; cell1[3], cell1[4] HTXSNV in 2026
    only; cell1[5..7] HTTNV in 2026. Both cells TSVM tiêu biểu 2022–2026. cell2 holds
    Lê Văn Cường and two more, HTTNV in 2026."""
    o = world.orgs
    cell1 = [world.members["an"], world.members["binh"]]
    given = ("Chung", "Dân", "Em", "Giáp", "Hải", "Khoa")
    cell1 += [make_member(o["cell1"], f"Hoàng Văn {n}") for n in given]
    cell2 = [world.members["cuong"], make_member(o["cell2"], "Đỗ Thị Lan"),
             make_member(o["cell2"], "Vũ Văn Minh")]  # fmt: skip
    rows: list[list[Any]] = []
    for y in range(2021, 2026):
        rows.append(member_row(cell1[0], y, "HTXSNV", "có" if y == 2025 else ""))
        if y >= 2022:
            rows.append(member_row(cell1[1], y, "HTXSNV"))
            rows.append(member_row(cell1[2], y, "HTTNV" if y == 2024 else "HTXSNV"))
            rows.append(org_row(o["cell1"], y, "TSVM tiêu biểu"))
            rows.append(org_row(o["cell2"], y, "TSVM tiêu biểu"))
        for m in cell1[3:] + cell2:
            rows.append(member_row(m, y, "HTTNV"))
    result = import_history(xlsx(rows), "nam-truoc.xlsx")
    assert result.ok, result.errors
    cycle = grading_cycle(o["commune"], "dhktna-2016", YEAR)
    commune = o["commune"]
    for m in cell1[:5]:
        decide(cycle, m, "HTXSNV", commune)
    for m in cell1[5:] + cell2:
        decide(cycle, m, "HTTNV", commune)
    decide(cycle, o["cell1"], "tsvm_tieu_bieu", commune)
    decide(cycle, o["cell2"], "tsvm_tieu_bieu", commune)
    return Years(cycle, cell1, cell2)


def names(members: list[Member], *idx: int) -> list[str]:
    return [members[i].full_name for i in idx]


__all__ = ["YEAR", "Organization", "Years", "five_years", "names"]
