"""Issue 16 §5: three gunicorn servers against one PostgreSQL behind a real load balancer
(Debian's haproxy) on loopback. A ballot's voters and the office's pages are spread across the
servers; one server is killed (SIGKILL) mid-vote. Every vote is counted exactly once, a
session made on one server is honoured by the others, and a form's CSRF token from one server
is accepted by another. PostgreSQL only: one SQLite file is not shared by servers on several
machines, which is what the layout in docs/operator.md is for."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from kiemdiem.ballots import services
from kiemdiem.ballots.models import BoxEntry
from tests.ballots.balancer import Balancer, Browser, haproxy_path, vote_all
from tests.ballots.crowd import Server, crowd_ballot, database_url, marks_for
from tests.ballots.sealed import close_counted
from tests.conftest import World

VOTERS = 150
PASSWORD = "ba-may-chu-123"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"),
        reason="several servers share a PostgreSQL database (the PostgreSQL leg runs this)",
    ),
]


@pytest.fixture
def haproxy() -> str:
    binary = haproxy_path()
    if binary is None:
        if os.environ.get("KIEMDIEM_REQUIRE_BROWSER"):  # CI: .ci/run installs it
            pytest.fail("haproxy is not installed (.ci/run installs it: apt-get install haproxy)")
        pytest.skip("haproxy is not installed: apt-get install -y haproxy")
    return binary


@pytest.mark.django_db(transaction=True)
def test_three_servers_count_each_vote_once_through_a_kill_and_share_sessions(
    world: World, haproxy: str
) -> None:
    assert connection.vendor == "postgresql"
    clerk = world.users["clerk"]
    # The servers hash passwords with the production hasher, not the suite's fast MD5.
    clerk.password = PBKDF2PasswordHasher().encode(PASSWORD, "muoi-ngau-nhien", iterations=1000)
    clerk.save(update_fields=["password"])
    ballot, codes = crowd_ballot(world.users["secretary"], world.orgs["cell1"], VOTERS)
    bodies = [{"code": c, "marks": marks_for(ballot, n)} for n, c in enumerate(codes)]
    commune = world.orgs["commune"]
    servers = [Server(database_url(), workers=1, threads=4) for _ in range(3)]
    balancer = Balancer([s.port for s in servers])
    try:
        for server in servers:
            server.start("/dang-nhap/")
        balancer.start()
        office = Browser(balancer.port)
        signed_in = office.sign_in(clerk.username, PASSWORD)
        assert signed_in.status == 302, signed_in.body[:300]
        pages = ["/", f"/to-chuc/{commune.pk}/", f"/to-chuc/{commune.pk}/dang-vien/"]
        for path in pages * 2:  # round robin: each page from more than one server
            assert office.get(path).status == 200, path
        signed_in_on = {server for _, _, server in office.served}
        assert len(signed_in_on) == 3, office.served  # a session made on one, used on all

        def kill_one(done: int) -> None:
            if done == VOTERS // 3:
                servers[1].kill()  # mid-vote, no graceful shutdown

        first = vote_all(balancer.port, ballot.pk, bodies, on_progress=kill_one)
        again = vote_all(balancer.port, ballot.pk, bodies)  # every phone presses again
        # The logout form's CSRF token came from one server; another one accepts it.
        assert office.post("/dang-xuat/", {}).status == 302
        assert office.get("/").status == 302  # signed out on every server
    finally:
        balancer.stop()
        for server in servers:
            server.stop()
    assert first.failures == [] and again.failures == []
    voters = len(codes)  # the crowd and the cell's own members
    # A vote the killed server stored but could not answer is "already counted" on the retry.
    assert first.counted + first.again == voters and first.again <= first.retries, first
    assert again.counted == 0 and again.again == voters, again
    assert len(first.servers) == 3, first.servers  # all three took votes before the kill
    assert "s2" not in again.servers  # the dead one left the rotation
    ballot = close_counted(world.users["secretary"], ballot)
    assert services.verify(ballot) == []
    assert BoxEntry.objects.filter(ballot=ballot).count() == voters
    assert services.counts(ballot).papers.returned == voters
