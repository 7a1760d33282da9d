"""Export (issue 2 §4): an organization's members to .xlsx, in Vietnamese name order, in the
import template's columns — so an exported file imports back unchanged."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kiemdiem.org.columns import MEMBER_COLUMNS
from kiemdiem.org.exporting import export_members_xlsx
from kiemdiem.org.importing import import_members
from kiemdiem.org.models import Member
from tests.builders import make_member
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _sheet(data: bytes) -> list[list[object]]:
    """The first sheet's rows, padded to the header's width (empty cells are not written,
    so a read-only reader returns short rows)."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    width = len(rows[0])
    return [r + [None] * (width - len(r)) for r in rows]


def test_export_is_in_vietnamese_order_with_the_template_columns(world: World) -> None:
    """Issue 2 §3: people in Vietnamese order (given name, then middle, then family name;
    a < ă < â, d < đ); choices as their Vietnamese labels, dates as real Excel dates."""
    make_member(world.orgs["cell1"], "Đỗ Văn Ấn")
    make_member(world.orgs["cell1"], "Vũ Thị Ăn")
    rows = _sheet(export_members_xlsx(Member.objects.in_subtree(world.orgs["commune"].path)))
    assert rows[0] == [c.header for c in MEMBER_COLUMNS]
    names = [r[1] for r in rows[1:]]
    assert names == ["Nguyễn Văn An", "Vũ Thị Ăn", "Đỗ Văn Ấn", "Trần Thị Bình", "Lê Văn Cường"]
    an = rows[1]
    assert an[2] == "Nam" and an[4] == "XA-1" and an[5] == "XA-1-T1"
    assert an[8] == "Nông dân"
    assert an[3] == dt.datetime(1980, 1, 1) and an[6] == dt.datetime(2005, 5, 19)
    assert an[7] == dt.datetime(2006, 5, 19) and an[9] is None


def test_export_holds_every_fact(world: World) -> None:
    """Every fact of domain.md §1 the import reads comes out in its column."""
    make_member(
        world.orgs["cell1"], "Vũ Thị Ăn", code="V1", official_on=None, gender="nu",
        admitted_on=dt.date(2025, 3, 1), suspension="dang", suspended_since=dt.date(2025, 7, 2),
        temporary_cell=world.orgs["cell2"], temporary_since=dt.date(2025, 8, 3),
        transferred_on=dt.date(2025, 9, 4), former_cell=world.orgs["other"],
        residence_cell=world.orgs["cell2"], residence="Xóm 2", category="ccvc",
    )  # fmt: skip
    rows = _sheet(export_members_xlsx(Member.objects.filter(code="V1")))
    got = dict(zip(rows[0], rows[1], strict=True))
    assert got["Giới tính"] == "Nữ" and got["Ngày chính thức"] is None
    assert got["Đối tượng"] == "Cán bộ, công chức, viên chức"
    assert got["Đình chỉ"] == "Đình chỉ sinh hoạt đảng"
    assert got["Đình chỉ từ ngày"] == dt.datetime(2025, 7, 2)
    assert (got["Mã chi bộ sinh hoạt tạm thời"], got["Mã chi bộ cũ"]) == ("XA-2", "B")
    assert (got["Mã chi bộ nơi cư trú"], got["Nơi cư trú"]) == ("XA-2", "Xóm 2")


def test_an_export_imports_back_unchanged(world: World) -> None:
    """An exported file re-imports as all "unchanged" (same columns, same values)."""
    make_member(
        world.orgs["cell1"], "Vũ Thị Ăn", official_on=None, admitted_on=dt.date(2025, 3, 1),
        suspension="cap_uy", suspended_since=dt.date(2025, 7, 2),
        temporary_cell=world.orgs["cell2"], temporary_since=dt.date(2025, 8, 3),
        transferred_on=dt.date(2025, 9, 4), former_cell_name="Chi bộ ngoài",
    )  # fmt: skip
    data = export_members_xlsx(Member.objects.all())
    result = import_members(data, "xuat.xlsx")
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, Member.objects.count())


def test_export_page_is_scoped(world: World) -> None:
    """Scope (issue 2 §5): the secretary of cell 1 exports cell 1 only; the commune is 404,
    as is cell 1 for an outsider; anonymous users are sent to the login page."""
    assert Client().get(reverse("org_export", args=[world.orgs["cell1"].pk])).status_code == 302
    outsider = Client()
    outsider.force_login(world.users["outsider"])
    url = reverse("org_export", args=[world.orgs["cell1"].pk])
    assert outsider.get(url).status_code == 404
    client = Client()
    client.force_login(world.users["secretary"])
    response = client.get(reverse("org_export", args=[world.orgs["cell1"].pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="dang-vien-XA-1.xlsx"'
    names = [r[1] for r in _sheet(response.content)[1:]]
    assert names == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert client.get(reverse("org_export", args=[world.orgs["commune"].pk])).status_code == 404


def test_templates_download_and_reimport(world: World) -> None:
    """The templates: a header row, an example row, a "Hướng dẫn" sheet documenting each
    column (required, allowed values, example); the example row itself imports."""
    client = Client()
    client.force_login(world.users["clerk"])
    xlsx = client.get(reverse("import_template", args=["dang-vien", "xlsx"]))
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Đảng viên", "Hướng dẫn"]
    guide = {r[0]: [str(v or "") for v in r] for r in book["Hướng dẫn"].iter_rows(values_only=True)}
    assert set(guide) >= {c.header for c in MEMBER_COLUMNS}
    assert guide["Ngày vào Đảng"][1] == "có"
    assert "Nam hoặc Nữ" in guide["Giới tính"][2]
    assert "Cán bộ, công chức, viên chức" in guide["Đối tượng"][2]
    orgs = client.get(reverse("import_template", args=["to-chuc", "xlsx"]))
    org_sheet = _sheet(orgs.content)
    assert org_sheet[0] == ["Mã tổ chức", "Tên tổ chức", "Loại", "Mã tổ chức cấp trên"]
    csv = client.get(reverse("import_template", args=["dang-vien", "csv"]))
    assert csv.content.decode("utf-8-sig").startswith("Mã đảng viên,Họ và tên")
    assert client.get(reverse("import_template", args=["la", "xlsx"])).status_code == 404
    # The template's own example row imports cleanly once its cell code exists.
    sheet = book["Đảng viên"]
    sheet["E2"] = "XA-1"
    out = io.BytesIO()
    book.save(out)
    result = import_members(out.getvalue(), "mau.xlsx")
    assert result.ok, result.errors
    assert Member.objects.filter(full_name="Nguyễn Thị Ánh").exists()
