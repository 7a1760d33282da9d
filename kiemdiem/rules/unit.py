"""Classify a whole unit (a cell's members) and apply its quotas."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiemdiem.rules.classify import engine_for
from kiemdiem.rules.facts import SubjectFacts, UnitContext, Votes
from kiemdiem.rules.outcome import Outcome
from kiemdiem.rules.profile import RuleProfile
from kiemdiem.rules.quotas import QuotaResult, apply_quotas
from kiemdiem.rules.tally import unit_context


@dataclass
class UnitResult:
    context: UnitContext
    outcomes: list[Outcome]
    quotas: list[QuotaResult]


class VoteCountError(ValueError):
    """More marks for a subject than voters present."""

    def __init__(self, subject_id: str, marks: int, voters: int) -> None:
        self.subject_id = subject_id
        super().__init__(
            f"đảng viên {subject_id}: có {marks} phiếu nhưng chỉ {voters} người biểu quyết"
        )


def classify_unit(
    members: list[SubjectFacts],
    votes: dict[str, Votes],
    profile: RuleProfile,
    *,
    as_of: dt.date,
    spoiled: int = 0,
    members_total: int = 0,
    scope: str = "cell",
    outstanding: bool = False,
) -> UnitResult:
    """`outstanding`: the committee decided the unit's results are outstanding (a quota's
    higher share, QĐ 366 Điều 11 1.4). Members' `group` split the "group" scope's quota."""
    ctx = unit_context(members, profile, as_of, spoiled, members_total)
    present = ctx.voters_present
    for subject_id, v in votes.items():
        marks = sum(v.levels.values()) + v.approve + v.disapprove
        if marks > present:
            raise VoteCountError(subject_id, marks, present)
    run = engine_for(profile).classify  # the profile compiled once for the whole unit
    get = votes.get
    outcomes = [run(m, get(m.id), ctx) for m in members]
    groups = {m.id: m.group for m in members if m.group}
    report = apply_quotas(outcomes, profile, scope, ctx.members_total, groups=groups,
                          outstanding=outstanding)  # fmt: skip
    return UnitResult(ctx, report.outcomes, report.results)
