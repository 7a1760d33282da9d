"""Quotas at every level (issue 6 §2; domain.md §4.3): the cell, the grassroots committee
and the superior each see allowed, used, who qualifies and who needs a decision; a breach of
the excellent share is flagged, re-classification is ordered and a new decision fixes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kiemdiem.audit.models import AuditEntry
from kiemdiem.grading import appraisal, deciding, pages, services
from kiemdiem.grading.facts import outcomes_for
from kiemdiem.grading.models import Decision, Grounds, ReclassificationOrder, Step
from kiemdiem.grading.quotas import committee_status, limit_from_counts
from kiemdiem.grading.services import Choice
from kiemdiem.rules import Level, load_profile
from tests.grading.helpers import enter, fill_cell, grading_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_excellent(world: Any) -> Any:
    """000's rules (thanhlien-2023: HTXSNV ≤ 20 % of HTTNV at cell and committee, 000 §2.3):
    ten members of cell 1, three of them voted excellent (10, 9 and 8 of 10)."""
    w = world
    w.extra = fill_cell(w.orgs["cell1"], 8, "Trần Văn")
    w.cycle = grading_cycle(w.orgs["commune"], "thanhlien-2023")
    w.all = [w.members["an"], w.members["binh"], *w.extra]
    lines: dict[Any, dict[str, int]] = {m: {"httnv": 10} for m in w.all}
    lines[w.members["an"]] = {"htxsnv": 10}
    lines[w.members["binh"]] = {"htxsnv": 9, "httnv": 1}
    lines[w.extra[0]] = {"htxsnv": 8, "httnv": 2}
    enter(w.users["secretary"], w.cycle, w.orgs["cell1"], 10, lines)
    return w


def test_cell_quota_status_ranks_by_vote_share_000_2_3(three_excellent: Any) -> None:
    """000 §2.3 (20 % of HTTNV): three qualify, one is allowed over a base of 9; the best
    share keeps the level, the two others are shown over the quota with the lower level."""
    w = three_excellent
    status = committee_status(outcomes_for(w.cycle, w.orgs["cell1"]), committee_scope=False)
    [view] = status.cells[w.orgs["cell1"].pk]
    an, binh, tran = w.members["an"].pk, w.members["binh"].pk, w.extra[0].pk
    assert (view.level, view.allowed, view.used, view.breach) == ("HTXSNV", 1, 1, False)
    assert view.qualified == [str(an)]  # after the cell's own quota the rules keep one
    units = outcomes_for(w.cycle, w.orgs["cell1"])
    [cell_quota] = units.cell_quotas[w.orgs["cell1"].pk]
    assert cell_quota.qualified == [str(an), str(binh), str(tran)]
    assert (cell_quota.limit, cell_quota.kept) == (1, [str(an)])
    assert cell_quota.over_quota == [str(binh), str(tran)]
    assert view.source == "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của Đảng ủy xã Thanh Liên, mục 2.3"


def test_breach_is_flagged_at_cell_committee_and_superior_and_fixed_by_redecision(
    three_excellent: Any,
) -> None:
    """The chi ủy proposes all three HTXSNV anyway (with a reason) and the committee decides
    so: the cell, the committee and the superior see the breach (000 §2.3; 004 §2(5)); the
    superior orders re-classification (000 §2.3; 004 §2(6)); the committee's new decisions
    supersede the old and the order closes."""
    w = three_excellent
    binh, tran = w.members["binh"], w.extra[0]
    why = "Thành tích xuất sắc trong năm"
    services.propose_cell(
        w.users["secretary"],
        w.cycle,
        w.orgs["cell1"],
        [Choice(binh.pk, "HTXSNV", why), Choice(tran.pk, "HTXSNV", why)],
    )
    cell = pages.cell_page(w.users["secretary"], w.cycle, w.orgs["cell1"])
    assert [(v.used, v.allowed, v.breach) for v in cell.quotas] == [(3, 1, True)]
    flagged = {x.row.member_id for x in cell.lines if x.flags}
    assert flagged == {binh.pk, tran.pk}
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    committee = pages.committee_page(w.users["clerk"], w.cycle, w.orgs["commune"])
    assert {(v.scope, v.used, v.allowed) for v in committee.status.breaches} == {
        ("cell", 3, 1), ("committee", 3, 1)
    }  # fmt: skip
    assert [c.breach for c in committee.cells] == [True, False]
    # The superior: decided levels counted per grassroots organization.
    from django.core.paginator import Paginator

    from kiemdiem.org.models import Organization

    paged = Paginator(Organization.objects.filter(kind="dang_bo_co_so"), 50).get_page(1)
    sup = pages.superior_page(w.users["superior"], w.cycle, w.orgs["province"], paged)
    assert [u.name for u in sup.breaches] == ["Đảng bộ xã A"]
    [v] = sup.breaches[0].views
    assert (v.used, v.allowed, v.source) == (
        3,
        1,
        "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của Đảng ủy xã Thanh Liên, mục 2.3",
    )
    with pytest.raises(ValidationError, match="Cần ghi lý do"):
        appraisal.order_reclassification(w.users["superior"], w.cycle, w.orgs["commune"], " ")
    order = appraisal.order_reclassification(
        w.users["superior"], w.cycle, w.orgs["commune"], "Tỷ lệ HTXSNV vượt 20% số HTTNV"
    )
    assert (order.used, order.allowed, order.level) == (3, 1, "HTXSNV")
    with pytest.raises(ValidationError, match="vẫn vượt tỷ lệ: 3 HTXSNV, chỉ được 1"):
        appraisal.resolve_order(w.users["clerk"], order)
    # The open order is answered by the next decisions at the organization, without naming it.
    again = "Xếp loại lại theo yêu cầu của cấp trên"
    changes = [Choice(binh.pk, "HTTNV", again), Choice(tran.pk, "HTTNV", again)]
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"], changes)
    appraisal.resolve_order(w.users["clerk"], order)
    order.refresh_from_db()
    assert not order.is_open and order.resolved_by == w.users["clerk"]
    redone = Decision.objects.current().get(member=binh, step=Step.DECIDE)
    assert (redone.level, redone.grounds, redone.order) == (
        "HTTNV",
        Grounds.RECLASSIFICATION,
        order,
    )
    assert redone.supersedes is not None and redone.supersedes.level == "HTXSNV"
    assert not pages.committee_page(w.users["clerk"], w.cycle, w.orgs["commune"]).status.breaches
    assert AuditEntry.objects.filter(action="order_reclassification").count() == 1
    assert ReclassificationOrder.objects.count() == 1


def test_no_order_without_a_breach(three_excellent: Any) -> None:
    """The superior orders re-classification only where the share breaks the rule."""
    w = three_excellent
    services.propose_cell(w.users["secretary"], w.cycle, w.orgs["cell1"])
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    with pytest.raises(ValidationError, match="đúng quy định"):
        appraisal.order_reclassification(w.users["superior"], w.cycle, w.orgs["commune"], "Xem")


def test_limit_from_counts_agrees_with_the_rules_limit() -> None:
    """The superior counts without ranking; the limit is the rules' own fixed point: 20 % of
    HTTNV with those over it falling to HTTNV (000 §2.3), 15 % of HTTNV or above (001
    §2.2.5a), the floor of 1 where fewer than 5 are HTTNV (000 §2.3)."""
    tl = load_profile("thanhlien-2023").quotas[0]
    assert limit_from_counts(tl, {Level.HTXSNV: 3, Level.HTTNV: 7}, 10) == (1, 3)
    assert limit_from_counts(tl, {Level.HTXSNV: 2, Level.HTTNV: 3}, 5) == (1, 2)  # floor
    assert limit_from_counts(tl, {Level.HTXSNV: 1, Level.HTTNV: 20}, 21) == (4, 1)  # room left
    dh = load_profile("dhktna-2016").quotas[0]
    assert limit_from_counts(dh, {Level.HTXSNV: 3, Level.HTTNV: 17}, 20) == (3, 3)
    assert limit_from_counts(dh, {Level.HTXSNV: 4, Level.HTTNV: 16}, 20) == (3, 4)
    assert limit_from_counts(dh, {Level.HTXSNV: 2, Level.HTTNV: 4}, 6) == (1, 2)  # cell < 7


def test_recompute_of_a_whole_tree_finds_the_same_breaches(three_excellent: Any) -> None:
    """The province-wide recompute (bench/bench_quotas.py) checks every cell, committee and
    group over the standing levels with the same functions as the pages."""
    from kiemdiem.grading.recompute import check_tree

    w = three_excellent
    binh, tran = w.members["binh"], w.extra[0]
    why = "Thành tích xuất sắc trong năm"
    services.propose_cell(
        w.users["secretary"],
        w.cycle,
        w.orgs["cell1"],
        [Choice(binh.pk, "HTXSNV", why), Choice(tran.pk, "HTXSNV", why)],
    )
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    result = check_tree(w.cycle, w.orgs["province"])
    page = pages.committee_page(w.users["clerk"], w.cycle, w.orgs["commune"])
    seen = sorted((v.scope, v.label, v.used, v.allowed) for v in result.breaches)
    assert seen == sorted((v.scope, v.label, v.used, v.allowed) for v in page.status.breaches)
    assert (result.members, result.classified, result.levels["HTXSNV"]) == (12, 12, 3)


def _quota_cells(page: str) -> list[tuple[str, str]]:
    import re

    decided = re.findall(r'data-quota="decided">(\d+)<', page)
    proposed = re.findall(r'data-quota="proposed">(\d+)', page)
    return list(zip(decided, proposed, strict=True))


def test_quota_table_counts_decided_levels_apart_from_proposals(
    three_excellent: Any, client: Any
) -> None:
    """Issue 11 §5: before any decision "đã xếp" is 0 (the demo showed "đã xếp 1" HTXSNV
    with none decided); the level the vote gives stands in its own column and still counts
    for the check. After the committee decides, the decided column holds it."""
    from django.urls import reverse

    w = three_excellent
    status = committee_status(outcomes_for(w.cycle, w.orgs["cell1"]), committee_scope=False)
    [view] = status.cells[w.orgs["cell1"].pk]
    assert (view.used, view.decided, view.proposed) == (1, 0, 1)
    url = reverse("grading_cell", args=[w.cycle.pk, w.orgs["cell1"].pk])
    client.force_login(w.users["secretary"])
    assert _quota_cells(client.get(url).content.decode()) == [("0", "1")]
    services.propose_cell(w.users["secretary"], w.cycle, w.orgs["cell1"], [])
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    status = committee_status(outcomes_for(w.cycle, w.orgs["cell1"]), committee_scope=False)
    [view] = status.cells[w.orgs["cell1"].pk]
    assert (view.used, view.decided, view.proposed) == (1, 1, 0)
    assert _quota_cells(client.get(url).content.decode()) == [("1", "0")]


def test_vote_line_has_no_stray_comma_and_not_classified_names_its_reason(
    three_excellent: Any, client: Any
) -> None:
    """Issue 11 §5: a vote line lists the levels that got votes, joined, with no comma after
    the last ("HTNV: 5/45," on the demo); a member not classified at this cell is shown with
    the reason on the page, in the decision's refusal and in Mẫu 04's note."""
    import re

    from django.urls import reverse

    from kiemdiem.cycles.models import Subject, SubjectKind
    from kiemdiem.documents.cell import note
    from kiemdiem.grading.services import not_decidable

    w = three_excellent
    moved = w.extra[7]
    why = "Sinh hoạt tạm thời, xếp loại tại nơi sinh hoạt chính thức khác"
    Subject.objects.create(
        cycle=w.cycle, member=moved, place=w.orgs["cell1"], kind=SubjectKind.REVIEW_ONLY, why=why
    )
    units = outcomes_for(w.cycle, w.orgs["cell1"])
    rows = {r.member_id: r for r in units.rows}
    assert rows[w.members["an"].pk].vote_line == "HTXSNV: 10/10"
    assert rows[w.members["binh"].pk].vote_line == "HTXSNV: 9/10, HTTNV: 1/10"
    row = rows[moved.pk]
    assert row.status == "not_classified" and row.not_classified_reason == why
    assert not_decidable(row) == f"{row.name}: không xếp loại tại chi bộ này ({why})"
    client.force_login(w.users["secretary"])
    url = reverse("grading_cell", args=[w.cycle.pk, w.orgs["cell1"].pk])
    page = client.get(url).content.decode()
    assert f"Không xếp loại tại đây: {why}" in page
    # The vote line is a cell of the decision table (issue 15 §3), no longer a card's <dd>.
    assert "HTXSNV: 10/10</td>" in page and "HTXSNV: 9/10, HTTNV: 1/10</td>" in page
    assert not re.search(r",\s*</td>", page)
    line = next(x for x in pages.cell_page(w.users["secretary"], w.cycle, w.orgs["cell1"]).lines
                if x.row.member_id == moved.pk)  # fmt: skip
    assert note(line) == f"Không xếp loại tại đây: {why}"


@pytest.mark.django_db(transaction=True)
def test_recompute_in_two_processes_finds_what_one_finds(
    three_excellent: Any, monkeypatch: Any
) -> None:
    """Issue 16 §2: the province recompute shared among worker processes (each chunk read
    by one of them, over its own connection) finds exactly the breaches, members and levels
    that one process finds."""
    from kiemdiem.grading import recompute

    w = three_excellent
    why = "Thành tích xuất sắc trong năm"
    services.propose_cell(
        w.users["secretary"], w.cycle, w.orgs["cell1"],
        [Choice(w.members["binh"].pk, "HTXSNV", why), Choice(w.extra[0].pk, "HTXSNV", why)],
    )  # fmt: skip
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    monkeypatch.setattr(recompute, "CHUNK", 0)  # every grassroots organization a chunk
    assert len(recompute.chunks_of(w.orgs["province"])) >= 2
    pools: list[int] = []

    class Pool(recompute.ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pools.append(kwargs["max_workers"])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(recompute, "ProcessPoolExecutor", Pool)
    one = recompute.check_tree(w.cycle, w.orgs["province"])
    two = recompute.check_tree(w.cycle, w.orgs["province"], workers=2)
    assert pools == [2]  # the second run went through the worker processes

    def facts(r: Any) -> Any:
        seen = sorted((v.scope, v.label, v.used, v.allowed) for v in r.breaches)
        return seen, r.members, r.classified, r.chunks, dict(r.levels)

    assert facts(two) == facts(one)
    assert one.breaches and one.levels["HTXSNV"] == 3
