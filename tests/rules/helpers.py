"""Builders for rule-engine tests: no database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiemdiem.rules import Level, SubjectFacts, UnitContext, Votes, classify, load_profile
from kiemdiem.rules.classify import Outcome

AS_OF = dt.date(2023, 11, 20)
L = Level


def facts(id: str = "m", **kw: Any) -> SubjectFacts:
    kw.setdefault("admitted_on", dt.date(2010, 1, 1))
    return SubjectFacts(id=id, **kw)


def ctx(present: int, eligible: int | None = None, spoiled: int = 0, total: int = 0) -> UnitContext:
    return UnitContext(
        AS_OF, eligible if eligible is not None else present, present, spoiled, total
    )


def votes(HTXSNV: int = 0, HTTNV: int = 0, HTNV: int = 0, KHTNV: int = 0) -> Votes:
    return Votes(levels={L.HTXSNV: HTXSNV, L.HTTNV: HTTNV, L.HTNV: HTNV, L.KHTNV: KHTNV})


def level(profile_id: str, v: Votes | None, c: UnitContext, **kw: Any) -> Level | None:
    return outcome(profile_id, v, c, **kw).level


def outcome(profile_id: str, v: Votes | None, c: UnitContext, **kw: Any) -> Outcome:
    return classify(facts(**kw), v, load_profile(profile_id), c)


def codes(o: Outcome) -> list[str]:
    return [r.code for r in o.reasons]
