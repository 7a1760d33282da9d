"""Issue 12 §5 (the voter's phone) and §4 (short receipts), over HTTP as a phone sends them."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from kiemdiem.ballots import sealing, services
from kiemdiem.ballots.models import Ballot, BoxEntry, RollEntry
from tests.ballots.sealed import shares_of, start_voting
from tests.conftest import World
from tests.meetings.helpers import ready_cell, schedule

pytestmark = pytest.mark.django_db


def _open(world: World) -> tuple[Ballot, list[str], list[str]]:
    meeting = schedule(world, ready_cell(world))
    ballot = services.open_ballot(world.users["secretary"], meeting)
    codes = [code for _, code in start_voting(world.users["secretary"], ballot)]
    return ballot, codes, list(ballot.candidates.values_list("key", flat=True))


def test_codes_are_accepted_whatever_the_case_and_spaces(world: World) -> None:
    """Issue 12 §5: "ay dfc8nu" is the code AYDFC8NU — case- and space-insensitive."""
    ballot, codes, keys = _open(world)
    code = codes[0]
    typed = f" {code[:2].lower()} {code[2:5].lower()}-{code[5:]}\t"
    answer = Client().post(reverse("ballot_vote", args=[ballot.pk]),
                           {"code": typed, **{f"c_{k}": "HTTNV" for k in keys}})  # fmt: skip
    assert "Phiếu của đồng chí đã vào hòm phiếu" in answer.content.decode()
    assert RollEntry.objects.filter(ballot=ballot, has_voted=True).count() == 1


def test_a_wrong_code_keeps_the_choices(world: World) -> None:
    """Issue 12 §5: a wrong code no longer wipes every choice; only the code is retyped."""
    ballot, _, keys = _open(world)
    marks = {f"c_{k}": ("HTXSNV" if n % 2 else "HTNV") for n, k in enumerate(keys)}
    page = Client().post(reverse("ballot_vote", args=[ballot.pk]), {"code": "SAIMA234", **marks})
    html = page.content.decode()
    assert "Mã bỏ phiếu không đúng." in html and "vẫn được giữ" in html
    for name, value in marks.items():
        assert re.search(rf'name="{name}" value="{value}" checked', html), name
    assert html.count(" checked") == len(keys)
    assert not BoxEntry.objects.filter(ballot=ballot).exists()


def test_unmarked_candidates_are_asked_about_before_the_ballot_goes_in(world: World) -> None:
    """Issue 12 §5: 1 of 49 marked is no longer accepted "without a word": the page names
    those left unmarked and casts only when the voter confirms (they then count as blank)."""
    ballot, codes, keys = _open(world)
    url = reverse("ballot_vote", args=[ballot.pk])
    first = {"code": codes[0], f"c_{keys[0]}": "HTTNV"}
    asked = Client().post(url, first).content.decode()
    assert f"Còn {len(keys) - 1} đồng chí chưa được đánh dấu" in asked
    assert not BoxEntry.objects.filter(ballot=ballot).exists()
    assert f'value="{codes[0]}"' in asked  # the code stays too: one more tap
    done = Client().post(url, {**first, "blank_ok": "1"}).content.decode()
    assert "đã vào hòm phiếu" in done
    (sealed,) = BoxEntry.objects.filter(ballot=ballot).values_list("sealed", flat=True)
    ballot.refresh_from_db()
    key = sealing.open_key(ballot.wrapped_key or "", ballot.key_threshold or 1, shares_of(ballot))
    marks = sealing.unseal(key, sealed or "")
    assert marks[keys[0]] == "HTTNV" and {marks[k] for k in keys[1:]} == {"blank"}


def test_receipts_are_short_enough_to_read_aloud_and_the_full_value_is_kept(
    world: World,
) -> None:
    """Issue 12 §4: 8–10 base32 characters shown, the full value kept and listed."""
    ballot, codes, keys = _open(world)
    page = Client().post(reverse("ballot_vote", args=[ballot.pk]),
                         {"code": codes[0], **{f"c_{k}": "HTTNV" for k in keys}})  # fmt: skip
    full = BoxEntry.objects.get(ballot=ballot).receipt
    short = services.short_receipt(full)
    assert re.fullmatch(r"[A-Z2-7]{10}", short)
    assert f'<p class="mono receipt big">{short}</p>' in page.content.decode()
    services.close(world.users["secretary"], ballot)
    listed = Client().get(reverse("ballot_receipts", args=[ballot.pk])).content.decode()
    assert f"<strong>{short}</strong> <small>{full}</small>" in listed
