"""Reissue unused slips (issue 12 §5): new codes for those who have not voted, the old
codes void, cast ballots untouched, one audit row with the number only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kiemdiem.audit.models import AuditEntry
from kiemdiem.ballots import services
from kiemdiem.ballots.models import BoxEntry
from kiemdiem.ballots.reissue import reissue_unused
from tests.conftest import World
from tests.meetings.helpers import ready_cell, schedule

pytestmark = pytest.mark.django_db


def test_unused_slips_get_new_codes_and_the_old_ones_are_void(world: World, client: Client) -> None:
    sec = world.users["secretary"]
    ballot = services.open_ballot(sec, schedule(world, ready_cell(world)))
    slips = services.start_voting(sec, ballot)
    keys = list(ballot.candidates.values_list("key", flat=True))
    voted_name, voted_code = slips[0]
    services.cast(ballot.pk, voted_code, dict.fromkeys(keys, "HTTNV"))
    box = sorted(BoxEntry.objects.filter(ballot=ballot).values_list("id", "receipt"))
    client.force_login(sec)
    url = reverse("ballot_detail", args=[ballot.pk])
    asked = client.post(url, {"action": "reissue"}).content.decode()
    assert "Phát mã mới cho" in asked  # a confirmed step: the first tap only asks
    page = client.post(url, {"action": "reissue", "confirmed": "1"}).content.decode()
    new = [(name, code) for name, code in slips[1:]]
    assert all(code not in page for _, code in new)  # the old codes are not shown again
    assert voted_name not in page.split("Mã bỏ phiếu —")[1].split("</section>")[0]
    # The old unused codes are void; the new ones (printed on the page) vote.
    with pytest.raises(ValidationError, match="Mã bỏ phiếu không đúng"):
        services.cast(ballot.pk, slips[1][1], dict.fromkeys(keys, "HTTNV"))
    assert sorted(BoxEntry.objects.filter(ballot=ballot).values_list("id", "receipt")) == box
    assert services.cast(ballot.pk, voted_code, {}).counted is False  # still counted once
    audit = AuditEntry.objects.filter(action="reissue_slips").get()
    assert audit.new == {"reissued": len(slips) - 1}
    again = reissue_unused(sec, ballot)
    assert {n for n, _ in again} == {n for n, _ in new}
    assert services.cast(ballot.pk, again[0][1], dict.fromkeys(keys, "HTTNV")).counted
