"""Issue #11 "the record is right": on the demo year, every cell's dossier is read back
(python-docx, openpyxl) and each fact it states is compared with the database: the meeting's local
time (Asia/Ho_Chi_Minh), the chair, the secretary and the ban kiểm phiếu recorded on the
meeting, the head counts of kiemdiem.meetings.headcount (the same ones the meeting page
shows), the papers against the voters, and the dates of Mẫu 04 and the tờ trình (the
proposal's day, not the plan's reference date). Biên bản kiểm phiếu content per HD
12-HD/TW / Quy định 366-QĐ/TW as the plans of Đảng ủy xã Thanh Liên require it."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from typing import Any

import pytest
from django.db.models import Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from kiemdiem.ballots.models import Ballot
from kiemdiem.cycles.models import Cycle
from kiemdiem.documents import dossier
from kiemdiem.documents.cell import load, proposal_day
from kiemdiem.documents.common import level_label
from kiemdiem.grading.models import Decision, Step, SubjectType, TallySheet, UnitSheet
from kiemdiem.grading.pages import cell_page
from kiemdiem.meetings.headcount import committee_names, meeting_headcount
from kiemdiem.meetings.models import Meeting
from kiemdiem.org.models import Member, Organization
from kiemdiem.rules import Level
from kiemdiem.rules.sources import has_internal_reference
from kiemdiem.vn import long_date
from tests.ballots.docx_text import all_text
from tests.documents.demo_cycle import LOCAL_PLAN, demo_year
from tests.documents.fact_levels import assert_levels, citation_faults

pytestmark = pytest.mark.django_db(transaction=True)


def _docx(files: dict[str, bytes], prefix: str) -> str:
    (name,) = [n for n in files if n.startswith(prefix) and n.endswith(".docx")]
    return all_text(Document(io.BytesIO(files[name])))


def _texts(name: str, data: bytes) -> list[str]:
    if name.endswith(".docx"):
        doc = Document(io.BytesIO(data))
        return [all_text(doc)] + [
            p.text for s in doc.sections for p in (*s.header.paragraphs, *s.footer.paragraphs)
        ]
    if name.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(data))
        return [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value]
    if name.endswith(".txt"):
        return [data.decode("utf-8")]
    return []


def _leaks(files: dict[str, bytes]) -> list[str]:
    """Maintainers' keys ("000 §2.3"), seed or repository paths, drafting tags."""
    return [
        f"{name}: {text[:120]}"
        for name, data in files.items()
        for text in _texts(name, data)
        if has_internal_reference(text)
    ]


def _citation_faults(files: dict[str, bytes]) -> list[str]:
    return [
        f"{name}: {fault}"
        for name, data in files.items()
        for text in _texts(name, data)
        for fault in citation_faults(text)
    ]


def _figure(text: str, pattern: str) -> int:
    found = re.search(pattern, text)
    assert found, f"không thấy “{pattern}”"
    return int(found.group(1))


def _db_totals(cell: Organization, cycle: Cycle) -> dict[str, int]:
    """The cell's figures straight from the tables, not through the pages' function."""
    members = Member.objects.filter(cell=cell)
    return {
        "members": members.count(),
        "official": members.filter(official_on__isnull=False).count(),
        "probationary": members.filter(official_on__isnull=True).count(),
        "exempt": members.filter(exempt_since__isnull=False).count(),
    }


def _db_decided(cell: Organization, cycle: Cycle) -> dict[str, int]:
    return dict(
        Counter(
            Decision.objects.current()
            .filter(cycle=cycle, step=Step.DECIDE, subject_type=SubjectType.MEMBER, place=cell)
            .values_list("level", flat=True)
        )
    )


def _assert_header_totals(
    files: dict[str, bytes], cell: Organization, cycle: Cycle, user: Any
) -> None:
    """Issue 11 §1: Mẫu 04 (Word and Excel) and the tờ trình state the unit's totals as the
    database holds them, and as the grading page shows them (kiemdiem.grading.unit_totals)."""
    db = _db_totals(cell, cycle)
    head = (
        f"{db['members']} đảng viên (chính thức {db['official']}, dự bị {db['probationary']}; "
        f"miễn sinh hoạt {db['exempt']})"
    )
    decided = _db_decided(cell, cycle)
    mau04 = _docx(files, "04_Mau_04")
    trinh = _docx(files, "01_To_trinh")
    (xname,) = [n for n in files if n.startswith("04_Mau_04") and n.endswith(".xlsx")]
    sheets = " ".join(_texts(xname, files[xname]))
    for text, what in ((mau04, "Mẫu 04"), (trinh, "tờ trình"), (sheets, "Mẫu 04 (Excel)")):
        assert head in text, (cell.name, what, head)
    classified = _figure(mau04, r"\); (\d+) đảng viên được xếp loại")
    assert _figure(trinh, r"\), (\d+) đảng viên được xếp loại") == classified
    assert sum(decided.values()) <= classified <= db["members"]
    # Per level: "HTXSNV — Hoàn thành xuất sắc nhiệm vụ: n (x%)" in the tờ trình's line.
    for level in Level:
        n = decided.get(level.name, 0)
        assert f"{level_label(level.name)}: {n} (" in trinh, (cell.name, level.name, n)
    page = cell_page(user, cycle, cell).totals
    assert (page.members, page.official, page.probationary, page.exempt) == (
        db["members"], db["official"], db["probationary"], db["exempt"]
    )  # fmt: skip
    assert page.decided == {k: v for k, v in decided.items() if v}


