"""Quorum (issue 12 §5): no level is declared when too few attended or voted.

The rule and its source, as every built-in profile states it (`quorum`):
- ballot: more than half of the members entitled to vote cast a ballot — Điều lệ Đảng Điều 9
  khoản 5 ("chỉ có giá trị thi hành khi có hơn một nửa số thành viên ... tán thành"), the
  base as QĐ 24-QĐ/TW điểm 9.3.2 defines "số thành viên của hội nghị đảng viên";
- meeting: more than 2/3 of them present — the chi bộ working rules' usual figure, marked
  unconfirmed in the profile (`reading`) and in docs/rules.md.
The counting page, the biên bản, the API's levels and grading refuse alike, with the figures.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest
from django.test import Client

from kiemdiem.ballots import services
from kiemdiem.ballots.counting import Counts, Papers, Roll, count
from kiemdiem.ballots.models import Ballot
from kiemdiem.grading.ballot_source import BallotSource
from kiemdiem.rules import SubjectFacts, load_profile
from kiemdiem.rules.quorum import QuorumError, QuorumRule
from tests.ballots.sealed import close_counted, start_voting
from tests.conftest import World
from tests.meetings.helpers import ready_cell, schedule

PROFILES = ["qd132-2018", "qd124-2023", "qd366-2025", "thanhlien-2023", "dhktna-2016",
            "dukdntw-2018", "bvphoi-2021", "tuyenquang-2021"]  # fmt: skip
AS_OF = dt.date(2025, 12, 1)


@pytest.mark.parametrize("profile_id", PROFILES)
def test_every_profile_states_the_quorum_of_charter_article_9_clause_5(profile_id: str) -> None:
    q = load_profile(profile_id).quorum
    assert q is not None and q.ballot is not None and q.meeting is not None
    assert (q.ballot.op, q.ballot.share) == (">", Fraction(1, 2))
    assert "Điều lệ Đảng Điều 9 khoản 5" in q.ballot.source
    assert "hơn một nửa số thành viên" in q.ballot.quote
    # The 2/3 attendance has no central text found: the profile says so in its reading.
    assert (q.meeting.op, q.meeting.share) == (">", Fraction(2, 3))
    assert "Chưa tìm được nguyên văn" in q.meeting.reading


def test_more_than_half_and_more_than_two_thirds_of_49_are_25_and_33() -> None:
    half, two_thirds = QuorumRule(source="x", share="1/2"), QuorumRule(source="x", share="2/3")
    assert half.needed(49) == 25 and not half.holds(24, 49) and half.holds(25, 49)
    assert half.needed(10) == 6 and not half.holds(5, 10)  # "hơn một nửa": 5/10 is not
    assert two_thirds.needed(49) == 33 and not two_thirds.holds(32, 49)
    assert not half.holds(0, 0)  # an empty roll never has a quorum


def _count(profile_id: str, *, present: int, cast: int, eligible: int = 49) -> Any:
    profile = load_profile(profile_id)
    people = [SubjectFacts(id="c1", name="Nguyễn Văn A")]
    choice = "approve" if profile.ballot.method == "approve_proposal" else "HTXSNV"
    counts = Counts(profile.ballot.method, Papers(present, cast), {"c1": {choice: cast}})
    roll = Roll(eligible=eligible, present=present, official_members=eligible)
    return count([counts], people, roll, profile, as_of=AS_OF)


def test_four_of_49_votes_declare_nothing_under_charter_article_9_clause_5() -> None:
    """The issue's probe: 4/49 votes gave HTTNV to everyone. Under 000 §1.4.3's "those
    present" base 4/4 is 100 %; the quorum refuses, saying the figures and the source."""
    with pytest.raises(QuorumError) as refused:
        _count("thanhlien-2023", present=49, cast=4)
    (message,) = refused.value.problems
    assert "4/49 đảng viên có quyền biểu quyết đã bỏ phiếu" in message
    assert "trên một nửa (ít nhất 25 người)" in message
    assert "Điều lệ Đảng Điều 9 khoản 5" in message and "Chưa công bố mức nào" in message
    assert _count("thanhlien-2023", present=49, cast=25).candidates[0].level is not None


def test_a_meeting_of_32_of_49_present_is_below_two_thirds() -> None:
    with pytest.raises(QuorumError) as refused:
        _count("qd366-2025", present=32, cast=32)
    (message,) = refused.value.problems
    assert "Hội nghị có 32/49" in message and "trên 2/3 (ít nhất 33 người) có mặt" in message
    assert _count("qd366-2025", present=33, cast=33).candidates


def _closed(world: World, voters: int | None) -> tuple[Ballot, int]:
    """Cell 1's online ballot closed and counted with `voters` ballots cast (None: all)."""
    meeting = schedule(world, ready_cell(world))
    user = world.users["secretary"]
    ballot = services.open_ballot(user, meeting)
    codes = list(dict(start_voting(user, ballot)).values())
    ballot.refresh_from_db()
    marks = {c.key: "HTTNV" for c in ballot.candidates.all()}
    for code in codes[: len(codes) if voters is None else voters]:
        services.cast(ballot.pk, code, marks)
    return close_counted(user, ballot), len(codes)


def _client(world: World) -> Client:
    client = Client()
    client.force_login(world.users["secretary"])
    return client


@pytest.mark.django_db
def test_counting_page_api_minutes_and_grading_refuse_one_vote_of_the_roll(world: World) -> None:
    ballot, roll = _closed(world, 1)
    assert roll >= 3  # one vote is below "hơn một nửa"
    client = _client(world)
    page = client.get(f"/bo-phieu/{ballot.pk}/kiem-phieu/")
    text = page.content.decode()
    assert page.status_code == 200 and "Chưa công bố được kết quả kiểm phiếu" in text
    assert f"1/{roll} đảng viên có quyền biểu quyết đã bỏ phiếu" in text
    assert "Điều lệ Đảng Điều 9 khoản 5" in text and 'class="level"' not in text
    minutes = client.get(f"/bo-phieu/{ballot.pk}/bien-ban.docx")
    assert minutes.status_code == 302  # back to the page that says why, no biên bản
    api = client.get(f"/api/v1/ballots/{ballot.pk}/levels")
    assert api.status_code == 400 and f"1/{roll}" in api.json()["detail"]
    assert "Điều lệ Đảng Điều 9 khoản 5" in api.json()["detail"]
    cell = ballot.meeting.organization
    assert cell.pk not in BallotSource().for_subtree(ballot.meeting.cycle_id, cell.path)


@pytest.mark.django_db
def test_a_full_roll_declares_levels_on_the_page_and_the_api(world: World) -> None:
    ballot, _ = _closed(world, None)
    client = _client(world)
    page = client.get(f"/bo-phieu/{ballot.pk}/kiem-phieu/").content.decode()
    assert "Chưa công bố được" not in page and 'class="level"' in page
    api = client.get(f"/api/v1/ballots/{ballot.pk}/levels")
    assert api.status_code == 200 and all(r["level"] == "HTTNV" for r in api.json()["rows"])
    cell = ballot.meeting.organization
    assert cell.pk in BallotSource().for_subtree(ballot.meeting.cycle_id, cell.path)
