"""Issue 5 §3, §5: closing while a vote is on its way. A vote either reaches the box before
the close shuffles and chains it (and is then in the published chain), or is refused as
"not open"; never a ballot added to the box after its head was recorded."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from kiemdiem.ballots import services
from kiemdiem.ballots.models import Ballot, BoxEntry, RollEntry
from tests.ballots.crowd import crowd_ballot, marks_for
from tests.conftest import World


def _paused(monkeypatch: Any, name: str) -> tuple[threading.Event, threading.Event]:
    """Make the vote stop at `services.<name>` until released: (reached, release)."""
    reached, release = threading.Event(), threading.Event()
    real = getattr(services, name)

    def pausing(*args: Any) -> Any:
        reached.set()
        assert release.wait(30)
        return real(*args)

    monkeypatch.setattr(services, name, pausing)
    return reached, release


def _in_thread(fn: Any, *args: Any) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []

    def run() -> None:
        try:
            out.append(fn(*args))
        except BaseException as exc:
            out.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def _waits_for_lock(thread: threading.Thread) -> None:
    """Until the other connection waits on a lock (PostgreSQL says so; SQLite's busy wait
    is invisible, so give it time), or has finished without waiting."""
    deadline = time.monotonic() + 10
    while thread.is_alive() and time.monotonic() < deadline:
        if connection.vendor != "postgresql":
            time.sleep(0.5)
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
        time.sleep(0.01)


def _check_box(ballot: Ballot, expected: int) -> None:
    assert services.verify(ballot) == []
    assert BoxEntry.objects.filter(ballot=ballot).count() == expected
    assert RollEntry.objects.filter(ballot=ballot, has_voted=True).count() == expected
    assert not BoxEntry.objects.filter(ballot=ballot, position__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_a_vote_checked_open_but_closed_before_it_writes_is_refused(
    world: World, monkeypatch: Any
) -> None:
    """The vote saw the ballot open, then the secretary closed it before the vote wrote
    anything: the vote is refused ("không mở") and the chain stays whole."""
    ballot, codes = crowd_ballot(world.users["secretary"], world.orgs["cell1"], 3)
    reached, release = _paused(monkeypatch, "_clean_marks")
    voter, out = _in_thread(services.cast, ballot.pk, codes[0], marks_for(ballot, 0))
    assert reached.wait(10)
    ballot = services.close(world.users["secretary"], ballot)
    release.set()
    voter.join(30)
    assert isinstance(out[0], ValidationError) and "không mở" in str(out[0])
    _check_box(ballot, 0)


@pytest.mark.django_db(transaction=True)
def test_a_close_waits_for_a_vote_already_writing(world: World, monkeypatch: Any) -> None:
    """The vote is inside its transaction when the secretary closes: the close waits for it
    to commit, so the vote is shuffled into the box, chained and its receipt published."""
    ballot, codes = crowd_ballot(world.users["secretary"], world.orgs["cell1"], 3)
    reached, release = _paused(monkeypatch, "_box_entry")
    voter, vote = _in_thread(services.cast, ballot.pk, codes[0], marks_for(ballot, 0))
    assert reached.wait(10)
    closer, closed = _in_thread(services.close, world.users["secretary"], ballot)
    _waits_for_lock(closer)
    release.set()
    voter.join(30)
    closer.join(30)
    assert vote[0].counted and isinstance(closed[0], Ballot), (vote, closed)
    ballot.refresh_from_db()
    _check_box(ballot, 1)
    assert BoxEntry.objects.get(ballot=ballot).receipt == vote[0].receipt
