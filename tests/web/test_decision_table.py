"""Issue 15 §3: the cell's decision page is a compact table — name, vote, proposal,
decision, flags — with a search, the filters waiting / differs from the proposal / over the
quota (one click each), select-and-decide for the ticked rows, a row opening its card; after
a validation error the chosen level is kept and the field with the message takes the focus
(the browser scrolls to it); the page's query count does not grow with the cell."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kiemdiem.grading import deciding, services
from kiemdiem.grading.models import Decision, Step
from kiemdiem.grading.services import Choice
from tests.grading.helpers import enter, fill_cell, grading_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell(world: Any) -> Any:
    """Ten members; An, Bình and one more got HTXSNV from every voter; the chi ủy proposed
    (Mẫu 04) and nothing is decided yet."""
    w = world
    w.extra = fill_cell(w.orgs["cell1"], 8, "Trần Văn")
    w.cycle = grading_cycle(w.orgs["commune"], "thanhlien-2023")
    w.all = [w.members["an"], w.members["binh"], *w.extra]
    lines: dict[Any, dict[str, int]] = {m: {"httnv": 10} for m in w.all}
    for m in w.all[:3]:
        lines[m] = {"htxsnv": 10}
    enter(w.users["secretary"], w.cycle, w.orgs["cell1"], 10, lines)
    services.propose_cell(w.users["secretary"], w.cycle, w.orgs["cell1"])
    w.url = reverse("grading_cell", args=[w.cycle.pk, w.orgs["cell1"].pk])
    w.clerk = Client()
    w.clerk.force_login(w.users["clerk"])
    return w


def _rows(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="r(\d+)"', html)]


def test_over_quota_is_one_click_away_and_lists_only_the_flagged(cell: Any) -> None:
    """The office raises four good members to HTXSNV: the cell's quota (000 §2.3) breaks."""
    why = "Có thành tích nổi bật trong năm"
    choices = [Choice(m.pk, "HTXSNV", why) for m in cell.extra[:4]]
    deciding.decide(cell.users["clerk"], cell.cycle, cell.orgs["cell1"], choices)
    html = cell.clerk.get(cell.url).content.decode()
    assert len(_rows(html)) == 10
    link = re.search(r'href="(\?loc=vuot)"[^>]*>Vượt hạn mức <strong>(\d+)</strong>', html)
    assert link is not None, "no over-quota filter link"
    flagged = cell.clerk.get(cell.url + link.group(1)).content.decode()
    rows = _rows(flagged)
    assert len(rows) == int(link.group(2)) >= 1
    assert all(f'<tr id="r{r}" class="gd-breach' in flagged for r in rows)


def test_search_by_name_without_diacritics(cell: Any) -> None:
    html = cell.clerk.get(cell.url, {"q": "tran van"}).content.decode()
    assert sorted(_rows(html)) == sorted(m.pk for m in cell.extra)


def test_waiting_and_differs_filters_follow_the_decisions(cell: Any) -> None:
    an = cell.members["an"]
    why = "Chưa hoàn thành chỉ tiêu được giao"
    r = cell.clerk.post(
        cell.url, {"action": "decide_one", "member": an.pk, "level": "HTNV", "reason": why}
    )
    assert r.status_code == 302
    waiting = _rows(cell.clerk.get(cell.url, {"loc": "cho"}).content.decode())
    assert an.pk not in waiting and len(waiting) == 9
    assert _rows(cell.clerk.get(cell.url, {"loc": "khac"}).content.decode()) == [an.pk]


def test_select_and_decide_the_ticked_rows_only(cell: Any) -> None:
    picked = [m.pk for m in cell.extra[:4]]
    r = cell.clerk.post(cell.url, {"action": "decide_selected", "chon": picked}, follow=True)
    assert "Đã quyết định 4 đảng viên." in r.content.decode()
    decided = Decision.objects.current().filter(step=Step.DECIDE)
    assert sorted(decided.values_list("member_id", flat=True)) == sorted(picked)
    assert set(decided.values_list("level", flat=True)) == {"HTTNV"}  # each one's proposal


def test_an_error_keeps_the_chosen_level_and_takes_the_focus(cell: Any) -> None:
    binh = cell.members["binh"]
    r = cell.clerk.post(cell.url, {"action": "decide_one", "member": binh.pk, "level": "HTNV"})
    assert r.status_code == 200
    html = r.content.decode()
    card = html[html.index('<article class="gd-member') :]
    card = card[: card.index("</article>")]
    assert f'id="m{binh.pk}"' in card  # the member's card is open under its row
    assert '<option value="HTNV" selected>' in card
    assert "cần ghi lý do" in card and "autofocus" in card
    assert not Decision.objects.filter(step=Step.DECIDE).exists()
    # The same for the ticked rows: still ticked, the level kept, the message by the bar.
    picked = [cell.extra[0].pk, cell.extra[1].pk]
    r = cell.clerk.post(
        cell.url, {"action": "decide_selected", "chon": picked, "level_sel": "HTNV"}
    )
    html = r.content.decode()
    assert r.status_code == 200 and 'id="sel-errors"' in html and "cần ghi lý do" in html
    assert all(f'value="{pk}" form="decide-sel" aria-label' in html for pk in picked)
    assert html.count(" checked>") == 2 and '<option value="HTNV" selected>' in html
    assert not Decision.objects.filter(step=Step.DECIDE).exists()


def test_nothing_ticked_is_said_plainly(cell: Any) -> None:
    r = cell.clerk.post(cell.url, {"action": "decide_selected"})
    assert "Chọn ít nhất một đảng viên trong bảng để quyết định." in r.content.decode()


def test_query_count_is_bounded_whatever_the_cell(cell: Any) -> None:
    cell.clerk.get(cell.url)
    with CaptureQueriesContext(connection) as small:
        cell.clerk.get(cell.url, {"xem": cell.members["an"].pk})
    fill_cell(cell.orgs["cell1"], 40, "Lê Thị")
    deciding.decide(cell.users["clerk"], cell.cycle, cell.orgs["cell1"])
    with CaptureQueriesContext(connection) as big:
        cell.clerk.get(cell.url, {"xem": cell.members["an"].pk})
    assert len(big) == len(small), (len(small), len(big))
