"""Model invariants (issue 2 §2) with their Vietnamese messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kiemdiem.org.choices import OrgKind, Suspension
from kiemdiem.org.models import Member, Organization, Position, member_errors
from tests.builders import make_member, make_org, small_tree

pytestmark = pytest.mark.django_db


_TREE: dict[str, Organization] = {}


@pytest.fixture(autouse=True)
def _tree() -> None:
    _TREE.clear()
    _TREE.update(small_tree())


def _errors(**changes: object) -> dict[str, str]:
    tree = _TREE
    m = Member(
        code="X1",
        full_name="Hoàng Văn Em",
        gender="nam",
        birth_date=dt.date(1980, 1, 1),
        cell=tree["cell1"],
        admitted_on=dt.date(2010, 5, 19),
        official_on=dt.date(2011, 5, 19),
        category="farmer",
    )
    for key, value in changes.items():
        setattr(m, key, tree[value] if isinstance(value, str) and value in tree else value)
    return member_errors(m, today=dt.date(2025, 11, 20))


def test_a_valid_member_has_no_errors() -> None:
    assert _errors() == {}


def test_official_date_at_least_12_months_after_admission() -> None:
    """Điều lệ Đảng: probation lasts 12 months, so the official date cannot come sooner."""
    errors = _errors(official_on=dt.date(2011, 5, 18))
    assert "ít nhất 12 tháng" in errors["official_on"]
    assert _errors(official_on=dt.date(2011, 5, 19)) == {}


def test_official_date_after_admission_is_also_a_database_constraint() -> None:
    tree = _TREE
    with pytest.raises(IntegrityError), transaction.atomic():
        make_member(tree["cell1"], admitted_on=dt.date(2010, 1, 1), official_on=dt.date(2009, 1, 1))


def test_member_belongs_to_a_cell() -> None:
    """A member's one official cell is a chi bộ (or a grassroots cell), never a committee."""
    assert "chi bộ" in _errors(cell="commune")["cell"]
    assert _errors(cell="other") == {}  # a chi bộ cơ sở is a cell


def test_admission_at_18() -> None:
    assert "18 tuổi" in _errors(birth_date=dt.date(1993, 1, 1))["admitted_on"]


def test_admission_not_in_the_future() -> None:
    errors = _errors(admitted_on=dt.date(2026, 1, 1), official_on=None)
    assert "sau ngày hôm nay" in errors["admitted_on"]


def test_temporary_cell_differs_and_has_a_date() -> None:
    """domain.md §1: temporary attachment is to another cell, from a date."""
    assert (
        "khác"
        in _errors(temporary_cell="cell1", temporary_since=dt.date(2025, 1, 1))["temporary_cell"]
    )
    assert "ngày" in _errors(temporary_cell="cell2")["temporary_since"]
    assert _errors(temporary_cell="cell2", temporary_since=dt.date(2025, 1, 1)) == {}


def test_party_group_belongs_to_the_cell() -> None:
    assert _errors(party_group="group") == {}
    assert "Tổ đảng" in _errors(cell="cell2", party_group="group")["party_group"]


def test_suspension_needs_its_scope_and_date() -> None:
    """domain.md §1: suspension from the party or only from the committee, from a date."""
    assert "ngày" in _errors(suspension=Suspension.PARTY)["suspended_since"]
    assert "hình thức" in _errors(suspended_since=dt.date(2025, 1, 1))["suspension"]
    assert _errors(suspension=Suspension.COMMITTEE, suspended_since=dt.date(2025, 1, 1)) == {}


def test_transfer_needs_date_and_former_cell() -> None:
    """domain.md §1: a transferred member has the date and the former cell."""
    assert "ngày chuyển" in _errors(former_cell_name="Chi bộ X, xã Y")["transferred_on"]
    assert "chi bộ trước" in _errors(transferred_on=dt.date(2025, 6, 1))["former_cell"]
    assert "khác" in _errors(transferred_on=dt.date(2025, 6, 1), former_cell="cell1")["former_cell"]
    assert _errors(transferred_on=dt.date(2025, 6, 1), former_cell="cell2") == {}


def test_clean_raises_with_field_messages() -> None:
    tree = _TREE
    m = make_member(tree["cell1"])
    m.official_on = m.admitted_on
    with pytest.raises(ValidationError) as info:
        m.full_clean()
    assert "official_on" in info.value.message_dict


def test_position_end_not_before_start() -> None:
    tree = _TREE
    m = make_member(tree["cell1"])
    p = Position(member=m, title="Bí thư", organization=tree["cell1"], start_on=dt.date(2025, 1, 1),
                 end_on=dt.date(2024, 1, 1))  # fmt: skip
    with pytest.raises(ValidationError) as info:
        p.full_clean()
    assert "không được trước" in str(info.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        p.save()


def test_position_in_exactly_one_place() -> None:
    tree = _TREE
    m = make_member(tree["cell1"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(member=m, title="Đảng viên", start_on=dt.date(2025, 1, 1))


def test_subtree_is_one_prefix_query_and_follows_moves() -> None:
    """The tree answers subtree questions by path prefix, and a move carries the subtree."""
    tree = _TREE
    ids = set(tree["commune"].subtree().values_list("pk", flat=True))
    assert ids == {tree[k].pk for k in ("commune", "cell1", "cell2", "group")}
    cell1 = tree["cell1"]
    cell1.parent = tree["other"]
    cell1.save()
    group = Organization.objects.get(pk=tree["group"].pk)
    assert group.path.startswith(Organization.objects.get(pk=tree["other"].pk).path)
    assert group.depth == 3
    assert [o.pk for o in group.ancestors()] == [tree["province"].pk, tree["other"].pk, cell1.pk]


def test_tree_cannot_loop_and_groups_sit_under_cells() -> None:
    tree = _TREE
    commune = tree["commune"]
    commune.parent = tree["cell1"]
    with pytest.raises(ValidationError):
        commune.full_clean()
    stray = Organization(name="Tổ lạc", code="LAC", kind=OrgKind.GROUP, parent=tree["commune"])
    with pytest.raises(ValidationError) as info:
        stray.full_clean()
    assert "Tổ đảng phải thuộc một chi bộ" in str(info.value)
    assert make_org("Tổ 2", OrgKind.GROUP, tree["cell2"]).depth == 3
