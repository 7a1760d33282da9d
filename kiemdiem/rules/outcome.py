"""Outcome: what classify() found for one subject, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from kiemdiem.rules.facts import Votes
from kiemdiem.rules.levels import Level
from kiemdiem.rules.reasons import BALLOT_WORDS, Reason, reason
from kiemdiem.rules.tally import counts

_NAME = {lv: lv.name for lv in Level}


@dataclass(slots=True)
class Outcome:
    id: str
    classified: bool
    level: Level | None
    vote_level: Level | None = None
    ceiling: Level | None = None  # the highest level the caps allow
    votes: Votes | None = None
    notes: list[Reason] = field(default_factory=list)  # every reason but the vote's own
    # Data the quota step needs: what the votes alone support below a level.
    supported: tuple[Level, ...] = ()
    denominator: int = 0  # what the shares are taken over, to show them unreduced (2/10)
    vote_source: str = ""  # set when the vote decided: its reason is made when asked for

    @property
    def reasons(self) -> list[Reason]:
        if not self.vote_source or self.vote_level is None:
            return self.notes
        shown = ", ".join(
            f"{BALLOT_WORDS.get(k, k)}: {n}/{self.denominator}" for k, n in self.counts.items() if n
        )
        vote = reason(
            "vote_level",
            self.vote_source,
            level=_NAME[self.vote_level],
            detail=shown or "không có phiếu",
        )
        return [vote, *self.notes]

    @property
    def counts(self) -> dict[str, int]:
        """Marks per level, or approvals: made on demand from the votes."""
        return counts(self.votes) if self.votes is not None else {}

    @property
    def shares(self) -> dict[str, Fraction]:
        """Exact shares, made on demand: most outcomes are never asked for them."""
        if self.denominator <= 0:
            return {}
        return {k: Fraction(n, self.denominator) for k, n in self.counts.items()}
