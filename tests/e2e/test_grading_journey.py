"""Issue 6, Done when: from the demo, after the year's earlier flows (`kiemdiem demo-year`:
meetings held, xóm 1's online secret ballot, the other cells' minutes typed in, every chi
ủy's proposal), the commune's office decides every result in the browser, sees a quota
breach flagged at the cell and at the committee when it decides above the limit
(000 §2.3: HTXSNV at most 20 % of those HTTNV, checked at the cell and the committee), and
fixes it by a new decision that supersedes the first (decisions are append-only, 000 §2.3);
then downloads that cell's complete dossier (000 §III) and reads the decided levels back."""

from __future__ import annotations

import zipfile
from typing import Any

import pytest
from django.core.management import call_command

from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.models import Decision, Proposal
from kiemdiem.org.models import Organization
from tests.ballots.docx_text import open_docx, table_rows
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

BREACH_CELL = "Chi bộ Cơ quan xã"


def _decide_all_cells(desk: Any, base: str, committee_url: str) -> None:
    desk.goto(committee_url)
    cells = [a.get_attribute("href") for a in desk.locator("table a[href*='/chi-bo/']").all()]
    assert len(cells) == 12
    for href in cells:
        desk.goto(base + href)
        desk.click("button:has-text('Quyết định tất cả theo đề xuất')")
        desk.click("button:has-text('Xác nhận quyết định')")  # the confirm step (issue 15 §4)
        desk.wait_for_selector("ul.messages")


def _decide_all_units(desk: Any) -> None:
    desk.click("button:has-text('Quyết định tất cả theo đề xuất')")
    desk.click("button:has-text('Xác nhận quyết định')")  # the confirm step (issue 15 §4)
    desk.wait_for_selector("ul.messages .msg-success")


def _card(desk: Any, member_id: int) -> Any:
    return desk.locator(f"article#m{member_id}")


