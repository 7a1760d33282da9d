"""Issue 13 §5 "Append-only in the database": decisions and the audit log refuse UPDATE and
DELETE by trigger, tried through raw SQL (as a psql or sqlite3 session would), on whichever
database the suite runs (SQLite by default, PostgreSQL with DATABASE_URL). The reproduction:
a DELETE on grading_decision succeeded; audit_auditentry took UPDATE and DELETE. An
annulment stays a new row (tests/grading/test_decisions.py)."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from kiemdiem.audit.models import AuditEntry, record
from kiemdiem.grading import deciding
from kiemdiem.grading.models import Decision
from tests.grading.test_decisions import decided  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

STATEMENTS = [
    ("grading_decision", "UPDATE grading_decision SET level = 'KHTNV' WHERE id = %s"),
    ("grading_decision", "DELETE FROM grading_decision WHERE id = %s"),
    ("audit_auditentry", "UPDATE audit_auditentry SET summary = 'sửa' WHERE id = %s"),
    ("audit_auditentry", "DELETE FROM audit_auditentry WHERE id = %s"),
]


def _refused(sql: str, pk: int) -> str:
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, [pk])
    return str(caught.value)


@pytest.mark.parametrize(("table", "sql"), STATEMENTS)
def test_raw_update_and_delete_are_refused(
    decided: Any,  # noqa: F811
    table: str,
    sql: str,
) -> None:
    w = decided
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    decision = Decision.objects.order_by("pk").first()
    entry = record(w.users["clerk"], "thử", w.orgs["cell1"], summary="gốc")
    assert decision is not None
    pk = decision.pk if table == "grading_decision" else entry.pk
    before = (Decision.objects.count(), AuditEntry.objects.count())
    message = _refused(sql, pk)
    assert "chỉ được thêm mới" in message
    assert (Decision.objects.count(), AuditEntry.objects.count()) == before
    assert AuditEntry.objects.get(pk=entry.pk).summary == "gốc"
    assert Decision.objects.get(pk=decision.pk).level == decision.level
    # Adding stays possible: the log goes on.
    record(w.users["clerk"], "thử", w.orgs["cell1"])
    assert AuditEntry.objects.count() == before[1] + 1


def test_a_sqlite3_shell_cannot_delete_either(world: Any) -> None:
    """The SQLite DELETE trigger lets only the test runner's flush through, by a function only
    this application's connections define: a plain sqlite3 connection fails."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's trigger has no exception")
    entry = record(world.users["clerk"], "thử", world.orgs["cell1"])
    name = connection.settings_dict["NAME"]
    shell = sqlite3.connect(name, timeout=1)
    try:
        with pytest.raises(sqlite3.OperationalError, match="no such function: kiemdiem_flushing"):
            shell.execute("DELETE FROM audit_auditentry WHERE id = ?", [entry.pk])
    finally:
        shell.close()
