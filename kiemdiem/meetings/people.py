"""Who is reviewed at a meeting, in what role, and who attends: read from the tree in a fixed
number of queries and handed to the pure agenda builder as plain data."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from kiemdiem.cycles.models import Cycle, Subject, SubjectKind
from kiemdiem.meetings import agenda as a
from kiemdiem.org.choices import CollectiveKind, OrgKind, PositionRank, Suspension
from kiemdiem.org.models import Collective, Member, Organization, Position

REVIEWED_HERE = (SubjectKind.REVIEW_AND_CLASSIFY, SubjectKind.REVIEW_ONLY)


@dataclass(frozen=True)
class Attendee:
    member_id: int
    sort_key: str
    exempt: bool
    temporary: bool


def _current(on: dt.date) -> Q:
    return Q(start_on__lte=on) & (Q(end_on__isnull=True) | Q(end_on__gte=on))


def _cell_members(cell: Organization) -> Q:
    """Members who attend this cell: official ones not attached elsewhere, and those
    temporarily attached here (reviewed at the temporary cell, domain.md §1)."""
    return Q(cell=cell, temporary_cell__isnull=True) | Q(temporary_cell=cell)


def attendees(kind: str, target: Organization | Collective, on: dt.date) -> list[Attendee]:
    if isinstance(target, Collective):
        ids = Position.objects.filter(_current(on), collective=target).values("member_id")
        q = Q(pk__in=ids)
    elif kind == a.GROUP:
        q = Q(party_group=target, temporary_cell__isnull=True)
    else:
        q = _cell_members(target)
    rows = Member.objects.filter(q).values_list("pk", "sort_key", "exempt_since", "temporary_cell")
    return [Attendee(pk, key, ex is not None, tmp is not None) for pk, key, ex, tmp in rows]


def _people(
    members: Iterable[tuple[int, str, int | None]],
    positions: Iterable[Position],
    committee_id: int | None,
    org_id: int | None,
    template: a.AgendaTemplate,
) -> list[a.Person]:
    """Roles from current positions: head/deputy of the reviewed collective (or of the
    organization itself), and the leader tier of every leader post held."""
    head: set[int] = set()
    deputy: set[int] = set()
    kinds: dict[int, set[str]] = defaultdict(set)
    roles: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for p in positions:
        own = p.collective_id is not None and p.collective_id == committee_id
        own = own or (p.organization_id is not None and p.organization_id == org_id)
        if own and p.rank == PositionRank.HEAD:
            head.add(p.member_id)
            roles[p.member_id].append((0, p.title))
        elif own and p.rank == PositionRank.DEPUTY:
            deputy.add(p.member_id)
            roles[p.member_id].append((1, p.title))
        elif own:
            # A member of the cell's own committee is a chi ủy member whatever the flag says.
            kinds[p.member_id].add(CollectiveKind.CELL_COMMITTEE)
            roles[p.member_id].append((2, p.title))
        elif p.is_leader:
            kinds[p.member_id].add(p.collective.kind if p.collective else CollectiveKind.OTHER)
            roles[p.member_id].append((3, p.title))
    people = []
    for pk, name, group_id in members:
        role = min(roles[pk])[1] if roles.get(pk) else ""
        tier = None if pk in head or pk in deputy else template.tier_rank(kinds.get(pk, ()))
        people.append(
            a.Person(pk, name, pk in head, pk in deputy and pk not in head, tier, role, group_id)
        )
    return people


def _reviewed_members(cycle: Cycle, org: Organization, q: Q) -> list[tuple[int, str, int | None]]:
    """Those reviewed here: the cycle's derived subjects when the office has derived them,
    else the attending members who are neither exempt nor suspended from the Party."""
    subjects = Subject.objects.filter(cycle=cycle, place=org)
    if subjects.exists():
        reviewed = subjects.filter(kind__in=REVIEWED_HERE).values("member_id")
        members = Member.objects.filter(pk__in=reviewed)
    else:
        members = Member.objects.filter(q, exempt_since__isnull=True).exclude(
            suspension=Suspension.PARTY
        )
    return list(members.values_list("pk", "full_name", "party_group_id"))


def meeting_input(
    kind: str,
    target: Organization | Collective,
    cycle: Cycle,
    on: dt.date,
    template: a.AgendaTemplate,
    review_in_groups: bool,
) -> a.MeetingInput:
    if isinstance(target, Collective):
        positions = list(
            Position.objects.filter(_current(on), collective=target).select_related("collective")
        )
        ids = {p.member_id for p in positions}
        names = Member.objects.filter(pk__in=ids).values_list("pk", "full_name")
        people = _people(((pk, n, None) for pk, n in names), positions, target.pk, None, template)
        # In a collective's own meeting everyone else is a member of it: no leader tiers.
        people = [
            a.Person(p.member_id, p.name, p.is_head, p.is_deputy, None, p.role) for p in people
        ]
        return a.MeetingInput(kind, cycle.year, tuple(people), target.pk, target.name)
    cell = target.parent if kind == a.GROUP and target.parent else target
    committee = Collective.objects.filter(
        organization=cell, kind=CollectiveKind.CELL_COMMITTEE
    ).first()
    members = _reviewed_members(cycle, cell, _cell_members(cell))
    positions = list(
        Position.objects.filter(_current(on), member_id__in=[m[0] for m in members])
        .filter(Q(is_leader=True) | Q(collective=committee) | Q(organization=cell))
        .select_related("collective")
    )
    committee_id = committee.pk if committee else None
    people = _people(members, positions, committee_id, cell.pk, template)
    if kind == a.GROUP:
        # A group reviews its ordinary members; leaders are reviewed at the cell (003 §V).
        mine = [p for p in people if p.group_id == target.pk and p.rank == a.RANK_ORDINARY]
        return a.MeetingInput(kind, cycle.year, tuple(mine))
    groups: tuple[a.GroupRef, ...] = ()
    if review_in_groups:
        rows = Organization.objects.filter(parent=cell, kind=OrgKind.GROUP).values_list(
            "pk", "name"
        )
        groups = tuple(a.GroupRef(pk, name) for pk, name in rows)
    name = committee.name if committee else ""
    return a.MeetingInput(kind, cycle.year, tuple(people), committee_id, name, groups)
