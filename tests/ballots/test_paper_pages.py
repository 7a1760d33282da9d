"""The paper ballot's pages and the counting page (issue 5 §2, §4): scoped like the meeting
(someone who may not see it gets 404, a reader who may not act 403), bad sheets answered in
Vietnamese with nothing saved, the second entry form blank of the first's numbers, the
papers and the biên bản read back from Word, bounded queries; the online ballot's slips
carry a QR whose code rides in the URL fragment, never sent to the server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from kiemdiem.ballots import paper_flow, results, services
from kiemdiem.ballots.counting import percent
from kiemdiem.ballots.models import Ballot, BallotMode, PaperEntry
from kiemdiem.ballots.qr import qr_svg
from tests.ballots.docx_text import all_text, open_docx, table_rows
from tests.ballots.paper_helpers import COMMITTEE, paper_ballot, sheet
from tests.ballots.sealed import close_counted, start_voting
from tests.conftest import World
from tests.meetings.helpers import ready_cell, schedule

pytestmark = pytest.mark.django_db


def _confirmed(world: World) -> Ballot:
    ballot, _ = paper_ballot(world)
    for n in (1, 2):
        paper_flow.enter(world.users["secretary"], ballot, n, sheet(ballot))
    return paper_flow.confirm(world.users["secretary"], ballot)


def test_open_paper_ballot_from_the_meeting(world: World, client: Client) -> None:
    meeting = schedule(world, ready_cell(world))
    client.force_login(world.users["secretary"])
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Bỏ phiếu kín bằng phiếu giấy" in page
    response = client.post(reverse("ballot_open", args=[meeting.pk]), {"mode": "paper"})
    ballot = Ballot.objects.get(meeting=meeting)
    assert ballot.mode == BallotMode.PAPER
    detail = client.get(response.url).content.decode()  # type: ignore[attr-defined]
    assert "Tải phiếu bầu (Word)" in detail and "Nhập lần 1" in detail
    bad = client.post(reverse("ballot_open", args=[meeting.pk]), {"mode": "giấy"})
    assert bad.status_code == 302 and Ballot.objects.filter(meeting=meeting).count() == 1


def test_pages_are_scoped_and_acts_need_edit(world: World, client: Client) -> None:
    """accounts/access.py: MEETING VIEW to see (the outsider gets 404 everywhere), MEETING
    EDIT to act (the superior reads but may not enter: 403, nothing saved)."""
    ballot, _ = paper_ballot(world)
    urls = [
        reverse("ballot_detail", args=[ballot.pk]),
        reverse("ballot_entry", args=[ballot.pk, 1]),
        reverse("ballot_papers_docx", args=[ballot.pk]),
        reverse("ballot_tally_docx", args=[ballot.pk]),
        reverse("ballot_papers_print", args=[ballot.pk]),
        reverse("ballot_count", args=[ballot.pk]),
        reverse("ballot_minutes", args=[ballot.pk]),
    ]
    client.force_login(world.users["outsider"])
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(urls[1], sheet(ballot)).status_code == 404
    client.force_login(world.users["superior"])
    assert client.get(urls[0]).status_code == 200
    assert client.post(urls[1], sheet(ballot)).status_code == 403
    client.post(urls[0], {"action": "confirm"})
    assert not PaperEntry.objects.exists() and ballot.confirmed_at is None
    client.force_login(world.users["clerk"])
    assert client.post(urls[1], sheet(ballot)).status_code == 302
    assert PaperEntry.objects.filter(ballot=ballot, number=1).exists()


def test_bad_entry_is_answered_in_vietnamese_and_saves_nothing(
    world: World, client: Client
) -> None:
    ballot, _ = paper_ballot(world)
    client.force_login(world.users["secretary"])
    url = reverse("ballot_entry", args=[ballot.pk, 1])
    over = {**sheet(ballot), "issued": "40", "returned": "40"}
    page = client.post(url, over)
    assert page.status_code == 400
    assert (
        "Số phiếu phát ra (40) nhiều hơn số người có mặt được biểu quyết" in page.content.decode()
    )
    page = client.post(url, {**sheet(ballot), "spoiled": "-2"})
    assert "Số phiếu không hợp lệ: “-2” không phải số nguyên không âm." in page.content.decode()
    assert 'value="-2"' in page.content.decode()  # what was typed stays to be corrected
    assert not PaperEntry.objects.exists()


def test_second_entry_form_does_not_show_the_first(world: World, client: Client) -> None:
    ballot, cell = paper_ballot(world)
    voters = ballot.roll.filter(may_vote=True).count()
    odd = {f"m{cell.head.pk}": {"HTXSNV": voters - 1, "HTNV": 1}}
    paper_flow.enter(world.users["secretary"], ballot, 1, sheet(ballot, odd, spoiled=0))
    client.force_login(world.users["secretary"])
    first = client.get(reverse("ballot_entry", args=[ballot.pk, 1])).content.decode()
    second = client.get(reverse("ballot_entry", args=[ballot.pk, 2])).content.decode()
    head_cell = f'name="m{cell.head.pk}:HTXSNV" data-cell="m{cell.head.pk}:HTXSNV" value="'
    assert head_cell + f'{voters - 1}"' in first
    assert head_cell + '0"' in second and 'name="issued" value=""' in second


def test_papers_and_tally_sheet_read_back(world: World, client: Client) -> None:
    """Issue 5 §2: as many papers as voters, several to an A4 page, candidates as rows and
    the four levels as columns; the tally sheet names the committee."""
    ballot, _ = paper_ballot(world)
    client.force_login(world.users["secretary"])
    voters = ballot.roll.filter(may_vote=True).count()
    got = client.get(reverse("ballot_papers_docx", args=[ballot.pk]), {"moi_trang": "2"})
    assert got["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = open_docx(got.content)
    grids = [t for t in doc.tables if table_rows(t)[0][0] == "STT"]
    assert len(grids) == voters
    names = [c.name for c in ballot.candidates.all()]
    assert [r[1] for r in table_rows(grids[0])[1:]] == names
    assert table_rows(grids[0])[0][2:] == [
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
    ]
    assert len(doc.sections) == (voters + 1) // 2
    printed = client.get(reverse("ballot_papers_print", args=[ballot.pk]), {"moi_trang": "3"})
    html = printed.content.decode()
    assert html.count('<article class="ballot" aria-label="Phiếu số') == voters
    assert html.count('<section class="sheet per-3">') == (voters + 2) // 3
    assert all(n in html for n in names)
    tally = open_docx(client.get(reverse("ballot_tally_docx", args=[ballot.pk])).content)
    text = all_text(tally)
    assert "PHIẾU TỔNG HỢP KIỂM PHIẾU" in text and all(n in text for n in COMMITTEE)


def test_counting_page_and_minutes_of_a_confirmed_paper_ballot(
    world: World, client: Client, django_assert_max_num_queries: Any
) -> None:
    ballot = _confirmed(world)
    client.force_login(world.users["secretary"])
    with django_assert_max_num_queries(13):
        page = client.get(reverse("ballot_count", args=[ballot.pk]))
    html = page.content.decode()
    result = results.result_of(ballot)
    for c in result.candidates:
        assert f'data-key="{c.key}"' in html
        level = c.level.name if c.level else ""
        assert f'data-level="{level}"' in html
    first = result.candidates[0]
    assert percent(first.shares_base["HTTNV"]) in html
    assert percent(first.shares_official["HTTNV"]) in html
    doc = open_docx(client.get(reverse("ballot_minutes", args=[ballot.pk])).content)
    text = all_text(doc)
    assert "BIÊN BẢN KIỂM PHIẾU" in text and "Đồng chí Phạm Thị Hà — Trưởng ban;" in text
    assert f"- Số phiếu phát ra: {result.rounds[0].papers.issued} phiếu." in text
    assert "niêm phong" in text and "chuỗi băm" not in text
    assert "Nguyễn Văn An: Đi công tác." in text


def test_counting_page_waits_for_confirmation(world: World, client: Client) -> None:
    ballot, _ = paper_ballot(world)
    client.force_login(world.users["secretary"])
    assert client.get(reverse("ballot_count", args=[ballot.pk])).status_code == 302
    assert client.get(reverse("ballot_minutes", args=[ballot.pk])).status_code == 404


def test_online_slips_carry_a_qr_with_the_code_in_the_fragment(
    world: World, client: Client
) -> None:
    """The code rides after "#": browsers never send a fragment (RFC 3986 §3.5), so neither
    runserver's nor gunicorn's access log (request line, referer) can hold it."""
    meeting = schedule(world, ready_cell(world))
    ballot = services.open_ballot(world.users["secretary"], meeting)
    client.force_login(world.users["secretary"])
    page = client.post(
        reverse("ballot_detail", args=[ballot.pk]), {"action": "start", "confirmed": "1"}
    )
    html = page.content.decode()
    _, code, qr = page.context["slips"][0]
    assert html.count('<svg version="1.1"') >= 2 * len(page.context["slips"])
    assert "<path" in qr and 'aria-label="Mã QR trang bỏ phiếu"' in qr
    vote_url = "http://testserver" + reverse("ballot_vote", args=[ballot.pk])
    assert qr == qr_svg(f"{vote_url}#code={code}")  # the voter's URL, code after "#"
    assert f"#code={code}" not in html  # the URL itself is not printed: the QR holds it
    vote = client.get(reverse("ballot_vote", args=[ballot.pk])).content.decode()
    # The fragment reader is a static file of this site (issue 13: the Content-Security-Policy
    # forbids inline script), no asset from outside.
    assert '<script src="/static/ballots/vote.js">' in vote
    script = finders.find("ballots/vote.js")
    assert script and "location.hash" in Path(script).read_text()
    assert "history.replaceState" in Path(script).read_text()
    assert '<script src="http' not in vote and '<script src="//' not in vote


def test_online_counting_page_and_minutes_carry_the_chain_head(
    world: World, client: Client
) -> None:
    meeting = schedule(world, ready_cell(world))
    sec = world.users["secretary"]
    ballot = services.open_ballot(sec, meeting)
    slips = start_voting(sec, ballot)
    for n, (_, code) in enumerate(slips):
        services.cast(ballot.pk, code, {c.key: ("HTXSNV" if n else "HTTNV")
                                        for c in ballot.candidates.all()})  # fmt: skip
    ballot = close_counted(sec, ballot)
    client.force_login(sec)
    client.post(
        reverse("ballot_committee", args=[ballot.pk]), {"committee": "Phạm Thị Hà\nĐỗ Văn Già"}
    )
    html = client.get(reverse("ballot_count", args=[ballot.pk])).content.decode()
    result = results.result_of(ballot)
    assert [c.vote_level for c in result.candidates if c.vote_level] and "HTXSNV" in html
    doc = open_docx(client.get(reverse("ballot_minutes", args=[ballot.pk])).content)
    text = all_text(doc)
    assert ballot.head in text and f"hòm phiếu có {len(slips)} phiếu" in text
    assert "Đồng chí Đỗ Văn Già — Thành viên;" in text
