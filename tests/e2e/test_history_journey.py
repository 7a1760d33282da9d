"""Reports and reward lists in a real browser (issue 6 §4, §6): a committee clerk imports
earlier years from the organization's page, reads the report on a phone (390 px, no
horizontal scrolling, the bars drawn by the server with no script) and the reward lists."""

from __future__ import annotations

from typing import Any

import pytest

from kiemdiem.history.models import PastResult
from tests.conftest import World
from tests.e2e.conftest import login
from tests.history.fixtures import YEAR, five_years
from tests.history.helpers import member_row, xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def test_clerk_imports_then_reads_report_and_rewards_on_a_phone(
    phone: Any, live_server: Any, world: World, tmp_path: Any
) -> None:
    y = five_years(world)
    login(phone, live_server, "clerk", "x-pass-123")
    base = f"{live_server.url}/to-chuc/{world.orgs['commune'].pk}"
    phone.goto(f"{base}/")
    phone.click("text=Nhập kết quả các năm")
    file = tmp_path / "nam-2020.xlsx"
    file.write_bytes(xlsx([member_row(y.cell1[0], 2020, "HTXSNV")]))
    phone.set_input_files("input[type=file]", str(file))
    phone.click("button:has-text('Nhập')")
    assert "1 thêm mới" in phone.locator("#ket-qua").inner_text()
    assert PastResult.objects.filter(year=2020).count() == 1

    phone.goto(f"{base}/bao-cao/?nam={YEAR}")
    assert "11 đảng viên" in phone.locator("#tong h2").inner_text()
    bar = phone.locator("#tong .dist .lv-HTXSNV")
    assert (
        0.4
        < bar.bounding_box()["width"] / phone.locator("#tong .dist").bounding_box()["width"]
        < 0.5
    )
    assert "vượt hạn mức" in phone.locator("#chu-y").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # Drawn by the server, no script of its own: only the site's shared page.js (issue 13's
    # CSP moved every inline script to static files), none inline.
    assert phone.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    assert phone.evaluate("[...document.scripts].map(s => s.src.split('/').pop())") == ["page.js"]

    phone.click(f"text={y.cell1[0].cell.name}")  # down the tree to the cell's report
    assert "8 đảng viên" in phone.locator("#tong h2").inner_text()

    phone.goto(f"{base}/khen-thuong/?nam={YEAR}")
    lists = phone.locator(".reward-list")
    assert lists.count() >= 3
    text = (
        phone.locator("main").inner_text()
        if phone.locator("main").count()
        else phone.inner_text("body")
    )
    assert y.cell1[0].full_name in text and "Bằng nhau ở mức cuối: cấp ủy chọn" in text
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
