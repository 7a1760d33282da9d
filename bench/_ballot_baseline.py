"""The straightforward vote (issue 12, Done-when 2), as `services.cast` was written before
it kept an open ballot's fixed facts per process: every vote reads the ballot and its
candidates again, checks it is open, then does the same sealed write. Timed beside the real
path in bench_ballots.py (bench/_compare.py), on the same kind of ballot."""

from __future__ import annotations

from typing import Any


def cast(ballot_id: int, code: str, marks: dict[str, str]) -> Any:
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from kiemdiem.ballots import sealing, services
    from kiemdiem.ballots.counting import BLANK, choices_for
    from kiemdiem.ballots.models import Ballot, BallotStatus, RollEntry

    ballot = Ballot.objects.filter(pk=ballot_id).first()
    if ballot is None or ballot.status != BallotStatus.OPEN:
        raise ValidationError("Cuộc bỏ phiếu không mở.")
    keys = list(ballot.candidates.values_list("key", flat=True))
    allowed = {*choices_for(ballot.method), BLANK}
    clean = {k: marks.get(k) or BLANK for k in keys}
    if set(marks) - set(keys) or any(v not in allowed for v in clean.values()):
        raise ValidationError("Phiếu không hợp lệ.")
    sealed = sealing.seal(ballot.public_key, clean) if ballot.public_key else None
    digest = services.code_hash(ballot.pk, code)
    with transaction.atomic():
        if services._held_open(ballot.pk) is None:
            raise ValidationError("Cuộc bỏ phiếu không mở.")
        updated = RollEntry.objects.filter(
            ballot_id=ballot.pk, code_hash=digest, has_voted=False, may_vote=True
        ).update(has_voted=True)
        if updated == 1:
            entry = services._box_entry(ballot.pk, clean, sealed)
            entry.save(force_insert=True)
            return services.CastResult(True, entry.receipt)
    return services.CastResult(False)
