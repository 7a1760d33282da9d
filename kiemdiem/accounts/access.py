"""Who may see and do what: the one place that decides it.

A permission is data: (role, object kind) -> actions. A user's grants are their office roles,
each over an organization's subtree, plus the member role over their own record. Views and
services never check roles themselves: they ask `can(...)` or take their querysets from
`organizations_for(...)` / `members_for(...)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet

from kiemdiem.accounts.models import OfficeRole, Role
from kiemdiem.org.models import Member, MemberQuerySet, Organization


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    IMPORT = "import"
    EXPORT = "export"
    SUBMIT = "submit"  # hand in one's own paper (self-review)
    RETURN = "return"  # send a submitted paper back for changes
    ANSWER = "answer"  # answer a request addressed to one's organization (feedback)
    PROPOSE = "propose"  # the chi ủy proposes levels (Mẫu 04) for the committee to decide
    DECIDE = "decide"  # the deciding body decides a level (or annuls and re-classifies)
    APPRAISE = "appraise"  # the superior appraises: agree, send back, order re-classification


class Kind(StrEnum):
    ORGANIZATION = "organization"
    MEMBER = "member"
    CYCLE = "cycle"  # plans and their steps
    SELF_REVIEW = "self_review"  # Mẫu 02: sensitive personal data
    COLLECTIVE_REPORT = "collective_report"  # Mẫu 01
    FEEDBACK = "feedback"  # Mẫu 03 and other comments: sensitive
    SUGGESTION = "suggestion"  # gợi ý kiểm điểm
    MEETING = "meeting"  # meetings, agenda, attendance, minutes
    DECISION = "decision"  # members' proposals, vote counts entered, decisions, appraisals
    UNIT_RATING = "unit_rating"  # score sheets and ratings of cells, collectives and units
    HISTORY = "history"  # results over the years: imported history, reports, reward lists


SELF = "self"  # the member role: a user's own member record
_ALL = frozenset(Action)

_READ = frozenset({Action.VIEW, Action.EXPORT})
_V, _E = Action.VIEW, Action.EDIT

PERMISSIONS: dict[tuple[str, Kind], frozenset[Action]] = {
    # A member: their own record and their own papers.
    (SELF, Kind.MEMBER): frozenset({_V}),
    (SELF, Kind.SELF_REVIEW): frozenset({_V, _E, Action.SUBMIT}),
    # The head of a collective drafts its Mẫu 01 (000 §1.4.1a); a member answers the review
    # suggestions addressed to them (000 §1.4.2). "Own" = the head / the addressed member.
    (SELF, Kind.COLLECTIVE_REPORT): frozenset({_V, _E}),
    (SELF, Kind.SUGGESTION): frozenset({_V, Action.ANSWER}),
    # A member reads their own result once decided, with its reasons (issue 15 §1).
    (SELF, Kind.DECISION): frozenset({_V}),
    # The cell's secretary / chi ủy: most of the work of the cycle happens here. They enter a
    # self-review for a member who cannot use a computer (EDIT, SUBMIT) and return papers.
    (Role.CELL_SECRETARY, Kind.ORGANIZATION): _READ,
    (Role.CELL_SECRETARY, Kind.MEMBER): frozenset({_V, _E, Action.EXPORT}),
    (Role.CELL_SECRETARY, Kind.CYCLE): frozenset({_V, _E}),
    (Role.CELL_SECRETARY, Kind.SELF_REVIEW): frozenset({_V, _E, Action.SUBMIT, Action.RETURN}),
    (Role.CELL_SECRETARY, Kind.COLLECTIVE_REPORT): frozenset({_V, _E, Action.SUBMIT}),
    (Role.CELL_SECRETARY, Kind.FEEDBACK): frozenset({_V, _E, Action.ANSWER}),
    (Role.CELL_SECRETARY, Kind.SUGGESTION): frozenset({_V, Action.ANSWER}),
    (Role.CELL_SECRETARY, Kind.MEETING): frozenset({_V, _E, Action.EXPORT}),
    # The grassroots committee office runs the cycle for its subtree.
    (Role.COMMITTEE_OFFICE, Kind.ORGANIZATION): _ALL,
    (Role.COMMITTEE_OFFICE, Kind.MEMBER): _ALL,
    (Role.COMMITTEE_OFFICE, Kind.CYCLE): _ALL,
    (Role.COMMITTEE_OFFICE, Kind.SELF_REVIEW): frozenset({_V, Action.RETURN, Action.EXPORT}),
    (Role.COMMITTEE_OFFICE, Kind.COLLECTIVE_REPORT): _ALL,
    (Role.COMMITTEE_OFFICE, Kind.FEEDBACK): _ALL,
    (Role.COMMITTEE_OFFICE, Kind.SUGGESTION): _ALL,
    (Role.COMMITTEE_OFFICE, Kind.MEETING): _ALL,
    # The superior's organization department reads and appraises; it sends suggestions.
    (Role.SUPERIOR_REVIEWER, Kind.ORGANIZATION): _READ,
    (Role.SUPERIOR_REVIEWER, Kind.MEMBER): _READ,
    (Role.SUPERIOR_REVIEWER, Kind.CYCLE): _ALL,
    (Role.SUPERIOR_REVIEWER, Kind.SELF_REVIEW): _READ,
    (Role.SUPERIOR_REVIEWER, Kind.COLLECTIVE_REPORT): _READ,
    (Role.SUPERIOR_REVIEWER, Kind.FEEDBACK): _READ,
    (Role.SUPERIOR_REVIEWER, Kind.SUGGESTION): _ALL,
    (Role.SUPERIOR_REVIEWER, Kind.MEETING): _READ,
    # Grading (issue 6 §1–§3). Who decides is fixed by the tree, not the role: a decision is
    # checked at the deciding body's organization (the grassroots committee for its members
    # and cells, the superior for a grassroots organization), so a cell secretary's DECIDE
    # only ever reaches a grassroots cell deciding for itself (000 §2.2.3.2).
    (Role.CELL_SECRETARY, Kind.DECISION): frozenset(
        {_V, _E, Action.PROPOSE, Action.DECIDE, Action.EXPORT}
    ),
    (Role.CELL_SECRETARY, Kind.UNIT_RATING): frozenset(
        {_V, _E, Action.PROPOSE, Action.DECIDE, Action.EXPORT}
    ),
    (Role.COMMITTEE_OFFICE, Kind.DECISION): frozenset(
        {_V, _E, Action.PROPOSE, Action.DECIDE, Action.EXPORT}
    ),
    (Role.COMMITTEE_OFFICE, Kind.UNIT_RATING): frozenset(
        {_V, _E, Action.PROPOSE, Action.DECIDE, Action.EXPORT}
    ),
    # The superior appraises, orders re-classification, and may annul and re-classify
    # (000 §2.3: "xem xét hủy bỏ, đánh giá, xếp loại lại").
    (Role.SUPERIOR_REVIEWER, Kind.DECISION): frozenset(
        {_V, Action.EXPORT, Action.APPRAISE, Action.DECIDE}
    ),
    (Role.SUPERIOR_REVIEWER, Kind.UNIT_RATING): frozenset(
        {_V, Action.EXPORT, Action.APPRAISE, Action.DECIDE}
    ),
    # Results of earlier years (issue 6 §4, §6): offices import their subtree's history; a
    # cell sees its own reports and reward lists.
    (Role.CELL_SECRETARY, Kind.HISTORY): _READ,
    (Role.COMMITTEE_OFFICE, Kind.HISTORY): frozenset({_V, Action.IMPORT, Action.EXPORT}),
    (Role.SUPERIOR_REVIEWER, Kind.HISTORY): frozenset({_V, Action.IMPORT, Action.EXPORT}),
}
PERMISSIONS.update({(Role.ADMINISTRATOR, kind): _ALL for kind in Kind})


@dataclass(frozen=True, slots=True)
class Grant:
    role: str
    path: str  # the subtree's path prefix; "" is the whole tree
    organization_id: int | None


def allowed(role: str, kind: Kind, action: Action) -> bool:
    return action in PERMISSIONS.get((role, kind), frozenset())


def grants(user: Any) -> list[Grant]:
    """The user's office grants, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[Grant] | None = getattr(user, "_kiemdiem_grants", None)
    if cached is not None:
        return cached
    result: list[Grant] = []
    if user.is_superuser:
        result.append(Grant(Role.ADMINISTRATOR, "", None))
    rows = OfficeRole.objects.filter(user=user).values_list(
        "role", "organization__path", "organization_id"
    )
    result.extend(Grant(role, path, org_id) for role, path, org_id in rows)
    user._kiemdiem_grants = result
    return result


