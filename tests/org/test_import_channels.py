"""The same importer in the web UI, the admin and the CLI (issue 2 §4)."""

from __future__ import annotations

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

from kiemdiem.org.models import Member
from tests.conftest import World
from tests.org.test_import_members import row, xlsx

pytestmark = pytest.mark.django_db


def _upload(client: Client, org_id: int, data: bytes, name: str = "ds.xlsx", **extra: Any) -> Any:
    file = SimpleUploadedFile(name, data)
    return client.post(
        reverse("org_import", args=[org_id]), {"what": "members", "file": file, **extra}
    )


def test_web_import_for_the_committee_office(world: World) -> None:
    client = Client()
    client.force_login(world.users["clerk"])
    response = _upload(client, world.orgs["commune"].pk, xlsx([row()]))
    assert response.status_code == 200
    assert "Đã nhập: 1 thêm mới" in response.content.decode()
    assert Member.objects.filter(code="N001").exists()


def test_web_import_shows_every_error_and_saves_nothing(world: World) -> None:
    client = Client()
    client.force_login(world.users["clerk"])
    data = xlsx([row(**{"Ngày sinh": "hôm qua"}), row(**{"Mã đảng viên": "N2", "Mã chi bộ": "B"})])
    page = _upload(client, world.orgs["commune"].pk, data).content.decode()
    assert "Tệp có 2 lỗi — chưa lưu dòng nào" in page
    assert "“hôm qua” không phải là ngày hợp lệ" in page
    assert "ngoài phạm vi" in page  # cell B belongs to another grassroots organization
    assert not Member.objects.filter(code__in=["N001", "N2"]).exists()


def test_web_import_dry_run_and_file_type(world: World) -> None:
    client = Client()
    client.force_login(world.users["clerk"])
    page = _upload(client, world.orgs["commune"].pk, xlsx([row()]), dry_run="on")
    assert "Kiểm tra xong, chưa lưu" in page.content.decode()
    assert not Member.objects.filter(code="N001").exists()
    page = _upload(client, world.orgs["commune"].pk, b"abc", name="ds.pdf")
    assert "Chỉ nhận tệp .xlsx hoặc .csv." in page.content.decode()


def test_web_import_is_scoped(world: World) -> None:
    """Only roles with the import right reach the page, and only in their subtree."""
    for persona, status in [("secretary", 404), ("superior", 404), ("outsider", 404)]:
        client = Client()
        client.force_login(world.users[persona])
        url = reverse("org_import", args=[world.orgs["commune"].pk])
        assert client.get(url).status_code == status, persona


def test_admin_import_and_export_action(world: World) -> None:
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


def test_management_command(world: World, tmp_path: Path) -> None:
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


def test_cli_exit_codes(tmp_path: Path) -> None:
    """`kiemdiem import-members FILE`: exit 0 on success, 2 with a Vietnamese message and
    no traceback on a bad file, a missing file or an unknown organization."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "kiemdiem"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True)
    tree = tmp_path / "cay.csv"
    lines = [
        "Mã tổ chức,Tên tổ chức,Loại,Mã tổ chức cấp trên",
        "XA,Đảng bộ xã A,Đảng bộ cơ sở,",
        "XA-1,Chi bộ xóm 1,Chi bộ trực thuộc,XA",
    ]
    tree.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ok = subprocess.run([*run, "import-orgs", str(tree)], env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    good = tmp_path / "ds.xlsx"
    good.write_bytes(xlsx([row()]))
    done = subprocess.run(
        [*run, "import-members", str(good)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "1 thêm mới" in done.stdout
    renamed = tmp_path / "gia.xlsx"
    renamed.write_bytes(b"this is no spreadsheet")
    for args in ([str(renamed)], [str(tmp_path / "khong-co.xlsx")], [str(good), "--org", "ZZ"]):
        bad = subprocess.run(
            [*run, "import-members", *args], env=env, capture_output=True, text=True
        )
        assert bad.returncode == 2, args
        assert "Traceback" not in bad.stderr
    assert (
        "không phải tệp Excel"
        in subprocess.run(
            [*run, "import-members", str(renamed)], env=env, capture_output=True, text=True
        ).stderr
    )
