"""Secret ballots through the API (issue 5 §3, §6): set up and run by the cell through the
ballot services (audited), voted without login with a one-time code (nothing logged, audited
or cached; a retry counted once), only "k of n" while voting, results after close equal to the
ballot service's own count, and a voter's receipt found in the published list."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.cache import cache

from kiemdiem.audit.models import AuditEntry
from kiemdiem.ballots import services
from kiemdiem.ballots.models import Ballot, BoxEntry, RollEntry
from kiemdiem.meetings.models import AttendanceStatus
from tests.api.conftest import Api
from tests.builders import make_user
from tests.conftest import World
from tests.meetings.helpers import ready_cell, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(world: World) -> Any:
    """Cell 1's meeting (An absent with a reason) and tokens for the cell and an outsider."""
    from kiemdiem.api import tokens

    meeting = schedule(world, ready_cell(world))
    an = meeting.attendance.get(member=world.members["an"])
    an.status, an.reason = AttendanceStatus.ABSENT_WITH_REASON, "Đi công tác"
    an.save()
    keys = {p: tokens.create_token(None, world.users[p], "t")[1] for p in
            ("secretary", "clerk", "outsider", "member")}  # fmt: skip
    return world, meeting, {p: Api(k) for p, k in keys.items()}


def _opened(run: Any) -> tuple[Ballot, dict[str, str]]:
    _, meeting, api = run
    created = api["secretary"].post(f"/meetings/{meeting.pk}/ballots", {})
    assert created.status_code == 200, created.content
    ballot_id = created.json()["id"]
    started = api["secretary"].post(f"/ballots/{ballot_id}/start")
    assert started.status_code == 200, started.content
    slips = {s["name"]: s["code"] for s in started.json()["slips"]}
    # The ban kiểm phiếu copy their shares from this one answer (issue 12 §3).
    assert started.json()["threshold"] >= 1 and started.json()["shares"]
    _SHARES[ballot_id] = [s["code"] for s in started.json()["shares"]]
    return Ballot.objects.get(pk=ballot_id), slips


_SHARES: dict[int, list[str]] = {}


def _marks(ballot: Ballot, choice: str) -> dict[str, str]:
    return {c.key: choice for c in ballot.candidates.all()}


def test_setting_up_goes_through_the_ballot_services(run: Any) -> None:
    """000 §1.4.3: the roll says who votes and why before voting; candidates in the agenda's
    order; the codes come once, uncached, and only their hashes are kept."""
    _, meeting, api = run
    created = api["secretary"].post(f"/meetings/{meeting.pk}/ballots", {}).json()
    roll = {r["member"]["full_name"]: r for r in created["roll"]}
    assert roll["Nguyễn Văn An"] == {**roll["Nguyễn Văn An"], "may_vote": False, "why": "vắng mặt"}
    assert "has_voted" not in roll["Phạm Thị Hà"]
    assert created["candidates"][0]["name"] == "Phạm Thị Hà" and created["status"] == "draft"
    assert created["method"] == "choose_level" and created["can_edit"] is True
    started = api["secretary"].post(f"/ballots/{created['id']}/start")
    assert started["Cache-Control"] == "no-store"
    body = started.json()
    assert body["ballot"]["status"] == "open" and len(body["ballot"]["roll_hash"]) == 64
    codes = [s["code"] for s in body["slips"]]
    assert {s["name"] for s in body["slips"]} == {n for n, r in roll.items() if r["may_vote"]}
    assert not RollEntry.objects.filter(code_hash__in=codes).exists()
    actions = list(AuditEntry.objects.filter(object_type="ballots.ballot").values_list(
        "action", "user__username"))  # fmt: skip
    assert sorted(actions) == [("open_ballot", "secretary"), ("start_voting", "secretary")]
    again = api["secretary"].post(f"/ballots/{created['id']}/start")
    assert again.status_code == 400
    assert again.json()["detail"] == "Cuộc bỏ phiếu đã mở hoặc đã đóng."


