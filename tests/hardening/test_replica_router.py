"""Issue 16 §5: read-only reports on a PostgreSQL replica through a database router
(kiemdiem/config/replica.py, docs/operator.md). Only reads inside `from_replica()` go to the
replica, and only when one is configured; writes, migrations and every other read stay on the
primary, so a page always sees what it has just written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from kiemdiem.config.replica import ReplicaRouter, from_replica
from kiemdiem.org.models import Member

WITH_REPLICA: dict[str, Any] = {"default": {}, "replica": {}}


# Only the router reads DATABASES here; no connection is opened to the made-up replica.
@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_reads_go_to_the_replica_only_inside_a_report_and_only_when_there_is_one() -> None:
    router = ReplicaRouter()
    assert router.db_for_read(Member) is None  # no replica configured: the primary
    with from_replica():
        assert router.db_for_read(Member) is None
    with override_settings(DATABASES=WITH_REPLICA):
        assert router.db_for_read(Member) is None  # outside a report: the primary
        with from_replica():
            assert router.db_for_read(Member) == "replica"
            assert router.db_for_write(Member) is None  # writes never leave the primary
        assert router.db_for_read(Member) is None  # the block ended: back to the primary


def test_the_replica_is_never_migrated() -> None:
    router = ReplicaRouter()
    assert router.allow_migrate("replica", "grading") is False
    assert router.allow_migrate("default", "grading") is True


def test_the_report_page_reads_through_the_router(client: Any, world: Any) -> None:
    """The history report (Báo cáo xếp loại) builds inside `from_replica()`: with a replica
    configured its reads are routed there; here the router is asked and answers the primary."""
    asked: list[bool] = []
    original = ReplicaRouter.db_for_read

    def spy(self: ReplicaRouter, model: Any, **hints: Any) -> str | None:
        from kiemdiem.config import replica

        asked.append(replica._reading.get())
        return original(self, model, **hints)

    client.force_login(world.users["clerk"])
    ReplicaRouter.db_for_read = spy  # type: ignore[method-assign]
    try:
        response = client.get(f"/to-chuc/{world.orgs['commune'].pk}/bao-cao/")
    finally:
        ReplicaRouter.db_for_read = original  # type: ignore[method-assign]
    assert response.status_code == 200
    assert any(asked), "the report read nothing inside from_replica()"
    assert not all(asked), "the access checks must read the primary"
