"""The grading pages (issue 6 §1–§3): Vietnamese, scoped through the access table, thin
over the services, and bounded in queries however large the committee (1,000 cells)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kiemdiem.grading.models import Decision, Step, TallyRow, TallySheet
from kiemdiem.org.choices import Category, Gender, OrgKind
from kiemdiem.org.models import Member
from tests.builders import Role, grant, make_org, make_user
from tests.grading.helpers import enter, fill_cell, grading_cycle

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def voted(world: Any) -> Any:
    w = world
    w.extra = fill_cell(w.orgs["cell1"], 8, "Trần Văn")
    w.cycle = grading_cycle(w.orgs["commune"], "thanhlien-2023")
    lines: dict[Any, dict[str, int]] = {
        m: {"httnv": 10} for m in [w.members["an"], w.members["binh"], *w.extra]
    }
    lines[w.members["an"]] = {"htxsnv": 10}
    enter(w.users["secretary"], w.cycle, w.orgs["cell1"], 10, lines)
    w.cell_url = reverse("grading_cell", args=[w.cycle.pk, w.orgs["cell1"].pk])
    return w


def test_who_sees_the_cell_page(voted: Any) -> None:
    """Votes and levels are sensitive: the cell's chi ủy, the committee office and the
    superior see the page; a plain member and another cell's secretary do not."""
    w = voted
    expected = {"secretary": 200, "clerk": 200, "superior": 200, "member": 404, "outsider": 404}
    got = {p: _client(w.users[p]).get(w.cell_url).status_code for p in expected}
    assert got == expected
    page = _client(w.users["secretary"]).get(w.cell_url).content.decode()
    assert "Xếp loại đảng viên — Chi bộ xóm 1" in page
    assert "Kết quả biểu quyết: HTXSNV (HTXSNV: 10/10)." in page
    assert "Trong hạn mức HTXSNV: 1 người (xếp thứ 1)." in page
    assert "Kết quả nhập tay theo biên bản kiểm phiếu ngày 22/11/2026" in page
    assert "Theo thứ tự tỷ lệ phiếu: Nguyễn Văn An." in page  # who qualifies, by name


def test_home_leads_each_role_to_its_level_of_the_tree(voted: Any) -> None:
    w = voted
    home = reverse("grading_home", args=[w.cycle.pk])
    assert _client(w.users["secretary"]).get(home).url == w.cell_url
    assert _client(w.users["clerk"]).get(home).url == reverse(
        "grading_committee", args=[w.cycle.pk, w.orgs["commune"].pk]
    )


def test_propose_then_decide_all_then_one_through_the_pages(voted: Any) -> None:
    """The chi ủy proposes the whole cell in one go (Mẫu 04); the committee decides all the
    proposals at once, then changes one with a reason."""
    w = voted
    r = _client(w.users["secretary"]).post(w.cell_url, {"action": "propose"})
    assert r.status_code == 302 and Decision.objects.filter(step=Step.PROPOSE).count() == 10
    clerk = _client(w.users["clerk"])
    # Issue 15 §4: first the numbers, nothing written; then the confirmed post decides.
    r = clerk.post(w.cell_url, {"action": "decide_all"})
    assert "Sẽ quyết định 10 đảng viên theo mức đề xuất." in r.content.decode()
    assert not Decision.objects.filter(step=Step.DECIDE).exists()
    r = clerk.post(w.cell_url, {"action": "decide_all", "confirmed": "1"}, follow=True)
    assert "Đã quyết định 10 đảng viên." in r.content.decode()
    binh = w.members["binh"]
    r = clerk.post(w.cell_url, {"action": "decide_one", "member": binh.pk, "level": "HTNV",
                                "reason": ""}, follow=True)  # fmt: skip
    assert "khác mức đề xuất HTTNV: cần ghi lý do" in r.content.decode()
    clerk.post(w.cell_url, {"action": "decide_one", "member": binh.pk, "level": "HTNV",
                            "reason": "Chưa hoàn thành chỉ tiêu"})  # fmt: skip
    levels = list(
        Decision.objects.filter(member=binh, step=Step.DECIDE)
        .order_by("pk")
        .values_list("level", flat=True)
    )
    assert levels == ["HTTNV", "HTNV"]
    history = clerk.get(reverse("grading_history", args=[w.cycle.pk, binh.pk])).content.decode()
    assert history.count("Đã được thay thế") == 1  # the first decision, kept
    assert "Chưa hoàn thành chỉ tiêu" in history


def test_the_minutes_form_names_the_member_and_keeps_what_was_typed(voted: Any) -> None:
    """Bad input: a Vietnamese message naming the member; nothing stored; the typed values
    stay in the form."""
    w = voted
    url = reverse("grading_tally", args=[w.cycle.pk, w.orgs["cell1"].pk])
    an = w.members["an"]
    data = {"counted_on": "2026-11-23", "voters_present": "9", "spoiled": "0",
            "minutes_ref": "BB 23/11", f"m{an.pk}_present": "on", f"m{an.pk}_voted": "on",
            f"m{an.pk}_htxsnv": "12"}  # fmt: skip
    r = _client(w.users["secretary"]).post(url, data)
    body = r.content.decode()
    assert r.status_code == 200 and "Nguyễn Văn An: có 12 phiếu nhưng chỉ 9 phiếu hợp lệ" in body
    assert 'value="12"' in body
    assert TallySheet.objects.get().voters_present == 10  # the earlier entry is untouched
    data[f"m{an.pk}_htxsnv"] = "9"
    assert _client(w.users["secretary"]).post(url, data).status_code == 302
    assert TallyRow.objects.get(sheet__cell=w.orgs["cell1"], member=an).htxsnv == 9
    assert _client(w.users["clerk"]).get(url).status_code == 200
    assert _client(w.users["outsider"]).get(url).status_code == 404


