"""Which comments each member needs, derived for a whole cycle in a fixed number of queries.

The rules are data (`requirements.yaml`). A cycle's frozen profile may carry a `feedback`
section with the same shape; it overrides the defaults key by key, e.g.

    feedback:
      kinds:
        residence: {categories: [ccvc, armed_forces]}   # 000 §1.4.1b: only for CCVC
        former_cell: {min_months: 3}
        workplace: {enabled: false}
      due_deliverable: nhan_xet

Queries, whatever the number of members: the members (1), their current posts (1), and, only
when a kind is requested by the committee, the committees above their cells (1).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.db.models import Q, QuerySet

from kiemdiem.cycles.models import Cycle
from kiemdiem.feedback.models import FeedbackKind
from kiemdiem.org.choices import GRASSROOTS_KINDS, PositionRank, Suspension
from kiemdiem.org.models import Member, Organization, Position, add_months
from kiemdiem.rules.sources import readable

DEFAULTS_FILE = Path(__file__).with_name("requirements.yaml")
MASS_ORG_DEFAULT = ("doan_tn", "hoi_phu_nu", "hoi_nong_dan", "hoi_ccb", "cong_doan")
_RANK_ORDER = {PositionRank.HEAD: 0, PositionRank.DEPUTY: 1, PositionRank.MEMBER: 2}


@dataclass(frozen=True, slots=True)
class Need:
    member_id: int
    kind: str
    from_organization_id: int
    to_organization_id: int | None
    to_name: str
    reason: str


@lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    with DEFAULTS_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def settings_for(cycle: Cycle | None) -> dict[str, Any]:
    """The YAML defaults with the cycle's `feedback` section laid over them."""
    override = (cycle.profile_snapshot or {}).get("feedback") if cycle else None
    return _merge(_defaults(), _set_only(override)) if isinstance(override, dict) else _defaults()


def _set_only(value: Any) -> Any:
    """The profile's snapshot writes every key, unset ones as null: only the set ones
    override the defaults."""
    if isinstance(value, dict):
        return {k: _set_only(v) for k, v in value.items() if v is not None}
    return value


def form_spec(cycle: Cycle | None, kind: str) -> dict[str, Any]:
    """The answer form (items and marks) used for a kind of comment."""
    conf = settings_for(cycle)
    name = conf["kinds"].get(kind, {}).get("form", "comment")
    spec: dict[str, Any] = dict(conf["forms"][name])
    spec["code"] = name
    return spec


def kind_label(cycle: Cycle | None, kind: str) -> str:
    label = settings_for(cycle)["kinds"].get(kind, {}).get("label")
    return str(label) if label else str(FeedbackKind(kind).label)


def _new_member_months(cycle: Cycle) -> int:
    # Read the one setting straight from the snapshot rather than through the rule engine, so
    # a `feedback` section the engine does not know never breaks this derivation.
    eligibility = (cycle.profile_snapshot or {}).get("eligibility") or {}
    return int(eligibility.get("new_member_months", 6))


def _months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end (Jan 15 -> Jul 15 is 6)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months if add_months(start, months) <= end else months - 1


def _current_posts(members_qs: QuerySet[Member], on: dt.date) -> dict[int, list[dict[str, Any]]]:
    # The members as a subquery, not a list of ids: a district's 25,000 ids as parameters
    # cost more to send and plan than the join (and SQLite caps parameters at 32,766).
    posts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        Position.objects.filter(member__in=members_qs.values("pk"), start_on__lte=on)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
        .values(
            "member_id", "is_leader", "rank", "start_on", "organization_id",
            "collective__kind", "collective__name", "collective__organization_id",
        )
        .order_by("member_id", "start_on", "pk")
    )  # fmt: skip
    for p in rows:
        posts[p["member_id"]].append(dict(p))
    for plist in posts.values():
        plist.sort(key=lambda p: (_RANK_ORDER.get(p["rank"], 9), p["start_on"]))
    return posts


def _committees(cell_paths: set[str]) -> dict[str, int]:
    """For each cell path, the nearest grassroots organization on it (itself for a
    grassroots cell), in one query."""
    ids = {int(seg) for p in cell_paths for seg in p.strip("/").split("/") if seg}
    found = dict(
        Organization.objects.filter(pk__in=ids, kind__in=GRASSROOTS_KINDS).values_list(
            "pk", "depth"
        )
    )
    result: dict[str, int] = {}
    for path in cell_paths:
        chain = [int(seg) for seg in path.strip("/").split("/") if seg]
        hits = [pk for pk in chain if pk in found]
        if hits:
            result[path] = hits[-1]
    return result


