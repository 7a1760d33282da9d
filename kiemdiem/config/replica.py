"""Read-only reports from a PostgreSQL replica (issue 16 §5; docs/operator.md, "Một tỉnh, cả
nước"). With REPLICA_DATABASE_URL set, the code inside `from_replica()` — the report pages and
their Excel files — reads from the `replica` database; everything else, every write and every
access check, stays on the primary. Outside such a block nothing changes: a page that writes
then reads must see its own write, which a replica a moment behind would not show.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

REPLICA = "replica"
_reading = ContextVar("kiemdiem_from_replica", default=False)


@contextmanager
def from_replica() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA  # streaming replication copies the schema; never migrate it
