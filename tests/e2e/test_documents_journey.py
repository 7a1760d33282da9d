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

from kiemdiem.org.demo import DEMO_PASSWORD
from kiemdiem.org.models import Member
from tests.ballots.docx_text import open_docx, table_rows
from tests.documents.demo_cycle import demo_year
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def _decide(page: Any, member: Member, level: str, reason: str) -> None:
    card = page.locator(f"#m{member.pk}")
    card.locator("select[name=level]").select_option(level)
    card.locator("input[name=reason]").fill(reason)
    card.locator("button:has-text('Quyết định')").click()
    page.wait_for_load_state()


def test_office_decides_fixes_a_breach_and_downloads_the_dossiers(
    desk: Any, live_server: Any, tmp_path: Any
) -> None:
    year = demo_year()
    cell = next(c for c in year.cells if c.name == "Chi bộ Trường Mầm non Thanh Liên")
    first, second = Member.objects.filter(cell=cell).order_by("sort_key")[:2]
    login(desk, live_server, "vanphong", DEMO_PASSWORD)
    desk.goto(f"{live_server.url}/ky/{year.cycle.pk}/xep-loai/chi-bo/{cell.pk}/")
    desk.click("button:has-text('Quyết định tất cả theo đề xuất')")
    assert desk.locator("text=Đã quyết định 10 đảng viên.").count() == 1
    assert desk.locator(".badge:has-text('Vượt tỷ lệ')").count() == 0

    # Two HTXSNV where the cell's quota allows one (000 §2.3: 20 % of those HTTNV).
    _decide(desk, first, "HTXSNV", "Giáo viên dạy giỏi cấp tỉnh")
    _decide(desk, second, "HTXSNV", "Chiến sĩ thi đua cơ sở")
    assert desk.locator(".badge:has-text('Vượt tỷ lệ')").count() == 1
    desk.screenshot(path=str(tmp_path / "breach.png"), full_page=True)
    _decide(desk, second, "HTTNV", "Xếp loại lại cho đúng hạn mức")
    assert desk.locator(".badge:has-text('Vượt tỷ lệ')").count() == 0

    desk.click("text=Văn bản, hồ sơ chi bộ")
    with desk.expect_download() as got:
        desk.click("text=Tải toàn bộ hồ sơ (.zip)")
    z = zipfile.ZipFile(got.value.path())
    assert "00_MUC_LUC.txt" in z.namelist()
    doc = open_docx(z.read("04_Mau_04_Bieu_tong_hop_xep_loai.docx"))
    rows = {r[1]: r for r in table_rows(doc.tables[1])[1:]}
    assert len(rows) == 10
    assert rows[first.full_name][6] == "HTXSNV" and rows[second.full_name][6] == "HTTNV"
    listed = table_rows(open_docx(z.read("05_Danh_sach_HTXSNV.docx")).tables[1])[1:]
    assert [r[1] for r in listed] == [first.full_name]

    desk.goto(f"{live_server.url}/ky/{year.cycle.pk}/xep-loai/co-so/{year.commune.pk}/")
    desk.click("button:has-text('Lập hồ sơ tất cả chi bộ (.zip)')")
    assert re.search(r"\d+/12 chi bộ", desk.locator("#job-progress").inner_text())
    desk.wait_for_selector("#job-download", timeout=180_000)  # the page refreshes itself
    assert desk.locator("#job-progress").inner_text() == "12/12 chi bộ"
    with desk.expect_download() as got:
        desk.click("#job-download")
    z = zipfile.ZipFile(io.BytesIO(got.value.path().read_bytes()))
    folders = {n.split("/")[0] for n in z.namelist()}
    assert len(folders) == 12 and "08_Chi_bo_Truong_Mam_non_Thanh_Lien" in folders
