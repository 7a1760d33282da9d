"""Issue 14, Done when: a 2026 cycle under QĐ 366-QĐ/TW and HD 43-HD/BTCTW runs in the
browser from the plan to the committee's decisions and the dossier without any vote, as the
demo's secretary (bithu.xom1) and office (vanphong).

From the demo's 2026 year (`kiemdiem demo-year`, its default plan qd366-2025): the office
sees HD 43's steps and that new plans default to them; the secretary types a member's Mẫu 2B (2C)
with part B's self-score from the paper (HD 43 Mục 2 điểm 1), the member's Điều 11 facts,
vets the score criterion by criterion and proposes (QĐ 366 Điều 12 khoản 2); the office
decides the cell's units, the province's standing committee rates the commune's committee
(HD 43 Mục 3), the office decides the members (Điều 12 khoản 3) and downloads the cell's
dossier, whose papers are read back against the database. No ballot anywhere.
"""

from __future__ import annotations

import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from kiemdiem.ballots.models import Ballot
from kiemdiem.cycles.models import Cycle
from kiemdiem.documents.common import level_label
from kiemdiem.grading.facts import outcomes_for
from kiemdiem.grading.models import Decision, MemberConditions, ProposalStatus, TallySheet
from kiemdiem.org.models import Organization
from kiemdiem.reviews.models import ReviewStatus, SelfReview
from tests.ballots.docx_text import all_text, open_docx, table_rows
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "kiemdiem2025"
# The member's paper as typed from the handwriting: every section, each of the 27
# manifestations and each criterion at its first choice ("Tốt" where offered), every
# self-score at the criterion's maximum ("Tối đa" column), HTXSNV as the self-proposed level.
FILL_PAPER = """() => {
  const form = document.querySelector('#rv-form');
  form.querySelectorAll('textarea').forEach(t => { t.value = 'Nội dung theo bản viết tay'; });
  const groups = {};
  form.querySelectorAll('input[type=radio]').forEach(r => { (groups[r.name] ||= []).push(r); });
  for (const radios of Object.values(groups)) {
    (radios.find(r => r.value === 'xuat_sac') || radios[0]).checked = true;
  }
  form.querySelectorAll('input[name^=p_]').forEach(i => {
    i.value = i.closest('tr').children[1].textContent.trim();
  });
  form.querySelector('select[name=self_level]').value = 'HTXSNV';
}"""
# The chi ủy's vetting: each criterion at its maximum but the first of the task results,
# which the evidence bears out only in part (12 points off).
VET = """() => {
  let group = 0, done = false;
  for (const tr of document.querySelectorAll('table.rv-scores tbody tr')) {
    if (tr.classList.contains('rv-group')) { group++; continue; }
    const k = tr.querySelector('input[name^=k_]');
    if (!k) continue;
    const max = Number(tr.children[1].textContent.trim().replace(',', '.'));
    k.value = String(group === 2 && !done ? max - 12 : max);
    if (group === 2) done = true;
  }
}"""


def _decide_all(page: Any) -> None:
    page.click("button:has-text('Quyết định tất cả theo đề xuất')")
    page.click("button:has-text('Xác nhận quyết định')")  # the confirm step (issue 15 §4)
    page.wait_for_selector("ul.messages .msg-success")


