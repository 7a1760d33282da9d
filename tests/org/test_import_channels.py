"""The same importer in the web UI, the admin and the CLI (issue 2 §4)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kiemdiem.org.models import Member, Organization
from tests.conftest import TEST_SECRET_KEY, World
from tests.org.sheets import ORG_HEADERS, row, xlsx

pytestmark = pytest.mark.django_db


def _upload(client: Client, org_id: int, data: bytes, name: str = "ds.xlsx", **extra: Any) -> Any:
    file = SimpleUploadedFile(name, data)
    return client.post(
        reverse("org_import", args=[org_id]), {"what": "members", "file": file, **extra}
    )


def test_web_import_for_the_committee_office(world: World) -> None:
    """A committee clerk uploads a good file for their committee: counts are shown."""
    client = Client()
    client.force_login(world.users["clerk"])
    response = _upload(client, world.orgs["commune"].pk, xlsx([row()]))
    assert response.status_code == 200
    assert "Đã nhập: 1 thêm mới" in response.content.decode()
    assert Member.objects.filter(code="N001").exists()


def test_web_import_shows_every_error_and_saves_nothing(world: World) -> None:
    """The page lists every error with its row, column and message; nothing is saved, and
    a cell outside the page's organization is outside the scope."""
    client = Client()
    client.force_login(world.users["clerk"])
    data = xlsx([row(**{"Ngày sinh": "hôm qua"}), row(**{"Mã đảng viên": "N2", "Mã chi bộ": "B"})])
    page = _upload(client, world.orgs["commune"].pk, data).content.decode()
    assert "Tệp có 2 lỗi — chưa lưu dòng nào" in page
    assert '<td class="num">2</td><td>Ngày sinh</td>' in page
    assert "“hôm qua” không phải là ngày hợp lệ" in page
    assert "ngoài phạm vi" in page  # cell B belongs to another grassroots organization
    assert not Member.objects.filter(code__in=["N001", "N2"]).exists()


def test_web_import_dry_run_and_file_type(world: World) -> None:
    """ "Chỉ kiểm tra" saves nothing; the form refuses other file types and files over
    10 MB before reading them."""
    client = Client()
    client.force_login(world.users["clerk"])
    page = _upload(client, world.orgs["commune"].pk, xlsx([row()]), dry_run="on")
    assert "Kiểm tra xong, chưa lưu" in page.content.decode()
    assert not Member.objects.filter(code="N001").exists()
    page = _upload(client, world.orgs["commune"].pk, b"abc", name="ds.pdf")
    assert "Chỉ nhận tệp .xlsx hoặc .csv." in page.content.decode()
    big = b"x" * (10 * 1024 * 1024 + 1)
    page = _upload(client, world.orgs["commune"].pk, big, name="lon.csv")
    assert "Tệp lớn hơn 10 MB; hãy chia thành nhiều tệp." in page.content.decode()


def test_web_import_of_the_tree(world: World) -> None:
    """The same page imports the tree below the page's organization."""
    client = Client()
    client.force_login(world.users["clerk"])
    data = xlsx([["XA-3", "Chi bộ xóm 3", "Chi bộ trực thuộc", "XA"]], ORG_HEADERS)
    file = SimpleUploadedFile("cay.xlsx", data)
    url = reverse("org_import", args=[world.orgs["commune"].pk])
    page = client.post(url, {"what": "organizations", "file": file}).content.decode()
    assert "Đã nhập: 1 thêm mới" in page
    assert Organization.objects.get(code="XA-3").parent == world.orgs["commune"]


def test_web_import_is_scoped(world: World) -> None:
    """Only roles with the import right reach the page, and only in their subtree."""
    for persona, status in [("secretary", 404), ("superior", 404), ("outsider", 404)]:
        client = Client()
        client.force_login(world.users[persona])
        url = reverse("org_import", args=[world.orgs["commune"].pk])
        assert client.get(url).status_code == status, persona


