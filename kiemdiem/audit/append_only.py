"""Append-only tables enforced by the database (issue 13 §5): triggers refuse UPDATE and DELETE
whatever the client — the application, the admin, a psql or sqlite3 session. A correction or an
annulment is a new row; a year is archived by a copy of the database (docs/operator.md).

The one exception is the test runner's table flush between transactional tests. PostgreSQL
flushes with TRUNCATE, which row triggers do not see; SQLite flushes with DELETE, so its DELETE
trigger asks `kiemdiem_flushing()`, a function only this application's connections define
and which says yes only inside `flushing()`. A sqlite3 shell has no such function, so its
DELETE fails too."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_state = threading.local()


@contextmanager
def flushing() -> Iterator[None]:
    """Let the SQLite flush of the test runner empty append-only tables."""
    _state.on = True
    try:
        yield
    finally:
        _state.on = False


def _flushing() -> int:
    return 1 if getattr(_state, "on", False) else 0


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("kiemdiem_flushing", 0, _flushing)


def trigger_sql(vendor: str, table: str, message: str, *, update: bool, delete: bool) -> list[str]:
    """CREATE statements for the triggers that refuse UPDATE and/or DELETE on `table`."""
    if vendor == "postgresql":
        out = [
            f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '%', '{message}' USING ERRCODE = 'restrict_violation';
            END;
            $$ LANGUAGE plpgsql"""
        ]
        for event, wanted in (("UPDATE", update), ("DELETE", delete)):
            if wanted:
                out.append(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
                )
        return out
    if vendor == "sqlite":
        out = []
        if update:
            out.append(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        if delete:
            out.append(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"WHEN NOT kiemdiem_flushing() BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        return out
    return []


def drop_sql(vendor: str, table: str, *, update: bool, delete: bool) -> list[str]:
    names = [f"{table}_no_{e}" for e, w in (("update", update), ("delete", delete)) if w]
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {n} ON {table}" for n in names] + [
            f"DROP FUNCTION IF EXISTS {table}_append_only()"
        ]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {n}" for n in names]
    return []