def test_voting_needs_no_login_counts_once_and_leaves_no_trace(run: Any, caplog: Any) -> None:
    """Design principle 6: the vote answers without login; a retry (a dropped connection)
    changes nothing; refusals are Vietnamese; no log record, audit row or cache entry."""
    ballot, slips = _opened(run)
    voter = Api()  # no token, no cookie: the phone in the room
    paper = voter.get(f"/ballots/{ballot.pk}/vote").json()
    assert [c["key"] for c in paper["candidates"]] == list(
        ballot.candidates.values_list("key", flat=True))  # fmt: skip
    assert {c["key"] for c in paper["choices"]} == {"HTXSNV", "HTTNV", "HTNV", "KHTNV", "blank"}
    code = next(iter(slips.values()))
    audit_before = AuditEntry.objects.count()
    caplog.clear()
    caplog.set_level(logging.DEBUG)
    vote = f"/ballots/{ballot.pk}/vote"
    first = voter.post(vote, {"code": code, "marks": _marks(ballot, "HTTNV")})
    retry = voter.post(f"/ballots/{ballot.pk}/vote",
                       {"code": code.lower(), "marks": _marks(ballot, "HTXSNV")})  # fmt: skip
    wrong = voter.post(f"/ballots/{ballot.pk}/vote", {"code": "ZZZZZZZZ", "marks": {}})
    bad = voter.post(f"/ballots/{ballot.pk}/vote",
                     {"code": list(slips.values())[1], "marks": _marks(ballot, "TOT")})  # fmt: skip
    malformed = voter.post(f"/ballots/{ballot.pk}/vote", {"marks": "HTTNV"})
    unknown = voter.post("/ballots/999999/vote", {"code": code, "marks": {}})
    assert caplog.records == []  # not one record, at any level, from any logger
    assert AuditEntry.objects.count() == audit_before
    assert cache.get(code) is None
    assert first.status_code == 200 and first["Cache-Control"] == "no-store"
    assert first.json()["counted"] is True and len(first.json()["receipt"]) == 64
    assert retry.json() == {**retry.json(), "counted": False, "receipt": ""}
    assert "chỉ được tính một lần" in retry.json()["message"]
    assert (wrong.status_code, wrong.json()["detail"]) == (400, "Mã bỏ phiếu không đúng.")
    assert (bad.status_code, bad.json()["detail"]) == (400, "Phiếu có lựa chọn không hợp lệ.")
    assert malformed.status_code == 422
    assert (unknown.status_code, unknown.json()["detail"]) == (400, "Cuộc bỏ phiếu không mở.")
    assert BoxEntry.objects.filter(ballot=ballot).count() == 1
    # The box holds the choice; nothing in it names the voter or their code.
    [entry] = BoxEntry.objects.filter(ballot=ballot).values_list("marks", "id", "nonce")
    assert code not in str(entry) and services.code_hash(ballot.pk, code) not in str(entry)


def test_only_k_of_n_while_voting_then_results_and_receipts(run: Any) -> None:
    api = run[2]
    ballot, slips = _opened(run)
    sec, voter = api["secretary"], Api()
    assert sec.get(f"/ballots/{ballot.pk}/status").json() == {
        "status": "open", "voted": 0, "eligible": len(slips)}  # fmt: skip
    receipts = []
    for n, code in enumerate(slips.values()):
        marks = _marks(ballot, "HTTNV" if n % 2 else "HTXSNV")
        receipts.append(voter.post(f"/ballots/{ballot.pk}/vote",
                                   {"code": code, "marks": marks}).json()["receipt"])  # fmt: skip
        status = sec.get(f"/ballots/{ballot.pk}/status")
        assert status.json()["voted"] == n + 1 and status["Cache-Control"] == "no-store"
    early = sec.get(f"/ballots/{ballot.pk}/results")
    assert (early.status_code, early.json()["detail"]) == (400, "Chỉ kiểm phiếu sau khi đóng.")
    assert voter.get(f"/ballots/{ballot.pk}/receipts").status_code == 404
    closed = sec.post(f"/ballots/{ballot.pk}/close").json()
    assert closed["status"] == "closed" and len(closed["head"]) == 64
    assert sec.post(f"/ballots/{ballot.pk}/close").status_code == 400  # closing is final
    late = voter.post(f"/ballots/{ballot.pk}/vote", {"code": code, "marks": {}})
    assert late.json()["detail"] == "Cuộc bỏ phiếu không mở."
    # Issue 12 §3: the sealed box is read only with the ban kiểm phiếu's shares.
    sealed = sec.get(f"/ballots/{ballot.pk}/results")
    assert (sealed.status_code, sealed.json()["detail"]) == (400, services.NOT_OPENED)
    wrong = sec.post(f"/ballots/{ballot.pk}/count", {"shares": ["AAAA"]})
    assert wrong.status_code == 400 and "không đọc được" in wrong.json()["detail"]
    assert (
        sec.post(f"/ballots/{ballot.pk}/count", {"shares": _SHARES[ballot.pk]}).status_code == 200
    )
    results = sec.get(f"/ballots/{ballot.pk}/results").json()
    ballot.refresh_from_db()
    counted = services.counts(ballot)
    assert {r["key"]: r["counts"] for r in results["rows"]} == {
        c.key: counted.row(c.key) for c in ballot.candidates.all()}  # fmt: skip
    assert results["papers"] == {"issued": len(slips), "returned": len(slips), "spoiled": 0}
    assert results["problems"] == [] and results["ballot"]["head"] == ballot.head
    # Each voter finds their receipt in the published list, without login.
    published = voter.get(f"/ballots/{ballot.pk}/receipts", limit=200).json()
    assert sorted(r["receipt"] for r in published["items"]) == sorted(receipts)
    assert published["head"] == ballot.head and published["total"] == len(slips)
    check = voter.get(f"/ballots/{ballot.pk}/receipts/{receipts[0].upper()}").json()
    assert check["found"] is True and check["head"] == ballot.head
    assert voter.get(f"/ballots/{ballot.pk}/receipts/{'0' * 64}").json()["found"] is False


