"""Issue 12 §6: many voters over HTTP, looked at while the ballot is open and after close —
the secretary's page and the API change only in k of n, and the box's stored order is not
the casting order (SQLite: WITHOUT ROWID, rows in random-key order; after close on both
databases: rewritten in a random order under fresh keys)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from kiemdiem.api import tokens
from kiemdiem.ballots import services
from kiemdiem.ballots.models import BoxEntry
from tests.conftest import World
from tests.meetings.helpers import ready_cell, schedule

pytestmark = pytest.mark.django_db
VOTERS_EXTRA = 14


def _stored_receipts() -> list[str]:
    """The box as a database reader sees it: no ORDER BY, the storage's own order."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT receipt, marks, id FROM ballots_boxentry")
        return [r[0] for r in cursor.fetchall()]


def _plain(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_many_voters_over_http_leave_no_order_and_no_per_person_trace(world: World) -> None:
    from tests.builders import make_member

    cell = ready_cell(world)
    for n in range(VOTERS_EXTRA):
        make_member(world.orgs["cell1"], f"Cử tri Số {n:02d}")
    meeting = schedule(world, cell)
    ballot = services.open_ballot(world.users["secretary"], meeting)
    codes = [c for _, c in services.start_voting(world.users["secretary"], ballot)]
    assert len(codes) >= 10
    keys = list(ballot.candidates.values_list("key", flat=True))
    secretary = Client()
    secretary.force_login(world.users["secretary"])
    page_url = reverse("ballot_detail", args=[ballot.pk])
    token = tokens.create_token(None, world.users["secretary"], "kiểm thử")[1]
    api = Client(headers={"Authorization": f"Bearer {token}"})
    cast_order: list[str] = []
    pages, answers = [], []
    for n, code in enumerate(codes):
        marks = {f"c_{k}": ("HTXSNV", "HTTNV", "HTNV")[(n + i) % 3] for i, k in enumerate(keys)}
        Client().post(reverse("ballot_vote", args=[ballot.pk]), {"code": code, **marks})
        cast_order.append(
            next(r for r in _stored_receipts() if r not in cast_order)  # the newest row
        )
        pages.append(_plain(secretary.get(page_url).content.decode()).replace(
            f"{n + 1}/{len(codes)}", "K/N"))  # fmt: skip
        body = api.get(f"/api/v1/ballots/{ballot.pk}").json()
        assert body["voted"] == n + 1 and all(set(r) == {"member", "may_vote", "why"}
                                              for r in body["roll"])  # fmt: skip
        answers.append({**body, "voted": None})
        if connection.vendor == "sqlite":  # rows sit by their random keys, not by arrival
            ids = list(BoxEntry.objects.order_by("id").values_list("receipt", flat=True))
            assert _stored_receipts() == ids
    assert len(set(pages)) == 1, "the secretary's page changed by more than k/n while open"
    assert all(a == answers[0] for a in answers)
    if connection.vendor == "sqlite":
        assert _stored_receipts() != cast_order
    services.close(world.users["secretary"], ballot)
    after = _stored_receipts()
    assert sorted(after) == sorted(cast_order) and after != cast_order
    ordered = list(BoxEntry.objects.order_by("position").values_list("receipt", flat=True))
    assert ordered != cast_order  # the chain runs over a shuffled order, not the casting one
