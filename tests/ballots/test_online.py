"""Online secret ballot (issue 5 §1, §3, §5): the roll from the attendance and the profile
(000 §1.4.3: official members present vote; probationary and suspended members do not),
every vote counted exactly once, a retried code counted once, closing final, the box
re-written at close and its hash chain verified, and no link between a voter and a choice
anywhere in the database, the logs or the cache."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from kiemdiem.ballots import sealing, services
from kiemdiem.ballots.counting import BLANK
from kiemdiem.ballots.models import Ballot, BoxEntry, RollEntry
from kiemdiem.ballots.opening import count_sealed
from kiemdiem.meetings.models import AttendanceStatus
from tests.ballots.box_guard import drop_box_guard
from tests.ballots.sealed import shares_of, start_voting
from tests.conftest import World
from tests.meetings.helpers import ready_cell, schedule


def _ballot(world: World) -> tuple[Ballot, dict[str, str]]:
    cell = ready_cell(world)
    meeting = schedule(world, cell)
    an = meeting.attendance.get(member=world.members["an"])
    an.status, an.reason = AttendanceStatus.ABSENT_WITH_REASON, "Đi công tác"
    an.save()
    ballot = services.open_ballot(world.users["secretary"], meeting)
    slips = dict(start_voting(world.users["secretary"], ballot))
    ballot.refresh_from_db()
    return ballot, slips


def _marks(ballot: Ballot, choice: str) -> dict[str, str]:
    return {c.key: choice for c in ballot.candidates.all()}


@pytest.mark.django_db
def test_roll_says_who_votes_and_why(world: World) -> None:
    """000 §1.4.3: official members present vote; the absent do not, with the reason shown
    before voting starts; candidates follow the agenda's order (head first)."""
    ballot, slips = _ballot(world)
    roll = {r.name: r for r in ballot.roll.all()}
    assert not roll["Nguyễn Văn An"].may_vote and roll["Nguyễn Văn An"].why == "vắng mặt"
    # 000 §1.4.3 (voters.temporary: false): a member attached here temporarily does not vote.
    assert not roll["Lê Văn Tạm"].may_vote and "tạm thời" in roll["Lê Văn Tạm"].why
    assert roll["Phạm Thị Hà"].may_vote and set(slips) == {n for n, r in roll.items() if r.may_vote}
    assert ballot.candidates.first().name == "Phạm Thị Hà"  # type: ignore[union-attr]
    assert ballot.method == "choose_level" and len(ballot.roll_hash) == 64
    # Codes are kept only as hashes.
    assert not RollEntry.objects.filter(code_hash__in=list(slips.values())).exists()


@pytest.mark.django_db
def test_each_code_counts_once_and_a_retry_changes_nothing(world: World) -> None:
    ballot, slips = _ballot(world)
    code = next(iter(slips.values()))
    first = services.cast(ballot.pk, code, _marks(ballot, "HTTNV"))
    assert first.counted and len(first.receipt) == 64
    again = services.cast(ballot.pk, code.lower(), _marks(ballot, "HTXSNV"))
    assert not again.counted
    assert BoxEntry.objects.filter(ballot=ballot).count() == 1
    with pytest.raises(ValidationError, match="Mã bỏ phiếu không đúng"):
        services.cast(ballot.pk, "ZZZZZZZZ", _marks(ballot, "HTTNV"))
    with pytest.raises(ValidationError, match="lựa chọn không hợp lệ"):
        services.cast(ballot.pk, list(slips.values())[1], _marks(ballot, "TOT"))
    assert services.turnout(ballot) == (1, len(slips))


