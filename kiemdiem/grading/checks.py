"""The rules a decision must keep, whatever level is chosen (domain.md §2, §4.2):

- a leadership collective is decided before its members (000 §2.3: "tập thể lãnh đạo,
  quản lý trước, cá nhân thành viên sau"; 000 §1.4.3);
- a lower unit before its superior (000 §2.3: "tập thể cấp dưới trước, cấp trên sau");
- the party committee after the government and mass-organization collectives of the same
  organization (000 §1.4.3);
- the head (and, where the profile says so, the deputy) is never above the collective or
  organization they lead (the profile's `caps.head`: 003 §III, 004 §2(5)).

Each check returns Vietnamese messages; the services refuse the whole act if any is found.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiemdiem.grading.facts import MemberRow, Post
from kiemdiem.org.choices import CollectiveKind, PositionRank
from kiemdiem.org.models import Collective, Organization
from kiemdiem.rules import Level, RuleProfile
from kiemdiem.rules.sources import readable

ORDER_SOURCE = readable("000 §2.3; 000 §1.4.3")
PARTY_COLLECTIVES = (
    CollectiveKind.PARTY_EXECUTIVE,
    CollectiveKind.PARTY_STANDING,
    CollectiveKind.CELL_COMMITTEE,
)


def _unit_name(post: Post, names: dict[str, str]) -> str:
    return names.get(post.key, "tập thể")


def member_checks(
    row: MemberRow,
    level: Level,
    profile: RuleProfile,
    unit_levels: dict[str, Level],
    names: dict[str, str],
) -> list[str]:
    """Why `row`'s member cannot be decided at `level` now (empty: they can)."""
    problems: list[str] = []
    who = row.name
    for post in row.posts:
        if post.collective_id is not None and post.key not in unit_levels:
            problems.append(
                f"{who}: tập thể “{_unit_name(post, names)}” chưa được xếp loại — tập thể lãnh "
                f"đạo, quản lý xếp loại trước, cá nhân thành viên sau ({ORDER_SOURCE})."
            )
    head = profile.caps.head
    if head is None or not head.enabled:
        return problems
    ranks: dict[str, str] = {PositionRank.HEAD: "người đứng đầu"}
    if head.deputy:
        ranks[PositionRank.DEPUTY] = "cấp phó"
    for post in row.posts:
        if post.rank not in ranks:
            continue
        unit_level = unit_levels.get(post.key)
        name = _unit_name(post, names)
        if unit_level is None:
            if post.collective_id is None:  # an organization headed: decided first too
                problems.append(
                    f"{who} là {ranks[post.rank]} của “{name}”, mà “{name}” chưa được xếp "
                    f"loại: cần xếp loại tổ chức trước ({head.source})."
                )
            continue
        if level > unit_level:
            problems.append(
                f"{who} là {ranks[post.rank]} của “{name}”: mức xếp loại {level.name} không được "
                f"cao hơn mức của tập thể, tổ chức ({unit_level.name}) ({head.source})."
            )
    return problems


def unit_names(posts: Iterable[Post]) -> dict[str, str]:
    """Names of the collectives and organizations in `posts` (two queries at most)."""
    posts = list(posts)
    cids = {p.collective_id for p in posts if p.collective_id is not None}
    oids = {p.organization_id for p in posts if p.collective_id is None and p.organization_id}
    names = {
        f"c:{pk}": n for pk, n in Collective.objects.filter(pk__in=cids).values_list("pk", "name")
    }
    names.update(
        {
            f"o:{pk}": n
            for pk, n in Organization.objects.filter(pk__in=oids).values_list("pk", "name")
        }
    )
    return names


def collective_checks(
    collective: Collective, siblings_pending: list[str], lower_pending: list[str]
) -> list[str]:
    """A party committee after the other collectives of its organization; any collective
    after the units below it."""
    problems = []
    if collective.kind in PARTY_COLLECTIVES and siblings_pending:
        problems.append(
            f"“{collective.name}” là tập thể cấp ủy: xếp loại sau các tập thể chính quyền, "
            f"chuyên môn, đoàn thể cùng cấp; còn chưa xếp loại: {', '.join(siblings_pending)} "
            f"({ORDER_SOURCE})."
        )
    if lower_pending:
        problems.append(
            f"“{collective.name}”: các đơn vị cấp dưới chưa được xếp loại "
            f"({', '.join(lower_pending[:5])}{'…' if len(lower_pending) > 5 else ''}): "
            f"cấp dưới trước, cấp trên sau ({ORDER_SOURCE})."
        )
    return problems


def organization_checks(org: Organization, lower_pending: list[str]) -> list[str]:
    if not lower_pending:
        return []
    shown = ", ".join(lower_pending[:5]) + ("…" if len(lower_pending) > 5 else "")
    return [
        f"“{org.name}”: các tổ chức cấp dưới chưa được xếp loại ({shown}): cấp dưới trước, "
        f"cấp trên sau ({ORDER_SOURCE})."
    ]
