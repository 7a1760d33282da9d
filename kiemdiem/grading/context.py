"""Which cycle a unit is graded in, its frozen rules, and who decides for it.

Results of one unit live in one cycle: the year's plan of the nearest organization at or
above it that is not a cell under a committee (a cell's own plan implements its committee's;
the committee decides, 000 §2.2.3.2). The rules are the cycle's profile snapshot, so a later
edit of a YAML file never changes a year's results.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from django.core.exceptions import PermissionDenied

from kiemdiem.accounts.access import Action, Kind, allowed, can_at, grants
from kiemdiem.cycles.models import Cycle
from kiemdiem.org.choices import CELL_KINDS, GRASSROOTS_KINDS, OrgKind
from kiemdiem.org.models import Organization
from kiemdiem.rules import RuleProfile, profile_from_dict

_BELOW_COMMITTEE = (OrgKind.CELL, OrgKind.GROUP)


def path_ids(path: str) -> list[int]:
    return [int(seg) for seg in path.strip("/").split("/") if seg]


def grading_cycle(org: Organization, year: int | None = None, near: Cycle | None = None) -> Cycle:
    """The cycle holding `org`'s results: of `year` (or `near`'s), at the deepest ancestor
    (or itself) that is not a cell under a committee. Raises Cycle.DoesNotExist."""
    year = year if year is not None else (near.year if near is not None else None)
    if year is None:
        raise ValueError("a year or a cycle is needed")
    found = list(
        Cycle.objects.filter(organization_id__in=path_ids(org.path), year=year)
        .exclude(organization__kind__in=_BELOW_COMMITTEE)
        .select_related("organization")
        .order_by("-organization__depth")[:1]
    )
    if not found:
        raise Cycle.DoesNotExist(f"Chưa có kế hoạch kiểm điểm năm {year} cho {org.name}.")
    return found[0]


def snapshot_hash(cycle: Cycle) -> str:
    text = json.dumps(cycle.profile_snapshot, sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


@lru_cache(maxsize=64)
def _profile(key: str, text: str) -> RuleProfile:
    return profile_from_dict(json.loads(text))


def profile_of(cycle: Cycle) -> RuleProfile:
    """The cycle's frozen profile, built once per snapshot (the engine compiles it once)."""
    text = json.dumps(cycle.profile_snapshot, sort_keys=True, ensure_ascii=False)
    return _profile(f"{cycle.pk}", text)


def grassroots_of(org: Organization, orgs: dict[int, Organization] | None = None) -> int | None:
    """The id of the nearest grassroots organization at or above `org` (read off the path;
    `orgs` gives the kinds of its ancestors when the caller already has them)."""
    ids = path_ids(org.path)
    if orgs is None:
        orgs = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
    for pk in reversed(ids):
        o = orgs.get(pk)
        if o is not None and o.kind in GRASSROOTS_KINDS:
            return pk
    return None


def deciding_body(org: Organization) -> Organization | None:
    """Who decides the members' levels of a cell: its grassroots organization (a grassroots
    cell decides itself), 000 §2.2.3.2 Bước 2."""
    gid = grassroots_of(org)
    return Organization.objects.filter(pk=gid).first() if gid is not None else None


def acting_body(
    user: Any, action: Action, kind: Kind, org: Organization
) -> tuple[Organization, str]:
    """Which body of the tree acts when `user` does `action` at `org`: the organization
    itself when the user holds a role there (a cell, a grassroots committee), else the
    superior the user's role belongs to. Raises PermissionDenied when neither."""
    from kiemdiem.grading.models import Tier

    if not can_at(user, action, kind, org):
        raise PermissionDenied("Đồng chí không có quyền thực hiện việc này ở tổ chức này.")
    covering = [
        g for g in grants(user)
        if allowed(g.role, kind, action) and org.path.startswith(g.path)
    ]  # fmt: skip
    deepest = max(covering, key=lambda g: len(g.path))
    if deepest.organization_id is None or deepest.path == org.path:
        tier = Tier.CELL if org.kind == OrgKind.CELL else Tier.GRASSROOTS
        if org.kind not in (*CELL_KINDS, *GRASSROOTS_KINDS):
            tier = Tier.SUPERIOR
        return org, tier
    body = Organization.objects.get(pk=deepest.organization_id)
    return body, Tier.SUPERIOR


def without_vote(cycle: Cycle, *, tallied: bool = False) -> bool:
    """A plan that rates by score with no cell vote (QĐ 366-QĐ/TW Điều 12): a scored profile,
    no step of the plan carrying a vote and no vote counted. A plan that adds a vote, as the
    local plans do, keeps the ballot path."""
    sc = profile_of(cycle).caps.scoring
    if sc is None or not sc.enabled or tallied:
        return False
    return not any(
        "bieu_quyet" in (s or []) for s in cycle.steps.values_list("deliverables", flat=True)
    )