def own_member_id(user: Any) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_kiemdiem_member_id", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    member_id = Member.objects.filter(user=user).values_list("pk", flat=True).first()
    user._kiemdiem_member_id = member_id
    return member_id


def _paths(user: Any, kind: Kind, action: Action) -> list[str]:
    paths = sorted({g.path for g in grants(user) if allowed(g.role, kind, action)})
    # A subtree inside another adds nothing; fewer OR terms keep the query simple.
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


def organizations_for(user: Any, action: Action = Action.VIEW) -> QuerySet[Organization]:
    paths = _paths(user, Kind.ORGANIZATION, action)
    if not paths:
        return Organization.objects.none()
    if "" in paths:
        return Organization.objects.all()
    return Organization.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))


def members_for(user: Any, action: Action = Action.VIEW) -> MemberQuerySet:
    """Members the user may act on: those whose official or temporary cell lies in a granted
    subtree (a temporary member is reviewed where they attend), and their own record."""
    terms: list[Q] = []
    paths = _paths(user, Kind.MEMBER, action)
    if "" in paths:
        return Member.objects.all()
    for p in paths:
        terms += [Q(cell__path__startswith=p), Q(temporary_cell__path__startswith=p)]
    own = own_member_id(user)
    if own is not None and allowed(SELF, Kind.MEMBER, action):
        terms.append(Q(pk=own))
    if not terms:
        return Member.objects.none()
    return Member.objects.filter(reduce(or_, terms))


