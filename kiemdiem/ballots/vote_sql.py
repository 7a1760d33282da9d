"""The vote's statements inside its transaction, as SQL written once per process instead
of an ORM query compiled on every vote (issue 12, Done-when 2: profiling the bench showed
the ORM building three queries per vote as the largest share of a vote's own time).

The statements are the ones `services.cast` always ran: hold the ballot open, mark the
roll entry as voted on condition it had not, insert the sealed box row. On PostgreSQL the
ballot is held open by a shared advisory lock that `close` takes exclusively
(`hold_for_close`): a row lock `FOR SHARE` taken by many votes at once made PostgreSQL
write a multixact onto the ballot row for each vote, serialising the votes on that row.
"""

from __future__ import annotations

import json
from functools import cache

from django.db import connection

from kiemdiem.ballots.models import Ballot, BallotStatus, BoxEntry, RollEntry

# pg_advisory locks take a bigint pair: the first names what is locked (the ballots'
# open-for-voting state), the second the ballot.
_LOCK_CLASS = 1205


def _postgres() -> bool:
    return connection.vendor == "postgresql"


@cache
def _sql(vendor: str) -> dict[str, str]:
    q = connection.ops.quote_name
    ballot, roll, box = (m._meta.db_table for m in (Ballot, RollEntry, BoxEntry))
    jsonb = "::jsonb" if vendor == "postgresql" else ""
    return {
        "held": f"SELECT {q('public_key')} FROM {q(ballot)} WHERE {q('id')} = %s "
        f"AND {q('status')} = %s",
        "mark": f"UPDATE {q(roll)} SET {q('has_voted')} = %s WHERE {q('ballot_id')} = %s "
        f"AND {q('code_hash')} = %s AND {q('has_voted')} = %s AND {q('may_vote')} = %s",
        "box": f"INSERT INTO {q(box)} ({q('id')}, {q('ballot_id')}, {q('marks')}, "
        f"{q('sealed')}, {q('nonce')}, {q('receipt')}, {q('position')}, {q('link')}) "
        f"VALUES (%s, %s, %s{jsonb}, %s, %s, %s, NULL, '')",
    }


def held_open(ballot_id: int) -> tuple[str | None] | None:
    """Inside the vote's transaction: (public key,) of the ballot if it is open, None if
    not; it then stays open until this vote commits (PostgreSQL: the shared advisory lock
    `close` waits for; SQLite: the write lock taken at BEGIN, settings.transaction_mode)."""
    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", [_LOCK_CLASS, ballot_id])
        cursor.execute(_sql(connection.vendor)["held"], [ballot_id, BallotStatus.OPEN.value])
        return cursor.fetchone()


def hold_for_close(ballot_id: int) -> None:
    """In close()'s transaction, before it reads the ballot: wait for the votes being
    written, and keep new ones out until the close commits."""
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_CLASS, ballot_id])


def mark_voted(ballot_id: int, digest: str) -> bool:
    """The roll's conditional update: True if this code had not voted (now it has)."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor)["mark"], [True, ballot_id, digest, False, True])
        return cursor.rowcount == 1


def insert_box(entry: BoxEntry) -> None:
    marks = json.dumps(entry.marks, ensure_ascii=False)
    params: list[str | int | None] = [entry.id, entry.ballot_id, marks, entry.sealed,
                                      entry.nonce, entry.receipt]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor)["box"], params)
