"""The demo commune (Đảng bộ xã Thanh Liên, 12 cells) after `kiemdiem demo-year`
(kiemdiem.grading.demo_year: comments, meetings, xóm 1's online ballot, the other cells'
counts typed in, every proposal) with the units decided in the order 000 §2.3 sets — the
cells and collectives by the office, the commune's own committees by the superior — and
the members of every cell but `leave` decided. Used by the browser test of issue 6 and by
bench/bench_dossiers.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.deciding import decide
from kiemdiem.grading.demo_year import run_year
from kiemdiem.grading.units_bulk import decide_all_units
from kiemdiem.org.choices import CELL_KINDS
from kiemdiem.org.demo import build_demo
from kiemdiem.org.models import Organization


@dataclass
class DemoYear:
    cycle: Cycle
    commune: Organization
    cells: list[Organization]
    office: Any
    superior: Any


LOCAL_PLAN = "thanhlien-2023"  # the 2023 plan with its ballots, which these tests were written on


def demo_year(*, plan: str, leave: str = "") -> DemoYear:
    """`plan`: the demo year's plan (kiemdiem.grading.demo_year.PLANS), always named."""
    build_demo()
    cycle = run_year(plan=plan).cycle
    users = get_user_model().objects
    office, superior = users.get(username="vanphong"), users.get(username="bantochuc")
    commune = cycle.organization
    cells = list(
        Organization.objects.filter(path__startswith=commune.path, kind__in=CELL_KINDS).order_by(
            "path"
        )
    )
    decide_all_units(office, cycle, commune)
    assert commune.parent is not None
    decide_all_units(superior, cycle, commune.parent)
    for cell in cells:
        if cell.name != leave:
            decide(office, cycle, cell)
    return DemoYear(cycle, commune, cells, office, superior)
