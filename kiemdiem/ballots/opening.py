"""The count of a sealed box (issue 12 §3): k members of the ban kiểm phiếu enter their
shares on the counting page; the box is opened in memory, shuffled, counted, the result
stored on the ballot, and the private key dropped. Wrong or too few shares: a Vietnamese
message and nothing changed."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kiemdiem.audit.models import record
from kiemdiem.ballots import sealing
from kiemdiem.ballots.counting import tally_of
from kiemdiem.ballots.models import Ballot, BallotMode, BallotStatus, BoxEntry
from kiemdiem.ballots.services import _require


def needs_shares(ballot: Ballot) -> bool:
    return (
        ballot.mode == BallotMode.ONLINE
        and ballot.status == BallotStatus.CLOSED
        and bool(ballot.public_key)
        and ballot.tally is None
    )


@transaction.atomic
def count_sealed(user: Any, ballot: Ballot, codes: list[str]) -> Ballot:
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    _require(user, ballot.meeting)
    if not needs_shares(ballot):
        raise ValidationError("Cuộc bỏ phiếu này không có hòm phiếu niêm phong đang chờ kiểm.")
    private = sealing.open_key(ballot.wrapped_key or "", ballot.key_threshold or 1, codes)
    sealed = list(BoxEntry.objects.filter(ballot=ballot).values_list("sealed", flat=True))
    opened = [sealing.unseal(private, s) for s in sealed if s is not None]
    del private  # only this frame held it; nothing of it is written anywhere
    # The stored order is already random (close); shuffled again so the opened list in
    # memory follows no stored order either.
    secrets.SystemRandom().shuffle(opened)
    ballot.tally = {"returned": len(opened), "rows": tally_of(opened)}
    ballot.counted_at = timezone.now()
    ballot.save(update_fields=["tally", "counted_at"])
    record(user, "count_sealed_ballot", ballot, new={"returned": len(opened)})
    return ballot
