"""Issue 16 §6: "decide all" on a superior's board checks the order rules once for the
whole board and writes in bulk — the number of queries does not grow with the number of
committees — and decides exactly what deciding one by one (units.decide_unit) would:
every grassroots committee at its proposal once its cells and collectives below are
decided (000 §2.3), its party committee after the government collective (000 §1.4.3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kiemdiem.audit.models import AuditEntry
from kiemdiem.grading.models import Decision, Step
from kiemdiem.grading.units import decide_unit, subjects_for
from kiemdiem.grading.units_bulk import decide_all_units
from tests.grading.big_board import build

pytestmark = pytest.mark.django_db


INSERT = 'INSERT INTO "grading_decision"'


def _queries(committees: int) -> tuple[int, int, int]:
    """(reads and other statements, bulk insert statements, decisions made)."""
    province, cycle, officer = build(committees)
    with CaptureQueriesContext(connection) as ctx:
        result = decide_all_units(officer, cycle, province)
    assert result.skipped == []
    inserts = sum(q["sql"].startswith(INSERT) for q in ctx.captured_queries)
    return len(ctx.captured_queries) - inserts, inserts, result.decided


def test_the_board_takes_a_fixed_number_of_queries() -> None:
    small, _, decided_small = _queries(3)
    large, inserts, decided_large = _queries(40)
    assert (decided_small, decided_large) == (6, 80)  # each commune and its party committee
    assert large == small <= 16, (small, large)
    # One bulk insert, cut into batches only by the database's parameter limit (SQLite 999).
    assert inserts <= 1 + decided_large // 40


def _decided(cycle: object, body: object) -> list[tuple[str, ...]]:
    rows = (
        Decision.objects.current()
        .filter(cycle=cycle, step=Step.DECIDE, body=body)
        .select_related("organization", "collective")
    )
    return sorted(
        ((d.organization or d.collective).name, d.subject_type, d.level, d.tier, d.grounds,
         d.reason, d.proposal_level, d.scale)
        for d in rows
    )  # fmt: skip


def test_bulk_decides_what_one_by_one_decides() -> None:
    province, cycle, officer = build(4)
    result = decide_all_units(officer, cycle, province)
    assert result.decided == 8
    assert AuditEntry.objects.get(action="unit_decide_all").new["count"] == 8
    # The same board built again and decided one unit at a time (a single decision's path),
    # retrying those the order rules hold back until none is left.
    other, cycle2, officer2 = build(4, tag="b")
    left = list(subjects_for(other))
    while left:
        for s in list(left):
            try:
                decide_unit(officer2, cycle2, other, s, _proposed(cycle2, s.key))
            except ValidationError:
                continue
            left.remove(s)
    assert _decided(cycle, province) == _decided(cycle2, other)


def _proposed(cycle: object, key: str) -> str:
    d = Decision.objects.current().get(cycle=cycle, step=Step.PROPOSE, subject_key=key)
    return str(d.level)


def test_the_order_rules_still_name_who_waits() -> None:
    """A commune whose cell is not yet decided waits, named with the reason; the others are
    decided in the same act."""
    province, cycle, officer = build(3)
    cell = (
        Decision.objects.current()
        .filter(cycle=cycle, step=Step.DECIDE, subject_type="o")
        .select_related("organization")
        .first()
    )
    assert cell is not None
    # A new cell below one commune, not decided yet (decisions are append-only: none removed).
    from kiemdiem.org.choices import OrgKind
    from kiemdiem.org.models import Organization

    commune = cell.organization.parent
    Organization(name="Chi bộ mới", kind=OrgKind.CELL, parent=commune, code="NEW-1").save()
    result = decide_all_units(officer, cycle, province)
    # Two communes and all three party committees (a party committee waits for the
    # collectives beside and below it, not for its organization's rating).
    assert result.decided == 5
    assert len(result.skipped) == 1
    assert "Chi bộ mới" in result.skipped[0] and "cấp dưới trước, cấp trên sau" in result.skipped[0]
