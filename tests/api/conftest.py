"""The shared world with a plan, papers, a comment request and a meeting, each persona with a
personal API token, and a small client that speaks JSON with a token."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.test import Client

from kiemdiem.api import tokens
from kiemdiem.ballots import services as ballots
from kiemdiem.cycles import subjects
from kiemdiem.feedback import services as feedback
from kiemdiem.meetings import services as meetings
from kiemdiem.org.choices import Category
from kiemdiem.reviews import self_reviews
from tests.builders import Role, grant, make_cycle, make_user
from tests.conftest import World
from tests.meetings.helpers import AT

PERSONAS = ["member", "secretary", "clerk", "superior", "admin", "outsider"]


@dataclass
class Api:
    """JSON over the test client, as a program would call it (no cookie unless `session`)."""

    token: str | None = None
    client: Client = field(default_factory=Client)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self._headers())

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(
            f"/api/v1{path}", body or {}, content_type="application/json", headers=self._headers()
        )

    def put(self, path: str, body: Any = None) -> Any:
        return self.client.put(
            f"/api/v1{path}", body or {}, content_type="application/json", headers=self._headers()
        )


@dataclass
class ApiWorld:
    w: World
    cycle: Any
    tokens: dict[str, str]
    feedback: Any
    meeting: Any
    review: Any  # Bình's submitted-to-be paper (cell 1), written by the secretary
    ballot: Any  # the meeting's secret ballot, voting open

    def api(self, persona: str) -> Api:
        return Api(self.tokens[persona])


@pytest.fixture
def aw(world: World) -> ApiWorld:
    """The commune's plan (2026) with its subjects; a draft self-review for Bình; a residence
    comment on Bình addressed to cell 2 (which has its own secretary); cell 1's meeting."""
    w = world
    w.users["secretary2"] = make_user("secretary2")
    grant(w.users["secretary2"], Role.CELL_SECRETARY, w.orgs["cell2"])
    binh = w.members["binh"]
    binh.category, binh.residence_cell = Category.CCVC, w.orgs["cell2"]
    binh.save()
    steps = [("lay-y-kien", dt.date(2026, 12, 10), ["tu_kiem_diem", "nhan_xet"])]
    cycle = make_cycle(w.orgs["commune"], steps=steps)
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, 0, tzinfo=AT.tzinfo), tick=False):
        subjects.rebuild(w.users["clerk"], cycle)
        feedback.create_requests(w.users["clerk"], cycle)
        review = self_reviews.start(w.users["secretary"], cycle, binh)
        meeting, _ = meetings.schedule_meeting(
            w.users["secretary"], cycle, w.orgs["cell1"], AT, place="Nhà văn hóa xóm 1"
        )
    ballot = ballots.open_ballot(w.users["secretary"], meeting)
    ballots.start_voting(w.users["secretary"], ballot)
    first = meeting.items.order_by("order").first()
    assert first is not None
    meetings.record_minutes(w.users["secretary"], first, discussion="Khai mạc đúng giờ.")
    request = feedback.visible(w.users["clerk"]).get(member=binh)
    personas = [*PERSONAS, "secretary2"]
    toks = {p: tokens.create_token(None, w.users[p], "kiểm thử")[1] for p in personas}
    return ApiWorld(w, cycle, toks, request, meeting, review, ballot)