@pytest.mark.django_db
def test_close_shuffles_chains_counts_and_is_final(world: World, capsys: Any) -> None:
    ballot, slips = _ballot(world)
    receipts = []
    for n, code in enumerate(slips.values()):
        marks = _marks(ballot, "HTTNV" if n % 2 else "HTXSNV")
        marks[next(iter(marks))] = BLANK if n == 0 else marks[next(iter(marks))]
        receipts.append(services.cast(ballot.pk, code, marks).receipt)
    before = set(BoxEntry.objects.filter(ballot=ballot).values_list("id", flat=True))
    ballot = services.close(world.users["secretary"], ballot)
    after = list(BoxEntry.objects.filter(ballot=ballot).order_by("position"))
    assert not before & {e.id for e in after}  # fresh rows: the cast-time rows are gone
    assert sorted(receipts) == sorted(e.receipt for e in after)  # every receipt published
    assert services.verify(ballot) == [] and after[-1].link == ballot.head
    with pytest.raises(ValidationError, match="niêm phong"):  # sealed: nothing to read yet
        services.counts(ballot)
    ballot = count_sealed(world.users["secretary"], ballot, shares_of(ballot))
    counted = services.counts(ballot)
    assert counted.papers.returned == len(slips) == counted.papers.issued
    head_key = ballot.candidates.first().key  # type: ignore[union-attr]
    assert counted.row(head_key)[BLANK] == 1
    with pytest.raises(ValidationError):
        services.cast(ballot.pk, next(iter(slips.values())), _marks(ballot, "HTTNV"))
    with pytest.raises(ValidationError, match="Chỉ đóng"):
        services.close(world.users["secretary"], ballot)
    call_command("verify_ballot", str(ballot.pk))
    assert ballot.head in capsys.readouterr().out
    # The closed box refuses the edit (trigger, issue 12); an operator who drops the trigger
    # first and then tampers with one ballot is still found.
    forged = sealing.seal(ballot.public_key or "", _marks(ballot, "KHTNV"))
    with pytest.raises(IntegrityError), transaction.atomic():
        BoxEntry.objects.filter(pk=after[0].pk).update(sealed=forged)
    drop_box_guard()
    BoxEntry.objects.filter(pk=after[0].pk).update(sealed=forged)
    assert any("biên nhận" in p for p in services.verify(ballot))


@pytest.mark.django_db
def test_nothing_links_a_voter_to_a_choice(world: World, caplog: Any) -> None:
    """Design principle 6: after a vote, no table row, log record or cache entry holds both
    someone's identity and a choice; the box has no person, time or serial column."""
    caplog.set_level(logging.DEBUG)
    ballot, slips = _ballot(world)
    code = next(iter(slips.values()))
    services.cast(ballot.pk, code, _marks(ballot, "HTXSNV"))
    services.close(world.users["secretary"], ballot)
    box_fields = {f.name: f for f in BoxEntry._meta.get_fields()}
    assert not any(f.is_relation and f.name != "ballot" for f in box_fields.values())
    kinds = {"DateTimeField", "DateField", "AutoField", "BigAutoField"}
    assert not any(f.get_internal_type() in kinds for f in box_fields.values())
    assert set(box_fields) == {
        "id", "ballot", "marks", "nonce", "sealed", "receipt", "position", "link"
    }  # fmt: skip
    voter_hash = services.code_hash(ballot.pk, code)
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                if "HTXSNV" in text:
                    # Only the ballot's rules snapshot may name a level: the box is sealed.
                    assert model._meta.label in {"cycles.Cycle"}, model._meta.label
                if model is BoxEntry:
                    assert code not in text and voter_hash not in text
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert code not in logged and "HTXSNV" not in logged
    assert cache.get(code) is None


@pytest.mark.django_db(transaction=True)
def test_many_voters_at_once_are_each_counted_once(world: World) -> None:
    """Issue 5 §5: voters submitting in the same moment, each twice (a dropped connection),
    are all counted exactly once; no retry loop, no lost vote."""
    ballot, slips = _ballot(world)
    extra = [
        services.code_hash(ballot.pk, f"LOAD{n:04d}")
        for n in range(60 if connection.vendor == "sqlite" else 200)
    ]
    from kiemdiem.org.models import Member
    from tests.builders import make_member

    people = [make_member(world.orgs["cell1"], f"Cử tri {n}") for n in range(len(extra))]
    RollEntry.objects.bulk_create(
        RollEntry(ballot=ballot, member=p, name=p.full_name, may_vote=True, why="thử", code_hash=h)
        for p, h in zip(people, extra, strict=True)
    )
    codes = list(slips.values()) + [f"LOAD{n:04d}" for n in range(len(extra))]
    marks = _marks(ballot, "HTTNV")
    errors: list[BaseException] = []

    def vote(code: str) -> None:
        try:
            for _ in range(2):
                services.cast(ballot.pk, code, marks)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(c,)) for c in codes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert BoxEntry.objects.filter(ballot=ballot).count() == len(codes)
    assert RollEntry.objects.filter(ballot=ballot, has_voted=True).count() == len(codes)
    assert Member.objects.count() >= len(codes)