def test_office_decides_all_sees_a_breach_and_fixes_it(
    browser: Any, desk: Any, live_server: Any
) -> None:
    call_command("demo", verbosity=0)
    call_command("demo_year", "--plan", "thanhlien-2023")
    cycle = Cycle.objects.get(organization__code="TL")
    commune = Organization.objects.get(code="TL")
    base = live_server.url
    login(desk, live_server, "vanphong", "kiemdiem2025")

    # By clicking: the plan, its proposals and decisions, the committee's overview.
    desk.click("nav >> text=Kế hoạch")
    desk.click(f"a:has-text('{cycle.title}')")
    desk.click("text=Đề xuất, quyết định xếp loại")
    desk.wait_for_load_state()
    if "/co-so/" not in desk.url:
        desk.click(f"a:has-text('{commune.name}')")
    committee_url = desk.url
    assert "/co-so/" in committee_url
    # Collectives and cells first (000 §2.3: the collective before its members; the head of
    # a cell after the cell), then every cell's members on the chi ủy's proposals (Mẫu 04).
    desk.click("text=Xếp loại chi bộ, tập thể, đơn vị")
    _decide_all_units(desk)
    _decide_all_cells(desk, base, committee_url)
    # The commune's executive committee and standing board are rated by the superior
    # (000 §2.3), so their members wait for it; the province's officer rates them.
    waiting = desk.locator("text=Ban Chấp hành Đảng bộ xã Thanh Liên” chưa được xếp loại")
    assert waiting.count() >= 1
    superior = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(superior, live_server, "bantochuc", "kiemdiem2025")
    superior.goto(f"{base}/ky/{cycle.pk}/xep-loai/don-vi/{commune.parent_id}/")
    _decide_all_units(superior)
    superior.context.close()
    _decide_all_cells(desk, base, committee_url)

    decided = Decision.objects.filter(cycle=cycle, step="decide", place__parent=commune)
    proposed = Decision.objects.filter(cycle=cycle, step="propose", place__parent=commune)
    assert decided.count() == proposed.count() > 300
    desk.goto(committee_url)
    assert desk.locator("text=Tỷ lệ xếp loại đúng quy định ở mọi cấp đã kiểm tra").count() == 1

    # Above the limit: the office decides HTXSNV for good members of one cell until the cell's
    # 20 % is broken; the page says so, and so does the committee's table.
    cell = Organization.objects.get(name=BREACH_CELL)
    standing = Proposal.objects.filter(cycle=cycle, place=cell, subject_type="m")
    excellent = standing.filter(level="HTXSNV").count()
    n_good = standing.filter(level="HTTNV").count()
    # The fewest raised from HTTNV that break "at most 1/5 of those HTTNV" (floor, 000 §2.3).
    raise_by = next(k for k in range(1, n_good) if excellent + k > (n_good - k) // 5)
    good = list(standing.filter(level="HTTNV").order_by("member__sort_key")[:raise_by])
    cell_url = f"{committee_url.split('/co-so/')[0]}/chi-bo/{cell.pk}/"
    for p in good[:raise_by]:
        # The decision table opens one member's card under its row (issue 15 §3).
        desk.goto(f"{cell_url}?xem={p.member_id}")
        card = _card(desk, p.member_id)
        card.locator("select[name=level]").select_option("HTXSNV")
        card.locator("input[name=reason]").fill("Có thành tích nổi bật trong năm")
        card.locator("form:has(input[value=decide_one]) button").click()
        desk.wait_for_load_state()
    assert desk.locator("ul.messages .msg-error").count() == 0
    assert desk.locator(".badge-danger:has-text('Vượt tỷ lệ')").count() >= 1
    desk.goto(committee_url)
    row = desk.locator("tr.gd-breach").filter(has_text=BREACH_CELL)
    assert row.count() == 1

    # The fix: a new decision for the last one, which supersedes the first and keeps it.
    last = good[raise_by - 1]
    desk.goto(f"{cell_url}?xem={last.member_id}")
    card = _card(desk, last.member_id)
    card.locator("select[name=level]").select_option("HTTNV")
    card.locator("input[name=reason]").fill("Xếp loại lại cho đúng tỷ lệ 20% (000 §2.3)")
    card.locator("form:has(input[value=decide_one]) button").click()
    desk.wait_for_load_state()
    desk.goto(committee_url)
    assert desk.locator("tr.gd-breach").count() == 0
    assert desk.locator("text=Tỷ lệ xếp loại đúng quy định ở mọi cấp đã kiểm tra").count() == 1
    acts = Decision.objects.filter(cycle=cycle, step="decide", member_id=last.member_id)
    assert list(acts.order_by("made_at").values_list("level", flat=True)) == [
        "HTTNV",
        "HTXSNV",
        "HTTNV",
    ]

    # The cell's dossier (000 §III) as one archive: Mẫu 04 carries every member's decided
    # level, the HTXSNV list those who kept it, the index what the system cannot supply.
    desk.goto(f"{committee_url.split('/co-so/')[0]}/chi-bo/{cell.pk}/")
    desk.click("text=Văn bản, hồ sơ chi bộ")
    # Building the archive took 13–16 s on the shared 2-core machine: more than the default.
    with desk.expect_download(timeout=60_000) as got:
        desk.click("text=Tải toàn bộ hồ sơ (.zip)", timeout=60_000)
    archive = zipfile.ZipFile(got.value.path())
    index = archive.read("00_MUC_LUC.txt").decode()
    assert "CÒN THIẾU" in index
    names = set(archive.namelist())
    for part in ("04_Mau_04_Bieu_tong_hop_xep_loai.docx", "06_Bien_ban_kiem_phieu.docx"):
        assert part in names and part in index
    mau04 = open_docx(archive.read("04_Mau_04_Bieu_tong_hop_xep_loai.docx"))
    shown = {r[1]: r[6] for r in table_rows(mau04.tables[1])[1:]}
    current = Decision.objects.current().filter(
        cycle=cycle, step="decide", subject_type="m", place=cell
    )
    assert shown == {d.member.full_name: d.level for d in current.select_related("member")}
    listed = open_docx(archive.read("05_Danh_sach_HTXSNV.docx"))
    excellent_names = {r[1] for r in table_rows(listed.tables[1])[1:]}
    assert last.member.full_name not in excellent_names
    assert {p.member.full_name for p in good[: raise_by - 1]} <= excellent_names
