"""Grading's data: proposals, append-only decisions, re-classification orders, the inputs
the chi ủy records, rated units and score sheets."""

from kiemdiem.grading.models.decisions import (
    ANNULMENTS,
    AppendOnlyError,
    Decision,
    DecisionQuerySet,
    Grounds,
    Proposal,
    ProposalStatus,
    ReclassificationOrder,
    Step,
    Tier,
    Verdict,
)
from kiemdiem.grading.models.inputs import CcvcRating, MemberConditions, TallyRow, TallySheet
from kiemdiem.grading.models.subjects import SubjectType, subject_fields, subject_key
from kiemdiem.grading.models.units import RatedUnit, UnitKind, UnitSheet

__all__ = [
    "ANNULMENTS",
    "AppendOnlyError",
    "CcvcRating",
    "Decision",
    "DecisionQuerySet",
    "Grounds",
    "MemberConditions",
    "Proposal",
    "ProposalStatus",
    "RatedUnit",
    "ReclassificationOrder",
    "Step",
    "SubjectType",
    "TallyRow",
    "TallySheet",
    "Tier",
    "UnitKind",
    "UnitSheet",
    "Verdict",
    "subject_fields",
    "subject_key",
]