def scope_q(user: Any, kind: Kind, action: Action, path_field: str) -> Q:
    """A filter for any model whose rows belong to an organization: `path_field` names the
    organization path through the model (e.g. "cycle__organization__path"). Combine it with
    `own_q` for the papers a member owns."""
    paths = _paths(user, kind, action)
    if "" in paths:
        # Always true, and it stays so when ORed: `Q() | other` is just `other`, which
        # hid every plan and paper from the administrator wherever scopes are combined.
        return Q(pk__isnull=False)
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{path_field}__startswith": p}) for p in paths))


def own_q(user: Any, kind: Kind, action: Action, member_field: str) -> Q:
    """Rows a member owns (their self-review...), where the member role allows `action`."""
    member_id = own_member_id(user)
    if member_id is None or not allowed(SELF, kind, action):
        return Q(pk__in=[])
    return Q(**{member_field: member_id})


def above_ids(user: Any, kind: Kind, action: Action) -> set[int]:
    """Ids of the organizations above the user's granted subtrees (read off the paths, no
    query): a cell sees the plan of the committee it implements."""
    ids: set[int] = set()
    for path in _paths(user, kind, action):
        ids.update(int(seg) for seg in path.strip("/").split("/")[:-1] if seg)
    return ids


def can_at(user: Any, action: Action, kind: Kind, org: Organization) -> bool:
    """May the user do `action` on things of `kind` that belong to `org`?"""
    return any(org.path.startswith(p) for p in _paths(user, kind, action))


def can_own(user: Any, action: Action, kind: Kind, member_id: int | None) -> bool:
    """May the user do `action` on their own thing of `kind` (owned by `member_id`)?"""
    return (
        member_id is not None and member_id == own_member_id(user) and allowed(SELF, kind, action)
    )


def can(user: Any, action: Action, obj: Organization | Member) -> bool:
    if isinstance(obj, Organization):
        return any(obj.path.startswith(p) for p in _paths(user, Kind.ORGANIZATION, action))
    if obj.pk is not None and obj.pk == own_member_id(user) and allowed(SELF, Kind.MEMBER, action):
        return True
    cell_paths = [obj.cell.path] + ([obj.temporary_cell.path] if obj.temporary_cell else [])
    return any(cp.startswith(p) for p in _paths(user, Kind.MEMBER, action) for cp in cell_paths)


def scope_roots(user: Any) -> list[Organization]:
    """The top organizations of the user's view: where the home page starts."""
    paths = _paths(user, Kind.ORGANIZATION, Action.VIEW)
    if "" in paths:
        return list(Organization.objects.filter(parent__isnull=True))
    return list(Organization.objects.filter(path__in=paths).order_by("path"))
