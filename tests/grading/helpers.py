"""Builders for the grading tests: a commune whose cells hold enough members for quotas to
bite, a cycle under a real built-in profile, and the chi ủy's hand-entered counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiemdiem.cycles.models import Cycle
from kiemdiem.cycles.profiles import profile_snapshot
from kiemdiem.grading import services
from kiemdiem.grading.manual import RowInput
from kiemdiem.org.models import Member, Organization
from tests.builders import make_member

D = dt.date
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nam", "Oanh",
         "Phúc", "Quân", "Sơn", "Tâm", "Uyên", "Vinh", "Xuân", "Yến", "Đạt"]  # fmt: skip


def grading_cycle(org: Organization, profile_id: str = "thanhlien-2023", year: int = 2026) -> Cycle:
    return Cycle.objects.create(
        organization=org, year=year, title=f"Kế hoạch kiểm điểm năm {year}",
        number_symbol="44-KH/ĐU", issued_on=D(year, 11, 1), profile_id=profile_id,
        profile_snapshot=profile_snapshot(profile_id), reference_date=D(year, 11, 20),
    )  # fmt: skip


def fill_cell(cell: Organization, n: int, family: str = "Nguyễn Văn") -> list[Member]:
    """`n` official members admitted long ago (everybody classified)."""
    return [make_member(cell, f"{family} {GIVEN[i % len(GIVEN)]}{'' if i < 20 else i}")
            for i in range(n)]  # fmt: skip


def votes_row(member: Member, **counts: Any) -> RowInput:
    return RowInput(member_id=member.pk, name=member.full_name, **counts)


def enter(
    user: Any, cycle: Cycle, cell: Organization, present: int, lines: dict[Member, dict[str, Any]]
) -> Any:
    """The chi ủy types the minutes: `present` voters, one line per member."""
    rows = [votes_row(m, **c) for m, c in lines.items()]
    return services.enter_tally(
        user, cycle, cell, counted_on=D(cycle.year, 11, 22), voters_present=present, spoiled=0,
        minutes_ref="Biên bản kiểm phiếu", rows=rows,
    )  # fmt: skip


def excellent(n: int) -> dict[str, int]:
    """Marks that make HTXSNV under 000's ≥ 70 % (of `n` present)."""
    return {"htxsnv": n}


def good(n: int) -> dict[str, int]:
    return {"httnv": n}