def test_admin_import_and_export_action(world: World) -> None:
    """The admin's member list links to the same importer and exports selected members."""
    client = Client()
    client.force_login(world.users["admin"])
    page = client.get(reverse("admin:org_member_changelist"))
    assert "Nhập từ tệp" in page.content.decode()
    file = SimpleUploadedFile("ds.xlsx", xlsx([row()]))
    client.post(reverse("admin:org_member_import"), {"what": "members", "file": file})
    assert Member.objects.filter(code="N001").exists()
    ids = list(Member.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("admin:org_member_changelist"),
        {"action": "export_xlsx", "_selected_action": ids},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert sum(1 for _ in book.worksheets[0].iter_rows()) == len(ids) + 1
    file = SimpleUploadedFile("sai.xlsx", xlsx([row(**{"Mã đảng viên": "N9", "Giới tính": "?"})]))
    page = client.post(reverse("admin:org_member_import"), {"what": "members", "file": file})
    assert "Tệp có 1 lỗi — chưa lưu dòng nào" in page.content.decode()


def test_management_command(world: World, tmp_path: Path) -> None:
    """`import_members` through call_command: success prints the counts; a bad file raises
    CommandError with exit code 2, names row and column, and saves nothing."""
    good = tmp_path / "ds.xlsx"
    good.write_bytes(xlsx([row()]))
    call_command("import_members", str(good))
    assert Member.objects.filter(code="N001").exists()
    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(xlsx([row(**{"Mã đảng viên": "N9", "Ngày sinh": "x"})]))
    with pytest.raises(CommandError) as info:
        call_command("import_members", str(bad))
    assert info.value.returncode == 2
    assert "Dòng 2, cột “Ngày sinh”" in str(info.value)
    assert not Member.objects.filter(code="N9").exists()
    with pytest.raises(CommandError) as info:
        call_command("import_members", str(good), "--org", "XA-2")
    assert "Dòng 2, cột “Mã đảng viên”: Đảng viên này thuộc tổ chức ngoài phạm vi" in str(
        info.value
    )
    tree = tmp_path / "cay.xlsx"
    tree.write_bytes(xlsx([["XA-3", "Chi bộ xóm 3", "Chi bộ trực thuộc", "XA"]], ORG_HEADERS))
    call_command("import_orgs", str(tree), "--dry-run")
    assert not Organization.objects.filter(code="XA-3").exists()
    call_command("import_orgs", str(tree))
    assert Organization.objects.filter(code="XA-3").exists()


def test_cli_exit_codes(tmp_path: Path) -> None:
    """`kiemdiem import-orgs FILE` and `kiemdiem import-members FILE` (the dashed names):
    exit 0 on success; exit 2 with only the Vietnamese message on stderr, no traceback and
    no "CommandError:" prefix, for a file renamed .xlsx, an empty file, wrong headers, a
    missing file and an unknown organization."""
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": TEST_SECRET_KEY,
    }  # without DEBUG the demo key refuses (issue 13 §3)
    script = Path(sys.executable).parent / "kiemdiem"
    run = [str(script)] if script.exists() else [sys.executable, "-m", "kiemdiem"]

    def kiemdiem(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*run, *args], env=env, capture_output=True, text=True, check=False)

    assert kiemdiem("migrate", "-v0").returncode == 0
    tree = tmp_path / "cay.csv"
    lines = [
        ",".join(ORG_HEADERS),
        "XA,Đảng bộ xã A,Đảng bộ cơ sở,",
        "XA-1,Chi bộ xóm 1,Chi bộ trực thuộc,XA",
    ]
    tree.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ok = kiemdiem("import-orgs", str(tree))
    assert ok.returncode == 0, ok.stderr
    assert "2 thêm mới" in ok.stdout
    good = tmp_path / "ds.xlsx"
    good.write_bytes(xlsx([row()]))
    done = kiemdiem("import-members", str(good))
    assert done.returncode == 0, done.stderr
    assert "Đã nhập: 1 thêm mới, 0 cập nhật, 0 không thay đổi." in done.stdout
    assert (
        "0 thêm mới, 0 cập nhật, 1 không thay đổi" in kiemdiem("import-members", str(good)).stdout
    )

    renamed = tmp_path / "gia.xlsx"
    renamed.write_bytes(b"this is no spreadsheet")
    empty = tmp_path / "rong.csv"
    empty.write_bytes(b"")
    headers = tmp_path / "sai-cot.csv"
    headers.write_text("Mã,Tên\n1,An\n", encoding="utf-8")
    cases = {
        (str(renamed),): "Tệp: Tệp không phải tệp Excel (.xlsx) hợp lệ.",
        (str(empty),): "Tệp: Tệp trống: không có dòng tiêu đề.",
        (str(headers),): "Dòng 1, cột “Mã đảng viên”: Thiếu cột bắt buộc này.",
        (str(tmp_path / "khong-co.xlsx"),): "Không tìm thấy tệp",
        (str(good), "--org", "ZZ"): "Không có tổ chức mã “ZZ”.",
    }
    for args, message in cases.items():
        bad = kiemdiem("import-members", *args)
        assert bad.returncode == 2, args
        assert message in bad.stderr, (args, bad.stderr)
        assert "Traceback" not in bad.stderr and "CommandError" not in bad.stderr
