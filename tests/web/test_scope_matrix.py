"""Accounts and scope (issue 2 §5): nobody sees outside their subtree.

Every persona is tried on every page; the expected status is written out as a table so a
change in the access rules shows up as a changed row here.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World

PERSONAS = ["anonymous", "member", "secretary", "clerk", "superior", "admin", "outsider"]

# page -> expected status per persona, in PERSONAS order (302 = sent to log in / own record).
MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    ("organization", "province"): (302, 404, 404, 404, 200, 200, 404),
    ("organization", "commune"): (302, 404, 404, 200, 200, 200, 404),
    ("organization", "cell1"): (302, 404, 200, 200, 200, 200, 404),
    ("organization", "cell2"): (302, 404, 404, 200, 200, 200, 404),
    ("organization", "other"): (302, 404, 404, 404, 200, 200, 200),
    ("member_list", "commune"): (302, 404, 404, 200, 200, 200, 404),
    ("member_list", "cell1"): (302, 404, 200, 200, 200, 200, 404),
    ("member_list", "other"): (302, 404, 404, 404, 200, 200, 200),
    ("member_detail", "an"): (302, 200, 200, 200, 200, 200, 404),
    ("member_detail", "binh"): (302, 404, 200, 200, 200, 200, 404),
    ("member_detail", "cuong"): (302, 404, 404, 200, 200, 200, 404),
    ("member_detail", "dung"): (302, 404, 404, 404, 200, 200, 200),
}


def _client(world: World, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def _url(world: World, page: str, target: str) -> str:
    if page == "member_detail":
        return reverse(page, args=[world.members[target].pk])
    return reverse(page, args=[world.orgs[target].pk])


@pytest.mark.parametrize("persona", PERSONAS)
def test_role_by_page_matrix(world: World, persona: str) -> None:
    """Each role reaches exactly the pages of its own subtree (issue 2 §5)."""
    client = _client(world, persona)
    column = PERSONAS.index(persona)
    got = {key: client.get(_url(world, *key)).status_code for key in MATRIX}
    expected = {key: row[column] for key, row in MATRIX.items()}
    assert got == expected


@pytest.mark.parametrize(
    ("persona", "org", "names"),
    [
        ("secretary", "cell1", ["Nguyễn Văn An", "Trần Thị Bình"]),
        ("clerk", "commune", ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]),
        (
            "superior",
            "province",
            ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Văn Dũng"],
        ),
        ("outsider", "other", ["Phạm Văn Dũng"]),
    ],
)
def test_member_list_shows_only_the_subtree(
    world: World, persona: str, org: str, names: list[str]
) -> None:
    """A list never leaks a member from outside the user's subtree (issue 2 §5)."""
    response = _client(world, persona).get(reverse("member_list", args=[world.orgs[org].pk]))
    listed = [m.full_name for m in response.context["page"]]
    assert sorted(listed) == sorted(names)


def test_home_of_each_role(world: World) -> None:
    """Home starts at the top of the user's scope; a plain member lands on their own record."""
    expectations = {
        "secretary": "Chi bộ xóm 1",
        "clerk": "Đảng bộ xã A",
        "superior": "Đảng bộ tỉnh Thử",
        "outsider": "Chi bộ cơ sở Trường B",
    }
    for persona, name in expectations.items():
        response = _client(world, persona).get(reverse("home"))
        assert response.status_code == 200
        assert response.context["org"].name == name
    # A plain member's home is their year (issue 15 §2), linking their record and results;
    # it no longer redirects to the record.
    response = _client(world, "member").get(reverse("home"))
    assert response.status_code == 200 and response.context["member"] == world.members["an"]
    html = response.content.decode()
    assert reverse("member_detail", args=[world.members["an"].pk]) in html
    assert reverse("member_results", args=[world.members["an"].pk]) in html


def test_user_without_role_or_member_sees_nothing(world: World, django_user_model) -> None:  # type: ignore[no-untyped-def]
    """An account tied to nothing gets a clear page, not data."""
    client = Client()
    client.force_login(django_user_model.objects.create_user("nobody", password="x-pass-123"))
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "chưa được phân quyền" in response.content.decode()