def test_qd366_year_from_plan_to_dossier_without_a_vote(
    browser: Any, desk: Any, live_server: Any
) -> None:
    call_command("demo", verbosity=0)
    call_command("demo_year")
    base = live_server.url
    cycle = Cycle.objects.get(organization__code="TL")
    commune = Organization.objects.get(code="TL")
    cell = Organization.objects.get(code="TL-X1")
    assert cycle.profile_id == "qd366-2025"
    # A member of xóm 1 whose paper the secretary has not typed yet (no score, no proposal).
    waiting = [
        r for r in outcomes_for(cycle, cell).rows
        if r.status == ProposalStatus.NO_TALLY
        and not SelfReview.objects.filter(cycle=cycle, member_id=r.member_id,
                                          status=ReviewStatus.SUBMITTED).exists()
    ]  # fmt: skip
    member_row = next(r for r in waiting if not r.posts)
    mid = member_row.member_id

    # The office: the plan on HD 43's steps, and a new plan defaults to them.
    login(desk, live_server, "vanphong", PASSWORD)
    desk.click("nav >> text=Kế hoạch")
    desk.click(f"a:has-text('{cycle.title}')")
    plan = desk.content()
    assert "thẩm định điểm từng tiêu chí" in plan and "Mẫu 2A, 2B, 2C" in plan
    desk.goto(f"{base}/ky/mo/")
    assert desk.locator("#id_profile_id").input_value() == "qd366-2025"
    assert desk.locator("#id_template_id").input_value() == "qd366-2025"

    # The secretary, on the member's behalf: the paper with part B, then Điều 11's facts.
    sec = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    sec.set_default_timeout(15_000)
    login(sec, live_server, "bithu.xom1", PASSWORD)
    editor = f"{base}/ky/{cycle.pk}/tu-kiem-diem/dang-vien/{mid}/"
    sec.goto(editor)
    # Without a leadership post: 2B, or 2C outside the political system (HD 43 Mục 2 điểm 1).
    variant = SelfReview.objects.get(cycle=cycle, member_id=mid).variant
    assert variant in ("2B", "2C") and f"Mẫu {variant}" in sec.content()
    sec.evaluate(FILL_PAPER)
    sec.click("button:has-text('Nộp bản kiểm điểm')")
    sec.wait_for_selector("text=Đã nộp bản kiểm điểm")
    review = SelfReview.objects.get(cycle=cycle, member_id=mid)
    assert review.self_total == Decimal(100)

    sec.goto(f"{base}/ky/{cycle.pk}/xep-loai/dang-vien/{mid}/dieu-kien/")
    for field, value in (("tasks_total", 10), ("tasks_done", 10), ("tasks_on_time", 10),
                         ("tasks_exceeded", 3)):  # fmt: skip
        sec.fill(f"#id_d11-{field}", str(value))
    sec.click("button:has-text('Lưu')")
    sec.wait_for_selector("text=Đã lưu điều kiện xếp loại")
    tasks = MemberConditions.objects.get(cycle=cycle, member_id=mid).article_11["tasks"]
    assert tasks == {"total": 10, "done": 10, "on_time": 10, "exceeded": 3}

    # Vetting criterion by criterion: the chi ủy's 88 beside the member's 100.
    sec.goto(editor)
    sec.evaluate(VET)
    sec.click("button:has-text('Lưu điểm chi ủy chấm')")
    sec.wait_for_selector("text=Đã lưu điểm chi ủy chấm")
    review.refresh_from_db()
    assert review.committee_total == Decimal(88)

    # The chi ủy proposes: no vote asked, the vetted score decides (70–< 90: HTTNV).
    sec.goto(f"{base}/ky/{cycle.pk}/xep-loai/chi-bo/{cell.pk}/")
    assert "Kế hoạch không biểu quyết xếp loại" in sec.content()
    assert sec.locator("text=Nhập kết quả theo biên bản").count() == 0
    row = sec.locator(f"tr#r{mid}")
    assert "88/100" in row.inner_text()  # the table row (issue 15 §3) shows the vetted score
    sec.goto(f"{base}/ky/{cycle.pk}/xep-loai/chi-bo/{cell.pk}/?xem={mid}")
    card = sec.locator(f"article#m{mid}")
    assert "88/100" in card.inner_text() and "chi ủy chấm" in card.inner_text()
    sec.click("button:has-text('Chi ủy lập đề xuất (Mẫu 04)')")
    sec.wait_for_selector("ul.messages .msg-success")
    proposed = Decision.objects.current().filter(cycle=cycle, step="propose", member_id=mid)
    assert proposed.get().level == "HTTNV"
    sec.context.close()

    # The office decides the cells and collectives; the province's standing committee rates
    # the commune's own committee (HD 43 Mục 3); then the office decides xóm 1's members.
    desk.goto(f"{base}/ky/{cycle.pk}/xep-loai/don-vi/{commune.pk}/")
    _decide_all(desk)
    province = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(province, live_server, "bantochuc", PASSWORD)
    province.goto(f"{base}/ky/{cycle.pk}/xep-loai/don-vi/{commune.parent_id}/")
    _decide_all(province)
    province.context.close()
    assert Decision.objects.filter(cycle=cycle, step="decide", subject_type="o",
                                   organization=commune).exists()  # fmt: skip
    desk.goto(f"{base}/ky/{cycle.pk}/xep-loai/chi-bo/{cell.pk}/")
    _decide_all(desk)
    decided = {
        d.member_id: d.level
        for d in Decision.objects.current().filter(
            cycle=cycle, step="decide", subject_type="m", place=cell
        )
    }
    proposals = {
        d.member_id: d.level
        for d in Decision.objects.current().filter(
            cycle=cycle, step="propose", subject_type="m", place=cell
        )
    }
    assert decided == proposals and decided[mid] == "HTTNV" and len(decided) > 30

    # The dossier: Mẫu 04 carries every decided level, the member's paper the two scores.
    desk.click("text=Văn bản, hồ sơ chi bộ")
    with desk.expect_download() as got:
        desk.click("text=Tải toàn bộ hồ sơ (.zip)")
    archive = zipfile.ZipFile(got.value.path())
    index = archive.read("00_MUC_LUC.txt").decode()
    assert "kế hoạch không biểu quyết xếp loại" in index
    assert "06_Bien_ban_kiem_phieu.docx" not in archive.namelist()
    # HD 43's Mẫu 04: the list of the dossier's documents is the archive's own content.
    listed = open_docx(archive.read("00_Mau_04_HD43_Danh_muc_tai_lieu.docx"))
    listed_files = {r[3] for r in table_rows(listed.tables[1])[1:] if r[2] == "Điện tử"}
    assert listed_files == set(archive.namelist()) - {
        "00_MUC_LUC.txt",
        "00_Mau_04_HD43_Danh_muc_tai_lieu.docx",
    } - {n for n in archive.namelist() if n.endswith(".pdf")}
    assert "Hướng dẫn số 43-HD/BTCTW ngày 31/10/2025 của Ban Tổ chức Trung ương, Mẫu 04" in (
        all_text(listed)
    )
    mau04 = open_docx(archive.read("04_Mau_04_Bieu_tong_hop_xep_loai.docx"))
    shown = {r[1]: r[6] for r in table_rows(mau04.tables[1])[1:]}
    names = {r.member_id: r.name for r in outcomes_for(cycle, cell).rows}
    assert {n: lv for n, lv in shown.items() if lv} == {names[m]: lv for m, lv in decided.items()}
    # The rest are listed without a level: no score yet, or not rated at this cell.
    assert {n for n, lv in shown.items() if not lv} == {names[m] for m in names if m not in decided}
    # The chi ủy's own papers are in the dossier (2A for the secretary's deputies with a post):
    # the scores and levels printed are the database's.
    for name in (n for n in archive.namelist() if n.startswith("07_")):
        code = name.rsplit("_", 1)[1].removesuffix(".docx")
        held = SelfReview.objects.get(cycle=cycle, member__code=code)
        printed = all_text(open_docx(archive.read(name)))
        assert f"Mẫu {held.variant}" in printed and str(held.committee_total) in printed
        assert level_label(decided.get(held.member_id, "")) in printed
    # The member's own paper, from the editor's link: both totals and the decided level.
    desk.goto(editor)
    with desk.expect_download() as got:
        desk.click(f"text=Tải bản kiểm điểm (Mẫu {variant}, Word)")
    with open(got.value.path(), "rb") as f:
        text = all_text(open_docx(f.read()))
    assert f"Mẫu {variant}" in text and level_label("HTTNV") in text
    assert (
        f"Hướng dẫn số 43-HD/BTCTW ngày 31/10/2025 của Ban Tổ chức Trung ương, Mẫu {variant}"
        in text
    )
    # Part B as HD 43 prints it: …/30, …/70, …/100, the chi ủy's vetted figures beside.
    assert "Tiêu chí chung: 30/30 điểm (chi ủy thẩm định: 30)" in text
    assert "Kết quả thực hiện nhiệm vụ: 70/70 điểm (chi ủy thẩm định: 58)" in text
    assert "Tổng: 100/100 điểm (chi ủy thẩm định: 88/100)" in text
    # Điều 12: not one ballot, not one typed count, in the whole year.
    assert not Ballot.objects.exists() and not TallySheet.objects.exists()
