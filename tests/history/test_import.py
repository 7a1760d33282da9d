"""Importing earlier years' results (issue 6 §4): a good file, every kind of error with its
row and column, re-import changes nothing, the office's scope, the audit rows, the CLI and
the template with its "Hướng dẫn" sheet."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from kiemdiem.audit.models import AuditEntry
from kiemdiem.history.importing import import_history
from kiemdiem.history.models import PastResult
from tests.builders import make_collective
from tests.conftest import World
from tests.history.helpers import HEADERS, member_row, org_row, xlsx

pytestmark = pytest.mark.django_db


def _good(world: World) -> bytes:
    an, binh = world.members["an"], world.members["binh"]
    chi_uy = make_collective(world.orgs["cell1"])
    return xlsx([
        member_row(an, 2022, "HTXSNV", "có", "Giấy khen của Đảng ủy"),
        member_row(an, 2023, "Hoàn thành xuất sắc nhiệm vụ"),
        member_row(binh, 2023, "httnv"),
        org_row(world.orgs["cell1"], 2023, "TSVM tiêu biểu"),
        [2023, "Tập thể", "XA-1", chi_uy.name, "", "HTTNV", "", ""],
    ])  # fmt: skip


def test_a_good_file_imports_every_row_and_reimport_changes_nothing(world: World) -> None:
    """All rows saved with level, exemplary flag and reward; the same file again: unchanged,
    no new audit rows."""
    data = _good(world)
    result = import_history(data, "ket-qua.xlsx", user=world.users["clerk"])
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    an = PastResult.objects.get(member=world.members["an"], year=2022)
    assert (an.level, an.exemplary, an.reward) == ("HTXSNV", True, "Giấy khen của Đảng ủy")
    assert PastResult.objects.get(organization=world.orgs["cell1"]).level == "tsvm_tieu_bieu"
    assert PastResult.objects.get(subject_type="c").level == "HTTNV"
    audits = AuditEntry.objects.filter(object_type="history.pastresult").count()
    assert audits == 5
    again = import_history(data, "ket-qua.xlsx", user=world.users["clerk"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert AuditEntry.objects.filter(object_type="history.pastresult").count() == audits


def test_a_corrected_row_updates_with_old_and_new_in_the_audit(world: World) -> None:
    an = world.members["an"]
    import_history(xlsx([member_row(an, 2022, "HTTNV")]), "a.xlsx")
    result = import_history(xlsx([member_row(an, 2022, "HTXSNV")]), "a.xlsx")
    assert (result.created, result.updated) == (0, 1)
    assert PastResult.objects.get(member=an, year=2022).level == "HTXSNV"
    entry = AuditEntry.objects.filter(action="import_update").get()
    assert (entry.old, entry.new) == ({"level": "HTTNV"}, {"level": "HTXSNV"})


def test_every_kind_of_error_has_its_row_and_column_and_nothing_is_saved(world: World) -> None:
    """All or nothing: one file with each mistake saves no row, and every error names the row
    (as Excel numbers it) and the column, in Vietnamese."""
    an, binh = world.members["an"], world.members["binh"]
    data = xlsx([
        member_row(an, 2022, "HTXSNV"),  # 2: fine on its own
        [2022, "Đảng viên", "KHONG-CO", "", "", "HTTNV", "", ""],  # 3: unknown member
        [20222, "Đảng viên", an.code, "", "", "HTTNV", "", ""],  # 4: bad year
        [2021, "Đảng viên", an.code, "", "", "Giỏi", "", ""],  # 5: unknown level
        member_row(an, 2022, "HTTNV"),  # 6: same subject and year as row 2
        [2021, "Đảng viên", binh.code, "", "Trần Văn Khác", "HTTNV", "", ""],  # 7: name
        [2021, "Đảng viên", binh.code, "", "", "TSVM", "", ""],  # 8: TSVM for a member
        [2020, "Đảng viên", binh.code, "", "", "HTTNV", "có", ""],  # 9: exemplary not HTXSNV
        [2021, "Tập thể", "XA-1", "Ban không có", "", "HTTNV", "", ""],  # 10: no collective
        [2021, "Tổ chức đảng", "KHONG", "", "", "TSVM", "", ""],  # 11: unknown organization
        [2021, "Con mèo", an.code, "", "", "HTTNV", "", ""],  # 12: unknown subject kind
        [None, "Đảng viên", an.code, "", "", "HTTNV", "", ""],  # 13: empty year
        [2019, "Đảng viên", an.code, "", "", "HTTNV", "chắc vậy", ""],  # 14: bad flag
    ])  # fmt: skip
    result = import_history(data, "loi.xlsx")
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "Mã"), (4, "Năm"), (5, "Xếp loại"), (6, "Năm"), (7, "Họ tên / tên"),
        (8, "Xếp loại"), (9, "Tiêu biểu"), (10, "Tên tập thể"), (11, "Mã"), (12, "Đối tượng"),
        (13, "Năm"), (14, "Tiêu biểu"),
    }  # fmt: skip
    messages = {e.row: e.message for e in result.errors}
    assert "Không có đảng viên mã “KHONG-CO”" in messages[3]
    assert "dòng 2" in messages[6]
    assert "Nguyễn" not in messages[7] and "Trần Thị Bình" in messages[7]
    assert result.created == 0 and PastResult.objects.count() == 0


def test_header_errors_refuse_the_file(world: World) -> None:
    """A missing required column and an unknown column: row 1, nothing read further."""
    headers = [h for h in HEADERS if h != "Xếp loại"] + ["Điểm"]
    result = import_history(xlsx([[2022]], headers), "a.xlsx")
    assert {(e.row, e.column) for e in result.errors} == {(1, "Xếp loại"), (1, "Điểm")}
    bad = import_history(b"not a workbook", "a.xlsx")
    assert bad.errors[0].row == 0 and "Excel" in bad.errors[0].message


def test_csv_imports_like_xlsx(world: World) -> None:
    an = world.members["an"]
    text = ";".join(HEADERS) + "\n" + f"2021;Đảng viên;{an.code};;;HTNV;;\n"
    result = import_history(text.encode("utf-8"), "a.csv")
    assert result.ok and PastResult.objects.get(member=an).level == "HTNV"


def test_an_office_imports_only_its_subtree(world: World, client) -> None:  # type: ignore[no-untyped-def]
    """The commune's clerk may not write a member of the other grassroots cell; the page
    lists the error and saves nothing. The outsider cannot open the commune's page."""
    client.force_login(world.users["clerk"])
    data = xlsx([member_row(world.members["an"], 2022, "HTXSNV"),
                 member_row(world.members["dung"], 2022, "HTXSNV")])  # fmt: skip
    url = f"/to-chuc/{world.orgs['commune'].pk}/ket-qua-cac-nam/nhap/"
    upload = io.BytesIO(data)
    upload.name = "a.xlsx"
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert "ngoài phạm vi được nhập" in body and "Dòng" in body
    assert PastResult.objects.count() == 0
    client.force_login(world.users["outsider"])
    assert client.get(url).status_code == 404
    client.force_login(world.users["secretary"])  # a cell reads, does not import
    assert client.get(f"/to-chuc/{world.orgs['cell1'].pk}/ket-qua-cac-nam/nhap/").status_code == 404


