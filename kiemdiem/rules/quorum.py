"""Quorum: how many must attend a review meeting, and how many must vote, before a secret
ballot may declare any level (issue 12 §5).

The base is the profile's "eligible voters" (ballots.results.roll_of: the official members
entitled to vote, present or not, the exempt counted only when the profile counts them): the
same base the Quy định thi hành Điều lệ gives for "số thành viên của hội nghị đảng viên"
(QĐ 24-QĐ/TW điểm 9.3.2), so that attendance and votes are measured over one number.

Pure Python (no Django): the counting page, the API, the biên bản and grading ask the same
function and print its sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kiemdiem.rules.setting import Proportion, Setting


class QuorumRule(Setting):
    """`op` `share` of the eligible voters: "> 2/3" means more than two thirds."""

    op: Literal[">=", ">"] = ">"
    share: Proportion

    def holds(self, count: int, base: int) -> bool:
        if base <= 0:
            return False
        left, right = count * self.share.denominator, self.share.numerator * base
        return left >= right if self.op == ">=" else left > right

    def needed(self, base: int) -> int:
        """The least count that holds over `base` (0 where no count can: an empty roll)."""
        return next((n for n in range(base + 1) if self.holds(n, base)), 0)

    @property
    def words(self) -> str:
        return ("từ " if self.op == ">=" else "trên ") + _share_words(self)


def _share_words(rule: QuorumRule) -> str:
    s = rule.share
    return "một nửa" if s == Fraction(1, 2) and rule.op == ">" else f"{s.numerator}/{s.denominator}"


class Quorum(BaseModel):
    """`meeting`: those present who may vote over the eligible voters; `ballot`: the votes
    cast (papers returned, online ballots cast) over the eligible voters."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    meeting: QuorumRule | None = None
    ballot: QuorumRule | None = None


@dataclass(frozen=True, slots=True)
class Shortfall:
    """One quorum not met: which (`meeting` or `ballot`), the figures and the rule."""

    kind: Literal["meeting", "ballot"]
    count: int
    base: int
    needed: int
    rule: QuorumRule

    @property
    def message(self) -> str:
        what = (
            f"Hội nghị có {self.count}/{self.base} đảng viên có quyền biểu quyết có mặt"
            if self.kind == "meeting"
            else f"Có {self.count}/{self.base} đảng viên có quyền biểu quyết đã bỏ phiếu"
        )
        need = "có mặt" if self.kind == "meeting" else "bỏ phiếu"
        return (
            f"{what}; cần {self.rule.words} (ít nhất {self.needed} người) {need} thì mới "
            f"công bố được mức xếp loại — căn cứ: {self.rule.source}. Chưa công bố mức nào."
        )


def shortfalls(quorum: Quorum | None, *, present: int, cast: int, base: int) -> list[Shortfall]:
    """Every quorum the figures miss (empty: the count may declare levels)."""
    if quorum is None:
        return []
    out = []
    for kind, rule, value in (
        ("meeting", quorum.meeting, present),
        ("ballot", quorum.ballot, cast),
    ):
        if rule is not None and not rule.holds(value, base):
            out.append(Shortfall(kind, value, base, rule.needed(base), rule))  # type: ignore[arg-type]
    return out


def rounds_shortfalls(quorum: Quorum | None, rounds: list[tuple[int, int, int]]) -> list[Shortfall]:
    """Over a ballot's rounds, each (present, cast, base): attendance is the first round's
    (one meeting), the votes cast each round's own."""
    out: list[Shortfall] = []
    for i, (present, cast, base) in enumerate(rounds):
        out += [
            s
            for s in shortfalls(quorum, present=present, cast=cast, base=base)
            if s.kind == "ballot" or i == 0
        ]
    return out


class QuorumError(ValueError):
    """The counts add up but too few attended or voted: no level may be declared.
    `problems` are the Vietnamese sentences (as ballots.counting.CountError's)."""

    def __init__(self, missed: list[Shortfall]) -> None:
        self.shortfalls = missed
        self.problems = [s.message for s in missed]
        super().__init__(" ".join(self.problems))
