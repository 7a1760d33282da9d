"""The demo commune (Đảng bộ xã Thanh Liên, 12 cells) taken through a year's cycle, as an
office would: a plan, each cell's meeting, its votes typed from the minutes (everyone
HTTNV but the first two in name order, voted HTXSNV), the cells and the collectives rated
before their members (000 §2.3), the chi ủy's proposals; decisions are left to the caller.
Used by the browser test of issue 6 and by bench/bench_dossiers.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from kiemdiem.cycles.models import Cycle
from kiemdiem.feedback import services as feedback
from kiemdiem.feedback.models import FeedbackRequest
from kiemdiem.feedback.requirements import form_spec
from kiemdiem.grading import services, units
from kiemdiem.grading.context import profile_of
from kiemdiem.grading.facts import outcomes_for
from kiemdiem.grading.manual import RowInput
from kiemdiem.grading.scales import sheet_for
from kiemdiem.meetings import services as meetings
from kiemdiem.org.choices import CELL_KINDS
from kiemdiem.org.demo import build_demo
from kiemdiem.org.models import Organization
from tests.grading.helpers import grading_cycle

AT = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@dataclass
class DemoYear:
    cycle: Cycle
    commune: Organization
    cells: list[Organization]
    office: Any
    superior: Any


def demo_year(*, build: bool = True) -> DemoYear:
    if build:
        build_demo()
    users = get_user_model().objects
    office, superior = users.get(username="vanphong"), users.get(username="bantochuc")
    commune = Organization.objects.get(name="Đảng bộ xã Thanh Liên")
    cycle = grading_cycle(commune, "thanhlien-2023")
    cells = list(
        Organization.objects.filter(path__startswith=commune.path, kind__in=CELL_KINDS).order_by(
            "path"
        )
    )
    _comments(office, cycle)
    for cell in cells:
        meetings.schedule_meeting(office, cycle, cell, AT, place=f"Hội trường {cell.name}")
        _votes(office, cycle, cell)
    _rate_units(office, superior, cycle, commune)
    for cell in cells:
        services.propose_cell(office, cycle, cell)
    return DemoYear(cycle, commune, cells, office, superior)


def _comments(office: Any, cycle: Cycle) -> None:
    """Every comment the plan requires, back on paper with every duty done well."""
    feedback.create_requests(office, cycle, due_on=dt.date(2026, 11, 15))
    # The administrator enters them: the office's own login is a member, and nobody
    # handles a comment about themselves.
    admin = get_user_model().objects.get(username="admin")
    for req in FeedbackRequest.objects.filter(cycle=cycle).select_related("cycle"):
        spec = form_spec(cycle, req.kind)
        items = {i["code"]: "tot" for i in spec["items"]}
        data = {"items": items, "comment": "Gương mẫu, gần gũi nhân dân.",
                "signer_name": "Nguyễn Văn Ký", "signer_title": "Bí thư chi bộ"}  # fmt: skip
        feedback.record_from_paper(admin, req, data, timezone.localdate())


def _votes(office: Any, cycle: Cycle, cell: Organization) -> None:
    rows = [r for r in outcomes_for(cycle, cell).rows if r.facts is not None]
    voters = sum(1 for r in rows if r.facts is not None and r.facts.official) or 1
    lines = []
    for i, r in enumerate(rows):
        marks = {"htxsnv": voters} if i < 2 else {"httnv": voters}
        lines.append(RowInput(member_id=r.member_id, name=r.name, **marks))
    services.enter_tally(
        office, cycle, cell, counted_on=dt.date(2026, 11, 20), voters_present=voters,
        spoiled=0, minutes_ref="Biên bản kiểm phiếu ngày 20/11/2026", rows=lines,
    )  # fmt: skip


def _rate_units(office: Any, superior: Any, cycle: Cycle, commune: Organization) -> None:
    """Every unit the commune decides, and the commune's own party collectives (decided by
    the superior): the sheet where there is one, else HTTNV."""
    profile = profile_of(cycle)
    bodies = [(office, commune), (superior, commune.parent)]
    for user, body in bodies:
        # Lower units first (000 §2.3): the deepest places come first.
        for subject in sorted(units.subjects_for(body), key=lambda s: -s.place.depth):
            if subject.type not in ("o", "c") or not subject.place.path.startswith(commune.path):
                continue
            if subject.type == "o" and subject.obj.pk == commune.pk and user is office:
                continue
            template = sheet_for(profile, subject.kind)
            level = "HTTNV"
            if template is not None and subject.type == "o":
                raw = {c.code: str(c.max) for c in template.criteria}
                sheet = units.save_sheet(office, cycle, subject, raw)
                level = sheet.level
            units.propose_unit(office, cycle, subject, level)
            units.decide_unit(user, cycle, body, subject, level)