def _big_committee(n_cells: int, per_cell: int) -> tuple[Any, Any, Any]:
    """A grassroots committee of `n_cells` cells, each with counted minutes."""
    root = make_org(f"Tỉnh {n_cells}", OrgKind.PROVINCE, code=f"P{n_cells}")
    committee = make_org(f"Đảng bộ {n_cells}", OrgKind.GRASSROOTS_COMMITTEE, root,
                         code=f"K{n_cells}")  # fmt: skip
    cells = [make_org(f"Chi bộ {i}", OrgKind.CELL, committee, code=f"K{n_cells}-{i}")
             for i in range(n_cells)]  # fmt: skip
    members = [
        Member(code=f"Q{n_cells}-{i}", full_name=f"Nguyễn Văn Q{i}", gender=Gender.MALE,
               birth_date=dt.date(1970, 1, 1), cell=cells[i % n_cells],
               admitted_on=dt.date(2000, 1, 1), official_on=dt.date(2001, 1, 1),
               category=Category.FARMER)
        for i in range(n_cells * per_cell)
    ]  # fmt: skip
    Member.objects.bulk_create(members, batch_size=2000)
    cycle = grading_cycle(committee, "thanhlien-2023")
    sheets = TallySheet.objects.bulk_create(
        TallySheet(cycle=cycle, cell=c, method="choose_level", voters_present=per_cell,
                   counted_on=dt.date(2026, 11, 22)) for c in cells
    )  # fmt: skip
    by_cell = {s.cell_id: s for s in sheets}
    TallyRow.objects.bulk_create(
        (TallyRow(sheet=by_cell[m.cell_id], member=m, htxsnv=per_cell if i % 5 == 0 else 0,
                  httnv=0 if i % 5 == 0 else per_cell)
         for i, m in enumerate(Member.objects.filter(cell__parent=committee).order_by("pk"))),
        batch_size=2000,
    )  # fmt: skip
    clerk = make_user(f"clerk{n_cells}")
    grant(clerk, Role.COMMITTEE_OFFICE, committee)
    superior = make_user(f"superior{n_cells}")
    grant(superior, Role.SUPERIOR_REVIEWER, root)
    return committee, cycle, (clerk, superior, cells)


def _queries(client: Client, url: str, django_assert_max_num_queries: Any, bound: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_assert_max_num_queries(bound), CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.slow
def test_pages_over_a_committee_of_1000_cells_are_bounded(
    django_assert_max_num_queries: Any,
) -> None:
    """design.md (Scale): set-based, no per-row queries — the committee page, a cell page
    and the superior page read the same number of queries for 3 cells as for 1,000."""
    counts = {}
    for n in (3, 1000):
        committee, cycle, (clerk, superior, cells) = _big_committee(n, 3)
        urls = {
            "committee": reverse("grading_committee", args=[cycle.pk, committee.pk]),
            "cell": reverse("grading_cell", args=[cycle.pk, cells[-1].pk]),
            "units": reverse("grading_units", args=[cycle.pk, committee.pk]),
        }
        c, s = _client(clerk), _client(superior)
        counts[n] = {k: _queries(c, u, django_assert_max_num_queries, 40) for k, u in urls.items()}
        sup = reverse("grading_superior", args=[cycle.pk, committee.parent_id])
        counts[n]["superior"] = _queries(s, sup, django_assert_max_num_queries, 40)
        page = c.get(urls["committee"]).content.decode()
        assert f"Các chi bộ <small>({n})</small>" in page
        assert re.search(r"Trang 1 / \d+", page) or n <= 50
    print(counts)
    assert counts[3] == counts[1000]


def test_the_plan_page_leads_to_grading(voted: Any) -> None:
    """From the plan to the grading pages: one link on the plan's page."""
    w = voted
    page = _client(w.users["clerk"]).get(reverse("cycle_detail", args=[w.cycle.pk]))
    assert reverse("grading_home", args=[w.cycle.pk]) in page.content.decode()


def test_admin_sets_up_rated_units_and_never_changes_decisions(voted: Any) -> None:
    """Offices list the villages and branches they rate in the admin; decisions there are
    read-only (principle 5)."""
    from kiemdiem.grading.services import propose_cell

    w = voted
    propose_cell(w.users["secretary"], w.cycle, w.orgs["cell1"])
    admin = _client(w.users["admin"])
    assert admin.get(reverse("admin:grading_ratedunit_add")).status_code == 200
    d = Decision.objects.first()
    assert d is not None
    change = reverse("admin:grading_decision_change", args=[d.pk])
    assert admin.get(change).status_code == 200  # read-only view
    assert admin.post(change, {"level": "KHTNV"}).status_code == 403
    assert admin.post(reverse("admin:grading_decision_delete", args=[d.pk])).status_code == 403
    assert Decision.objects.get(pk=d.pk).level == d.level
