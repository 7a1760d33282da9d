"""Import of members (issue 2 §4): files as offices write them are read; every error names
the row, the column and the problem in Vietnamese; a file with any error saves nothing;
re-importing the same file changes nothing."""

from __future__ import annotations

import datetime as dt
import time
import unicodedata
from typing import Any

import pytest

from kiemdiem.audit.models import AuditEntry
from kiemdiem.org.importing import RowError, import_members
from kiemdiem.org.models import Member
from tests.conftest import World
from tests.org.sheets import HEADERS, csv_bytes, row, xlsx

pytestmark = pytest.mark.django_db

__all__ = ["row", "xlsx"]  # the browser test builds its files with these


def test_good_xlsx_creates_members(world: World) -> None:
    """A correct .xlsx creates every member with the values of its row."""
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
    assert anh.sort_key and "ho thi anh" in anh.search_text  # derived fields filled in bulk


def test_every_column_is_read(world: World) -> None:
    """The optional columns: party group, probation, exemption, suspension, temporary
    attachment, transfer and residence (domain.md §1) all come from the file."""
    data = xlsx([row(**{
        "Mã tổ đảng": "XA-1-T1", "Ngày chính thức": "", "Ngày vào Đảng": "01/03/2025",
        "Miễn sinh hoạt từ ngày": "2025-06-01", "Đình chỉ": "Đình chỉ sinh hoạt cấp ủy",
        "Đình chỉ từ ngày": "02.07.2025", "Mã chi bộ sinh hoạt tạm thời": "XA-2",
        "Tạm thời từ ngày": "03/08/2025", "Ngày chuyển đến": "04/09/2025",
        "Chi bộ cũ (ngoài hệ thống)": "Chi bộ Công ty X, tỉnh Y", "Mã chi bộ nơi cư trú": "XA-2",
        "Nơi cư trú": "Xóm 2",
    })])  # fmt: skip
    result = import_members(data, "ds.xlsx")
    assert result.ok, result.errors
    m = Member.objects.get(code="N001")
    assert m.party_group == world.orgs["group"] and m.is_probationary
    assert m.exempt_since == dt.date(2025, 6, 1)
    assert (m.suspension, m.suspended_since) == ("cap_uy", dt.date(2025, 7, 2))
    assert (m.temporary_cell, m.temporary_since) == (world.orgs["cell2"], dt.date(2025, 8, 3))
    assert (m.transferred_on, m.former_cell_name) == (
        dt.date(2025, 9, 4),
        "Chi bộ Công ty X, tỉnh Y",
    )
    assert (m.residence_cell, m.residence) == (world.orgs["cell2"], "Xóm 2")


def test_values_as_offices_write_them(world: World) -> None:
    """Choices by label or code, any case, with or without diacritics or punctuation, and
    the abbreviation CCVC; dates as real Excel dates, dd/mm/yyyy or ISO; codes typed as
    numbers; names typed in decomposed Unicode (some keyboards) stored composed."""
    nfd_name = unicodedata.normalize("NFD", "Đặng Thị Huyền")
    rows = [
        row(**{"Mã đảng viên": 42000123, "Ngày sinh": dt.datetime(1980, 9, 5),
               "Giới tính": "nu", "Đối tượng": "CCVC"}),
        row(**{"Mã đảng viên": "N2", "Ngày sinh": "1980-09-05", "Giới tính": "NỮ",
               "Đối tượng": "can bo cong chuc vien chuc", "Họ và tên": nfd_name}),
        row(**{"Mã đảng viên": "N3", "Giới tính": "Nam", "Đối tượng": "Học sinh - sinh viên"}),
        row(**{"Mã đảng viên": "N4", "Giới tính": "nam", "Đối tượng": "huu tri"}),
    ]  # fmt: skip
    result = import_members(xlsx(rows), "ds.xlsx")
    assert result.ok, result.errors
    imported = Member.objects.filter(code__in=["42000123", "N2", "N3", "N4"])
    got = dict(imported.values_list("code", "category"))
    assert got == {"42000123": "ccvc", "N2": "ccvc", "N3": "student", "N4": "retired"}
    assert Member.objects.get(code="42000123").birth_date == dt.date(1980, 9, 5)
    assert Member.objects.get(code="N2").full_name == "Đặng Thị Huyền"  # NFC


@pytest.mark.parametrize(
    ("delimiter", "bom"), [(",", True), (",", False), (";", True), (";", False)]
)
def test_csv_utf8_with_or_without_bom_comma_or_semicolon(
    world: World, delimiter: str, bom: bool
) -> None:
    """CSV as Excel saves it ("CSV UTF-8" with a BOM; semicolons in Vietnamese locales)."""
    rows = [row(**{"Đối tượng": "Cán bộ, công chức, viên chức"})]
    result = import_members(csv_bytes(rows, delimiter, bom), "ds.csv")
    assert result.ok, result.errors
    assert Member.objects.get(code="N001").category == "ccvc"


