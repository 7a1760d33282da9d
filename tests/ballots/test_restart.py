"""Issue 5 §5: a voter whose phone drops the connection retries with the same code and is
counted once; a server killed during voting (SIGKILL: no graceful shutdown) and restarted
loses no submitted ballot. Runs a real gunicorn on loopback against the test database
(the SQLite file or the PostgreSQL test database) and votes over HTTP, as phones do."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter
from typing import Any

import pytest

from kiemdiem.ballots import services
from kiemdiem.ballots.models import Ballot, BoxEntry, RollEntry
from tests.ballots.crowd import Server, crowd_ballot, database_url, marks_for
from tests.ballots.sealed import close_counted
from tests.conftest import World

VOTERS = 40


def _request(port: int, ballot: Ballot, code: str, marks: dict[str, str]) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = json.dumps({"code": code, "marks": marks})
    conn.request("POST", f"/api/v1/ballots/{ballot.pk}/vote", body,
                 {"Content-Type": "application/json"})  # fmt: skip
    return conn


def _vote(port: int, ballot: Ballot, code: str, marks: dict[str, str]) -> dict[str, Any]:
    conn = _request(port, ballot, code, marks)
    try:
        response = conn.getresponse()
        assert response.status == 200, response.read()[:300]
        return dict(json.loads(response.read()))
    finally:
        conn.close()


def _voted(ballot: Ballot, codes: list[str]) -> int:
    hashes = [services.code_hash(ballot.pk, c) for c in codes]
    return RollEntry.objects.filter(ballot=ballot, code_hash__in=hashes, has_voted=True).count()


def _other(ballot: Ballot, marks: dict[str, str]) -> dict[str, str]:
    """A retry that says something else: the box must keep what was counted first."""
    flipped = marks_for(ballot, 1)
    return {k: flipped[k] if flipped[k] != v else marks_for(ballot, 2)[k] for k, v in marks.items()}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_killed_server_loses_no_ballot_and_retries_count_once(world: World) -> None:
    """Issue 5 §5. Ten voters are answered; five are processed but the server dies before
    they read the answer (a lost response); ten more are in flight at the SIGKILL. After a
    restart everyone whose answer was lost retries with the same code and different marks:
    a vote that reached the box is answered "already counted" and keeps its first marks;
    one that did not is counted now. Then the rest vote and the ballot closes: one ballot per
    voter, every receipt handed out is published, the tally is exactly the first-counted
    marks, and the box verifies."""
    ballot, codes = crowd_ballot(world.users["secretary"], world.orgs["cell1"], VOTERS)
    first = {c: marks_for(ballot, n) for n, c in enumerate(codes)}
    answered, lost, in_flight, rest = codes[:10], codes[10:15], codes[15:25], codes[25:]
    counted: dict[str, dict[str, str]] = {}  # code -> the marks of the answer "counted"
    receipts: list[str] = []
    server = Server(database_url())
    ready = f"/api/v1/ballots/{ballot.pk}/vote"
    try:
        server.start(ready)
        for code in answered:
            body = _vote(server.port, ballot, code, first[code])
            assert body["counted"] is True
            counted[code] = first[code]
            receipts.append(body["receipt"])
        unread = [_request(server.port, ballot, c, first[c]) for c in lost]
        deadline = time.monotonic() + 20
        while _voted(ballot, lost) < len(lost) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _voted(ballot, lost) == len(lost)
        outcomes: dict[str, dict[str, Any] | None] = {}

        def phone(code: str) -> None:
            try:
                outcomes[code] = _vote(server.port, ballot, code, first[code])
            except (OSError, http.client.HTTPException):
                outcomes[code] = None  # the connection died with the server

        phones = [threading.Thread(target=phone, args=(c,)) for c in in_flight]
        for t in phones:
            t.start()
        while _voted(ballot, in_flight) == 0 and time.monotonic() < deadline + 20:
            time.sleep(0.005)
        server.kill()  # mid-burst: the first of these votes is in the box
        for t in phones:
            t.join(35)
        for conn in unread:
            conn.close()  # the answer these phones never read
        for code, outcome in outcomes.items():
            if outcome and outcome["counted"]:
                counted[code] = first[code]
                receipts.append(outcome["receipt"])
        server.start(ready)  # the operator restarts it on the same port
        retried = lost + [c for c in in_flight if not outcomes.get(c)]
        print(f"at the kill: {len(lost)} answers unread, {len(retried) - len(lost)} of "
              f"{len(in_flight)} phones cut off")  # fmt: skip
        for code in retried:
            body = _vote(server.port, ballot, code, _other(ballot, first[code]))
            if body["counted"]:
                counted[code] = _other(ballot, first[code])
                receipts.append(body["receipt"])
            else:
                counted.setdefault(code, first[code])  # its first submission was kept
        assert all(c in counted and counted[c] == first[c] for c in lost)
        for code in answered + in_flight:  # a second press on any phone changes nothing
            assert _vote(server.port, ballot, code, _other(ballot, first[code]))["counted"] is False
        for code in rest:
            body = _vote(server.port, ballot, code, first[code])
            assert body["counted"] is True
            counted[code] = first[code]
            receipts.append(body["receipt"])
    finally:
        server.stop()
    assert set(counted) == set(codes)
    ballot = close_counted(world.users["secretary"], ballot)
    assert services.verify(ballot) == []
    box = BoxEntry.objects.filter(ballot=ballot)
    assert box.count() == len(codes) == _voted(ballot, codes)
    published = set(box.values_list("receipt", flat=True))
    assert set(receipts) <= published and len(receipts) == len(set(receipts))
    tally = services.counts(ballot)
    for key in first[codes[0]]:
        expected = Counter(m[key] for m in counted.values())
        assert {k: v for k, v in tally.row(key).items() if v} == dict(expected), key
