"""Where the vote counts come from: pluggable sources, asked in order, the first with a
result for a cell wins. The online and paper ballots (kiemdiem.ballots) register a source
when they are installed; the counts a chi ủy enters from its minutes (kết quả nhập tay) are
always available, so the whole flow works for offices that counted on paper outside the
system. Every source is set-based: one call answers for all the cells of a subtree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from kiemdiem.rules import Level, Votes


@dataclass
class CellTally:
    """A cell's counted results: marks per member, who was present, what was put to the
    vote. `voters_present` is the number the minutes state (None: derive it from the
    members present)."""

    cell_id: int
    source: str
    label: str
    method: str
    voters_present: int | None
    spoiled: int = 0
    votes: dict[int, Votes] = field(default_factory=dict)
    present: dict[int, bool] = field(default_factory=dict)
    proposed: dict[int, Level] = field(default_factory=dict)
    # The ballot's roll: those entitled to vote (None: derive it from the members' facts).
    eligible: int | None = None
    # Where rounds differ, the voters present of the round that decides each member.
    voters_by_member: dict[int, int] = field(default_factory=dict)


class TallySource(Protocol):
    name: str

    def for_subtree(self, cycle_id: int, path: str) -> dict[int, CellTally]:
        """Confirmed results of every cell under `path` (its own included), by cell id."""
        ...


_SOURCES: list[Callable[[], TallySource]] = []


def register(factory: Callable[[], TallySource], *, first: bool = True) -> None:
    """Add a source; the ballots' source goes first so a real ballot beats a hand entry."""
    if factory in _SOURCES:
        return
    if first:
        _SOURCES.insert(0, factory)
    else:
        _SOURCES.append(factory)


def sources() -> list[TallySource]:
    from kiemdiem.grading.manual import ManualSource

    made = [f() for f in _SOURCES]
    if not any(isinstance(s, ManualSource) for s in made):
        made.append(ManualSource())
    return made


def tallies_for(cycle_id: int, path: str) -> dict[int, CellTally]:
    """Each cell's results from the first source that has them."""
    result: dict[int, CellTally] = {}
    for source in sources():
        for cell_id, tally in source.for_subtree(cycle_id, path).items():
            result.setdefault(cell_id, tally)
    return result
