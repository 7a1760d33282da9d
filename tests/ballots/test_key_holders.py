"""The ban kiểm phiếu's share holders keep the names they had at the ballot's start (issue
12 §3: the private key split "among the ban kiểm phiếu and shown to each once"): editing the
committee afterwards for the biên bản changes neither who holds a share nor the names the
counting page gives them. And `kiemdiem verify-ballot` speaks Vietnamese only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from kiemdiem.ballots import paper_flow, services
from kiemdiem.ballots.opening import count_sealed
from tests.ballots.sealed import start_voting
from tests.conftest import World
from tests.meetings.helpers import ready_cell, schedule

pytestmark = pytest.mark.django_db
AT_START = ["Phạm Thị Hà", "Nguyễn Thị Yến", "Võ Văn Khánh"]


def test_share_holders_are_named_as_at_the_start_after_the_committee_changes(
    world: World,
) -> None:
    user = world.users["secretary"]
    ballot = services.open_ballot(user, schedule(world, ready_cell(world)))
    paper_flow.set_committee(user, ballot, AT_START)
    slips = start_voting(user, ballot)
    assert [holder for holder, _ in slips.shares] == AT_START and slips.threshold == 2
    ballot.refresh_from_db()
    assert ballot.key_holders == AT_START
    marks = {c.key: "HTTNV" for c in ballot.candidates.all()}
    for code in dict(slips).values():
        services.cast(ballot.pk, code, marks)
    services.close(user, ballot)
    # After close the secretary corrects the committee for the biên bản.
    paper_flow.set_committee(user, ballot, ["Trần Văn Mới", "Lê Thị Khác"])
    ballot.refresh_from_db()
    assert ballot.committee == ["Trần Văn Mới", "Lê Thị Khác"]
    assert ballot.key_holders == AT_START
    client = Client()
    client.force_login(user)
    page = client.get(f"/bo-phieu/{ballot.pk}/").content.decode()
    said = re.search(r"Mã khóa đã phát lúc mở bỏ phiếu cho: ([^(]+)\(", page)
    assert said and said.group(1).strip() == ", ".join(AT_START)
    # The shares handed to Hà and Khánh at the start still open the box.
    counted = count_sealed(user, ballot, [slips.shares[0][1], slips.shares[2][1]])
    assert counted.tally is not None and counted.tally["returned"] == len(slips)


def test_verify_ballot_prints_only_vietnamese(world: World, capsys: Any) -> None:
    user = world.users["secretary"]
    ballot = services.open_ballot(user, schedule(world, ready_cell(world)))
    slips = start_voting(user, ballot)
    ballot.refresh_from_db()
    keys = list(ballot.candidates.values_list("key", flat=True))
    for code in dict(slips).values():
        services.cast(ballot.pk, code, {keys[0]: "HTXSNV"})  # the others left unmarked
    services.close(user, ballot)
    count_sealed(user, ballot, [code for _, code in slips.shares])
    call_command("verify_ballot", str(ballot.pk))
    out = capsys.readouterr().out
    assert "Không đánh dấu hoặc đánh dấu sai: " in out and "HTXSNV: " in out
    assert not re.search(r"\b(blank|approve|disapprove)\b", out)
