"""Mẫu 05 (HD 43-HD/BTCTW): quarterly self-ratings recorded through the year by the member
(or the cell on the member's behalf), and read beside the yearly score."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kiemdiem.accounts.access import Action
from kiemdiem.audit.models import record
from kiemdiem.cycles.models import Cycle
from kiemdiem.org.models import Member
from kiemdiem.reviews.models import PeriodicRating, QualityLevel
from kiemdiem.reviews.scoring import ScoreError, fmt, parse_score
from kiemdiem.reviews.self_reviews import DENIED, may


@transaction.atomic
def record_quarter(
    user: Any, cycle: Cycle, member: Member, *, quarter: int, score: str, level: str,
    products: str,
) -> PeriodicRating:  # fmt: skip
    """Save one quarter's self-rating; a second save of the same quarter replaces it."""
    if not may(user, Action.EDIT, member):
        raise PermissionDenied(DENIED)
    errors = []
    if quarter not in (1, 2, 3, 4):
        errors.append("Quý phải từ 1 đến 4.")
    try:
        value = parse_score(score, Decimal(100), "Điểm tự chấm")
    except ScoreError as exc:
        errors.append(str(exc))
    if level not in QualityLevel.values:
        errors.append("Chọn mức tự xếp loại của quý.")
    if not products.strip():
        errors.append("Ghi sản phẩm, kết quả cụ thể của quý (Mẫu 05).")
    if errors:
        raise ValidationError(errors)
    row, _ = PeriodicRating.objects.update_or_create(
        cycle=cycle, member=member, quarter=quarter,
        defaults={"score": value, "level": level, "products": products.strip(),
                  "entered_by": user},
    )  # fmt: skip
    record(user, "periodic_rating", row, new={"quarter": quarter, "score": str(value),
           "level": level}, summary=f"Mẫu 05 quý {quarter} của {member.full_name}")  # fmt: skip
    return row


def quarter_lines(ratings: list[PeriodicRating]) -> str:
    """ "Quý 1: 86 (HTTNV); Quý 2: 91 (HTXSNV)": the line shown beside the yearly score."""
    return "; ".join(f"Quý {r.quarter}: {fmt(r.score)} ({r.level})" for r in ratings)


def quarters_of(cycle: Cycle, member_ids: list[int]) -> dict[int, str]:
    """Each member's quarterly line for a cell page, in one query."""
    found: dict[int, list[PeriodicRating]] = {}
    rows = PeriodicRating.objects.filter(cycle=cycle, member_id__in=member_ids).order_by(
        "member_id", "quarter"
    )
    for r in rows:
        found.setdefault(r.member_id, []).append(r)
    return {mid: quarter_lines(rs) for mid, rs in found.items()}
