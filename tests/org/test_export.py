"""Export (issue 2 §4): an organization's members to .xlsx, in Vietnamese name order, in the
import template's columns — so an exported file imports back unchanged."""

from __future__ import annotations

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
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def test_export_is_in_vietnamese_order_with_the_template_columns(world: World) -> None:
    make_member(world.orgs["cell1"], "Đỗ Văn Ấn")
    make_member(world.orgs["cell1"], "Vũ Thị Ăn")
    rows = _sheet(export_members_xlsx(Member.objects.in_subtree(world.orgs["commune"].path)))
    assert rows[0] == [c.header for c in MEMBER_COLUMNS]
    names = [r[1] for r in rows[1:]]
    assert names == ["Nguyễn Văn An", "Vũ Thị Ăn", "Đỗ Văn Ấn", "Trần Thị Bình", "Lê Văn Cường"]
    an = rows[1]
    assert an[2] == "Nam" and an[4] == "XA-1" and an[5] == "XA-1-T1"
    assert an[8] == "Nông dân"


def test_an_export_imports_back_unchanged(world: World) -> None:
    data = export_members_xlsx(Member.objects.all())
    result = import_members(data, "xuat.xlsx")
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, Member.objects.count())


def test_export_page_is_scoped(world: World) -> None:
    """Scope (issue 2 §5): the secretary of cell 1 exports cell 1 only; the commune is 404."""
    client = Client()
    client.force_login(world.users["secretary"])
    response = client.get(reverse("org_export", args=[world.orgs["cell1"].pk]))
    assert response.status_code == 200
    names = [r[1] for r in _sheet(response.content)[1:]]
    assert names == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert client.get(reverse("org_export", args=[world.orgs["commune"].pk])).status_code == 404


def test_templates_download_and_reimport(world: World) -> None:
    client = Client()
    client.force_login(world.users["clerk"])
    xlsx = client.get(reverse("import_template", args=["dang-vien", "xlsx"]))
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Đảng viên", "Hướng dẫn"]
    guide = [r[0] for r in book["Hướng dẫn"].iter_rows(values_only=True)]
    assert "Ngày vào Đảng" in guide
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
