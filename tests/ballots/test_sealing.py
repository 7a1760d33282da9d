"""Sealed ballots (issue 12 §3): the box holds only `SealedBox(public_key)` ciphertexts; the
private key, split k-of-n (Shamir) among the ban kiểm phiếu, is never stored; the count
needs k shares, and wrong or too few shares change nothing. SQLite and PostgreSQL."""

from __future__ import annotations

import secrets

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from nacl.public import PrivateKey

from kiemdiem.ballots import paper_flow, sealing, services
from kiemdiem.ballots.models import Ballot, BoxEntry
from kiemdiem.ballots.opening import count_sealed
from kiemdiem.ballots.results import is_final
from tests.conftest import World
from tests.meetings.helpers import ready_cell, schedule

pytestmark = pytest.mark.django_db
COMMITTEE = ["Phạm Thị Hà", "Đỗ Văn Già", "Lê Thị Ba"]


def _voting(world: World, committee: list[str] = COMMITTEE) -> tuple[Ballot, services.Slips]:
    sec = world.users["secretary"]
    ballot = services.open_ballot(sec, schedule(world, ready_cell(world)))
    if committee:
        paper_flow.set_committee(sec, ballot, committee)
    slips = services.start_voting(sec, ballot)
    ballot.refresh_from_db()
    keys = list(ballot.candidates.values_list("key", flat=True))
    for n, (_, code) in enumerate(slips):
        services.cast(ballot.pk, code, dict.fromkeys(keys, "HTXSNV" if n == 0 else "HTTNV"))
    return ballot, slips


def _database_text() -> str:
    """Every value of every table: what a copy of the database holds."""
    out: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            out.extend(" ".join(str(v) for v in row) for row in cursor.fetchall())
    return "\n".join(out)


def test_threshold_is_a_majority_and_at_least_two() -> None:
    """Issue 12 §3: k of n from the ban kiểm phiếu, a majority, never one alone when n ≥ 2."""
    assert [sealing.threshold(n) for n in range(1, 8)] == [1, 2, 2, 3, 3, 4, 4]


def test_the_box_and_the_database_hold_no_ballot_and_no_share_mid_vote(world: World) -> None:
    """Issue 12 §3 and §6: a copy of the database taken mid-vote holds only ciphertexts; no
    share, no private key; the shares are shown once with their holders' names."""
    ballot, slips = _voting(world)
    assert [h for h, _ in slips.shares] == COMMITTEE and slips.threshold == 2
    assert ballot.public_key and ballot.key_threshold == 2
    copy = _database_text()
    for _, code in slips.shares:
        _index, raw = sealing.parse_share(code)
        assert code not in copy and code.replace(" ", "") not in copy and raw.hex() not in copy
    rows = list(BoxEntry.objects.filter(ballot=ballot))
    assert len(rows) == len(slips)
    assert all(r.marks == {} and r.nonce == "" and r.sealed for r in rows)
    assert all(r.receipt == services._sha(r.sealed or "") for r in rows)
    box_text = " ".join(str(r.__dict__) for r in rows)
    assert "HTXSNV" not in box_text and "HTTNV" not in box_text
    # The copy's wrapped key opens nothing without shares; one share is too few.
    with pytest.raises(ValidationError, match="ít nhất 2"):
        sealing.open_key(ballot.wrapped_key or "", 2, [slips.shares[0][1]])


