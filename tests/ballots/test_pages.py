"""Ballot pages are scoped like the meeting (a secretary of another cell sees nothing, only
the meeting's editors act); the vote page needs only the code, no login; the voter's page
stores nothing in the session."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kiemdiem.ballots import services
from kiemdiem.ballots.models import Ballot, BoxEntry
from tests.conftest import World
from tests.meetings.helpers import ready_cell, schedule

pytestmark = pytest.mark.django_db


def test_scope_and_anonymous_vote(world: World, client: Client) -> None:
    meeting = schedule(world, ready_cell(world))
    client.force_login(world.users["outsider"])
    assert client.post(reverse("ballot_open", args=[meeting.pk])).status_code == 404
    client.force_login(world.users["secretary"])
    response = client.post(reverse("ballot_open", args=[meeting.pk]))
    ballot = Ballot.objects.get(meeting=meeting)
    assert response.url == reverse("ballot_detail", args=[ballot.pk])  # type: ignore[attr-defined]
    page = client.post(
        reverse("ballot_detail", args=[ballot.pk]), {"action": "start", "confirmed": "1"}
    )
    code = page.context["slips"][0][1]
    assert code in page.content.decode()
    again = client.get(reverse("ballot_detail", args=[ballot.pk])).content.decode()
    assert code not in again  # the codes are shown once
    client.force_login(world.users["outsider"])
    assert client.get(reverse("ballot_detail", args=[ballot.pk])).status_code == 404
    voter = Client()
    marks = {f"c_{c.key}": "HTTNV" for c in ballot.candidates.all()}
    done = voter.post(reverse("ballot_vote", args=[ballot.pk]), {"code": code, **marks})
    assert "Phiếu của đồng chí đã vào hòm phiếu" in done.content.decode()
    assert dict(voter.session) == {}
    wrong = voter.post(reverse("ballot_vote", args=[ballot.pk]), {"code": "XXXX", **marks})
    assert "Mã bỏ phiếu không đúng" in wrong.content.decode()
    assert BoxEntry.objects.filter(ballot=ballot).count() == 1
    assert voter.get(reverse("ballot_receipts", args=[ballot.pk])).status_code == 404
    services.close(world.users["secretary"], ballot)
    assert voter.get(reverse("ballot_receipts", args=[ballot.pk])).status_code == 200
