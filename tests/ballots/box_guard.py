"""Test helper: what an operator with a SQL prompt could do to the closed-box triggers —
drop them — so tests can show that tampering *after* that is still caught by verify."""

from __future__ import annotations

from django.db import connection


def drop_box_guard() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for op in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS ballots_box_closed_no_{op}")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS ballots_box_closed_guard ON ballots_boxentry")