def test_cli_exits_2_with_the_errors_and_imports_a_good_file(world: World, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([[2022, "Đảng viên", "KHONG", "", "", "HTTNV", "", ""]]))
    with pytest.raises(CommandError) as exc:
        call_command("import_history", str(bad))
    assert exc.value.returncode == 2 and "Dòng 2, cột “Mã”" in str(exc.value)
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([member_row(world.members["an"], 2022, "HTXSNV")]))
    out = io.StringIO()
    call_command("import_history", str(good), "--dry-run", stdout=out)
    assert "chưa lưu" in out.getvalue() and PastResult.objects.count() == 0
    with pytest.raises(CommandError, match="ngoài phạm vi"):
        call_command("import_history", str(good), "--org", "B")
    call_command("import_history", str(good), "--org", "XA", stdout=out)
    assert PastResult.objects.count() == 1


def test_template_has_the_columns_and_a_guide_sheet(client, world: World) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.users["clerk"])
    response = client.get("/ket-qua-cac-nam/mau-nhap.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Kết quả các năm", "Hướng dẫn"]
    assert [c.value for c in book.worksheets[0][1]] == HEADERS
    guide = " ".join(str(c.value) for row in book["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "hệ thống đã có quyết định" in guide and "Xếp loại" in guide


def test_the_superior_imports_across_its_subtree(world: World, client) -> None:  # type: ignore[no-untyped-def]
    """accounts.access: the superior's office imports history for every grassroots
    organization below it (the commune's member and the other grassroots cell's)."""
    client.force_login(world.users["superior"])
    data = xlsx([member_row(world.members["an"], 2022, "HTXSNV"),
                 member_row(world.members["dung"], 2022, "HTTNV")])  # fmt: skip
    upload = io.BytesIO(data)
    upload.name = "a.xlsx"
    url = f"/to-chuc/{world.orgs['province'].pk}/ket-qua-cac-nam/nhap/"
    response = client.post(url, {"file": upload})
    assert "2 thêm mới" in response.content.decode()
    entry = AuditEntry.objects.filter(object_type="history.pastresult").first()
    assert entry is not None and entry.user == world.users["superior"]