def test_count_needs_k_shares_any_k_will_do_and_wrong_ones_change_nothing(
    world: World, client: Client
) -> None:
    """Issue 12 §3: at the count k members enter their shares on the counting page; too few
    or a wrong share: a Vietnamese message and nothing changed; any 2 of 3 open the box."""
    ballot, slips = _voting(world)
    sec = world.users["secretary"]
    services.close(sec, ballot)
    ballot.refresh_from_db()
    assert not is_final(ballot)
    client.force_login(sec)
    url = reverse("ballot_detail", args=[ballot.pk])
    page = client.get(url).content.decode()
    assert "Mở hòm phiếu niêm phong" in page and 'name="share_2"' in page
    forged = sealing.share_code(2, secrets.token_bytes(16))  # well-formed, not a real share
    one = slips.shares[0][1]
    for codes, message in (
        ({"share_1": one}, "mới nhập 1"),
        ({"share_1": one, "share_2": one}, "mới nhập 1"),  # the same share twice
        ({"share_1": one, "share_2": forged}, "không mở được hòm phiếu"),
        ({"share_1": one, "share_2": "XYZ"}, "không đọc được"),
    ):
        answer = client.post(url, {"action": "count", **codes}, follow=True).content.decode()
        assert message in answer, codes
        ballot.refresh_from_db()
        assert ballot.tally is None and ballot.counted_at is None
    third, second = slips.shares[2][1].lower(), slips.shares[1][1]  # any 2 of 3, any case
    answer = client.post(
        url, {"action": "count", "share_1": third, "share_2": second}, follow=True
    ).content.decode()
    assert "Đã mở hòm phiếu" in answer
    ballot.refresh_from_db()
    assert ballot.tally is not None and is_final(ballot)
    counted = services.counts(ballot)
    first = ballot.candidates.order_by("order").first()
    assert first is not None
    assert counted.row(first.key)["HTXSNV"] == 1
    assert counted.row(first.key)["HTTNV"] == len(slips) - 1
    assert services.verify(ballot) == []  # chain and receipts hold over the sealed rows
    with pytest.raises(ValidationError, match="không có hòm phiếu niêm phong đang chờ"):
        count_sealed(sec, ballot, [c for _, c in slips.shares])  # counted once


def test_without_a_recorded_committee_one_share_goes_to_the_chair(world: World) -> None:
    """Issue silent on an empty ban kiểm phiếu: one share, for the chair (docs/ballots.md)."""
    ballot, slips = _voting(world, committee=[])
    assert [h for h, _ in slips.shares] == [sealing.DEFAULT_HOLDER] and slips.threshold == 1
    services.close(world.users["secretary"], ballot)
    ballot = count_sealed(world.users["secretary"], ballot, [slips.shares[0][1]])
    assert ballot.tally is not None and ballot.tally["returned"] == len(slips)


def test_a_paper_ballot_has_no_key(world: World) -> None:
    """Issue 12 §3: paper ballots are unchanged."""
    sec = world.users["secretary"]
    ballot = services.open_ballot(sec, schedule(world, ready_cell(world)), mode="paper")
    assert ballot.public_key is None and ballot.wrapped_key is None


def test_a_dump_of_the_box_mid_vote_decrypts_nothing_without_shares(world: World) -> None:
    """Issue 12 §6: a copy of the box table and the ballot row taken mid-vote: every row is a
    sealed box; a key that is not the ballot's opens none; the wrapped key needs k shares."""
    ballot, slips = _voting(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM ballots_boxentry WHERE ballot_id = %s", [ballot.pk])
        dump = [row[0] for row in cursor.fetchall()]
    assert len(dump) == len(slips)
    stranger = PrivateKey.generate()
    for sealed in dump:
        with pytest.raises(ValidationError, match="không mở được"):
            sealing.unseal(stranger, sealed)
    with pytest.raises(ValidationError):
        sealing.open_key(ballot.wrapped_key or "", ballot.key_threshold or 1, [])


@pytest.mark.django_db(transaction=True)  # each vote its own transaction, as in production
def test_after_close_no_box_row_shares_a_transaction_with_the_roll(world: World) -> None:
    """Issue 12 §2 (PostgreSQL xmin): a vote writes its roll mark and its box row in one
    transaction, so mid-vote they share xmin (sealed, so it links a person to a ciphertext);
    close rewrites the box in one transaction in random order, so afterwards every box row
    carries the close's xmin and none a voter's."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL transaction ids")
    ballot, _ = _voting(world)

    def xmins(table: str) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text FROM {table} WHERE ballot_id = %s", [ballot.pk])
            return {row[0] for row in cursor.fetchall()}

    roll = xmins("ballots_rollentry")
    assert xmins("ballots_boxentry") <= roll  # the link sealing makes useless without k shares
    services.close(world.users["secretary"], ballot)
    box = xmins("ballots_boxentry")
    assert len(box) == 1 and not box & xmins("ballots_rollentry")
