"""Issue 15 §4 "Confirm before what cannot be undone": decisions and appraisals are append
only (design.md principle 5), so "Quyết định tất cả theo đề xuất" and the superior's
appraisal first name what will happen with the numbers of the very function that does it
(how many decisions, how many still missing) and write nothing; only the confirmed post
writes. Agreeing while members still lack a decision needs a reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kiemdiem.grading import deciding, services
from kiemdiem.grading.confirm import missing_decisions
from kiemdiem.grading.facts import outcomes_for
from kiemdiem.grading.models import Decision, Step
from tests.grading.helpers import enter, fill_cell, grading_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(world: Any) -> Any:
    """Cell 1 voted (ten members) and its chi ủy proposed; cell 2 has not voted yet."""
    w = world
    w.extra = fill_cell(w.orgs["cell1"], 8, "Trần Văn")
    fill_cell(w.orgs["cell2"], 3, "Lê Thị")
    w.cycle = grading_cycle(w.orgs["commune"], "thanhlien-2023")
    lines = {m: {"httnv": 10} for m in [w.members["an"], w.members["binh"], *w.extra]}
    enter(w.users["secretary"], w.cycle, w.orgs["cell1"], 10, lines)
    services.propose_cell(w.users["secretary"], w.cycle, w.orgs["cell1"])
    services.store_proposals(outcomes_for(w.cycle, w.orgs["commune"]))  # the stored rows
    w.cell_url = reverse("grading_cell", args=[w.cycle.pk, w.orgs["cell1"].pk])
    w.superior_url = reverse("grading_superior", args=[w.cycle.pk, w.orgs["province"].pk])
    return w


def _client(w: Any, user: str) -> Client:
    client = Client()
    client.force_login(w.users[user])
    return client


def test_decide_all_names_how_many_then_decides_on_confirmation(year: Any) -> None:
    clerk = _client(year, "clerk")
    page = clerk.post(year.cell_url, {"action": "decide_all"})
    html = page.content.decode()
    assert page.status_code == 200 and "Sẽ quyết định 10 đảng viên theo mức đề xuất." in html
    assert "không hoàn tác được" in html and 'name="confirmed" value="1"' in html
    assert "Xác nhận quyết định 10 đảng viên" in html
    assert not Decision.objects.filter(step=Step.DECIDE).exists()  # the preview rolled back
    done = clerk.post(year.cell_url, {"action": "decide_all", "confirmed": "1"}, follow=True)
    assert "Đã quyết định 10 đảng viên." in done.content.decode()
    assert Decision.objects.current().filter(step=Step.DECIDE).count() == 10


def test_appraisal_with_missing_decisions_warns_and_needs_a_reason(year: Any) -> None:
    """The reproduction: "Nhất trí" was recorded where 294 of 343 had no decision."""
    w = year
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    missing = missing_decisions(w.cycle, w.orgs["commune"])
    assert missing == 4  # Lê Văn Cường and the three of cell 2: no vote, no decision
    superior = _client(w, "superior")
    form = {"action": "appraise", "unit": w.orgs["commune"].pk, "verdict": "agree", "reason": ""}
    html = superior.post(w.superior_url, form).content.decode()
    assert "Sẽ ghi ý kiến “Nhất trí” cho 10 kết quả xếp loại đã quyết định" in html
    assert f"Còn {missing} đảng viên của Đảng bộ xã A chưa có quyết định xếp loại" in html
    assert 'name="reason"' in html and "required" in html
    assert not Decision.objects.filter(step=Step.APPRAISE).exists()
    refused = superior.post(w.superior_url, {**form, "confirmed": "1"}, follow=True)
    assert "nhất trí khi còn thiếu quyết định thì cần ghi lý do" in refused.content.decode()
    assert not Decision.objects.filter(step=Step.APPRAISE).exists()
    why = "Nhất trí phần đã quyết định; chi bộ xóm 2 báo cáo bổ sung"
    superior.post(w.superior_url, {**form, "reason": why, "confirmed": "1"})
    assert Decision.objects.filter(step=Step.APPRAISE, reason=why).count() == 10


def test_nothing_missing_needs_no_reason(year: Any) -> None:
    w = year
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    assert missing_decisions(w.cycle, w.orgs["other"]) == 0
