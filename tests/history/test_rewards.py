"""Draft reward lists (issue 6 §4) over a commune with five years of results under the
dhktna-2016 rules: streaks and quotas by seed section, and the lists read back from XLSX
and DOCX with the right names."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from kiemdiem.history.levels import IMPORTED, SYSTEM, results_by_year
from kiemdiem.history.rewards import rewards_page
from kiemdiem.rules import load_profile
from tests.conftest import World
from tests.history.fixtures import YEAR, five_years, names

pytestmark = pytest.mark.django_db
P = load_profile("dhktna-2016")


def _lists(world: World, org: str = "commune"):  # type: ignore[no-untyped-def]
    return {(lst.title.split(" — ")[0], lst.unit): lst
            for lst in rewards_page(world.orgs[org], YEAR, P).lists}  # fmt: skip


def test_system_decisions_win_for_the_years_the_system_ran(world: World) -> None:
    """docs/history.md: an imported row of a year the system decided is kept but not used."""
    y = five_years(world)
    from kiemdiem.history.importing import import_history
    from tests.history.helpers import member_row, xlsx

    m = y.cell1[5]
    assert import_history(xlsx([member_row(m, YEAR, "KHTNV")]), "a.xlsx").ok
    merged = results_by_year(world.orgs["commune"], "m", range(2020, YEAR + 1))
    assert merged[f"m:{m.pk}"][YEAR].level == "HTTNV" and merged[f"m:{m.pk}"][YEAR].source == SYSTEM
    assert merged[f"m:{m.pk}"][2025].source == IMPORTED


def test_members_htxsnv_five_years_running_within_the_size_quota(world: World) -> None:
    """001 §3.2: HTXSNV five years running (2022–2026, this year decided in the system);
    the commune has fewer than 100 members, so at most 1 — the one with six years is within,
    the one with five is listed for the committee, the broken streak is not a candidate."""
    y = five_years(world)
    lst = _lists(world)[("Đảng viên HTXSNV 5 năm liền", "Đảng bộ xã A")]
    assert lst.limit == 1 and "dưới" not in lst.limit_text and "11 đảng viên" in lst.limit_text
    assert lst.named("within") == names(y.cell1, 0)
    assert lst.named("over") == names(y.cell1, 1)
    assert [ln.years for ln in lst.lines] == [6, 5]
    assert [ln.honoured for ln in lst.lines] == [1, 0]  # "tiêu biểu" in 2025, imported
    assert (
        lst.source
        == "Kế hoạch số 348/KH-Đ.ủy-ĐHKT ngày 03/11/2016 của Đảng ủy Trường Đại học Kinh tế Nghệ An, mục 3.2"  # noqa: E501 (the readable citation)
    )


def test_exemplary_share_15_percent_of_httnv_or_above_per_cell(world: World) -> None:
    """001 §II.2.3: cell1 has 8 members, all HTTNV or above in 2026: 15 % of 8 is 1.2 → 1;
    its five HTXSNV are ranked by years running (6, 5, the broken streak's 2, then two of
    one year) and nobody is dropped."""
    y = five_years(world)
    lst = _lists(world)[("Đảng viên HTXSNV “tiêu biểu” đề nghị khen thưởng", "Chi bộ xóm 1")]
    assert lst.limit == 1 and "15%" in lst.limit_text and "8" in lst.limit_text
    assert lst.named("within") == names(y.cell1, 0)
    assert sorted(lst.named("over")) == sorted(names(y.cell1, 1, 2, 3, 4))
    assert [ln.years for ln in lst.lines] == [6, 5, 2, 1, 1]


def test_cells_tsvm_tieu_bieu_five_years_one_per_committee_tie_left_to_it(world: World) -> None:
    """001 §3.1 (3.3.1): one cell per grassroots committee; both cells are TSVM tiêu biểu
    2022–2026, level on every ranking: the committee chooses one of the two."""
    five_years(world)
    lst = _lists(world)[("Chi bộ “Trong sạch vững mạnh” tiêu biểu 5 năm liền", "Đảng bộ xã A")]
    assert lst.limit == 1 and lst.named("within") == []
    assert sorted(lst.named("tied")) == ["Chi bộ xóm 1", "Chi bộ xóm 2"] and lst.open_slots == 1


def test_the_superior_lists_at_most_15_members_and_10_cells(world: World) -> None:
    """001 §3.2: the city proposes at most 15 members to the province; 001 §3.1 (3.3.1): at
    most 10 cells. From the province's page both candidates and both cells are within."""
    y = five_years(world)
    lists = _lists(world, "province")
    members = lists[("Đảng viên HTXSNV 5 năm liền", "Đảng bộ tỉnh Thử")]
    assert members.limit == 15 and members.named("within") == names(y.cell1, 0, 1)
    cells = lists[("Chi bộ “Trong sạch vững mạnh” tiêu biểu 5 năm liền", "Đảng bộ tỉnh Thử")]
    assert cells.limit == 10 and len(cells.named("within")) == 2


