"""The levels a counted ballot declares, through the rule engine as the counting page
shows them (kiemdiem.ballots.results.result_of). Refused in Vietnamese JSON (400) before
the count is final and below the profile's quorum (issue 12 §5): too few attended the
meeting or voted, with the figures and the source."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema

from kiemdiem.api.common import ErrorOut, get_or_404
from kiemdiem.api.routers.ballots import _ballots
from kiemdiem.ballots import results
from kiemdiem.rules.quorum import QuorumError

router = Router(tags=["Bỏ phiếu kín"])


class LevelRowOut(Schema):
    key: str
    name: str
    round: int
    level: str | None = Field(description="Mức đạt (HTXSNV…), trống: chưa xếp loại.")
    revote: bool = Field(description="Chưa mức nào đạt tỷ lệ: biểu quyết lại.")
    reasons: list[str]


class LevelsOut(Schema):
    profile: str
    base: str = Field(description="Cơ sở tính tỷ lệ của bộ quy tắc.")
    rows: list[LevelRowOut]


@router.get(
    "/ballots/{ballot_id}/levels",
    response={200: LevelsOut, 400: ErrorOut},
    summary="Mức xếp loại theo kết quả kiểm phiếu (từ chối khi chưa đủ số lượng tối thiểu)",
)
def ballot_levels(request: HttpRequest, ballot_id: int) -> dict[str, Any]:
    ballot = get_or_404(_ballots(request), pk=ballot_id)
    try:
        result = results.result_of(ballot)
    except QuorumError as exc:
        raise ValidationError(exc.problems) from exc
    rows = [
        {"key": c.key, "name": c.name, "round": c.round, "revote": c.revote,
         "level": c.level.name if c.level else None,
         "reasons": [f"{r.message} ({r.source})" for r in c.reasons]}
        for c in result.candidates
    ]  # fmt: skip
    return {"profile": result.profile_id, "base": result.base_name, "rows": rows}
