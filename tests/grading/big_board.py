"""A superior's board of many grassroots committees for the bulk decision test and
bench/bench_units_bulk.py: a province with `committees` communes, each with two cells, a
party executive committee and a mass-organization collective; every cell and collective
below the superior's board already decided by its commune, and every commune (and its party
committee) proposed. Built with bulk inserts of the real rows."""

from __future__ import annotations

from typing import Any

from kiemdiem.grading.context import profile_of
from kiemdiem.grading.models import Decision, Step, SubjectType, subject_fields
from kiemdiem.grading.scales import scheme_for
from kiemdiem.grading.services import insert_decisions
from kiemdiem.org.choices import CollectiveKind, OrgKind
from kiemdiem.org.models import Collective, Organization
from tests.builders import Role, grant, make_cycle, make_org, make_user


def _decision(cycle: Any, step: str, kind: str, obj: Any, place: Any, body: Any,
              user: Any, tier: str, grassroots: int | None) -> Decision:  # fmt: skip
    scheme, scale = scheme_for(profile_of(cycle), "organization" if kind == "o" else "collective")
    return Decision(
        cycle=cycle, step=step, scale=scheme.scale, level=scale.codes[1], reason="", body=body,
        tier=tier, made_by=user, **subject_fields(kind, obj, place, grassroots),
    )  # fmt: skip


def build(committees: int, tag: str = "") -> tuple[Organization, Any, Any]:
    """(province, cycle, the superior's officer); `tag` tells two boards of one size apart."""
    code = f"BB{committees}{tag}"
    province = make_org("Đảng bộ tỉnh Bảng Lớn", OrgKind.PROVINCE, code=code)
    officer = make_user(f"bantochuc{code}")
    grant(officer, Role.SUPERIOR_REVIEWER, province)
    cycle = make_cycle(province)
    communes, cells = [], []
    for i in range(committees):
        commune = Organization(name=f"Đảng bộ xã {i + 1}", kind=OrgKind.GRASSROOTS_COMMITTEE,
                               parent=province, code=f"{code}-{i}")  # fmt: skip
        commune.save()  # save() computes the path
        communes.append(commune)
        for j in (1, 2):
            cell = Organization(name=f"Chi bộ {j} xã {i + 1}", kind=OrgKind.CELL,
                                parent=commune, code=f"{code}-{i}-{j}")  # fmt: skip
            cell.save()
            cells.append(cell)
    colls = Collective.objects.bulk_create(
        [Collective(organization=c, kind=CollectiveKind.PARTY_EXECUTIVE,
                    name=f"Ban Chấp hành {c.name}") for c in communes]
        + [Collective(organization=c, kind=CollectiveKind.PEOPLES_COMMITTEE,
                      name=f"Ủy ban nhân dân {c.name[8:]}") for c in communes]
    )  # fmt: skip
    by_org = {c.pk: c for c in communes}
    made = []
    for cell in cells:  # decided below the board, by their commune
        commune = by_org[cell.parent_id]
        for step in (Step.PROPOSE, Step.DECIDE):
            made.append(_decision(cycle, step, SubjectType.ORGANIZATION, cell, cell, commune,
                                  officer, "grassroots", commune.pk))  # fmt: skip
    for coll in colls:
        commune = by_org[coll.organization_id]
        party = coll.kind == CollectiveKind.PARTY_EXECUTIVE
        steps = [Step.PROPOSE] if party else [Step.PROPOSE, Step.DECIDE]
        for step in steps:
            made.append(_decision(cycle, step, SubjectType.COLLECTIVE, coll, commune, commune,
                                  officer, "grassroots", commune.pk))  # fmt: skip
    for commune in communes:  # on the superior's board, proposed, waiting
        made.append(_decision(cycle, Step.PROPOSE, SubjectType.ORGANIZATION, commune, commune,
                              commune, officer, "grassroots", commune.pk))  # fmt: skip
    insert_decisions(made)
    return province, cycle, officer
