"""What is known about a subject when it is classified: plain data, no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from kiemdiem.rules.levels import Level


@dataclass(frozen=True, slots=True)
class Tasks:
    """A year's tasks (for a leader, those of the area they lead directly: QĐ 366 Điều 11).
    `done` None: every task was done, those not on time late (the older inputs' meaning)."""

    total: int = 0
    on_time: int = 0
    exceeded: int = 0
    done: int | None = None

    @property
    def completed(self) -> int:
        return self.total if self.done is None else self.done

    @property
    def late(self) -> int:
        """Done, but behind schedule ("chưa bảo đảm tiến độ")."""
        return max(self.completed - self.on_time, 0)


@dataclass(frozen=True, slots=True)
class Part:
    """`part` of `whole`, exact: units led rated KHTNV, low-confidence ballots."""

    part: int
    whole: int


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
    # QĐ 366 Điều 11 khoản 4: facts that make a member KHTNV whatever the score.
    discipline_form: str | None = None  # "khien_trach", "canh_cao", ...; implies disciplined
    degraded: bool = False  # suy thoái concluded by the competent level
    led_units_khtnv: Part | None = None  # units led directly rated KHTNV, of all led
    low_confidence: Part | None = None  # low-confidence ballots of the year's vote, of all
    shortcomings_unfixed: int = 0  # earlier review's shortcomings not yet fixed (khoản 1.3)
    group: str = ""  # group of comparable role for the quota; "" : the unit's one group


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
