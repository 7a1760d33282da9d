"""Reports across the tree (issue 6 §6): distributions per unit and in total against a
hand-computed fixture, this year against earlier years, units late (cycles.progress) or in
breach of a quota (grading.quotas), the .xlsx, bounded queries and permission."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kiemdiem.cycles.models import Level as StepLevel
from kiemdiem.cycles.models import Step, Subject, SubjectKind
from kiemdiem.history import reports
from kiemdiem.history.models import PastResult
from kiemdiem.org.choices import OrgKind
from tests.builders import make_member, make_org
from tests.conftest import World
from tests.grading.helpers import grading_cycle
from tests.history.fixtures import YEAR, Years, five_years
from tests.history.helpers import decide

pytestmark = pytest.mark.django_db
TODAY = dt.date(YEAR, 12, 1)


def _late_cell2(y: Years) -> None:
    """cell2's members owe a self-review whose deadline has passed (none handed in)."""
    Step.objects.create(cycle=y.cycle, order=1, code="tu-kiem-diem", title="Tự kiểm điểm",
                        level=StepLevel.CELL, starts_on=dt.date(YEAR, 11, 1),
                        ends_on=dt.date(YEAR, 11, 10), deliverables=["tu_kiem_diem"])  # fmt: skip
    for m in y.cell2:
        Subject.objects.create(cycle=y.cycle, member=m, place=m.cell,
                               kind=SubjectKind.REVIEW_AND_CLASSIFY, why="test")  # fmt: skip


def _counts(dist: reports.Dist) -> dict[str, int]:
    return {code: n for code, _, n, _ in dist.member_bars}


def test_distribution_per_unit_and_in_total_as_computed_by_hand(world: World) -> None:
    """2026 (decided): cell1 5 HTXSNV + 3 HTTNV, cell2 3 HTTNV; the province adds the other
    grassroots cell's member with no result. Earlier years from the imported file."""
    five_years(world)
    r = reports.build(world.orgs["province"], YEAR, TODAY)
    assert r.total.total == 12
    assert _counts(r.total) == {"HTXSNV": 5, "HTTNV": 6, "HTNV": 0, "KHTNV": 0, "none": 1}
    units = {u.organization.code: u for u in r.units}
    assert set(units) == {"XA", "B"}
    assert _counts(units["XA"].members) == {"HTXSNV": 5, "HTTNV": 6, "HTNV": 0, "KHTNV": 0}
    assert units["B"].members.total == 1 and units["B"].members.unrated == 1
    by_year = {y: _counts(d) for y, d in r.by_year}
    assert [y for y, _ in r.by_year] == [2022, 2023, 2024, 2025, 2026]
    assert by_year[2025] == {"HTXSNV": 3, "HTTNV": 8, "HTNV": 0, "KHTNV": 0, "none": 1}
    assert by_year[2024] == {"HTXSNV": 2, "HTTNV": 9, "HTNV": 0, "KHTNV": 0, "none": 1}
    commune = reports.build(world.orgs["commune"], YEAR, TODAY)
    cells = {u.organization.code: _counts(u.members) for u in commune.units}
    assert cells == {"XA-1": {"HTXSNV": 5, "HTTNV": 3, "HTNV": 0, "KHTNV": 0},
                     "XA-2": {"HTXSNV": 0, "HTTNV": 3, "HTNV": 0, "KHTNV": 0}}  # fmt: skip
    assert commune.cells.counts == {"tsvm_tieu_bieu": 2} and commune.cells.total == 2


def test_late_and_breach_units_are_listed(world: World) -> None:
    """cell2 is late with its self-reviews (cycles.progress); cell1's 5 HTXSNV of 8 breaks
    001's 15 % (allowed 1), and so does the commune's 5 of 11 (grading.quotas)."""
    y = five_years(world)
    _late_cell2(y)
    r = reports.build(world.orgs["commune"], YEAR, TODAY)
    flagged = {u.organization.code: u for u in r.flagged}
    assert flagged["XA-2"].late == ["Bản tự kiểm điểm đã nộp"] and not flagged["XA-2"].breaches
    (view,) = flagged["XA-1"].breaches
    assert (view.used, view.allowed, view.level) == (5, 1, "HTXSNV")
    assert {(v.label, v.used, v.allowed) for v in r.breaches} == {
        ("Chi bộ xóm 1", 5, 1), ("Đảng bộ xã A", 5, 1)}  # fmt: skip
    up = reports.build(world.orgs["province"], YEAR, TODAY)
    (xa,) = [u for u in up.flagged if u.organization.code == "XA"]
    assert len(xa.breaches) == 2


