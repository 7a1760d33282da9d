"""Issue 12 §1 (one binding ballot per round) and §2 (nothing shows or stores who voted
when), plus the closed box's triggers. Design principle 6: "a closed round is never re-run"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from kiemdiem.api import tokens
from kiemdiem.audit.models import AuditEntry
from kiemdiem.ballots import results, sealing, services
from kiemdiem.ballots.minutes_docx import minutes_docx
from kiemdiem.ballots.models import Ballot, BallotStatus, BoxEntry
from kiemdiem.grading.ballot_source import BallotSource
from tests.ballots.box_guard import drop_box_guard
from tests.ballots.docx_text import all_text, open_docx
from tests.ballots.sealed import close_counted, start_voting
from tests.conftest import World
from tests.meetings.helpers import ready_cell, schedule

pytestmark = pytest.mark.django_db


def _closed(world: World, voters: int = 2) -> tuple[Ballot, dict[str, str]]:
    meeting = schedule(world, ready_cell(world))
    ballot = services.open_ballot(world.users["secretary"], meeting)
    slips = dict(start_voting(world.users["secretary"], ballot))
    keys = list(ballot.candidates.values_list("key", flat=True))
    for code in list(slips.values())[:voters]:
        services.cast(ballot.pk, code, dict.fromkeys(keys, "HTTNV"))
    close_counted(world.users["secretary"], ballot)
    ballot.refresh_from_db()
    return ballot, slips


def test_second_open_of_a_closed_round_is_refused_by_service_web_and_api(
    world: World, client: Client
) -> None:
    """Issue 12 §1: once voting has started the ballot is the only one of its round; the
    secretary cannot re-run it with a second "open" — service, web page and API say so."""
    ballot, _ = _closed(world)
    meeting = ballot.meeting
    with pytest.raises(ValidationError, match="mỗi vòng chỉ có một cuộc bỏ phiếu có giá trị"):
        services.open_ballot(world.users["secretary"], meeting)
    client.force_login(world.users["secretary"])
    page = client.post(reverse("ballot_open", args=[meeting.pk]), follow=True)
    assert page.status_code == 200
    assert any("mỗi vòng chỉ có một" in str(m) for m in get_messages(page.wsgi_request))
    token = tokens.create_token(None, world.users["secretary"], "kiểm thử")[1]
    answer = Client().post(
        f"/api/v1/meetings/{meeting.pk}/ballots", {}, content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert answer.status_code == 400
    assert "Vòng tiếp theo chỉ được mở từ trang kiểm phiếu" in answer.json()["detail"]
    assert Ballot.objects.filter(meeting=meeting).count() == 1


def test_the_database_refuses_a_second_binding_ballot_of_a_round(world: World) -> None:
    """Issue 12 §1: "enforced … by a database constraint" — a caller going around the service
    (or a raw insert) still cannot create a second round-1 ballot, nor a second next round."""
    ballot, _ = _closed(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(meeting=ballot.meeting, title="lại", method=ballot.method)
    Ballot.objects.create(meeting=ballot.meeting, title="vòng 2", method=ballot.method,
                          round=2, previous=ballot)  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(meeting=ballot.meeting, title="vòng 2b", method=ballot.method,
                              round=3, previous=ballot)  # fmt: skip


def test_an_untouched_draft_may_be_replaced_before_anyone_votes(world: World) -> None:
    """Issue 12 §1 speaks of a ballot "once voting has started": a draft nobody voted in is
    set aside (kept, marked, audited) when the cell opens another, e.g. paper instead."""
    meeting = schedule(world, ready_cell(world))
    draft = services.open_ballot(world.users["secretary"], meeting)
    paper = services.open_ballot(world.users["secretary"], meeting, mode="paper")
    draft.refresh_from_db()
    assert draft.annulled_at is not None and draft.annul_reason == services.SET_ASIDE
    assert list(services.binding(meeting.pk)) == [paper]
    assert AuditEntry.objects.filter(action="set_aside_ballot", object_id=str(draft.pk)).exists()


def test_annulment_is_the_committees_audited_act_and_keeps_the_box(world: World) -> None:
    """Issue 12 §1: an annulled ballot (a wrong roll, a disrupted meeting) is an explicit,
    audited act by the committee, not the cell, and keeps the annulled box; grading then
    reads only the binding ballot."""
    ballot, _ = _closed(world, voters=99)  # the whole roll: above the quorum (issue 12 §5)
    box = sorted(BoxEntry.objects.filter(ballot=ballot).values_list("receipt", flat=True))
    with pytest.raises(PermissionDenied, match="cấp ủy cấp trên"):
        services.annul_ballot(world.users["secretary"], ballot, "danh sách sai")
    with pytest.raises(ValidationError, match="lý do"):
        services.annul_ballot(world.users["clerk"], ballot, "  ")
    cycle_id, path = ballot.meeting.cycle_id, world.orgs["commune"].path
    assert BallotSource().for_subtree(cycle_id, path)
    services.annul_ballot(world.users["clerk"], ballot, "Danh sách cử tri sai")
    ballot.refresh_from_db()
    assert ballot.annulled_at is not None and ballot.annulled_by == world.users["clerk"]
    assert sorted(BoxEntry.objects.filter(ballot=ballot).values_list("receipt", flat=True)) == box
    row = AuditEntry.objects.get(action="annul_ballot", object_id=str(ballot.pk))
    assert row.user == world.users["clerk"]
    assert BallotSource().for_subtree(cycle_id, path) == {}  # the annulled one counts nothing
    again = services.open_ballot(world.users["secretary"], ballot.meeting)
    assert again.round == 1 and list(services.binding(ballot.meeting_id)) == [again]


def _plain(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_while_open_the_page_shows_only_k_of_n_then_who_voted_after_close(
    world: World, client: Client
) -> None:
    """Issue 12 §2: polling the secretary's page while voting must not tell who has just
    voted (that matched voters to box rows); after close the roll may show it (the minutes)."""
    meeting = schedule(world, ready_cell(world))
    ballot = services.open_ballot(world.users["secretary"], meeting)
    slips = dict(services.start_voting(world.users["secretary"], ballot))
    keys = list(ballot.candidates.values_list("key", flat=True))
    client.force_login(world.users["secretary"])
    url = reverse("ballot_detail", args=[ballot.pk])
    before = client.get(url).content.decode()
    services.cast(ballot.pk, next(iter(slips.values())), dict.fromkeys(keys, "HTTNV"))
    during = client.get(url).content.decode()
    assert f"1/{len(slips)}" in during and "✓" not in during and "Đã bỏ</th>" not in during
    # The page changes only in the k/n figure: nothing per person.
    assert _plain(during).replace(f"1/{len(slips)}", "") == _plain(before).replace(
        f"0/{len(slips)}", ""
    )
    asked = client.post(url, {"action": "close"}).content.decode()
    assert f"1/{len(slips)} đã bỏ phiếu — vẫn đóng?" in asked
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN  # the first tap only asks
    client.post(url, {"action": "close", "confirmed": "1"})
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.CLOSED
    after = client.get(url).content.decode()
    assert "Đã bỏ</th>" in after and after.count("✓") == 1


def test_opening_the_vote_is_a_confirmed_step(world: World, client: Client) -> None:
    """Issue 12 §5: "opening and closing are confirmed steps"."""
    meeting = schedule(world, ready_cell(world))
    ballot = services.open_ballot(world.users["secretary"], meeting)
    client.force_login(world.users["secretary"])
    url = reverse("ballot_detail", args=[ballot.pk])
    asked = client.post(url, {"action": "start"})
    assert "Đồng ý, mở bỏ phiếu" in asked.content.decode() and not asked.context["slips"]
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.DRAFT
    assert client.post(url, {"action": "start", "confirmed": "1"}).context["slips"]


def _raw(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_closed_box_refuses_raw_update_and_delete(world: World) -> None:
    """Closed ballot boxes are append-only at the database (issue 12, design principle 6):
    raw SQL UPDATE and DELETE on a closed box's rows fail by trigger, SQLite and PostgreSQL."""
    ballot, _ = _closed(world)
    row = BoxEntry.objects.filter(ballot=ballot).values_list("pk", flat=True).first()
    for sql in ("UPDATE ballots_boxentry SET marks = '{}' WHERE id = %s",
                "DELETE FROM ballots_boxentry WHERE id = %s"):  # fmt: skip
        with pytest.raises(IntegrityError, match="Hòm phiếu đã đóng"), transaction.atomic():
            _raw(sql, [row])
    assert BoxEntry.objects.filter(ballot=ballot).count() == 2


