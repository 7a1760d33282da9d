"""The rule engine: pure Python, no Django, deterministic (design.md principles 1–4, 7).

profile = load_profile("thanhlien-2023")
result = classify_unit(members, votes, profile, as_of=date(2023, 11, 20))
"""

from __future__ import annotations

from kiemdiem.rules.caps import score_level
from kiemdiem.rules.classify import classify
from kiemdiem.rules.facts import SubjectFacts, Tasks, UnitContext, Votes
from kiemdiem.rules.levels import Level
from kiemdiem.rules.loading import (
    ProfileLoadError,
    list_profiles,
    load_profile,
    profile_from_dict,
    profile_to_dict,
)
from kiemdiem.rules.outcome import Outcome
from kiemdiem.rules.profile import RuleProfile
from kiemdiem.rules.quotas import QuotaReport, QuotaResult, apply_quotas
from kiemdiem.rules.unit import UnitResult, classify_unit

__all__ = [
    "Level",
    "Outcome",
    "ProfileLoadError",
    "QuotaReport",
    "QuotaResult",
    "RuleProfile",
    "SubjectFacts",
    "Tasks",
    "UnitContext",
    "UnitResult",
    "Votes",
    "apply_quotas",
    "classify",
    "classify_unit",
    "list_profiles",
    "load_profile",
    "profile_from_dict",
    "profile_to_dict",
    "score_level",
]
