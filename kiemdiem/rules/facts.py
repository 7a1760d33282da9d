"""What is known about a subject when it is classified: plain data, no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from kiemdiem.rules.levels import Level


@dataclass(frozen=True, slots=True)
class Tasks:
    total: int = 0
    on_time: int = 0
    exceeded: int = 0


@dataclass(frozen=True, slots=True)
class SubjectFacts:
    id: str
    name: str = ""
    official: bool = True  # False: probationary (dự bị)
    admitted_on: dt.date | None = None
    temporary: bool = False  # attends this unit temporarily; classified at the official cell
    exempt: bool = False
    suspended: bool = False
    present: bool = True
    category: str = "other"
    ccvc_level: str | None = None  # a Level name or "HTNV_HAN_CHE"
    awards: frozenset[str] = frozenset()
    disciplined_in_year: bool = False
    sick_leave_days: int = 0
    works_far_away: bool = False
    meetings_absent: int = 0
    meetings_silent: int = 0
    heads_collective_level: Level | None = None
    deputy_of_collective_level: Level | None = None
    is_leader: bool = False
    self_level: Level | None = None
    proposed_level: Level | None = None
    criteria: dict[str, str] = field(default_factory=dict)
    score: Fraction | None = None
    tasks: Tasks | None = None
    maternity_leave_days: int = 0  # not sick leave: rated on the time actually worked
    framework: str | None = None  # QĐ 366 criteria framework; None: by is_leader


@dataclass(frozen=True, slots=True)
class Votes:
    """Marks for one subject. `levels` for choose_level; approve/disapprove otherwise.
    Blank marks count in a "voters present" denominator but for no level."""

    levels: dict[Level, int] = field(default_factory=dict)
    approve: int = 0
    disapprove: int = 0

    @property
    def marks(self) -> int:
        return sum(self.levels.values()) + self.approve + self.disapprove


@dataclass(frozen=True, slots=True)
class UnitContext:
    """The unit-level numbers a share is taken over."""

    as_of: dt.date
    eligible_voters: int
    voters_present: int
    spoiled: int = 0
    members_total: int = 0
