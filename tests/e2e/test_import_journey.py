"""Import in the browser (issue 2 §4): a committee clerk uploads a file with an error, sees
the row, the column and the message, and nothing is saved; the corrected file imports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiemdiem.org.models import Member
from tests.conftest import World
from tests.e2e.conftest import login
from tests.org.test_import_members import row, xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def test_clerk_imports_members(desk: Any, live_server: Any, world: World, tmp_path: Path) -> None:
    bad = tmp_path / "danh-sach.xlsx"
    bad.write_bytes(xlsx([row(), row(**{"Mã đảng viên": "N002", "Ngày sinh": "31/02/1980"})]))
    login(desk, live_server, "clerk", "x-pass-123")
    desk.click("text=Nhập từ tệp")
    desk.set_input_files("#id_file", str(bad))
    desk.click("button:has-text('Nhập')")
    table = desk.locator("#ket-qua").inner_text()
    assert "Tệp có 1 lỗi — chưa lưu dòng nào" in table
    assert "Ngày sinh" in table and "“31/02/1980” không phải là ngày hợp lệ" in table
    assert not Member.objects.filter(code__in=["N001", "N002"]).exists()

    good = tmp_path / "danh-sach-da-sua.xlsx"
    good.write_bytes(xlsx([row(), row(**{"Mã đảng viên": "N002", "Ngày sinh": "28/02/1980"})]))
    desk.set_input_files("#id_file", str(good))
    desk.click("button:has-text('Nhập')")
    assert "Đã nhập: 2 thêm mới" in desk.locator("#ket-qua").inner_text()
    assert Member.objects.filter(code__in=["N001", "N002"]).count() == 2