def _assert_dated_by_what_they_record(
    files: dict[str, bytes], cell: Organization, cycle: Cycle
) -> None:
    """Issue 11 §2 (dates): the bảng điểm by the scoring, the HTXSNV list by the chi ủy's
    proposal, Mẫu 11 by the member's decision; never the plan's reference date."""
    reference = long_date(cycle.reference_date)
    sheet = UnitSheet.objects.filter(cycle=cycle, subject_key=f"o:{cell.pk}").first()
    if sheet is not None:
        text = _docx(files, "03_Bang_diem")
        assert long_date(timezone.localdate(sheet.updated_at)) in text, cell.name
        assert reference not in text
    proposed = (
        Decision.objects.current()
        .filter(cycle=cycle, step=Step.PROPOSE, place=cell)
        .aggregate(last=Max("made_at"))["last"]
    )
    text = _docx(files, "05_Danh_sach_HTXSNV")
    assert long_date(timezone.localdate(proposed)) in text and reference not in text, cell.name
    for name, data in files.items():
        if not (name.startswith("09_Mau_11/") and name.endswith(".docx")):
            continue
        code = name.rsplit("_", 1)[1].removesuffix(".docx")
        member = Member.objects.get(code=code, cell=cell)
        act = (
            Decision.objects.current()
            .filter(cycle=cycle, subject_key=f"m:{member.pk}", step=Step.DECIDE)
            .first()
        ) or Decision.objects.current().get(
            cycle=cycle, subject_key=f"m:{member.pk}", step=Step.PROPOSE
        )
        text = all_text(Document(io.BytesIO(data)))
        assert long_date(timezone.localdate(act.made_at)) in text, name
        assert reference not in text, name


def test_every_cell_dossier_states_the_meeting_as_recorded() -> None:
    year = demo_year(plan=LOCAL_PLAN)
    client = Client()
    client.force_login(year.office)
    checked = 0
    for cell in year.cells:
        meeting = Meeting.objects.filter(cycle=year.cycle, organization=cell).first()
        if meeting is None:
            continue
        checked += 1
        z = dossier.cell_zip(year.office, year.cycle, cell, pdf=False)
        with zipfile.ZipFile(io.BytesIO(z)) as f:
            files = {n: f.read(n) for n in f.namelist()}
        assert _leaks(files) == [], cell.name
        hc = meeting_headcount(meeting)
        at = timezone.localtime(meeting.scheduled_at)
        when = f"Hồi {at:%H} giờ {at:%M} phút, {long_date(at.date())}"
        committee = committee_names(meeting)
        assert meeting.chair and meeting.secretary and len(committee) >= 3

        count = _docx(files, "06_Bien_ban_kiem_phieu")
        assert when in count, cell.name
        for i, name in enumerate(committee, start=1):
            role = "Trưởng ban" if i == 1 else "Thành viên"
            assert f"{i}. Đồng chí {name} — {role};" in count
        assert _figure(count, r"Tổng số đảng viên chính thức: (\d+)") == hc.official
        # Those attending temporarily are said apart, so the biên bản's own-cell figure is
        # the cell's official members, as Mẫu 04 counts them (issue 11: one head count).
        visiting = re.search(r"trong đó (\d+) đồng chí sinh hoạt tạm thời", count)
        assert (int(visiting[1]) if visiting else 0) == hc.temporary_official
        away = re.search(r"không kể (\d+) đồng chí của chi bộ sinh hoạt tạm thời nơi khác", count)
        own = Member.objects.filter(cell=cell, official_on__lte=at.date()).count()
        assert hc.official - hc.temporary_official + (int(away[1]) if away else 0) == own
        assert _figure(count, r"Số đảng viên được triệu tập: (\d+)") == hc.summoned
        assert _figure(count, r"Có mặt: (\d+) đồng chí") == hc.present
        assert _figure(count, r"vắng mặt: (\d+) đồng chí") == hc.absent_total
        ballot = Ballot.objects.filter(meeting=meeting).order_by("-round").first()
        if ballot is not None:
            voters = ballot.roll.filter(may_vote=True).count()
        else:
            voters = TallySheet.objects.get(cycle=year.cycle, cell=cell).voters_present
        assert _figure(count, r"Số phiếu phát ra: (\d+)") == voters

        minutes = _docx(files, "06_Bien_ban_hoi_nghi")
        assert when in minutes
        chair, secretary = meeting.chair.full_name, meeting.secretary.full_name
        assert f"Chủ trì: đồng chí {chair}. Thư ký: đồng chí {secretary}." in minutes
        assert "đồng chí ." not in minutes and "đồng chí ." not in count
        assert _figure(minutes, r"Tổng số đảng viên: (\d+)") == hc.members
        assert _figure(minutes, r"được triệu tập: (\d+)") == hc.summoned
        assert _figure(minutes, r"; có mặt: (\d+)") == hc.present
        assert _figure(minutes, r"vắng mặt: (\d+)") == hc.absent_total

        page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
        assert f'<span class="n">{hc.present}/{hc.summoned}</span>' in page

        _assert_header_totals(files, cell, year.cycle, year.office)
        _assert_dated_by_what_they_record(files, cell, year.cycle)
        assert_levels(files, cell, year.cycle)
        assert _citation_faults(files) == [], cell.name

        day = long_date(proposal_day(load(year.office, year.cycle, cell)))
        reference = long_date(year.cycle.reference_date)
        assert day != reference
        for prefix in ("04_Mau_04", "01_To_trinh"):
            text = _docx(files, prefix)
            assert day in text and reference not in text, (cell.name, prefix)
    assert checked == 12
    # The committee's download: every cell's dossier and the committee's own papers.
    out = io.BytesIO()
    dossier.committee_zip(year.office, year.cycle, year.commune, out, pdf=False)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as f:
        everything = {n: f.read(n) for n in f.namelist()}
    assert len(everything) > 12 * 8
    assert _leaks(everything) == []
    assert _citation_faults(everything) == []
