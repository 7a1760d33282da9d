"""The superior's acts: appraise a grassroots organization's decisions (agree, or send back
with a reason), order re-classification where the excellent share breaks the rule, and
close the order once the unit has decided again within the quota (000 §1.4.4, §2.3;
004 §2(6))."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kiemdiem.accounts.access import Action, can_at
from kiemdiem.audit.models import record
from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.confirm import missing_decisions
from kiemdiem.grading.context import acting_body, profile_of
from kiemdiem.grading.models import (
    Decision,
    ReclassificationOrder,
    Step,
    SubjectType,
    Verdict,
)
from kiemdiem.grading.quotas import QuotaView, superior_counts
from kiemdiem.grading.services import K, acts_summary, insert_decisions
from kiemdiem.org.choices import GRASSROOTS_KINDS
from kiemdiem.org.models import Organization


def _grassroots(org: Organization) -> None:
    if org.kind not in GRASSROOTS_KINDS:
        raise ValidationError(f"{org.name} không phải là tổ chức cơ sở đảng.")


@transaction.atomic
def appraise(
    user: Any,
    cycle: Cycle,
    org: Organization,
    verdict: str,
    reason: str = "",
    member_ids: list[int] | None = None,
) -> int:
    """The superior appraises the standing decisions on the members of a grassroots
    organization: agree, or send back with a reason (the organization then decides again)."""
    _grassroots(org)
    body, tier = acting_body(user, Action.APPRAISE, K, org)
    if verdict not in Verdict.values:
        raise ValidationError("Ý kiến thẩm định không hợp lệ.")
    reason = reason.strip()
    if verdict == Verdict.RETURN and not reason:
        raise ValidationError("Trả lại thì cần ghi lý do để cơ sở xem xét lại.")
    current = Decision.objects.current().filter(
        cycle=cycle, subject_type=SubjectType.MEMBER, grassroots=org
    )
    decided = list(current.filter(step=Step.DECIDE))
    if member_ids is not None:
        wanted = set(member_ids)
        decided = [d for d in decided if d.member_id in wanted]
        if len(decided) < len(wanted):
            raise ValidationError("Có đảng viên chưa được quyết định xếp loại: chưa thể thẩm định.")
    if not decided:
        raise ValidationError(f"{org.name} chưa có quyết định xếp loại nào để thẩm định.")
    missing = missing_decisions(cycle, org) if member_ids is None else 0
    if verdict == Verdict.AGREE and missing and not reason:
        # Issue 15 §4: "Nhất trí" was recorded where 294 of 343 members had no decision.
        raise ValidationError(
            f"{missing} đảng viên của {org.name} chưa có quyết định xếp loại: nhất trí khi "
            "còn thiếu quyết định thì cần ghi lý do."
        )
    earlier = {d.subject_key: d for d in current.filter(step=Step.APPRAISE)}
    made = []
    for d in decided:
        prev = earlier.get(d.subject_key)
        if prev is not None and prev.pk > d.pk and prev.verdict == verdict:
            continue  # already appraised so, after this decision
        made.append(
            Decision(
                cycle=cycle,
                step=Step.APPRAISE,
                verdict=verdict,
                reason=reason,
                body=body,
                tier=tier,
                subject_type=SubjectType.MEMBER,
                subject_key=d.subject_key,
                member_id=d.member_id,
                place_id=d.place_id,
                grassroots=org,
                proposal_level=d.level,
                proposal_fingerprint=d.proposal_fingerprint,
                supersedes=prev,
                made_by=user,
            )
        )
    insert_decisions(made)
    record(
        user,
        "appraise_members",
        org,
        new={**acts_summary(made), "verdict": verdict, "reason": reason},
        summary=f"{body.name} thẩm định kết quả xếp loại của {org.name}",
    )
    return len(made)


def breaches(cycle: Cycle, org: Organization) -> list[QuotaView]:
    """The quotas the grassroots organization's decided levels break now."""
    decisions = Decision.objects.filter(cycle=cycle, grassroots=org)
    counts = superior_counts(profile_of(cycle), decisions, {}, {org.pk: org.name})
    return [v for u in counts for v in u.views if v.breach]


@transaction.atomic
def order_reclassification(
    user: Any, cycle: Cycle, org: Organization, reason: str
) -> ReclassificationOrder:
    """Order a grassroots organization to classify again where its excellent share breaks
    the rule (000 §2.3: "xếp loại lại ở những nơi tỷ lệ xếp loại HTXSNV không đúng quy
    định"; 004 §2(6))."""
    _grassroots(org)
    body, _tier = acting_body(user, Action.APPRAISE, K, org)
    if not reason.strip():
        raise ValidationError("Cần ghi lý do yêu cầu xếp loại lại.")
    found = breaches(cycle, org)
    if not found:
        raise ValidationError(
            f"Tỷ lệ xếp loại của {org.name} đúng quy định: không có căn cứ yêu cầu xếp loại lại."
        )
    first = found[0]
    order = ReclassificationOrder.objects.create(
        cycle=cycle,
        organization=org,
        subject_type=SubjectType.MEMBER,
        level=first.level,
        used=first.used,
        allowed=first.allowed,
        rule_source=first.source[:300],
        reason=reason.strip(),
        body=body,
        ordered_by=user,
    )
    record(
        user,
        "order_reclassification",
        order,
        new={
            "level": first.level,
            "used": first.used,
            "allowed": first.allowed,
            "reason": order.reason,
        },
        summary=f"{body.name} yêu cầu {org.name} xếp loại lại",
    )
    return order


def open_orders(cycle: Cycle, org: Organization) -> list[ReclassificationOrder]:
    ids = [int(s) for s in org.path.strip("/").split("/") if s]
    return list(
        ReclassificationOrder.objects.filter(
            Q(organization_id__in=ids) | Q(organization__path__startswith=org.path),
            cycle=cycle,
            resolved_at__isnull=True,
        ).select_related("organization", "body")
    )


@transaction.atomic
def resolve_order(user: Any, order: ReclassificationOrder) -> ReclassificationOrder:
    """The unit reports it has classified again; refused while the share still breaks."""
    org = order.organization
    if not can_at(user, Action.DECIDE, K, org):
        raise PermissionDenied("Đồng chí không có quyền báo cáo việc xếp loại lại của đơn vị này.")
    if not order.is_open:
        raise ValidationError("Yêu cầu này đã được báo cáo hoàn thành.")
    still = breaches(order.cycle, org)
    if still:
        v = still[0]
        raise ValidationError(
            f"{org.name} vẫn vượt tỷ lệ: {v.used} {v.level}, chỉ được {v.allowed} "
            f"({v.share} {v.base_label}; {v.source})."
        )
    order.resolved_at, order.resolved_by = timezone.now(), user
    order.save(update_fields=["resolved_at", "resolved_by"])
    record(
        user,
        "resolve_reclassification",
        order,
        new={"resolved": True},
        summary=f"{org.name} báo cáo đã xếp loại lại",
    )
    return order