def test_ballots_are_scoped_like_the_meeting_page(run: Any) -> None:
    world, meeting, api = run
    ballot, _ = _opened(run)
    assert [b["id"] for b in api["clerk"].get(f"/meetings/{meeting.pk}/ballots").json()[
        "items"]] == [ballot.pk]  # fmt: skip
    for persona in ("outsider", "member"):
        for path in [f"/meetings/{meeting.pk}/ballots", f"/ballots/{ballot.pk}",
                     f"/ballots/{ballot.pk}/status", f"/ballots/{ballot.pk}/results"]:  # fmt: skip
            assert api[persona].get(path).status_code == 404, (persona, path)
        assert api[persona].post(f"/ballots/{ballot.pk}/close").status_code == 404
        assert api[persona].post(f"/meetings/{meeting.pk}/ballots", {}).status_code == 404
    # The superior reads the meeting but may not run its ballot: the service refuses.
    superior = make_user("superior2")
    from kiemdiem.api import tokens
    from tests.builders import Role, grant

    grant(superior, Role.SUPERIOR_REVIEWER, world.orgs["province"])
    reader = Api(tokens.create_token(None, superior, "t")[1])
    assert reader.get(f"/ballots/{ballot.pk}").json()["can_edit"] is False
    refused = reader.post(f"/ballots/{ballot.pk}/close")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Đồng chí không có quyền tổ chức bỏ phiếu ở hội nghị này."
    assert Api().get(f"/ballots/{ballot.pk}/status").status_code == 401


def test_results_of_a_paper_ballot_are_its_confirmed_entries(run: Any) -> None:
    """Issue 5 §2, §6: a paper ballot has no box; its results are the double entry once
    confirmed (refused before, in Vietnamese), not an empty box."""
    from kiemdiem.ballots import paper_flow
    from tests.ballots.paper_helpers import sheet

    world, meeting, api = run
    sec = world.users["secretary"]
    ballot = services.open_ballot(sec, meeting, mode="paper")
    paper_flow.set_committee(sec, ballot, ["Phạm Thị Hà"])
    data = sheet(ballot, spoiled=1)
    for n in (1, 2):
        paper_flow.enter(sec, ballot, n, data)
    early = api["secretary"].get(f"/ballots/{ballot.pk}/results")
    assert (early.status_code, early.json()["detail"]) == (
        400, "Kết quả kiểm phiếu giấy chưa được xác nhận.")  # fmt: skip
    paper_flow.confirm(sec, ballot)
    got = api["secretary"].get(f"/ballots/{ballot.pk}/results").json()
    voters = ballot.roll.filter(may_vote=True).count()
    assert got["papers"] == {"issued": voters, "returned": voters, "spoiled": 1}
    assert all(r["counts"]["HTTNV"] == voters - 1 for r in got["rows"]) and got["problems"] == []