def test_a_cell_under_seven_members_at_most_one(world: World) -> None:
    """001 §II.2.3: cell2 (3 members) may propose 1 even with no HTXSNV base share."""
    y = five_years(world)
    from tests.history.helpers import decide

    decide(y.cycle, y.cell2[0], "HTXSNV", world.orgs["commune"])
    lst = _lists(world)[("Đảng viên HTXSNV “tiêu biểu” đề nghị khen thưởng", "Chi bộ xóm 2")]
    assert lst.limit == 1 and "dưới 7" in lst.limit_text
    assert lst.named("within") == [y.cell2[0].full_name]


def test_lists_read_back_from_xlsx_and_docx(world: World, client) -> None:  # type: ignore[no-untyped-def]
    y = five_years(world)
    client.force_login(world.users["clerk"])
    base = f"/to-chuc/{world.orgs['commune'].pk}/khen-thuong"
    page = client.get(f"{base}/?nam={YEAR}")
    assert page.status_code == 200 and y.cell1[0].full_name in page.content.decode()
    book = load_workbook(io.BytesIO(client.get(f"{base}.xlsx?nam={YEAR}").content))
    cells = [c.value for s in book.worksheets for row in s.iter_rows() for c in row]
    assert y.cell1[0].full_name in cells and y.cell1[1].full_name in cells
    assert "Trong hạn mức" in cells and "Ngoài hạn mức: cấp ủy xem xét" in cells
    response = client.get(f"{base}.docx?nam={YEAR}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.word")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells_text = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" in text
    assert any("ĐẢNG CỘNG SẢN VIỆT NAM" in c for c in cells_text)
    assert y.cell1[0].full_name in cells_text and "Chi bộ xóm 1" in cells_text
    assert any("T/M" in c for c in cells_text)


def test_an_outsider_sees_no_list(world: World, client) -> None:  # type: ignore[no-untyped-def]
    five_years(world)
    client.force_login(world.users["outsider"])
    org = world.orgs["commune"].pk
    assert client.get(f"/to-chuc/{org}/khen-thuong/").status_code == 404
    assert client.get(f"/to-chuc/{org}/khen-thuong.xlsx").status_code == 404
    client.force_login(world.users["member"])
    assert client.get(f"/to-chuc/{org}/khen-thuong/").status_code == 404


def test_rewards_page_queries_do_not_grow_with_the_tree(world: World, client) -> None:  # type: ignore[no-untyped-def]
    """The lists of a committee of 200 cells cost the same queries as those of 10; the page
    shows 20 lists at a time."""
    from kiemdiem.org.models import Organization
    from tests.history.test_reports import _tree

    client.force_login(world.users["admin"])
    _tree(10), _tree(200)
    counts = []
    for code in ("L10", "L200"):
        pk = Organization.objects.get(code=code).pk
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(f"/to-chuc/{pk}/khen-thuong/?nam={YEAR}")
        assert page.status_code == 200
        counts.append(len(ctx))
    print("queries (committee 10, committee 200):", counts)
    assert counts[0] == counts[1] <= 20, counts
    body = page.content.decode()
    assert body.count('class="card reward-list"') == 20 and "Trang 1/10" in body
