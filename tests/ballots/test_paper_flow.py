"""Paper ballots (issue 5 §2, §4): the tally sheet entered twice by independent hands, the
mismatches shown cell by cell, the totals checked against the papers issued, the result
confirmed only when both agree and then final; a second round lists only the undecided
(000 §1.4.3: "chi bộ biểu quyết lại"); the confirmed counts are grading's tally."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kiemdiem.audit.models import AuditEntry
from kiemdiem.ballots import paper_flow, results, services
from kiemdiem.ballots.counting import count
from kiemdiem.ballots.models import Ballot, BallotStatus, PaperEntry
from kiemdiem.grading.ballot_source import BallotSource
from kiemdiem.grading.models import MemberConditions
from kiemdiem.rules import Level, profile_from_dict
from tests.ballots.paper_helpers import paper_ballot, sheet
from tests.ballots.sealed import close_counted, start_voting
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_confirmed_only_when_both_entries_match_and_then_final(world: World) -> None:
    """Issue 5 §2: a second, independent entry must match the first cell by cell before
    the result can be confirmed; confirmed counts are final."""
    ballot, cell = paper_ballot(world)
    sec = world.users["secretary"]
    head = f"m{cell.head.pk}"
    valid = ballot.roll.filter(may_vote=True).count()
    marks = {head: {"HTXSNV": valid - 1, "HTTNV": 1}}
    paper_flow.enter(sec, ballot, 1, sheet(ballot, marks))
    with pytest.raises(ValidationError, match="Cần đủ hai lần nhập"):
        paper_flow.confirm(sec, ballot)
    typo = {head: {"HTXSNV": valid - 2, "HTTNV": 2}}
    paper_flow.enter(world.users["clerk"], ballot, 2, sheet(ballot, typo))
    found = paper_flow.mismatches(ballot)
    assert found is not None
    assert [m.key for m in found] == [f"{head}:HTXSNV", f"{head}:HTTNV"]
    assert found[0].message == (
        f"Đồng chí Phạm Thị Hà, cột “Hoàn thành xuất sắc nhiệm vụ”: lần nhập thứ nhất ghi "
        f"{valid - 1}, lần nhập thứ hai ghi {valid - 2}."
    )
    with pytest.raises(ValidationError, match="chưa khớp ở 2 ô"):
        paper_flow.confirm(sec, ballot)
    paper_flow.enter(world.users["clerk"], ballot, 2, sheet(ballot, marks))
    assert paper_flow.mismatches(ballot) == []
    paper_flow.confirm(sec, ballot)
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.CLOSED and ballot.confirmed_at is not None
    for again in (
        lambda: paper_flow.enter(sec, ballot, 1, sheet(ballot)),
        lambda: paper_flow.confirm(sec, ballot),
        lambda: paper_flow.set_committee(sec, ballot, ["Ai đó"]),
    ):
        with pytest.raises(ValidationError, match="đã được xác nhận"):
            again()
    assert results.paper_counts(ballot).row(head)["HTXSNV"] == valid - 1
    assert AuditEntry.objects.filter(action="confirm_paper_ballot").count() == 1
    # The corrected second entry is on record with what it replaced.
    fix = AuditEntry.objects.filter(action="ballot_entry_2").order_by("-pk").first()
    assert fix is not None and fix.old is not None
    assert (
        fix.old["rows"][head]["HTXSNV"] == valid - 2
        and fix.new["rows"][head]["HTXSNV"] == valid - 1
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"issued": "-1"}, "Số phiếu phát ra: “-1” không phải số nguyên không âm."),
        ({"returned": "năm"}, "Số phiếu thu về: “năm” không phải số nguyên không âm."),
        ({"issued": ""}, "Số phiếu phát ra: chưa nhập số."),
        ({"issued": "99", "returned": "99"}, "Số phiếu phát ra (99) nhiều hơn số người có mặt"),
        ({"returned": "1"}, "khác số phiếu hợp lệ thu về"),
    ],
)
def test_bad_sheet_is_refused_in_vietnamese_and_nothing_saved(
    world: World, change: dict[str, str], message: str
) -> None:
    """research/regulations.md §3.6: every valid paper has one mark or a blank per row, so
    each row adds up to the valid papers, within those issued and those present."""
    ballot, _ = paper_ballot(world)
    data = {**sheet(ballot), **change}
    with pytest.raises(ValidationError) as caught:
        paper_flow.enter(world.users["secretary"], ballot, 1, data)
    assert any(message in m for m in caught.value.messages), caught.value.messages
    assert not PaperEntry.objects.filter(ballot=ballot).exists()


def test_a_cell_in_the_sheet_with_text_names_the_cell(world: World) -> None:
    ballot, cell = paper_ballot(world)
    data = sheet(ballot)
    data[f"m{cell.head.pk}:HTNV"] = "1O"
    with pytest.raises(ValidationError, match="Đồng chí Phạm Thị Hà, cột “Hoàn thành nhiệm vụ”"):
        paper_flow.enter(world.users["secretary"], ballot, 1, data)
    assert not PaperEntry.objects.exists()


def test_only_the_cells_editors_enter_and_confirm(world: World) -> None:
    """The cell's secretary and the committee office act; a superior who may read the
    meeting, or a secretary elsewhere, may not (accounts/access.py: MEETING EDIT)."""
    ballot, _ = paper_ballot(world)
    for who in ("superior", "outsider", "member"):
        with pytest.raises(Exception, match="không có quyền"):
            paper_flow.enter(world.users[who], ballot, 1, sheet(ballot))
        with pytest.raises(Exception, match="không có quyền"):
            paper_flow.confirm(world.users[who], ballot)
    paper_flow.enter(world.users["clerk"], ballot, 1, sheet(ballot))
    assert PaperEntry.objects.filter(ballot=ballot).count() == 1


def test_online_rules_do_not_apply_to_paper_and_back(world: World) -> None:
    ballot, _ = paper_ballot(world)
    with pytest.raises(ValidationError, match="không phát mã"):
        services.start_voting(world.users["secretary"], ballot)
    online = services.open_ballot(world.users["secretary"], ballot.meeting)
    with pytest.raises(ValidationError, match="Chỉ nhập kết quả kiểm phiếu cho cuộc bỏ phiếu giấy"):
        paper_flow.enter(world.users["secretary"], online, 1, sheet(online))


def _confirm(world: World, ballot: Ballot, marks: dict[str, dict[str, int]]) -> Ballot:
    for n in (1, 2):
        paper_flow.enter(world.users["secretary"], ballot, n, sheet(ballot, marks))
    return paper_flow.confirm(world.users["secretary"], ballot)


def test_counting_follows_the_rule_engine_and_the_undecided_vote_again(world: World) -> None:
    """000 §1.4.3 with qd366-2025's base (those entitled, absent An included): a candidate
    no level reaches is undecided, a second round lists only them, and their latest round
    decides; the result equals counting.count over the same counts."""
    ballot, cell = paper_ballot(world)
    voters = ballot.roll.filter(may_vote=True).count()
    split = f"m{cell.deputy.pk}"
    # Just under half of those entitled (voters and absent An) for KHTNV, the rest HTNV:
    # neither "> 1/2 for HTNV or above" nor ">= 1/2 for KHTNV" holds.
    k = (voters + 2) // 2 - 1
    marks = {split: {"HTNV": voters - k, "KHTNV": k}}
    ballot = _confirm(world, ballot, marks)
    result = results.result_of(ballot)
    profile = profile_from_dict(ballot.meeting.cycle.profile_snapshot)
    roll = results.roll_of(ballot)
    assert roll.eligible == voters + 1  # An is absent but entitled
    expected = count(
        [results.paper_counts(ballot)],
        results.facts_of(ballot, profile),
        roll,
        profile,
        as_of=ballot.meeting.cycle.reference_date,
    )
    assert [c.level for c in result.candidates] == [c.level for c in expected.candidates]
    assert [c.key for c in result.revote] == [split]
    second = results.open_next_round(world.users["secretary"], ballot)
    assert (second.round, second.previous_id, second.mode) == (2, ballot.pk, "paper")
    assert list(second.candidates.values_list("key", flat=True)) == [split]
    assert second.committee == ballot.committee
    with pytest.raises(ValidationError, match="đã được mở"):
        results.open_next_round(world.users["secretary"], ballot)
    second = _confirm(world, second, {split: {"HTTNV": voters}})
    final = results.result_of(second)
    deputy = next(c for c in final.candidates if c.key == split)
    assert deputy.round == 2 and deputy.vote_level == Level.HTTNV and not final.revote
    # Grading's tally source reads the confirmed paper ballots, latest round deciding.
    tally = BallotSource().for_subtree(ballot.meeting.cycle_id, cell.cycle.organization.path)
    got = tally[ballot.meeting.organization_id]
    assert "phiếu giấy" in got.label
    deputy_votes = got.votes[cell.deputy.pk]
    assert deputy_votes.levels[Level.HTTNV] == voters == deputy_votes.marks
    assert got.votes[cell.head.pk].levels[Level.HTTNV] == voters


def test_unconfirmed_paper_is_no_tally(world: World) -> None:
    ballot, _ = paper_ballot(world)
    paper_flow.enter(world.users["secretary"], ballot, 1, sheet(ballot))
    found = BallotSource().for_subtree(ballot.meeting.cycle_id, "")
    assert ballot.meeting.organization_id not in found


def test_disciplined_members_are_off_the_ballot_where_the_profile_says(world: World) -> None:
    """QĐ 366 Điều 11 khoản 4 (qd366-2025's caps.discipline, off the ballot as QĐ 124 điểm
    4.3.d; 003 §III says it in words): a member disciplined in the year is not put to the vote;
    dhktna-2016 (off_ballot: false) keeps them on."""
    from kiemdiem.cycles.profiles import profile_snapshot

    ballot, cell = paper_ballot(world)
    cycle = ballot.meeting.cycle
    MemberConditions.objects.create(cycle=cycle, member=cell.deputy, disciplined_in_year=True)
    off = services.open_ballot(world.users["secretary"], ballot.meeting, mode="paper")
    keys = set(off.candidates.values_list("key", flat=True))
    assert f"m{cell.deputy.pk}" not in keys and f"m{cell.head.pk}" in keys
    names, source = services.off_ballot_names(off)
    assert names == [cell.deputy.full_name] and source.startswith("QĐ 366-QĐ/TW Điều 11 khoản 4")
    cycle.profile_snapshot = profile_snapshot("dhktna-2016")
    cycle.save(update_fields=["profile_snapshot"])
    kept = services.open_ballot(world.users["secretary"], ballot.meeting)
    assert f"m{cell.deputy.pk}" in set(kept.candidates.values_list("key", flat=True))
    assert kept.method == "approve_proposal"


def test_approval_ballot_puts_the_chi_uy_proposal_to_the_vote(world: World) -> None:
    """001 §2.2.5 (dhktna-2016, approve_proposal): the chi ủy's proposed level is set for
    every candidate before the vote, printed on the paper, and the counts are Đồng ý /
    Không đồng ý; a missing or unknown proposal is refused and nothing changes."""
    from kiemdiem.ballots.views_paper import sheet_of
    from kiemdiem.cycles.profiles import profile_snapshot

    ballot, cell = paper_ballot(world)
    cycle = ballot.meeting.cycle
    cycle.profile_snapshot = profile_snapshot("dhktna-2016")
    cycle.save(update_fields=["profile_snapshot"])
    sec = world.users["secretary"]
    ballot = services.open_ballot(sec, ballot.meeting, mode="paper")
    paper_flow.set_committee(sec, ballot, ["Phạm Thị Hà"])
    keys = list(ballot.candidates.values_list("key", flat=True))
    with pytest.raises(ValidationError, match="Chưa chọn mức chi ủy đề xuất"):
        paper_flow.set_proposals(sec, ballot, {keys[0]: "HTTNV"})
    with pytest.raises(ValidationError, match="không hợp lệ"):
        paper_flow.set_proposals(sec, ballot, dict.fromkeys(keys, "GIỎI"))
    assert not ballot.candidates.exclude(proposal="").exists()
    proposals = dict.fromkeys(keys, "HTTNV")
    proposals[f"m{cell.head.pk}"] = "HTXSNV"
    paper_flow.set_proposals(sec, ballot, proposals)
    lines = sheet_of(ballot).lines
    assert lines[0].proposed == Level.HTXSNV and sheet_of(ballot).columns == [
        "Đồng ý",
        "Không đồng ý",
    ]
    ballot.refresh_from_db()
    for n in (1, 2):
        paper_flow.enter(sec, ballot, n, sheet(ballot))
    ballot = paper_flow.confirm(sec, ballot)
    with pytest.raises(ValidationError, match="trước khi bỏ phiếu"):
        paper_flow.set_proposals(sec, ballot, proposals)
    result = results.result_of(ballot)
    head = next(c for c in result.candidates if c.key == f"m{cell.head.pk}")
    assert head.marks["approve"] == ballot.roll.filter(may_vote=True).count()
    assert head.facts.proposed_level == Level.HTXSNV


def test_verify_ballot_checks_a_paper_ballot_too(world: World) -> None:
    """`kiemdiem verify-ballot ID` on a confirmed paper ballot compares the two entries
    again; an entry altered in the database afterwards is found (exit code 2)."""
    from django.core.management import CommandError, call_command

    ballot, cell = paper_ballot(world)
    for n in (1, 2):
        paper_flow.enter(world.users["secretary"], ballot, n, sheet(ballot))
    paper_flow.confirm(world.users["secretary"], ballot)
    call_command("verify_ballot", str(ballot.pk))
    entry = PaperEntry.objects.get(ballot=ballot, number=2)
    entry.rows[f"m{cell.head.pk}"]["HTXSNV"] = 1
    entry.save()
    with pytest.raises(CommandError, match="lần nhập thứ hai ghi 1") as caught:
        call_command("verify_ballot", str(ballot.pk))
    assert caught.value.returncode == 2


def test_confirmed_paper_ballot_drives_the_proposals_and_refuses_hand_entry(
    world: World,
) -> None:
    """Issue 6 §1 over issue 5 §2: the proposal's level follows the confirmed paper counts,
    and the chi ủy can no longer type the counts by hand for that cell."""
    from kiemdiem.grading import services as grading
    from kiemdiem.grading.facts import outcomes_for
    from kiemdiem.grading.manual import RowInput
    from tests.grading.helpers import D

    ballot, cell = paper_ballot(world)
    valid = ballot.roll.filter(may_vote=True).count()
    head = f"m{cell.head.pk}"
    for n in (1, 2):
        paper_flow.enter(world.users["secretary"], ballot, n,
                         sheet(ballot, {head: {"HTXSNV": valid}}))  # fmt: skip
    paper_flow.confirm(world.users["secretary"], ballot)
    units = outcomes_for(cell.cycle, world.orgs["cell1"])
    rows = {r.member_id: r for r in units.rows}
    assert rows[cell.head.pk].tally_source == "ballot"
    assert rows[cell.head.pk].votes is not None
    assert rows[cell.head.pk].votes.levels[Level.HTXSNV] == valid
    counted = {c.key: c for c in results.result_of(ballot).candidates}
    assert rows[cell.head.pk].outcome is not None
    assert rows[cell.head.pk].outcome.vote_level == counted[head].vote_level
    an = world.members["an"]
    with pytest.raises(ValidationError, match="đã có kết quả bỏ phiếu trong hệ thống"):
        grading.enter_tally(world.users["secretary"], cell.cycle, world.orgs["cell1"],
                            counted_on=D(2026, 11, 22), voters_present=3, spoiled=0,
                            minutes_ref="", rows=[RowInput(an.pk, an.full_name)])  # fmt: skip


def test_an_online_ballot_opens_its_second_round_online(world: World) -> None:
    """000 §1.4.3 for the online mode: the undecided go to a new online round with fresh
    codes; the first round stays closed and counted."""
    _, cell = paper_ballot(world)
    meeting = cell.cycle.meetings.get()
    sec = world.users["secretary"]
    ballot = services.open_ballot(sec, meeting)
    slips = start_voting(sec, ballot)
    split = f"m{cell.deputy.pk}"
    for n, (_, code) in enumerate(slips):  # split half and half: no level over half
        marks = {c.key: "HTTNV" for c in ballot.candidates.all()}
        marks[split] = "KHTNV" if n % 2 else "HTXSNV"
        services.cast(ballot.pk, code, marks)
    ballot = close_counted(sec, ballot)
    assert [c.key for c in results.result_of(ballot).revote] == [split]
    second = results.open_next_round(sec, ballot)
    assert (second.mode, second.status, second.round) == ("online", "draft", 2)
    codes = start_voting(sec, second)
    assert len(codes) == len(slips)
    for _, code in codes:
        services.cast(second.pk, code, {split: "HTTNV"})
    second = close_counted(sec, second)
    final = results.result_of(second)
    assert not final.revote and len(final.rounds) == 2
    minutes = results.minutes_of(second, final)
    assert minutes.chain_heads == (ballot.head, second.head)