def test_reimporting_the_same_file_changes_nothing(world: World) -> None:
    """Members are matched by member code: the same file twice is all "unchanged"; a changed
    row is an update of the same member, logged with its old and new values."""
    data = xlsx([row(), row(**{"Mã đảng viên": "N002", "Họ và tên": "Lê Văn Bảo"})])
    import_members(data, "ds.xlsx")
    ids = dict(Member.objects.values_list("code", "pk"))
    again = import_members(data, "ds.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = import_members(xlsx([row(**{"Họ và tên": "Hồ Thị Ánh Hồng"})]), "ds.xlsx")
    assert (changed.created, changed.updated) == (0, 1)
    anh = Member.objects.get(code="N001")
    assert anh.pk == ids["N001"] and anh.full_name == "Hồ Thị Ánh Hồng"
    assert anh.search_text.startswith("ho thi anh hong")  # derived fields follow the name
    entry = AuditEntry.objects.get(action="import_update")
    assert entry.old == {"full_name": "Hồ Thị Ánh"}
    assert entry.new == {"full_name": "Hồ Thị Ánh Hồng"}


def test_a_missing_optional_column_keeps_stored_values(world: World) -> None:
    """A file without the "Nơi cư trú" column leaves the stored residence as it is."""
    import_members(xlsx([row(**{"Nơi cư trú": "Xóm 1"})]), "ds.xlsx")
    headers = [h for h in HEADERS if h != "Nơi cư trú"]
    values = row()
    values.pop(HEADERS.index("Nơi cư trú"))
    result = import_members(xlsx([values], headers), "ds.xlsx")
    assert result.unchanged == 1
    assert Member.objects.get(code="N001").residence == "Xóm 1"


def _errors(data: bytes, name: str = "ds.xlsx", **kwargs: Any) -> list[RowError]:
    """Import a broken file; assert that nothing at all was written."""
    before = list(Member.objects.order_by("pk").values_list())
    audit_before = AuditEntry.objects.count()
    result = import_members(data, name, **kwargs)
    assert not result.ok
    assert list(Member.objects.order_by("pk").values_list()) == before, "nothing saved"
    assert AuditEntry.objects.count() == audit_before
    return result.errors


def _where(errors: list[RowError]) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in errors]


def test_bad_date_names_row_and_column(world: World) -> None:
    """A date that does not exist is an error at its row (Excel numbering) and column."""
    errors = _errors(xlsx([row(), row(**{"Mã đảng viên": "N002", "Ngày sinh": "31/02/1980"})]))
    assert _where(errors) == [(3, "Ngày sinh")]
    assert errors[0].message == (
        "“31/02/1980” không phải là ngày hợp lệ (viết theo dạng ngày/tháng/năm)."
    )
    assert str(errors[0]).startswith("Dòng 3, cột “Ngày sinh”: ")


def test_implausible_year(world: World) -> None:
    """A slip such as 0198 for the year is caught rather than stored."""
    errors = _errors(xlsx([row(**{"Ngày sinh": "05/09/0198"})]))
    assert _where(errors) == [(2, "Ngày sinh")] and "Năm 198 không hợp lệ" in errors[0].message


def test_unknown_cell_code(world: World) -> None:
    """Organization codes must exist in the tree."""
    errors = _errors(xlsx([row(**{"Mã chi bộ": "KHONG-CO"})]))
    assert _where(errors) == [(2, "Mã chi bộ")]
    assert errors[0].message == "Không có tổ chức mã “KHONG-CO”."


def test_invariant_official_date_12_months_after_admission(world: World) -> None:
    """Điều lệ Đảng: 12 months of probation — the importer applies the model invariants."""
    errors = _errors(xlsx([row(**{"Ngày chính thức": "01/12/2005"})]))
    assert _where(errors) == [(2, "Ngày chính thức")]
    assert errors[0].message == (
        "Ngày chính thức phải sau ngày vào Đảng ít nhất 12 tháng (thời gian dự bị)."
    )


def test_member_must_belong_to_a_cell_not_a_committee(world: World) -> None:
    """A member's official place is a cell (domain.md §1), never a committee."""
    errors = _errors(xlsx([row(**{"Mã chi bộ": "XA"})]))
    assert _where(errors) == [(2, "Mã chi bộ")]
    assert errors[0].message == "Đảng viên phải sinh hoạt chính thức tại một chi bộ."


def test_duplicate_code_in_the_file(world: World) -> None:
    """A member code appears once per file; the second row names the first."""
    errors = _errors(xlsx([row(), row()]))
    assert _where(errors) == [(3, "Mã đảng viên")]
    assert errors[0].message == "Mã “N001” trùng với dòng 2."


def test_missing_required_column_and_unknown_column(world: World) -> None:
    """Headers are checked first: each missing required column and each unknown column is
    named (an unknown column is usually a misspelt real one)."""
    headers = [h for h in HEADERS if h != "Ngày sinh"] + ["Ghi chú lạ"]
    errors = _errors(xlsx([["x"] * len(headers)], headers))
    assert {(e.row, e.column, e.message) for e in errors} == {
        (1, "Ghi chú lạ", "Cột này không có trong mẫu nhập (xem trang “Hướng dẫn”)."),
        (1, "Ngày sinh", "Thiếu cột bắt buộc này."),
    }


