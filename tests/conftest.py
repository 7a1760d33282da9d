"""Shared personas: a member, a cell secretary, a committee clerk, a superior officer, an
administrator and an outsider who must see nothing of the commune."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from kiemdiem.audit.append_only import flushing
from kiemdiem.org.models import Member, Organization
from tests.builders import Role, grant, make_member, make_user, small_tree

# Servers and commands the tests start in a subprocess run without DEBUG, so they need a real
# key: the demo key makes them refuse to start (issue 13 §3).
TEST_SECRET_KEY = os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

# Transactional tests empty every table between tests; on SQLite that is a DELETE, which the
# append-only triggers refuse unless the application says it is flushing (issue 13 §5;
# PostgreSQL's TRUNCATE is not seen by row triggers). Only the test runner's flush is let through.
# (The backend's base module is imported, not its operations module: that one imported first
# is a circular import.)
_SQLiteOperations = SQLiteWrapper.ops_class
_sqlite_flush = _SQLiteOperations.execute_sql_flush


def _flush_append_only(self: Any, sql_list: list[str]) -> None:
    with flushing():
        _sqlite_flush(self, sql_list)


_SQLiteOperations.execute_sql_flush = _flush_append_only


_sqlite_sql_flush = _SQLiteOperations.sql_flush


def _flush_ballots_before_their_boxes(self: Any, *args: Any, **kwargs: Any) -> list[str]:
    """A closed ballot box refuses DELETE by trigger (issue 12), and SQLite's flush (the
    transactional tests' teardown) deletes tables in a set's order: empty the ballots first,
    so the trigger finds no closed ballot, then their boxes (FKs are deferred to commit)."""
    sql = _sqlite_sql_flush(self, *args, **kwargs)
    return sorted(sql, key=lambda line: '"ballots_ballot"' not in line)


_SQLiteOperations.sql_flush = _flush_ballots_before_their_boxes  # type: ignore[method-assign]


@dataclass
class World:
    orgs: dict[str, Organization]
    members: dict[str, Member]
    users: dict[str, Any]


@pytest.fixture
def world(db: None) -> World:
    orgs = small_tree()
    members = {
        "an": make_member(orgs["cell1"], "Nguyễn Văn An", party_group=orgs["group"]),
        "binh": make_member(orgs["cell1"], "Trần Thị Bình"),
        "cuong": make_member(orgs["cell2"], "Lê Văn Cường"),
        "dung": make_member(orgs["other"], "Phạm Văn Dũng"),
    }
    users = {
        "member": make_user("member"),
        "secretary": make_user("secretary"),
        "clerk": make_user("clerk"),
        "superior": make_user("superior"),
        "admin": make_user("admin", superuser=True),
        "outsider": make_user("outsider"),
    }
    members["an"].user = users["member"]
    members["an"].save()
    grant(users["secretary"], Role.CELL_SECRETARY, orgs["cell1"])
    grant(users["clerk"], Role.COMMITTEE_OFFICE, orgs["commune"])
    grant(users["superior"], Role.SUPERIOR_REVIEWER, orgs["province"])
    grant(users["outsider"], Role.CELL_SECRETARY, orgs["other"])
    return World(orgs, members, users)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Hashing strength is not under test; a fast hasher keeps the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
