"""Reading the stored inputs of a subtree for the rules, one path-prefix query each: the
members' current posts, the decided levels of collectives and organizations, the comments
still awaited, the self-reviews, the plan's subjects and the year's conditions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import F, Q

from kiemdiem.batch_input import article_11_facts
from kiemdiem.cycles.models import Cycle, Subject, SubjectKind
from kiemdiem.feedback.models import DONE, FeedbackRequest, Status
from kiemdiem.feedback.requirements import kind_label, required_feedback
from kiemdiem.grading.models import MemberConditions, SubjectType
from kiemdiem.org.models import Member, Position
from kiemdiem.reviews.models import SelfReview
from kiemdiem.reviews.scoring import total
from kiemdiem.rules import Level

_SKIP_HERE = (SubjectKind.EXCLUDED, SubjectKind.REVIEW_ONLY, SubjectKind.REPORT_ONLY)


@dataclass
class Post:
    """A current post that matters to the decision rules (head, deputy, member of a
    collective or an organization)."""

    rank: str
    collective_id: int | None
    organization_id: int | None
    collective_kind: str
    is_leader: bool

    @property
    def key(self) -> str:
        if self.collective_id is not None:
            return f"{SubjectType.COLLECTIVE}:{self.collective_id}"
        return f"{SubjectType.ORGANIZATION}:{self.organization_id}"


def current_posts(path: str, on: dt.date) -> dict[int, list[Post]]:
    rows = (
        Position.objects.filter(member__cell__path__startswith=path, start_on__lte=on)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
        .values_list("member_id", "rank", "collective_id", "organization_id",
                     "collective__kind", "is_leader")
    )  # fmt: skip
    posts: dict[int, list[Post]] = defaultdict(list)
    for mid, rank, cid, oid, ckind, leader in rows.iterator(chunk_size=5000):
        posts[mid].append(Post(rank, cid, oid, ckind or "", leader))
    return posts


def unit_levels(cycle: Cycle, keys: Iterable[str] | None = None) -> dict[str, Level]:
    """The decided levels of collectives and organizations (4-level scale) in the cycle's
    year: a head is capped by them (the profile's `caps.head`)."""
    from kiemdiem.grading.models import Decision, Step

    qs = Decision.objects.current().filter(
        cycle__year=cycle.year,
        step=Step.DECIDE,
        scale="quality4",
        subject_type__in=[SubjectType.COLLECTIVE, SubjectType.ORGANIZATION],
    )
    return {k: Level.parse(lv) for k, lv in qs.values_list("subject_key", "level")}


def waiting_for(cycle: Cycle, path: str) -> dict[int, list[str]]:
    """The comments each member's classification still waits for (000 §2.3, 001 §2.2.2):
    required by the profile and neither answered, recorded on paper nor cancelled."""
    members_qs = Member.objects.filter(cell__path__startswith=path)
    needs = required_feedback(cycle, members_qs)
    if not needs:
        return {}
    state = dict(
        ((m, k), s)
        for m, k, s in FeedbackRequest.objects.filter(
            cycle__year=cycle.year, member__cell__path__startswith=path
        ).values_list("member_id", "kind", "status")
    )
    settled = {*DONE, Status.CANCELLED}
    waiting: dict[int, list[str]] = defaultdict(list)
    labels: dict[str, str] = {}
    for need in needs:
        if state.get((need.member_id, need.kind)) in settled:
            continue
        label = labels.get(need.kind) or labels.setdefault(need.kind, kind_label(cycle, need.kind))
        waiting[need.member_id].append(label)
    return waiting


def reviews_of(
    cycle: Cycle, path: str
) -> dict[int, tuple[str, dict[str, str], Fraction | None, str]]:
    rows = SelfReview.objects.filter(
        cycle__year=cycle.year, member__cell__path__startswith=path
    ).values_list("member_id", "self_level", "criteria", "self_scores", "committee_scores")
    found: dict[int, tuple[str, dict[str, str], Fraction | None, str]] = {}
    for mid, level, criteria, own, chi_uy in rows.iterator(chunk_size=5000):
        score, by = None, ""
        if chi_uy:
            score, by = Fraction(str(total(chi_uy))), "chi ủy chấm"
        elif own:
            score, by = Fraction(str(total(own))), "tự chấm"
        degrees = {k: str(v).upper() for k, v in (criteria or {}).items()}
        found[mid] = (level or "", degrees, score, by)
    return found


def skipped_here(cycle: Cycle, path: str) -> dict[int, tuple[str, str]]:
    """Members the plan does not classify at their official cell: (why, correction)."""
    rows = Subject.objects.filter(
        cycle=cycle,
        place__path__startswith=path,
        place_id=F("member__cell_id"),
        kind__in=_SKIP_HERE,
    ).values_list("member_id", "why", "correction")
    return {mid: (why, correction) for mid, why, correction in rows}


def conditions_of(cycle: Cycle, path: str) -> dict[int, dict[str, Any]]:
    rows = MemberConditions.objects.filter(
        cycle=cycle, member__cell__path__startswith=path
    ).values(
        "member_id", "ccvc_level", "disciplined_in_year", "sick_leave_days",
        "maternity_leave_days", "works_far_away", "meetings_absent", "meetings_silent", "awards",
        "article_11",
    )  # fmt: skip
    return {r["member_id"]: dict(r) for r in rows.iterator(chunk_size=5000)}


def condition_facts(cond: dict[str, Any]) -> dict[str, Any]:
    """A member's recorded conditions (a `conditions_of` row, or {} when none) as the
    rules' SubjectFacts fields, the safe defaults where nothing was recorded."""
    return {
        "ccvc_level": cond.get("ccvc_level") or None,
        "awards": frozenset(cond.get("awards") or ()),
        "disciplined_in_year": bool(cond.get("disciplined_in_year")),
        "sick_leave_days": cond.get("sick_leave_days") or 0,
        "maternity_leave_days": cond.get("maternity_leave_days") or 0,
        "works_far_away": bool(cond.get("works_far_away")),
        "meetings_absent": cond.get("meetings_absent") or 0,
        "meetings_silent": cond.get("meetings_silent") or 0,
        # QĐ 366 Điều 11: the CLI's reader, so both rate the same facts alike.
        **_article_11(cond),
    }


_NO_ARTICLE_11 = article_11_facts({}, "")


def _article_11(cond: dict[str, Any]) -> dict[str, Any]:
    """Most members record none of Điều 11's facts: their defaults are read once, not once
    per member of a province (this runs on every member the rules see)."""
    data = cond.get("article_11")
    return article_11_facts(data, str(cond.get("member_id", ""))) if data else _NO_ARTICLE_11
