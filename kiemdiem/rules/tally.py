"""Counting votes with exact fractions."""

from __future__ import annotations

import datetime as dt

from kiemdiem.rules.facts import SubjectFacts, UnitContext, Votes
from kiemdiem.rules.levels import DESCENDING, Level
from kiemdiem.rules.profile import RuleProfile


def is_voter(member: SubjectFacts, profile: RuleProfile) -> bool:
    """May this member vote at the unit's classification (present or not)?"""
    v = profile.voters
    if member.suspended:  # suspended from party activities: no vote either
        return False
    if member.temporary and not v.temporary:
        return False
    if not member.official and not v.probationary:
        return False
    if member.official and not v.official:
        return False
    if member.exempt:
        return v.exempt == "always" or (v.exempt == "if_present" and member.present)
    return True


def unit_context(
    members: list[SubjectFacts],
    profile: RuleProfile,
    as_of: dt.date,
    spoiled: int = 0,
    members_total: int = 0,
) -> UnitContext:
    voters = [m for m in members if is_voter(m, profile)]
    return UnitContext(
        as_of=as_of,
        eligible_voters=len(voters),
        voters_present=sum(1 for m in voters if m.present),
        spoiled=spoiled,
        members_total=members_total or len(members),
    )


def denominator(votes: Votes, ctx: UnitContext, profile: RuleProfile) -> int:
    kind = profile.ballot.denominator
    if kind == "eligible_voters":
        return ctx.eligible_voters
    if kind == "voters_present":
        return ctx.voters_present - (0 if profile.ballot.spoiled_in_denominator else ctx.spoiled)
    return sum(votes.levels.values()) + votes.approve + votes.disapprove  # valid marks


def count_for(votes: Votes, level: Level, counts: str) -> int:
    if counts == "exactly":
        return votes.levels.get(level, 0)
    return sum(n for lv, n in votes.levels.items() if lv >= level)


_NAMED = tuple((lv, lv.name) for lv in DESCENDING)


def counts(votes: Votes) -> dict[str, int]:
    """Marks per level (choose_level), or approvals and disapprovals."""
    if votes.levels or not (votes.approve or votes.disapprove):
        levels = votes.levels
        return {name: levels.get(lv, 0) for lv, name in _NAMED}
    return {"approve": votes.approve, "disapprove": votes.disapprove}
