"""Import of members (issue 2 §4): every error names the row, the column and the problem in
Vietnamese; a file with any error saves nothing; re-importing the same file changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import time
from typing import Any

import pytest
from openpyxl import Workbook

from kiemdiem.org.columns import MEMBER_COLUMNS
from kiemdiem.org.importing import RowError, import_members
from kiemdiem.org.models import Member
from tests.conftest import World

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in MEMBER_COLUMNS]


def row(**values: Any) -> list[Any]:
    base = {
        "Mã đảng viên": "N001",
        "Họ và tên": "Hồ Thị Ánh",
        "Giới tính": "Nữ",
        "Ngày sinh": "05/09/1980",
        "Mã chi bộ": "XA-1",
        "Ngày vào Đảng": "19/05/2005",
        "Ngày chính thức": "19/05/2006",
        "Đối tượng": "Nông dân",
    }
    base.update(values)
    return [base.get(h, "") for h in HEADERS]


def xlsx(rows: list[list[Any]], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[Any]], delimiter: str = ",") -> bytes:
    lines = [delimiter.join(HEADERS)] + [delimiter.join(str(v) for v in r) for r in rows]
    return ("\ufeff" + "\n".join(lines)).encode()


def test_good_xlsx_creates_members(world: World) -> None:
    data = xlsx([row(), row(**{"Mã đảng viên": "N002", "Họ và tên": "Lê Văn Bảo",
                                "Giới tính": "nam", "Mã chi bộ": "XA-2"})])  # fmt: skip
    result = import_members(data, "ds.xlsx")
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    anh = Member.objects.get(code="N001")
    assert anh.full_name == "Hồ Thị Ánh"
    assert anh.birth_date == dt.date(1980, 9, 5)
    assert anh.cell == world.orgs["cell1"]
    assert anh.gender == "nu"


def test_real_excel_dates_and_codes_typed_as_numbers(world: World) -> None:
    data = xlsx([row(**{"Mã đảng viên": 42000123, "Ngày sinh": dt.datetime(1980, 9, 5)})])
    result = import_members(data, "ds.xlsx")
    assert result.ok, result.errors
    assert Member.objects.get(code="42000123").birth_date == dt.date(1980, 9, 5)


def test_csv_with_bom_and_semicolons(world: World) -> None:
    result = import_members(csv_bytes([row()], ";"), "ds.csv")
    assert result.ok, result.errors
    assert Member.objects.filter(code="N001").exists()


def test_reimporting_the_same_file_changes_nothing(world: World) -> None:
    data = xlsx([row(), row(**{"Mã đảng viên": "N002", "Họ và tên": "Lê Văn Bảo"})])
    import_members(data, "ds.xlsx")
    again = import_members(data, "ds.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = import_members(xlsx([row(**{"Họ và tên": "Hồ Thị Ánh Hồng"})]), "ds.xlsx")
    assert (changed.created, changed.updated) == (0, 1)
    assert Member.objects.get(code="N001").full_name == "Hồ Thị Ánh Hồng"


def _errors(data: bytes, name: str = "ds.xlsx", **kwargs: Any) -> list[RowError]:
    before = list(Member.objects.order_by("pk").values_list("code", "full_name", "cell_id"))
    result = import_members(data, name, **kwargs)
    after = list(Member.objects.order_by("pk").values_list("code", "full_name", "cell_id"))
    assert after == before, "a file with errors must save nothing"
    return result.errors


def test_bad_date_names_row_and_column(world: World) -> None:
    errors = _errors(xlsx([row(), row(**{"Mã đảng viên": "N002", "Ngày sinh": "31/02/1980"})]))
    assert [(e.row, e.column) for e in errors] == [(3, "Ngày sinh")]
    assert "không phải là ngày hợp lệ" in errors[0].message


def test_unknown_cell_code(world: World) -> None:
    errors = _errors(xlsx([row(**{"Mã chi bộ": "KHONG-CO"})]))
    assert [(e.row, e.column) for e in errors] == [(2, "Mã chi bộ")]
    assert "Không có tổ chức mã “KHONG-CO”" in errors[0].message


def test_invariant_official_date_12_months_after_admission(world: World) -> None:
    """Điều lệ Đảng: 12 months of probation — the importer applies the model invariants."""
    errors = _errors(xlsx([row(**{"Ngày chính thức": "01/12/2005"})]))
    assert [(e.row, e.column) for e in errors] == [(2, "Ngày chính thức")]
    assert "12 tháng" in errors[0].message


def test_member_must_belong_to_a_cell_not_a_committee(world: World) -> None:
    errors = _errors(xlsx([row(**{"Mã chi bộ": "XA"})]))
    assert [(e.row, e.column) for e in errors] == [(2, "Mã chi bộ")]


def test_duplicate_code_in_the_file(world: World) -> None:
    errors = _errors(xlsx([row(), row()]))
    assert [(e.row, e.column) for e in errors] == [(3, "Mã đảng viên")]
    assert "trùng với dòng 2" in errors[0].message


def test_missing_required_column_and_unknown_column(world: World) -> None:
    headers = [h for h in HEADERS if h != "Ngày sinh"] + ["Ghi chú lạ"]
    errors = _errors(xlsx([["x"] * len(headers)], headers))
    messages = " ".join(e.message for e in errors)
    assert "Thiếu cột bắt buộc: “Ngày sinh”" in messages
    assert "Cột “Ghi chú lạ” không có trong mẫu nhập" in messages


def test_empty_required_value_and_bad_choice(world: World) -> None:
    errors = _errors(xlsx([row(**{"Họ và tên": "", "Giới tính": "khác"})]))
    assert {(e.row, e.column) for e in errors} == {(2, "Họ và tên"), (2, "Giới tính")}


def test_all_errors_are_reported_not_just_the_first(world: World) -> None:
    rows = [row(**{"Mã đảng viên": f"E{i}", "Ngày sinh": "sai"}) for i in range(5)]
    assert len(_errors(xlsx(rows))) == 5


def test_rows_outside_the_importers_scope(world: World) -> None:
    """Scope (issue 2 §5): a cell secretary cannot import into another cell."""
    cell1 = world.orgs["cell1"]
    errors = _errors(
        xlsx([row(), row(**{"Mã đảng viên": "N002", "Mã chi bộ": "XA-2"})]),
        may_write=lambda org: org.path.startswith(cell1.path),
    )
    assert [(e.row, e.column) for e in errors] == [(3, "Mã chi bộ")]
    existing = world.members["cuong"]
    errors = _errors(
        xlsx([row(**{"Mã đảng viên": existing.code})]),
        may_write=lambda org: org.path.startswith(cell1.path),
    )
    assert "ngoài phạm vi" in errors[0].message


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04 not really a zip", "ds.xlsx", "không phải tệp Excel"),
        (b"", "ds.csv", "Tệp trống"),
        (b"Ma;Ten", "ds.txt", "Chỉ nhận tệp"),
        ("Mã đảng viên".encode("utf-16"), "ds.csv", "UTF-8"),
    ],
)
def test_unreadable_files(world: World, content: bytes, name: str, message: str) -> None:
    errors = _errors(content, name)
    assert len(errors) == 1 and errors[0].row == 0
    assert message in errors[0].message


def test_a_5000_row_file_imports_set_based(
    world: World, django_assert_max_num_queries: Any
) -> None:
    """No query per row: lookups are one query each, writes go in batches (SQLite caps a
    batch at 999 parameters, about 40 members; PostgreSQL takes 1,000 at a time)."""
    rows = [row(**{"Mã đảng viên": f"B{i:05d}", "Họ và tên": f"Nguyễn Văn Số{i}"})
            for i in range(5000)]  # fmt: skip
    data = xlsx(rows)
    start = time.perf_counter()
    with django_assert_max_num_queries(10 + 5000 // 35):
        result = import_members(data, "lon.xlsx")
    print(f"5,000 rows imported in {time.perf_counter() - start:.2f} s")
    assert result.created == 5000
    again = import_members(data, "lon.xlsx")
    assert again.unchanged == 5000