def test_temporary_member_is_visible_where_they_attend(world: World) -> None:
    """domain.md §1: a temporarily attached member is reviewed at the temporary cell, so its
    secretary sees them; the official cell keeps them too."""
    import datetime as dt

    dung = world.members["dung"]
    dung.temporary_cell = world.orgs["cell1"]
    dung.temporary_since = dt.date(2025, 3, 1)
    dung.save()
    assert _client(world, "secretary").get(_url(world, "member_detail", "dung")).status_code == 200
    assert _client(world, "outsider").get(_url(world, "member_detail", "dung")).status_code == 200
    assert _client(world, "clerk").get(_url(world, "member_detail", "dung")).status_code == 200


def test_permission_table_covers_every_role_and_kind() -> None:
    """The access table is one piece of data: the administrator may do everything, a plain
    member may only touch their own record and self-review, and the superior reviewer never
    changes a grassroots organization's tree or members."""
    from kiemdiem.accounts.access import PERMISSIONS, SELF, Action, Kind
    from kiemdiem.accounts.models import Role

    assert all(PERMISSIONS[(Role.ADMINISTRATOR, k)] == frozenset(Action) for k in Kind)
    own = {kind for (role, kind), actions in PERMISSIONS.items() if role == SELF and actions}
    # Besides their record and self-review: the Mẫu 01 of a collective they head, the
    # review suggestions addressed to them (000 §1.4.1a, §1.4.2), and reading their own
    # decided result with its reasons (issue 15 §1 "Kết quả của tôi").
    assert own == {
        Kind.MEMBER, Kind.SELF_REVIEW, Kind.COLLECTIVE_REPORT, Kind.SUGGESTION, Kind.DECISION
    }  # fmt: skip
    assert PERMISSIONS[(SELF, Kind.DECISION)] == {Action.VIEW}
    for kind in (Kind.ORGANIZATION, Kind.MEMBER):
        assert PERMISSIONS[(Role.SUPERIOR_REVIEWER, kind)] == {Action.VIEW, Action.EXPORT}


def test_scope_filters_for_other_models(world: World) -> None:
    """scope_q / own_q give the same subtree answers for any model keyed by organization."""
    from kiemdiem.accounts.access import Action, Kind, can_at, can_own, own_q, scope_q
    from kiemdiem.org.models import Member

    secretary, member = world.users["secretary"], world.users["member"]
    q = scope_q(secretary, Kind.SELF_REVIEW, Action.RETURN, "cell__path")
    assert set(Member.objects.filter(q).values_list("full_name", flat=True)) == {
        "Nguyễn Văn An",
        "Trần Thị Bình",
    }
    assert not Member.objects.filter(scope_q(member, Kind.SELF_REVIEW, Action.VIEW, "cell__path"))
    mine = Member.objects.filter(own_q(member, Kind.SELF_REVIEW, Action.SUBMIT, "pk"))
    assert [m.full_name for m in mine] == ["Nguyễn Văn An"]
    assert can_own(member, Action.SUBMIT, Kind.SELF_REVIEW, world.members["an"].pk)
    assert not can_own(member, Action.RETURN, Kind.SELF_REVIEW, world.members["an"].pk)
    assert not can_own(member, Action.VIEW, Kind.SELF_REVIEW, world.members["binh"].pk)
    assert can_at(world.users["clerk"], Action.EDIT, Kind.CYCLE, world.orgs["cell2"])
    assert not can_at(world.users["outsider"], Action.VIEW, Kind.CYCLE, world.orgs["cell2"])


def test_member_list_includes_those_attending_temporarily(world: World) -> None:
    """domain.md §1: a member attached temporarily is reviewed at that cell, so its list
    shows them (and the official cell's list keeps them)."""
    import datetime as dt

    dung = world.members["dung"]
    dung.temporary_cell, dung.temporary_since = world.orgs["cell1"], dt.date(2026, 3, 1)
    dung.save()
    client = _client(world, "secretary")
    page = client.get(reverse("member_list", args=[world.orgs["cell1"].pk])).context["page"]
    assert "Phạm Văn Dũng" in [m.full_name for m in page]
