"""Deciding every proposed unit of a body at once (cells, collectives, villages, branches)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.models import Decision
from kiemdiem.grading.quotas import standing_for
from kiemdiem.grading.units import UnitSubject, decide_unit, subjects_for
from kiemdiem.org.models import Organization


@dataclass
class UnitsDecided:
    decided: int = 0
    skipped: list[str] = field(default_factory=list)


def _pending(cycle: Cycle, body: Organization) -> list[tuple[UnitSubject, str]]:
    """Units with a proposal and no decision yet, with the proposed level."""
    subjects = subjects_for(body)
    acts = standing_for(
        Decision.objects.filter(cycle=cycle, subject_key__in=[s.key for s in subjects])
    )
    out = []
    for s in subjects:
        st = acts.get(s.key)
        if st is not None and st.propose is not None and st.decide is None:
            out.append((s, st.propose.level))
    return out


def decide_all_units(user: Any, cycle: Cycle, body: Organization) -> UnitsDecided:
    """Each proposed unit at its proposal. The order rules (000 §2.3, §1.4.3: the units below
    first, a party committee after the government and mass-organization collectives) decide
    the order: a unit refused now is tried again after the others, and those still refused
    are named with the reason. Each decision is its own act, as if decided one by one."""
    result = UnitsDecided()
    pending = _pending(cycle, body)
    refused: dict[str, str] = {}
    progress = True
    while pending and progress:
        progress, left = False, []
        for subject, level in pending:
            try:
                with transaction.atomic():
                    decide_unit(user, cycle, body, subject, level)
            except ValidationError as exc:
                refused[subject.key] = "; ".join(exc.messages)
                left.append((subject, level))
            else:
                result.decided += 1
                refused.pop(subject.key, None)
                progress = True
        pending = left
    result.skipped = [refused[s.key] for s, _ in pending]
    return result
