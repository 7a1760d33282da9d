"""Reissue the unused slips of an open online ballot (issue 12 §5): a slip lost or seen by
someone else gets a new code, the old one is void; cast ballots and the box are untouched."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kiemdiem.audit.models import record
from kiemdiem.ballots.models import Ballot, BallotMode, BallotStatus
from kiemdiem.ballots.services import CODE_ALPHABET, _require, code_hash


@transaction.atomic
def reissue_unused(user: Any, ballot: Ballot) -> list[tuple[str, str]]:
    """New codes for everyone on the roll who may vote and has not: (name, code), shown
    once like the first slips, stored only as hashes. The audit row holds the number only."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    _require(user, ballot.meeting)
    if ballot.mode != BallotMode.ONLINE or ballot.status != BallotStatus.OPEN:
        raise ValidationError("Chỉ phát lại mã khi cuộc bỏ phiếu trực tuyến đang mở.")
    slips = []
    # The roll's row lock (the same rows a vote updates) means a vote either commits
    # first — and its slip is used, not reissued — or waits and meets the new hash.
    for entry in ballot.roll.select_for_update().filter(may_vote=True, has_voted=False):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        entry.code_hash = code_hash(ballot.pk, code)
        entry.save(update_fields=["code_hash"])
        slips.append((entry.name, code))
    if not slips:
        raise ValidationError(
            "Mọi người được biểu quyết đã bỏ phiếu: không còn mã nào để phát lại."
        )
    record(user, "reissue_slips", ballot, new={"reissued": len(slips)})
    return slips
