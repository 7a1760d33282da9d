"""Issue 6's Done-when in a browser, from the demo: the committee office (vanphong) decides
all results of a cell, sees a quota breach flagged and fixes it by a new decision, and
downloads the complete cell dossier; then starts the dossiers of the whole committee as a
background job, watches k of 12 cells move and downloads the one archive."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest

from kiemdiem.grading.pages import cell_page
from kiemdiem.org.demo import DEMO_PASSWORD
from tests.ballots.docx_text import all_text, open_docx, table_rows
from tests.documents.demo_cycle import LOCAL_PLAN, demo_year
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

CELL = "Chi bộ Trường Mầm non Thanh Liên"


def _decide(page: Any, member_id: int, level: str, reason: str) -> None:
    # The decision table opens one member's card under its row (issue 15 §3).
    page.goto(page.url.split("?")[0].split("#")[0] + f"?xem={member_id}")
    card = page.locator(f"#m{member_id}")
    card.locator("select[name=level]").select_option(level)
    card.locator("input[name=reason]").fill(reason)
    card.locator("button:has-text('Quyết định')").click()
    page.wait_for_load_state()


def test_office_decides_fixes_a_breach_and_downloads_the_dossiers(
    desk: Any, live_server: Any, tmp_path: Any
) -> None:
    year = demo_year(plan=LOCAL_PLAN, leave=CELL)
    cell = next(c for c in year.cells if c.name == CELL)
    login(desk, live_server, "vanphong", DEMO_PASSWORD)
    desk.goto(f"{live_server.url}/ky/{year.cycle.pk}/xep-loai/chi-bo/{cell.pk}/")
    desk.click("button:has-text('Quyết định tất cả theo đề xuất')")
    desk.click("button:has-text('Xác nhận quyết định')")  # the confirm step (issue 15 §4)
    desk.wait_for_selector("ul.messages")
    page = cell_page(year.office, year.cycle, cell)
    quota = next(v for v in page.quotas if v.level == "HTXSNV")
    assert not quota.breach and all(line.decided for line in page.lines if line.proposed)
    assert desk.locator(".badge:has-text('Vượt tỷ lệ')").count() == 0

    # One HTXSNV more than the cell's quota allows (000 §2.3: 20 % of those HTTNV).
    good = [ln for ln in page.lines if ln.decided == "HTTNV"]
    raised = good[: quota.allowed - quota.used + 1]
    for line in raised:
        _decide(desk, line.row.member_id, "HTXSNV", "Giáo viên dạy giỏi cấp tỉnh")
    assert desk.locator(".badge:has-text('Vượt tỷ lệ')").count() == 1
    desk.screenshot(path=str(tmp_path / "breach.png"), full_page=True)
    _decide(desk, raised[-1].row.member_id, "HTTNV", "Xếp loại lại cho đúng hạn mức")
    assert desk.locator(".badge:has-text('Vượt tỷ lệ')").count() == 0

    desk.click("text=Văn bản, hồ sơ chi bộ")
    with desk.expect_download() as got:
        desk.click("text=Tải toàn bộ hồ sơ (.zip)")
    z = zipfile.ZipFile(got.value.path())
    index = z.read("00_MUC_LUC.txt").decode()
    assert "Báo cáo tổng kết công tác xây dựng Đảng năm 2026" in index.split("CÒN THIẾU")[1]
    doc = open_docx(z.read("04_Mau_04_Bieu_tong_hop_xep_loai.docx"))
    rows = {r[1]: r for r in table_rows(doc.tables[1])[1:]}
    assert len(rows) == len(page.lines)
    kept, undone = raised[:-1], raised[-1]
    assert all(rows[ln.row.name][6] == "HTXSNV" for ln in kept)
    assert rows[undone.row.name][6] == "HTTNV"
    listed = table_rows(open_docx(z.read("05_Danh_sach_HTXSNV.docx")).tables[1])[1:]
    assert {ln.row.name for ln in kept} <= {r[1] for r in listed}
    assert undone.row.name not in {r[1] for r in listed}

    desk.goto(f"{live_server.url}/ky/{year.cycle.pk}/xep-loai/co-so/{year.commune.pk}/")
    desk.click("button:has-text('Lập hồ sơ tất cả chi bộ (.zip)')")
    assert re.search(r"\d+/12 chi bộ", desk.locator("#job-progress").inner_text())
    desk.wait_for_selector("#job-download", timeout=180_000)  # the page refreshes itself
    assert desk.locator("#job-progress").inner_text() == "12/12 chi bộ"
    with desk.expect_download() as got:
        desk.click("#job-download")
    z = zipfile.ZipFile(io.BytesIO(got.value.path().read_bytes()))
    folders = {n.split("/")[0] for n in z.namelist()}
    assert len(folders) == 12 and "01_Chi_bo_xom_1" in folders
    # Xóm 1 voted online: its biên bản kiểm phiếu is the ballots' own, with the chain head.
    online = all_text(open_docx(z.read("01_Chi_bo_xom_1/06_Bien_ban_kiem_phieu.docx")))
    assert "Bỏ phiếu điện tử" in online and "đầu chuỗi băm" in online