def test_headers_tolerate_case_marks_and_stt(world: World) -> None:
    """ "STT" is ignored; "MÃ ĐẢNG VIÊN (*)" is "Mã đảng viên"."""
    headers = ["STT", "MÃ ĐẢNG VIÊN (*)", *HEADERS[1:]]
    result = import_members(xlsx([[1, *row()]], headers), "ds.xlsx")
    assert result.ok, result.errors


def test_empty_required_value_bad_choice_and_too_long(world: World) -> None:
    """Required cells may not be empty; choices must be one of the allowed values; text
    longer than the database allows is refused with its length."""
    errors = _errors(xlsx([row(**{"Họ và tên": "", "Giới tính": "khác", "Nơi cư trú": "x" * 201})]))
    assert {(e.row, e.column) for e in errors} == {
        (2, "Họ và tên"),
        (2, "Giới tính"),
        (2, "Nơi cư trú"),
    }
    by_column = {e.column: e.message for e in errors}
    assert by_column["Họ và tên"] == "Không được để trống."
    assert by_column["Giới tính"] == "“khác” không thuộc các giá trị: Nam; Nữ."
    assert by_column["Nơi cư trú"] == "Dài 201 ký tự, quá giới hạn 200 ký tự."


def test_all_errors_are_reported_not_just_the_first(world: World) -> None:
    """Every broken row is listed, so one correction round is enough."""
    rows = [row(**{"Mã đảng viên": f"E{i}", "Ngày sinh": "sai"}) for i in range(5)]
    assert _where(_errors(xlsx(rows))) == [(n, "Ngày sinh") for n in range(2, 7)]


def test_rows_outside_the_importers_scope(world: World) -> None:
    """Scope (issue 2 §5): an importer limited to cell 1 can neither add a member to cell 2
    nor change a member who belongs there; the whole file is refused."""
    cell1 = world.orgs["cell1"]

    def in_cell1(org: Any) -> bool:
        return bool(org.path.startswith(cell1.path))

    errors = _errors(
        xlsx([row(), row(**{"Mã đảng viên": "N002", "Mã chi bộ": "XA-2"})]), may_write=in_cell1
    )
    assert _where(errors) == [(3, "Mã chi bộ")]
    assert errors[0].message == "Chi bộ này ngoài phạm vi được nhập."
    existing = world.members["cuong"]
    errors = _errors(xlsx([row(**{"Mã đảng viên": existing.code})]), may_write=in_cell1)
    assert _where(errors) == [(2, "Mã đảng viên")]
    assert errors[0].message == "Đảng viên này thuộc tổ chức ngoài phạm vi được nhập."
    errors = _errors(xlsx([row(**{"Mã chi bộ": "B"})]), within=world.orgs["commune"])
    assert _where(errors) == [(2, "Mã chi bộ")]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04 not really a zip", "ds.xlsx", "Tệp không phải tệp Excel (.xlsx) hợp lệ."),
        (b"this is a .xls renamed", "ds.xlsx", "Tệp không phải tệp Excel (.xlsx) hợp lệ."),
        (b"", "ds.xlsx", "Tệp trống."),
        (b"", "ds.csv", "Tệp trống: không có dòng tiêu đề."),
        (b"Ma;Ten", "ds.txt", "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."),
        ("Mã đảng viên".encode("utf-16"), "ds.csv", "Tệp CSV phải được lưu với mã UTF-8."),
        (xlsx([], []), "ds.xlsx", "Tệp trống: không có dòng tiêu đề."),
    ],
)
def test_unreadable_files(world: World, content: bytes, name: str, message: str) -> None:
    """A file that is not a table at all is one error about the file (row 0)."""
    errors = _errors(content, name)
    assert [(e.row, e.column, e.message) for e in errors] == [(0, "", message)]


def test_a_5000_row_file_imports_set_based(
    world: World, django_assert_max_num_queries: Any
) -> None:
    """Scale (design.md): no query per row — lookups are one query each, writes go in
    batches (SQLite caps a batch at 999 parameters, about 40 members; PostgreSQL takes 1,000
    at a time); updates are one executemany."""
    rows = [row(**{"Mã đảng viên": f"B{i:05d}", "Họ và tên": f"Nguyễn Văn Số{i}"})
            for i in range(5000)]  # fmt: skip
    data = xlsx(rows)
    start = time.perf_counter()
    with django_assert_max_num_queries(20 + 5000 // 35 + 5000 // 100):
        result = import_members(data, "lon.xlsx")
    print(f"5,000 rows imported in {time.perf_counter() - start:.2f} s")
    assert result.created == 5000
    again = import_members(data, "lon.xlsx")
    assert again.unchanged == 5000
    renamed = xlsx([[*r[:1], f"{r[1]} Mới", *r[2:]] for r in rows])
    with django_assert_max_num_queries(20 + 5000 // 100):
        assert import_members(renamed, "lon.xlsx").updated == 5000
    assert Member.objects.filter(full_name__endswith=" Mới").count() == 5000