def test_report_page_and_xlsx(world: World, client) -> None:  # type: ignore[no-untyped-def]
    y = five_years(world)
    _late_cell2(y)
    client.force_login(world.users["clerk"])
    org = world.orgs["commune"].pk
    page = client.get(f"/to-chuc/{org}/bao-cao/?nam={YEAR}").content.decode()
    assert "Chi bộ xóm 1" in page and "vượt hạn mức" in page and "chậm" in page
    assert "↑ Đảng bộ tỉnh Thử" not in page  # the clerk's grant stops at the commune
    # 5 of 11 = 45.5 %, drawn by a width class (issue 13: no style="" under the CSP)
    assert 'class="lv-HTXSNV w-45"' in page or 'class="lv-HTXSNV w-46"' in page
    book = load_workbook(io.BytesIO(client.get(f"/to-chuc/{org}/bao-cao.xlsx?nam={YEAR}").content))
    units = list(book["Theo đơn vị"].iter_rows(values_only=True))
    assert units[1][:7] == ("Đơn vị", "Số đảng viên", "HTXSNV", "HTTNV", "HTNV", "KHTNV",
                            "Chưa có kết quả")  # fmt: skip
    rows = {r[0]: r for r in units[2:]}
    assert rows["Chi bộ xóm 1"][1:7] == (8, 5, 3, 0, 0, 0)
    assert rows["Tổng cộng"][1:7] == (11, 5, 6, 0, 0, 0)
    assert "Bản tự kiểm điểm đã nộp" in rows["Chi bộ xóm 2"][7]
    years = {r[0]: r[1:4] for r in book["Qua các năm"].iter_rows(min_row=2, values_only=True)}
    assert years[2024] == (11, 2, 9)


def test_an_outsider_sees_no_report(world: World, client) -> None:  # type: ignore[no-untyped-def]
    five_years(world)
    for who in ("outsider", "member"):
        client.force_login(world.users[who])
        org = world.orgs["commune"].pk
        assert client.get(f"/to-chuc/{org}/bao-cao/").status_code == 404
        assert client.get(f"/to-chuc/{org}/bao-cao.xlsx").status_code == 404
    client.force_login(world.users["secretary"])  # a cell's secretary sees their cell only
    page = client.get(f"/to-chuc/{world.orgs['cell1'].pk}/bao-cao/")
    assert page.status_code == 200 and "↑" not in page.content.decode()
    assert client.get(f"/to-chuc/{world.orgs['commune'].pk}/bao-cao/").status_code == 404


def _tree(cells: int) -> int:
    """A committee of `cells` cells of 3 members, each with an imported year and a decided
    one; returns the committee's id."""
    top = make_org("Đảng bộ huyện Lớn", OrgKind.DISTRICT, code=f"H{cells}")
    committee = make_org("Đảng bộ xã Lớn", OrgKind.GRASSROOTS_COMMITTEE, top, code=f"L{cells}")
    cycle = grading_cycle(committee, "dhktna-2016", YEAR)
    rows = []
    for i in range(cells):
        cell = make_org(f"Chi bộ {i}", OrgKind.CELL, committee, code=f"L{cells}-{i}")
        for j in range(3):
            m = make_member(cell, f"Nguyễn Văn {j}")
            rows.append(PastResult(subject_type="m", member=m, year=YEAR - 1, level="HTTNV"))
            decide(cycle, m, "HTXSNV" if j == 0 else "HTTNV", committee)
    for r in rows:
        r.fill_key()
    PastResult.objects.bulk_create(rows)
    return top.pk


def test_queries_do_not_grow_with_the_tree(world: World, client) -> None:  # type: ignore[no-untyped-def]
    """Speed is designed: the report of a committee of 200 cells runs the same number of
    queries as one of 10, so does its district's, and the unit list is paginated (50 a
    page)."""
    from kiemdiem.org.models import Organization

    client.force_login(world.users["admin"])
    tops = [_tree(10), _tree(200)]
    committees = [Organization.objects.get(code=c).pk for c in ("L10", "L200")]
    counts = []
    for pk in [*tops, *committees]:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/to-chuc/{pk}/bao-cao/?nam={YEAR}").status_code == 200
        counts.append(len(ctx))
    print("queries (district 10, district 200, committee 10, committee 200):", counts)
    assert counts[0] == counts[1] and counts[2] == counts[3] and max(counts) <= 40, counts
    page = client.get(f"/to-chuc/{committees[1]}/bao-cao/?nam={YEAR}&trang=4").content.decode()
    assert "Trang 4/4" in page and ">Chi bộ 199</a>" in page and ">Chi bộ 149</a>" not in page
