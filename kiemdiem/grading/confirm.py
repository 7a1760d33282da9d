"""Confirm before what cannot be undone (issue 15 §4): decisions and appraisals are append
only, so the bulk acts first show what they will do, with the numbers of the very function
that does it — run inside a transaction that is rolled back — and only a second, confirmed
post writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Q

from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.models import Decision, Proposal, ProposalStatus, Step, SubjectType
from kiemdiem.org.models import Organization

T = TypeVar("T")


class _Rollback(Exception):
    def __init__(self, result: Any) -> None:
        self.result = result


def preview(act: Callable[[], T]) -> T:
    """What `act` would return, with nothing it wrote kept (its ValidationError is raised
    as it would be: the user sees the refusal before being asked to confirm)."""
    try:
        with transaction.atomic():
            raise _Rollback(act())
    except _Rollback as done:
        return done.result  # type: ignore[no-any-return]


def confirmed(post: Any) -> bool:
    return post.get("confirmed") == "1"


def missing_decisions(cycle: Cycle, org: Organization) -> int:
    """Members of the grassroots organization classified there (every proposal row but those
    not classified here: waiting for comments, without a tally, undecided vote included) who
    have no standing decision yet: what an appraisal would leave out."""
    decided = Decision.objects.current().filter(
        cycle__year=cycle.year, grassroots=org, step=Step.DECIDE,
        subject_type=SubjectType.MEMBER,
    ).values("subject_key")  # fmt: skip
    return (
        Proposal.objects.filter(
            Q(grassroots=org), cycle__year=cycle.year, subject_type=SubjectType.MEMBER
        )
        .exclude(status=ProposalStatus.NOT_CLASSIFIED)
        .exclude(subject_key__in=decided)
        .count()
    )
