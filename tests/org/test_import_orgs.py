"""Import of the organization tree (issue 2 §4): parents may come later in the file; errors
name the row and column; nothing is saved on error; re-import changes nothing; an importer
writes only inside their scope."""

from __future__ import annotations

import pytest

from kiemdiem.org.exporting import export_organizations_xlsx
from kiemdiem.org.importing_orgs import import_organizations
from kiemdiem.org.models import Organization
from tests.conftest import World
from tests.org.sheets import ORG_HEADERS, csv_bytes, xlsx

pytestmark = pytest.mark.django_db


def _tree(rows: list[list[str]]) -> bytes:
    return xlsx(rows, ORG_HEADERS)


def _snapshot() -> list[tuple[object, ...]]:
    return list(Organization.objects.order_by("pk").values_list())


def test_tree_with_parents_after_children() -> None:
    """Rows are saved parents first, whatever their order in the file; paths follow."""
    data = _tree(
        [
            ["X-1", "Chi bộ xóm 1", "Chi bộ trực thuộc", "X"],
            ["X-1-T1", "Tổ đảng 1", "tổ đảng", "X-1"],
            ["X", "Đảng bộ xã X", "dang_bo_co_so", ""],
        ]
    )
    result = import_organizations(data, "cay.xlsx")
    assert result.ok, result.errors
    assert result.created == 3
    group = Organization.objects.get(code="X-1-T1")
    assert [o.code for o in group.ancestors()] == ["X", "X-1"]
    assert group.kind == "to_dang"
    again = import_organizations(data, "cay.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_rename_and_move_by_code(world: World) -> None:
    """Organizations are matched by code: a new name or parent updates the same row, and
    the subtree's paths move with it."""
    data = csv_bytes(
        [["XA-1", "Chi bộ thôn Một", "Chi bộ trực thuộc", "XA"],
         ["XA-2", "Chi bộ xóm 2", "Chi bộ trực thuộc", "XA"],
         ["XA-1-T1", "Tổ đảng số 1", "Tổ đảng", "XA-2"]],
        headers=ORG_HEADERS,
    )  # fmt: skip
    result = import_organizations(data, "cay.csv")
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    group = Organization.objects.get(code="XA-1-T1")
    assert group.pk == world.orgs["group"].pk
    assert group.path.startswith(world.orgs["cell2"].path)


def test_errors_save_nothing() -> None:
    """An unknown parent and an unknown kind are both reported; nothing is created."""
    data = _tree(
        [
            ["X", "Đảng bộ xã X", "Đảng bộ cơ sở", ""],
            ["X-1", "Chi bộ xóm 1", "Chi bộ trực thuộc", "KHONG-CO"],
            ["X-2", "Chi bộ xóm 2", "Loại lạ", "X"],
        ]
    )
    result = import_organizations(data, "cay.xlsx")
    assert {(e.row, e.column) for e in result.errors} == {(3, "Mã tổ chức cấp trên"), (4, "Loại")}
    assert "Không có tổ chức mã “KHONG-CO”." in [e.message for e in result.errors]
    assert not Organization.objects.exists()


def test_a_group_must_sit_under_a_cell() -> None:
    """domain.md §1: a party group (tổ đảng) belongs to a cell; the model's rule applies,
    and the rows saved before the error are rolled back."""
    data = _tree([["X", "Đảng bộ xã X", "Đảng bộ cơ sở", ""], ["T", "Tổ lạc", "Tổ đảng", "X"]])
    result = import_organizations(data, "cay.xlsx")
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "Mã tổ chức cấp trên", "Tổ đảng phải thuộc một chi bộ.")
    ]
    assert not Organization.objects.exists()


def test_a_cell_with_members_keeps_a_cell_kind(world: World) -> None:
    """domain.md §1: a member's official place is a cell; a cell holding members cannot be
    turned into a committee by an import."""
    data = _tree([["XA-1", "Chi bộ xóm 1", "Đảng bộ bộ phận", "XA"]])
    result = import_organizations(data, "cay.xlsx")
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "Loại", "Chi bộ đang có đảng viên, không đổi sang loại này.")
    ]
    assert Organization.objects.get(code="XA-1").kind == "chi_bo"


def test_duplicates_loops_and_long_names() -> None:
    """A code twice in the file, a loop of parents, a name longer than the database allows."""
    data = _tree(
        [
            ["A", "A", "Đảng bộ cơ sở", "B"],
            ["B", "B", "Đảng bộ cơ sở", "A"],
            ["A", "A lần hai", "Đảng bộ cơ sở", ""],
            ["C", "x" * 201, "Đảng bộ cơ sở", ""],
        ]
    )
    result = import_organizations(data, "cay.xlsx")
    found = {(e.row, e.column, e.message) for e in result.errors}
    assert (4, "Mã tổ chức", "Mã “A” trùng với dòng 2.") in found
    assert (5, "Tên tổ chức", "Dài 201 ký tự, quá giới hạn 200 ký tự.") in found
    assert any("vòng lặp" in e.message for e in result.errors)
    assert not Organization.objects.exists()


def test_scope_of_the_importer(world: World) -> None:
    """Scope (issue 2 §5): inside the commune, a new cell and the commune's own row (whose
    parent, the province, is outside the scope) are fine; a new organization under the
    province, or moving the commune, is refused and nothing is saved."""
    commune = world.orgs["commune"]

    def in_commune(org: Organization) -> bool:
        return org.path.startswith(commune.path)

    ok = _tree([["XA", "Đảng bộ xã A", "Đảng bộ cơ sở", "T"],
                ["XA-3", "Chi bộ xóm 3", "Chi bộ trực thuộc", "XA"]])  # fmt: skip
    result = import_organizations(ok, "cay.xlsx", may_write=in_commune)
    assert result.ok, result.errors
    assert (result.created, result.unchanged) == (1, 1)
    before = _snapshot()
    bad = _tree([["XA-4", "Chi bộ xóm 4", "Chi bộ trực thuộc", "XA"],
                 ["Y", "Đảng bộ xã Y", "Đảng bộ cơ sở", "T"],
                 ["B", "Trường B", "Chi bộ cơ sở", "T"]])  # fmt: skip
    result = import_organizations(bad, "cay.xlsx", may_write=in_commune)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "Mã tổ chức cấp trên", "Tổ chức cấp trên ngoài phạm vi được nhập."),
        (4, "Mã tổ chức", "Tổ chức này ngoài phạm vi được nhập."),
    ]
    assert _snapshot() == before


def test_an_exported_tree_imports_back_unchanged(world: World) -> None:
    """The tree's export has the import's columns, so it re-imports as all unchanged."""
    data = export_organizations_xlsx(Organization.objects.all())
    result = import_organizations(data, "cay.xlsx")
    assert result.ok, result.errors
    assert result.unchanged == Organization.objects.count()
