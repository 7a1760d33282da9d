"""Small builders for the review tests: a cycle with a hand-written profile snapshot, and a
complete self-review answer set for a variant."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiemdiem.cycles.models import Cycle
from kiemdiem.org.models import Organization
from kiemdiem.reviews import formdefs
from kiemdiem.reviews.models import SelfReview

SNAPSHOTS: dict[str, dict[str, Any]] = {
    "qd366-2025": {"id": "qd366-2025", "form_variant": "2A/2B/2C",
                   "caps": {"scoring": {"htxsnv_from": 90, "httnv_from": 70, "htnv_from": 50}},
                   "meeting": {"length_days": "1", "length_days_with_suggestions": "3/2"}},
    "thanhlien-2023": {"id": "thanhlien-2023", "inherits": "qd124-2023", "form_variant": "02A/02B"},
    "dhktna-2016": {"id": "dhktna-2016", "form_variant": "02"},
}  # fmt: skip


def cycle(org: Organization, profile_id: str = "qd366-2025", **snapshot: Any) -> Cycle:
    return Cycle.objects.create(
        organization=org, year=2026, title="Kế hoạch kiểm điểm năm 2026",
        number_symbol="52-KH/ĐU", issued_on=dt.date(2026, 11, 2), profile_id=profile_id,
        profile_snapshot={**SNAPSHOTS.get(profile_id, {"id": profile_id}), **snapshot},
        reference_date=dt.date(2026, 11, 20),
    )  # fmt: skip


def full_answers(review: SelfReview, *, score: str = "5") -> dict[str, Any]:
    """Everything a complete paper of the review's variant holds."""
    form = formdefs.variant(review.variant)
    data: dict[str, Any] = {
        "answers": {s.key: f"Nội dung {s.key}" for s in form.sections_for(review.leader)},
        "manifestations": {i: "1" for i in formdefs.manifestation_ids()},
        "criteria": {c.key: "tot" for c in form.criteria_for(review.leader)},
        "self_level": "HTTNV",
        "self_scores": {},
    }
    if form.framework is not None:
        data["self_scores"] = {c.id: score for c in form.framework.criteria}
    return data