def required_feedback(cycle: Cycle, members_qs: QuerySet[Member] | None = None) -> list[Need]:
    """The comments every member of `members_qs` (default: the cycle's subtree, by official
    cell) needs in this cycle, with who asks and who answers."""
    conf = settings_for(cycle)
    kinds: dict[str, dict[str, Any]] = {
        k: v for k, v in conf["kinds"].items() if v.get("enabled", True) and k in FeedbackKind
    }
    if FeedbackKind.WORKPLACE in kinds:
        # Posts in mass organizations are their own kind, not the workplace's.
        mass = conf["kinds"].get("mass_org", {}).get("collective_kinds") or MASS_ORG_DEFAULT
        kinds[FeedbackKind.WORKPLACE] = {**kinds[FeedbackKind.WORKPLACE], "_mass": set(mass)}
    on = cycle.reference_date
    if members_qs is None:
        members_qs = Member.objects.filter(cell__path__startswith=cycle.organization.path)
    # Plain dicts: the derivation reads a few fields of many rows, no model instances.
    rows: Any = members_qs.values(
        "pk", "cell_id", "cell__path", "category", "exempt_since", "suspension",
        "admitted_on", "temporary_cell_id", "temporary_since", "transferred_on",
        "former_cell_id", "former_cell_name", "residence_cell_id",
    )  # fmt: skip
    members: list[dict[str, Any]] = list(rows)
    skip = set(conf.get("skip") or ())
    new_after = add_months(on, -_new_member_months(cycle))
    members = [m for m in members if not _skipped(m, skip, new_after)]
    posts = _current_posts(members_qs, on) if members else {}
    by_committee = any(v.get("requested_by") == "committee" for v in kinds.values())
    committees = _committees({m["cell__path"] for m in members}) if by_committee else {}
    needs: list[Need] = []
    for m in members:
        for kind, spec in kinds.items():
            target = _TARGETS[kind](m, posts.get(m["pk"], []), spec, cycle)
            if target is None:
                continue
            to_id, to_name, why = target
            sender = m["cell_id"]
            if spec.get("requested_by") == "committee":
                sender = committees.get(m["cell__path"], sender)
            cited = readable(str(spec.get("source") or ""), short=True)
            reason = f"{why} ({cited})" if cited else why
            needs.append(Need(m["pk"], kind, sender, to_id, to_name, reason[:300]))
    return needs


def _skipped(m: dict[str, Any], skip: set[str], new_after: dt.date) -> bool:
    if "exempt" in skip and m["exempt_since"]:
        return True
    if "suspended" in skip and m["suspension"] == Suspension.PARTY:
        return True
    return "new" in skip and m["admitted_on"] > new_after


Target = tuple[int | None, str, str] | None


def _residence(m: dict[str, Any], posts: list[Any], spec: dict[str, Any], c: Cycle) -> Target:
    categories = spec.get("categories")
    if categories and m["category"] not in categories:
        return None
    residence = m["residence_cell_id"]
    # A member who attends at their residence cell is commented on by their own cell.
    if residence is None or residence == m["cell_id"]:
        return None
    return residence, "", "Sinh hoạt ở chi bộ nơi công tác, có chi bộ nơi cư trú"


def _workplace(m: dict[str, Any], posts: list[Any], spec: dict[str, Any], c: Cycle) -> Target:
    mass = spec.get("_mass") or set(MASS_ORG_DEFAULT)
    for p in posts:
        if not p["is_leader"] or p["collective__kind"] in mass:
            continue
        org = p["organization_id"] or p["collective__organization_id"]
        if spec.get("skip_same_cell", True) and org == m["cell_id"]:
            continue
        return org, p["collective__name"] or "", "Cán bộ lãnh đạo, quản lý: lấy ý kiến nơi công tác"
    return None


def _mass_org(m: dict[str, Any], posts: list[Any], spec: dict[str, Any], c: Cycle) -> Target:
    kinds = set(spec.get("collective_kinds") or MASS_ORG_DEFAULT)
    ranks = spec.get("ranks")
    held = [
        p for p in posts
        if p["collective__kind"] in kinds and (not ranks or p["rank"] in ranks)
    ]  # fmt: skip
    if not held:
        return None
    # 001 §2.2.2a: several mass organizations answer together, once: one request, all named.
    names = ", ".join(dict.fromkeys(p["collective__name"] for p in held))
    why = "Giữ chức vụ trong đoàn thể: lấy ý kiến ban chấp hành đoàn thể"
    return held[0]["collective__organization_id"], names[:300], why


def _temporary(m: dict[str, Any], posts: list[Any], spec: dict[str, Any], c: Cycle) -> Target:
    if not m["temporary_cell_id"]:
        return None
    since = m["temporary_since"]
    if since and since > c.reference_date:
        return None
    minimum = int(spec.get("min_months") or 0)
    if minimum and (since is None or _months_between(since, c.reference_date) < minimum):
        return None
    return m["temporary_cell_id"], "", "Sinh hoạt tạm thời: chi bộ tạm thời nhận xét"


def _former(m: dict[str, Any], posts: list[Any], spec: dict[str, Any], c: Cycle) -> Target:
    moved = m["transferred_on"]
    if not moved or moved > c.reference_date:
        return None
    # Time at the old cell counts within the year under review (from 1 January, or from
    # admission if later): a member who moved before the year began was all year here.
    start = max(dt.date(c.year, 1, 1), m["admitted_on"])
    minimum = int(spec.get("min_months", 6))
    if moved <= start or _months_between(start, moved) < minimum:
        return None
    why = f"Chuyển sinh hoạt đến, đã công tác ở chi bộ cũ từ {minimum} tháng trở lên"
    if m["former_cell_id"]:
        return m["former_cell_id"], "", why
    if m["former_cell_name"]:
        return None, m["former_cell_name"], why + "; nơi cũ ngoài hệ thống: nhận phiếu giấy"
    return None


_TARGETS: dict[str, Any] = {
    FeedbackKind.RESIDENCE: _residence,
    FeedbackKind.WORKPLACE: _workplace,
    FeedbackKind.MASS_ORG: _mass_org,
    FeedbackKind.TEMPORARY_CELL: _temporary,
    FeedbackKind.FORMER_CELL: _former,
}


def due_from_plan(cycle: Cycle) -> dt.date | None:
    """The deadline of the plan's earliest step delivering comments, if any (one query)."""
    code = settings_for(cycle).get("due_deliverable") or "nhan_xet"
    ends = [
        s["ends_on"]
        for s in cycle.steps.values("ends_on", "deliverables")
        if code in (s["deliverables"] or [])
    ]  # JSON "contains" is not portable to SQLite: the few steps are filtered here.
    return min(ends) if ends else None
