"""The header totals of one cell (members, official, probationary, exempt, classified, per
decided level), from one function: the grading page's stats, Mẫu 04 and the tờ trình all
print these figures (issue 11 §1), so none of them counts its own rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiemdiem.rules import Level

if TYPE_CHECKING:
    from kiemdiem.grading.pages import CellPage

LEVEL_ORDER = [lv.name for lv in sorted(Level, reverse=True)]


@dataclass(frozen=True)
class UnitTotals:
    members: int
    official: int
    probationary: int
    exempt: int
    classified: int  # members the rules classify at this cell (the base of the shares)
    decided: dict[str, int] = field(default_factory=dict)  # decided level -> members
    proposed: dict[str, int] = field(default_factory=dict)  # chi ủy's proposal -> members

    @property
    def not_classified(self) -> int:
        return self.members - self.classified

    @property
    def undecided(self) -> int:
        """Classified members with no decision yet."""
        return self.classified - sum(self.decided.values())

    def decided_of(self, level: str) -> int:
        return self.decided.get(level, 0)


def cell_totals(page: CellPage) -> UnitTotals:
    lines = page.lines
    facts = [ln.row.facts for ln in lines]
    official = sum(1 for f in facts if f is not None and f.official)
    classified = [ln for ln in lines if ln.row.outcome is not None and ln.row.outcome.classified]
    return UnitTotals(
        members=len(lines),
        official=official,
        probationary=len(lines) - official,
        exempt=sum(1 for f in facts if f is not None and f.exempt),
        classified=len(classified),
        decided=dict(Counter(ln.decided for ln in classified if ln.decided)),
        proposed=dict(Counter(ln.proposed for ln in lines if ln.proposed)),
    )
