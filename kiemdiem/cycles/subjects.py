"""Who is reviewed where (domain.md §1, §3; issue 4 §3), derived for a whole cycle in a fixed
number of queries.

- each member at their cell; a temporarily attached member is reviewed at the temporary cell
  and classified at the official one;
- exempt members are not reviewed; new (< N months) and suspended members as the profile says;
- leaders also before each collective where they hold a current post, but in at most three
  places — their cell, the post they chair, their highest post — and only report elsewhere
  (000 §2.2).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.audit.models import record
from kiemdiem.cycles.models import Cycle, Subject, SubjectKind
from kiemdiem.org.choices import CollectiveKind, PositionRank, Suspension
from kiemdiem.org.models import Member, Position, add_months
from kiemdiem.rules import profile_from_dict
from kiemdiem.rules.sources import readable

# Which post is "highest" when a leader holds several (lower number first).
COLLECTIVE_RANK = {
    CollectiveKind.PARTY_STANDING: 0,
    CollectiveKind.PARTY_EXECUTIVE: 1,
    CollectiveKind.PEOPLES_COMMITTEE: 2,
    CollectiveKind.PEOPLES_COUNCIL: 3,
    CollectiveKind.FATHERLAND_FRONT: 4,
}
SOURCE_PLACES = readable(
    "000 §2.2: kiểm điểm không quá ba nơi (chi bộ, chức vụ cao nhất, nơi đứng đầu)"
)


@dataclass(frozen=True)
class Row:
    member_id: int
    place_id: int | None
    collective_id: int | None
    kind: str
    why: str


def derive(cycle: Cycle, today: dt.date | None = None) -> list[Row]:
    """The rows for every member of the cycle's subtree (officially or temporarily)."""
    e = profile_from_dict(cycle.profile_snapshot).eligibility
    on = today or cycle.reference_date
    new_after = add_months(on, -e.new_member_months)
    path = cycle.organization.path
    members = list(
        Member.objects.filter(
            Q(cell__path__startswith=path) | Q(temporary_cell__path__startswith=path)
        ).values("pk", "cell_id", "temporary_cell_id", "exempt_since", "suspension", "admitted_on")
    )
    posts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    current = Position.objects.filter(
        member_id__in=[m["pk"] for m in members],
        is_leader=True,
        collective__isnull=False,
        start_on__lte=on,
    ).filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
    for p in current.values("member_id", "collective_id", "collective__kind", "rank"):
        posts[p["member_id"]].append(dict(p))
    rows: list[Row] = []
    for m in members:
        rows += _member_rows(dict(m), posts.get(m["pk"], []), e, new_after)
    return rows


def _member_rows(
    m: dict[str, Any], posts: list[dict[str, Any]], e: Any, new_after: dt.date
) -> list[Row]:
    pk, cell = m["pk"], m["cell_id"]
    if m["exempt_since"]:
        return [Row(pk, cell, None, SubjectKind.EXCLUDED, "Miễn công tác và sinh hoạt đảng")]
    if m["suspension"] == Suspension.PARTY and not e.suspended_reviewed:
        return [Row(pk, cell, None, SubjectKind.EXCLUDED, f"Đình chỉ sinh hoạt đảng ({e.source})")]
    new = m["admitted_on"] > new_after
    if new and not e.new_members_reviewed:
        why = f"Mới kết nạp dưới {e.new_member_months} tháng ({e.source})"
        return [Row(pk, cell, None, SubjectKind.EXCLUDED, why)]
    classified = not new and m["suspension"] != Suspension.PARTY
    rows: list[Row]
    if m["temporary_cell_id"]:
        rows = [
            Row(pk, m["temporary_cell_id"], None, SubjectKind.REVIEW_ONLY,
                "Sinh hoạt tạm thời: kiểm điểm tại chi bộ sinh hoạt tạm thời"),
            Row(pk, cell, None, SubjectKind.CLASSIFY_ONLY if classified else SubjectKind.EXCLUDED,
                "Xếp loại tại chi bộ sinh hoạt chính thức, có nhận xét của chi bộ tạm thời"),
        ]  # fmt: skip
    else:
        kind = SubjectKind.REVIEW_AND_CLASSIFY if classified else SubjectKind.REVIEW_ONLY
        why = "Kiểm điểm tại chi bộ" if classified else "Kiểm điểm, chưa xếp loại"
        rows = [Row(pk, cell, None, kind, why)]
    return rows + _collective_rows(pk, posts)


def _collective_rows(pk: int, posts: list[dict[str, Any]]) -> list[Row]:
    """Leaders review before their collectives: the chaired post and the highest post count
    as places (with the cell, three at most); the other posts only report."""
    if not posts:
        return []
    by_rank = sorted(posts, key=lambda p: (COLLECTIVE_RANK.get(p["collective__kind"], 9),
                                           p["rank"] != PositionRank.HEAD))  # fmt: skip
    chaired = next((p for p in by_rank if p["rank"] == PositionRank.HEAD), None)
    # With the cell, the chaired post and the highest post make the three places at most.
    chosen = {p["collective_id"] for p in (chaired, by_rank[0]) if p is not None}
    rows = []
    for p in by_rank:
        if p["collective_id"] in chosen:
            rows.append(Row(pk, None, p["collective_id"], SubjectKind.REVIEW_ONLY,
                            "Cán bộ lãnh đạo kiểm điểm trước tập thể nơi giữ chức vụ"))  # fmt: skip
        else:
            rows.append(Row(pk, None, p["collective_id"], SubjectKind.REPORT_ONLY, SOURCE_PLACES))
    return rows


def _require(user: Any, cycle: Cycle) -> None:
    if not can_at(user, Action.EDIT, Kind.CYCLE, cycle.organization):
        raise PermissionDenied("Đồng chí không có quyền điều chỉnh đối tượng kiểm điểm.")


@transaction.atomic
def rebuild(user: Any, cycle: Cycle) -> int:
    """Derive again; rows the office corrected are kept as corrected."""
    _require(user, cycle)
    corrected = {
        (s.member_id, s.place_id, s.collective_id)
        for s in cycle.subjects.exclude(correction="").only(
            "member_id", "place_id", "collective_id"
        )
    }
    cycle.subjects.filter(correction="").delete()
    new = [
        Subject(cycle=cycle, member_id=r.member_id, place_id=r.place_id,
                collective_id=r.collective_id, kind=r.kind, why=r.why)
        for r in derive(cycle)
        if (r.member_id, r.place_id, r.collective_id) not in corrected
    ]  # fmt: skip
    Subject.objects.bulk_create(new, batch_size=1000)
    record(user, "derive_subjects", cycle, new={"rows": len(new)})
    return len(new)


@transaction.atomic
def correct(user: Any, subject: Subject, kind: str, reason: str) -> Subject:
    _require(user, subject.cycle)
    if kind not in SubjectKind.values:
        raise ValidationError("Hình thức không hợp lệ.")
    if not reason.strip():
        raise ValidationError("Cần ghi lý do điều chỉnh.")
    old = {"kind": subject.kind}
    subject.kind, subject.correction, subject.corrected_by = kind, reason.strip(), user
    subject.save(update_fields=["kind", "correction", "corrected_by"])
    record(user, "correct_subject", subject, old=old, new={"kind": kind, "reason": reason})
    return subject
