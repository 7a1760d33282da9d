"""Import of the organization tree (issue 2 §4): parents may come later in the file; errors
name the row and column; nothing is saved on error; re-import changes nothing."""

from __future__ import annotations

import pytest

from kiemdiem.org.importing import import_organizations
from kiemdiem.org.models import Organization
from tests.org.test_import_members import xlsx

pytestmark = pytest.mark.django_db
HEADERS = ["Mã tổ chức", "Tên tổ chức", "Loại", "Mã tổ chức cấp trên"]


def test_tree_with_parents_after_children() -> None:
    data = xlsx(
        [
            ["X-1", "Chi bộ xóm 1", "Chi bộ trực thuộc", "X"],
            ["X-1-T1", "Tổ đảng 1", "Tổ đảng", "X-1"],
            ["X", "Đảng bộ xã X", "Đảng bộ cơ sở", ""],
        ],
        HEADERS,
    )
    result = import_organizations(data, "cay.xlsx")
    assert result.ok, result.errors
    assert result.created == 3
    group = Organization.objects.get(code="X-1-T1")
    assert [o.code for o in group.ancestors()] == ["X", "X-1"]
    again = import_organizations(data, "cay.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_errors_save_nothing() -> None:
    data = xlsx(
        [
            ["X", "Đảng bộ xã X", "Đảng bộ cơ sở", ""],
            ["X-1", "Chi bộ xóm 1", "Chi bộ trực thuộc", "KHONG-CO"],
            ["X-2", "Chi bộ xóm 2", "Loại lạ", "X"],
        ],
        HEADERS,
    )
    result = import_organizations(data, "cay.xlsx")
    assert {(e.row, e.column) for e in result.errors} == {(3, "Mã tổ chức cấp trên"), (4, "Loại")}
    assert not Organization.objects.exists()


def test_a_group_must_sit_under_a_cell() -> None:
    data = xlsx(
        [["X", "Đảng bộ xã X", "Đảng bộ cơ sở", ""], ["T", "Tổ lạc", "Tổ đảng", "X"]], HEADERS
    )
    result = import_organizations(data, "cay.xlsx")
    assert [(e.row, e.message) for e in result.errors] == [(3, "Tổ đảng phải thuộc một chi bộ.")]
    assert not Organization.objects.exists()


def test_loops_are_refused() -> None:
    data = xlsx([["A", "A", "Đảng bộ cơ sở", "B"], ["B", "B", "Đảng bộ cơ sở", "A"]], HEADERS)
    result = import_organizations(data, "cay.xlsx")
    assert any("vòng lặp" in e.message for e in result.errors)
    assert not Organization.objects.exists()
