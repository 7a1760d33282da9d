"""Issue 14: under qd366-2025 the web's grading gives the levels `kiemdiem classify` gives
for the same facts: QĐ 366-QĐ/TW Điều 11's facts recorded per member (MemberConditions
.article_11, read by the CLI's reader) and the quota per group of comparable role (khoản 1.4)
checked in the cell without any scope asked for."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kiemdiem.batch import run_classify
from kiemdiem.grading.facts import outcomes_for
from kiemdiem.grading.models import MemberConditions
from tests.grading.helpers import enter, fill_cell, grading_cycle

pytestmark = pytest.mark.django_db

FACTS: list[dict[str, Any]] = [
    {},  # HTXSNV by the vote: the cell's one HTXSNV candidate
    {"discipline_form": "canh_cao"},  # khoản 4: discipline from khiển trách up
    {"degraded": True},  # khoản 4: suy thoái
    {"tasks": {"total": 10, "done": 4, "on_time": 4, "exceeded": 0}},  # 4.2: > 50 % not done
    {"group": "x"},  # a group of its own: its quota is checked apart
]


def test_web_equals_classify_under_qd366(world: Any) -> None:
    w = world
    people = [w.members["an"], w.members["binh"], *fill_cell(w.orgs["cell1"], 3, "Trần Văn")]
    cycle = grading_cycle(w.orgs["commune"], "qd366-2025")
    for m, facts in zip(people, FACTS, strict=True):
        MemberConditions.objects.create(cycle=cycle, member=m, article_11=facts)
    # Everybody votes HTXSNV for the first and the last, HTTNV for the others; the others
    # fall to KHTNV, so neither group has an HTTNV and 20 % of none keeps no HTXSNV.
    marks = {m: {"httnv": 5} for m in people}
    marks[people[0]] = marks[people[4]] = {"htxsnv": 5}
    enter(w.users["secretary"], cycle, w.orgs["cell1"], 5, marks)
    rows = {r.member_id: r for r in outcomes_for(cycle, w.orgs["cell1"]).rows}
    data = {
        "profile": "qd366-2025", "as_of": "2026-11-20",
        "members": [
            {"id": str(m.pk), "admitted_on": m.admitted_on.isoformat(), **facts,
             "votes": {"HTXSNV": 5} if i in (0, 4) else {"HTTNV": 5}}
            for i, (m, facts) in enumerate(zip(people, FACTS, strict=True))
        ],
    }  # fmt: skip
    cli = {r["id"]: r["level"] for r in run_classify(data, None)["results"]}
    web = {str(pk): r.level or None for pk, r in rows.items()}
    assert web == cli
    assert [cli[str(m.pk)] for m in people] == ["HTTNV", "KHTNV", "KHTNV", "KHTNV", "HTTNV"]


def test_bad_article_11_facts_are_refused(world: Any) -> None:
    """A recorded fact the reader refuses is refused at the model, in Vietnamese."""
    cycle = grading_cycle(world.orgs["commune"], "qd366-2025")
    bad = MemberConditions(cycle=cycle, member=world.members["an"],
                           article_11={"tasks": {"total": 3, "on_time": 4}})  # fmt: skip
    with pytest.raises(ValidationError, match="số nhiệm vụ đúng hạn ≤ số hoàn thành"):
        bad.full_clean()


def test_secretary_types_article_11_facts_and_the_level_follows(world: Any, client: Any) -> None:
    """QĐ 366-QĐ/TW Điều 11: the chi ủy types the year's tasks on the member's conditions
    page; with 92 points, 10 tasks on time and 3 exceeded (≥ 30 %, khoản 1) the rules propose
    HTXSNV with no vote; 2 of 7 exceeded (< 30 %) keeps HTTNV. A half-filled table is refused
    in Vietnamese and nothing is saved."""
    w = world
    cycle = grading_cycle(w.orgs["commune"], "qd366-2025")
    an = w.members["an"]
    client.force_login(w.users["secretary"])
    url = f"/ky/{cycle.pk}/xep-loai/dang-vien/{an.pk}/dieu-kien/"
    page = client.get(url)
    assert "Điều 11 Quy định 366-QĐ/TW" in page.content.decode()
    empty = {"sick_leave_days": 0, "maternity_leave_days": 0, "meetings_absent": 0,
             "meetings_silent": 0}  # fmt: skip
    bad = client.post(url, {**empty, "d11-tasks_total": 10})
    assert "Nhập đủ các ô về số nhiệm vụ" in bad.content.decode()
    assert not MemberConditions.objects.filter(member=an).exists()

    def post(total: int, exceeded: int) -> None:
        r = client.post(url, {
            "sick_leave_days": 0, "maternity_leave_days": 0, "meetings_absent": 0,
            "meetings_silent": 0, "d11-tasks_total": total, "d11-tasks_done": total,
            "d11-tasks_on_time": total, "d11-tasks_exceeded": exceeded,
        })  # fmt: skip
        assert r.status_code == 302, r.content.decode()[:2000]

    from kiemdiem.reviews.models import SelfReview

    SelfReview.objects.create(cycle=cycle, member=an, variant="2B", member_kind="x",
                              self_scores={"N1": "30", "N5": "62"})  # fmt: skip
    # Five HTTNV by their scores: 20 % of them (khoản 1.4) leaves room for one HTXSNV.
    for m in fill_cell(w.orgs["cell1"], 5, "Trần Văn"):
        SelfReview.objects.create(cycle=cycle, member=m, variant="2B", member_kind="x",
                                  self_scores={"N1": "25", "N5": "55"})  # fmt: skip
    post(10, 3)
    assert MemberConditions.objects.get(member=an).article_11["tasks"] == {
        "total": 10, "done": 10, "on_time": 10, "exceeded": 3}  # fmt: skip
    row = next(r for r in outcomes_for(cycle, w.orgs["cell1"]).rows if r.member_id == an.pk)
    assert row.level == "HTXSNV" and row.votes is None, row.reasons
    post(7, 2)
    row = next(r for r in outcomes_for(cycle, w.orgs["cell1"]).rows if r.member_id == an.pk)
    assert row.level == "HTTNV"
    assert any("30%" in r["message"] or "3/10" in r["message"] for r in row.reasons)
