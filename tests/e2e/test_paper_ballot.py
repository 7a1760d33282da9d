"""Issue 5 §2, §4 in the browser: a cell secretary on a phone (390 px) runs a paper ballot —
opens it from the meeting, names the ban kiểm phiếu, downloads the papers (read back: the
names in order, the four levels as columns) and the tally sheet, enters the counts, a
second independent entry with one slip is shown cell by cell, corrected, confirmed; the
counting page's levels equal the rule engine's (counting.count over the typed figures and
facts built here); the biên bản kiểm phiếu is read back (papers, names, percentages); the
undecided go to a second round that lists only them. No page scrolls sideways."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from kiemdiem.ballots.counting import BLANK, Counts, Papers, Roll, count, percent
from kiemdiem.ballots.models import Ballot
from kiemdiem.meetings.models import AttendanceStatus
from kiemdiem.rules import profile_from_dict
from tests.ballots.docx_text import all_text, open_docx, table_rows
from tests.ballots.paper_helpers import facts_by_hand
from tests.builders import make_member
from tests.conftest import World
from tests.e2e.conftest import login
from tests.meetings.helpers import ready_cell, schedule

pytestmark = pytest.mark.django_db(transaction=True)
LEVELS = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")


def fits(page: Any) -> None:
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def _docx(page: Any, selector: str) -> Any:
    with page.expect_download() as got:
        page.click(selector)
    with open(got.value.path(), "rb") as f:
        return open_docx(f.read())


def _fill(page: Any, papers: Papers, rows: dict[str, dict[str, int]]) -> None:
    page.fill("input[name=issued]", str(papers.issued))
    page.fill("input[name=returned]", str(papers.returned))
    page.fill("input[name=spoiled]", str(papers.spoiled))
    for key, row in rows.items():
        for choice in (*LEVELS, BLANK):
            page.fill(f"input[name='{key}:{choice}']", str(row.get(choice, 0)))


def test_paper_ballot_with_double_entry(
    phone: Any, live_server: Any, world: World, tmp_path: Any
) -> None:
    cell = ready_cell(world)
    # One more official member: the guest attached from cell2 does not vote here (000
    # §1.4.3), and the head's excellent needs 70 % of those entitled.
    make_member(world.orgs["cell1"], "Trần Văn Mới")
    meeting = schedule(world, cell)
    an = meeting.attendance.get(member=world.members["an"])
    an.status, an.reason = AttendanceStatus.ABSENT_WITH_REASON, "Đi công tác"
    an.save()
    login(phone, live_server, "secretary", "x-pass-123")
    phone.goto(f"{live_server.url}/hoi-nghi/{meeting.pk}/")
    fits(phone)  # both ballot buttons side by side on the meeting page
    phone.click("button:has-text('Bỏ phiếu kín bằng phiếu giấy')")
    phone.wait_for_selector("text=Nhập kết quả kiểm phiếu hai lần")
    fits(phone)
    ballot = Ballot.objects.get(meeting=meeting)
    assert ballot.mode == "paper"
    phone.fill("#committee", "Phạm Thị Hà\nVõ Văn Khánh")
    phone.click("button:has-text('Lưu Ban kiểm phiếu')")
    phone.wait_for_selector("text=Đã lưu Ban kiểm phiếu")

    candidates = list(ballot.candidates.all())
    keys = [c.key for c in candidates]
    voters = ballot.roll.filter(may_vote=True).count()
    assert voters >= 5
    doc = _docx(phone, "button:has-text('Tải phiếu bầu (Word)')")
    grids = [t for t in doc.tables if table_rows(t)[0][0] == "STT"]
    assert len(grids) == voters  # one paper per voter
    head_row = table_rows(grids[0])[0]
    assert head_row[2:] == [
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
    ]
    assert [r[1] for r in table_rows(grids[0])[1:]] == [c.name for c in candidates]
    tally = _docx(phone, "text=Tải phiếu tổng hợp kiểm phiếu (Word)")
    assert "Võ Văn Khánh" in all_text(tally)

    # The sheet as the ban kiểm phiếu counted it: one paper spoiled; the head excellent on
    # every valid paper, the last candidate split so that no level reaches its share.
    papers = Papers(voters, voters, 1)
    valid = papers.valid
    rows = {k: {"HTTNV": valid} for k in keys}
    rows[keys[0]] = {"HTXSNV": valid}
    rows[keys[-1]] = {"HTXSNV": 1, "HTTNV": 1, "HTNV": 1, "KHTNV": valid - 3}
    phone.click("text=Nhập lần 1")
    fits(phone)
    phone.screenshot(path=str(tmp_path / "entry.png"), full_page=True)
    _fill(phone, papers, rows)
    phone.click("button:has-text('Lưu lần nhập thứ nhất')")
    phone.wait_for_selector("text=Đã lưu lần nhập thứ nhất")

    phone.click("text=Nhập lần 2")
    # Independent: nothing of the first entry shows on the second form.
    assert phone.input_value("input[name=issued]") == ""
    assert phone.input_value(f"input[name='{keys[0]}:HTXSNV']") == "0"
    slip = {**rows, keys[1]: {"HTTNV": valid - 1, "HTNV": 1}}
    _fill(phone, papers, slip)
    phone.click("button:has-text('Lưu lần nhập thứ hai')")
    phone.wait_for_selector(".mismatches")
    fits(phone)
    phone.screenshot(path=str(tmp_path / "mismatches.png"), full_page=True)
    cells = phone.locator(".diff-list li").all()
    assert [c.get_attribute("data-cell") for c in cells] == [f"{keys[1]}:HTTNV", f"{keys[1]}:HTNV"]
    name = candidates[1].name
    assert cells[0].inner_text() == (
        f"Đồng chí {name}, cột “Hoàn thành tốt nhiệm vụ”: lần nhập thứ nhất ghi {valid}, "
        f"lần nhập thứ hai ghi {valid - 1}."
    )
    assert phone.locator("button:has-text('Xác nhận kết quả')").count() == 0

    phone.click("text=Nhập lại lần 2")
    assert phone.input_value(f"input[name='{keys[1]}:HTNV']") == "1"  # its own slip, to fix
    marked = [i.get_attribute("name") for i in phone.locator("input.mismatch").all()]
    assert marked == [f"{keys[1]}:HTTNV", f"{keys[1]}:HTNV"]
    phone.fill(f"input[name='{keys[1]}:HTTNV']", str(valid))
    phone.fill(f"input[name='{keys[1]}:HTNV']", "0")
    phone.click("button:has-text('Lưu lần nhập thứ hai')")
    phone.wait_for_selector("text=Hai lần nhập khớp nhau ở mọi ô.")
    phone.click("button:has-text('Xác nhận kết quả')")
    phone.wait_for_selector("h1:has-text('Kết quả kiểm phiếu')")
    fits(phone)
    phone.screenshot(path=str(tmp_path / "count.png"), full_page=True)

    # The expected result, from the rule engine over what was typed and facts built here.
    roll = ballot.roll.select_related("member")
    on = meeting.scheduled_at.date()
    official = [r for r in roll if r.member.official_on and r.member.official_on <= on]
    absent_entitled = [r for r in official if r.why == "vắng mặt" and not r.member.exempt_since]
    eligible = voters + len(absent_entitled)
    facts = facts_by_hand(candidates, {world.members["an"].pk})
    profile = profile_from_dict(meeting.cycle.profile_snapshot)
    expected = count(
        [Counts("choose_level", papers, rows)],
        facts,
        Roll(eligible, voters, len(official), len(roll)),
        profile,
        as_of=meeting.cycle.reference_date,
    )
    shown = {k: phone.locator(f"[data-key='{k}'] .level").get_attribute("data-level") for k in keys}
    assert shown == {c.key: (c.level.name if c.level else "") for c in expected.candidates}
    assert expected.candidates[0].vote_level is not None
    assert expected.candidates[0].vote_level.name == "HTXSNV"
    assert [c.key for c in expected.revote] == [keys[-1]]
    assert phone.locator(f"[data-key='{keys[-1]}'] .badge").inner_text().startswith("Chưa đạt")

    minutes = _docx(phone, "text=Tải biên bản kiểm phiếu (Word)")
    text = all_text(minutes)
    assert f"- Số phiếu phát ra: {voters} phiếu." in text
    assert "- Số phiếu không hợp lệ: 1 phiếu." in text
    assert "Đồng chí Phạm Thị Hà — Trưởng ban;" in text
    assert all(f"Đồng chí {c.name}:" in text for c in candidates)  # each one's conclusion
    result_rows = [r for t in minutes.tables for r in table_rows(t) if len(r) == 6]
    head_excellent = next(
        r for r in result_rows if r[1] == candidates[0].name and r[2].startswith("Hoàn thành xuất")
    )
    assert head_excellent[3] == str(valid)
    assert head_excellent[4] == percent(Fraction(valid, eligible))
    assert head_excellent[5] == percent(Fraction(valid, len(official)))
    assert f"Đề nghị chi bộ biểu quyết lại đối với các đồng chí: {candidates[-1].name}." in text

    phone.click("button:has-text('Mở vòng bỏ phiếu lần 2')")
    phone.wait_for_selector("text=Vòng 2")
    second = Ballot.objects.get(previous=ballot)
    assert list(second.candidates.values_list("key", flat=True)) == [keys[-1]]
    assert second.mode == "paper" and second.committee == ["Phạm Thị Hà", "Võ Văn Khánh"]
    fits(phone)
