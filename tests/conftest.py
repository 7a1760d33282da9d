"""Shared personas: a member, a cell secretary, a committee clerk, a superior officer, an
administrator and an outsider who must see nothing of the commune."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db.backends.sqlite3.base import DatabaseOperations as SQLiteOperations

from kiemdiem.org.models import Member, Organization
from tests.builders import Role, grant, make_member, make_user, small_tree

_sqlite_flush = SQLiteOperations.sql_flush


def _flush_ballots_before_their_boxes(self: Any, *args: Any, **kwargs: Any) -> list[str]:
    """A closed ballot box refuses DELETE by trigger (issue 12), and SQLite's flush (the
    transactional tests' teardown) deletes tables in a set's order: empty the ballots first,
    so the trigger finds no closed ballot, then their boxes (FKs are deferred to commit)."""
    sql = _sqlite_flush(self, *args, **kwargs)
    return sorted(sql, key=lambda line: '"ballots_ballot"' not in line)


SQLiteOperations.sql_flush = _flush_ballots_before_their_boxes  # type: ignore[method-assign]


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
