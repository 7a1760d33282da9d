"""Issue 5 §5: 500 voters submitting within the same few seconds are each counted exactly
once, on SQLite and on PostgreSQL, with every phone also re-sending its vote at the same
moment (a dropped connection): no lost vote, no double count, no `database is locked` — the
SQLite write lock is taken at BEGIN (settings: transaction_mode IMMEDIATE, busy timeout),
so no retry loop is needed anywhere."""

from __future__ import annotations

import threading
import time
from collections import defaultdict

import pytest
from django.db import connection

from kiemdiem.ballots import services
from kiemdiem.ballots.models import BoxEntry, RollEntry
from tests.ballots.crowd import crowd_ballot, marks_for
from tests.ballots.sealed import close_counted
from tests.conftest import World

VOTERS = 500
SERVER_THREADS = 64  # five times what bench_ballots.py's gunicorn runs


def _connection_slots() -> int:
    """The room's phones far outnumber a server's request threads (gunicorn's workers x
    threads; connections past those wait in its accept queue), so the submissions share
    SERVER_THREADS database connections — on PostgreSQL no more than are free below
    max_connections (100 by default)."""
    if connection.vendor != "postgresql":
        return SERVER_THREADS
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity"
        )
        free = int(cursor.fetchone()[0])
    return max(4, min(SERVER_THREADS, free - 10))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_500_voters_and_their_retries_at_once_are_each_counted_once(world: World) -> None:
    """Issue 5 §5: a barrier releases every voter's vote and its retry together; each code
    is counted once (the other submission answered "already counted"), the box holds one
    ballot per voter, the whole roll has voted, and after close the box verifies."""
    ballot, codes = crowd_ballot(world.users["secretary"], world.orgs["cell1"], VOTERS)
    assert len(codes) >= VOTERS
    marks = [marks_for(ballot, n) for n in range(len(codes))]
    submissions = [(c, m) for c, m in zip(codes, marks, strict=True) for _ in range(2)]
    barrier = threading.Barrier(len(submissions))
    gate = threading.BoundedSemaphore(_connection_slots())
    results: dict[str, list[services.CastResult]] = defaultdict(list)
    errors: list[BaseException] = []

    def submit(code: str, marks: dict[str, str]) -> None:
        barrier.wait()
        try:
            with gate:
                try:
                    results[code].append(services.cast(ballot.pk, code, marks))
                finally:
                    connection.close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=s) for s in submissions]
    for t in threads:
        t.start()
    started = time.monotonic()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    assert errors == [], f"{len(errors)} failures, first: {errors[0]!r}"
    assert len(results) == len(codes)
    for code, answers in results.items():
        assert sorted(a.counted for a in answers) == [False, True], code
    receipts = sorted(a.receipt for answers in results.values() for a in answers if a.counted)
    assert BoxEntry.objects.filter(ballot=ballot).count() == len(codes)
    roll = RollEntry.objects.filter(ballot=ballot, may_vote=True)
    assert roll.filter(has_voted=False).count() == 0 and roll.count() == len(codes)
    assert services.turnout(ballot) == (len(codes), len(codes))
    ballot = close_counted(world.users["secretary"], ballot)
    assert services.verify(ballot) == []
    box = BoxEntry.objects.filter(ballot=ballot)
    assert sorted(box.values_list("receipt", flat=True)) == receipts
    first = ballot.candidates.order_by("order").first()
    assert first is not None
    tally = services.counts(ballot).row(first.key)
    expected: dict[str, int] = defaultdict(int)
    for m in marks:
        expected[m[first.key]] += 1
    assert {k: v for k, v in tally.items() if v} == dict(expected)
    print(f"{len(submissions)} submissions by {len(codes)} voters in {elapsed:.1f} s "
          f"({connection.vendor})")  # fmt: skip