def test_the_box_has_no_physical_order_to_read_cast_order_from(world: World) -> None:
    """Issue 12 §2: on SQLite a text-keyed table still stores rows by an increasing hidden
    rowid (the casting order); the box is WITHOUT ROWID, so rows sit in random-key order."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite storage check")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'ballots_boxentry'")
        assert "WITHOUT ROWID" in cursor.fetchone()[0].upper()
        with pytest.raises(Exception, match="rowid"):
            cursor.execute("SELECT rowid FROM ballots_boxentry")


def test_verify_head_catches_a_box_rewritten_whole(world: World, capsys: Any) -> None:
    """Issue 12 §4: rewriting every row with recomputed receipts, links and the stored head
    passes the internal checks; `verify-ballot ID --head HEX` with the head printed in the
    biên bản kiểm phiếu fails (exit 2) because the stored box no longer ends there."""
    ballot, _ = _closed(world)
    printed = ballot.head
    call_command("verify_ballot", str(ballot.pk), "--head", printed[:20].upper())
    assert printed in capsys.readouterr().out
    drop_box_guard()  # what an operator with the database would do first
    rows = list(BoxEntry.objects.filter(ballot=ballot).order_by("position"))
    keys = list(ballot.candidates.values_list("key", flat=True))
    head = services.GENESIS
    for e in rows:
        # The public key is stored: an operator can seal forged ballots, not read real ones.
        e.sealed = sealing.seal(ballot.public_key or "", dict.fromkeys(keys, "KHTNV"))
        e.receipt = services._sha(e.sealed)
        head = services._sha(head + e.receipt)
        e.link = head
        e.save()
    Ballot.objects.filter(pk=ballot.pk).update(head=head)
    call_command("verify_ballot", str(ballot.pk))  # the rewrite is self-consistent
    with pytest.raises(CommandError, match="không kết thúc ở mã băm đầu chuỗi") as caught:
        call_command("verify_ballot", str(ballot.pk), "--head", printed)
    assert caught.value.returncode == 2
    with pytest.raises(CommandError, match="ít nhất 16 ký tự"):
        call_command("verify_ballot", str(ballot.pk), "--head", "abc")


def test_the_minutes_and_the_close_page_carry_the_head_and_the_roll_digest(
    world: World, client: Client
) -> None:
    """Issue 12 §4: the box's head and the roll's digest are printed in the biên bản kiểm
    phiếu (read back from the real DOCX against the database) and shown at close."""
    ballot, slips = _closed(world, voters=99)  # a biên bản needs the quorum (issue 12 §5)
    doc = open_docx(minutes_docx(results.minutes_of(ballot, results.result_of(ballot))))
    text = all_text(doc)
    assert f"hòm phiếu có {len(slips)} phiếu; mã kiểm tra (đầu chuỗi băm): {ballot.head}." in text
    assert f"Mã kiểm tra danh sách cử tri (băm khi mở bỏ phiếu): {ballot.roll_hash}." in text
    client.force_login(world.users["secretary"])
    page = client.get(reverse("ballot_detail", args=[ballot.pk])).content.decode()
    assert ballot.head in page and ballot.roll_hash in page
