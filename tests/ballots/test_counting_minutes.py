"""The biên bản kiểm phiếu as a Word file (issue 5 §4; research/regulations.md §3.7), read
back with python-docx: the Party header, the committee by name, attendance with reasons,
papers issued / returned / valid / spoiled, votes per candidate and level with the
percentage on the profile's base and on the official members, the conclusion, the hash
chain head for an online ballot, and the signature lines."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from kiemdiem.ballots.counting import BLANK, CountResult, Counts, Papers, Roll, count
from kiemdiem.ballots.minutes_docx import Absent, Counter, MinutesData, minutes_docx
from kiemdiem.rules import SubjectFacts, load_profile
from tests.ballots.docx_text import all_text, fonts, open_docx, paragraphs, table_rows

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AT = dt.datetime(2023, 11, 20, 10, 5, tzinfo=VN)
AS_OF = dt.date(2023, 11, 20)


def _people() -> list[SubjectFacts]:
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    return [
        SubjectFacts(id=f"m{i}", name=n, admitted_on=dt.date(2010, 1, 1))
        for i, n in enumerate(names, start=1)
    ]


def _result(rounds: int = 1) -> CountResult:
    """thanhlien-2023 (000 §1.4.3): 12 present, 11 returned, 1 spoiled; Cường undecided
    in round 1 (5 blank rows), HTTNV in round 2."""
    first = Counts(
        "choose_level",
        Papers(12, 11, 1),
        {
            "m1": {"HTXSNV": 7, "HTTNV": 3},
            "m2": {"HTXSNV": 1, "HTTNV": 6, "HTNV": 3},
            "m3": {"HTTNV": 2, "HTNV": 3, BLANK: 5},
        },
    )
    roll = Roll(eligible=13, present=12, official_members=14, members_total=15)
    if rounds == 1:
        return count([first], _people(), roll, load_profile("thanhlien-2023"), as_of=AS_OF)
    second = Counts("choose_level", Papers(12, 12), {"m3": {"HTTNV": 9, "HTNV": 3}})
    return count([first, second], _people(), roll, load_profile("thanhlien-2023"), as_of=AS_OF)


def _minutes(result: CountResult, **kw: object) -> MinutesData:
    values: dict[str, object] = {
        "superior": "Đảng bộ xã Thanh Liên",
        "issuer": "Chi bộ xóm 1",
        "kind": "members",
        "year": 2023,
        "place": "Thanh Liên",
        "venue": "Nhà văn hóa xóm 1",
        "at": AT,
        "meeting_title": "Hội nghị kiểm điểm, đánh giá, xếp loại năm 2023",
        "committee": [
            Counter("Phạm Thị Hà", "Trưởng ban"),
            Counter("Võ Văn Khánh"),
            Counter("Đỗ Thị Lan"),
        ],
        "official_members": 14,
        "summoned": 13,
        "present": 12,
        "absent": [Absent("Hoàng Văn Minh", "Đi công tác")],
        "result": result,
    }
    values.update(kw)
    return MinutesData(**values)  # type: ignore[arg-type]


def test_header_committee_attendance_and_papers_are_written_per_research_3_7() -> None:
    doc = open_docx(minutes_docx(_minutes(_result())))
    header = table_rows(doc.tables[0])[0]
    assert "ĐẢNG BỘ XÃ THANH LIÊN" in header[0] and "CHI BỘ XÓM 1" in header[0]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header[1]
    assert "Thanh Liên, ngày 20 tháng 11 năm 2023" in header[1]
    text = paragraphs(doc)
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "1. Đồng chí Phạm Thị Hà — Trưởng ban;" in text
    assert "3. Đồng chí Đỗ Thị Lan — Thành viên;" in text
    assert "- Tổng số đảng viên chính thức: 14 đồng chí." in text
    assert "- Số đảng viên được triệu tập: 13 đồng chí." in text
    assert "- Có mặt: 12 đồng chí; vắng mặt: 1 đồng chí." in text
    assert "+ Đồng chí Hoàng Văn Minh: Đi công tác." in text
    for line in (
        "- Số phiếu phát ra: 12 phiếu.",
        "- Số phiếu thu về: 11 phiếu.",
        "- Số phiếu hợp lệ: 10 phiếu.",
        "- Số phiếu không hợp lệ: 1 phiếu.",
    ):
        assert line in text
    assert fonts(doc) == {"Times New Roman"}


def test_votes_with_percentages_on_the_profiles_base_and_on_the_official_members() -> None:
    """000 §1.4.3: the base is those present voting — the 11 papers returned (spoiled stay
    in, as thanhlien-2023 says); the minutes also show the share of the 14 official
    members (research §3.7). An's 7 HTXSNV: 7/11 = 63,64 %, 7/14 = 50 %."""
    doc = open_docx(minutes_docx(_minutes(_result())))
    rows = table_rows(doc.tables[1])
    assert rows[0][4] == "Tỷ lệ trên tổng số người có mặt tham gia bỏ phiếu"
    assert rows[0][5] == "Tỷ lệ trên tổng số đảng viên chính thức"
    an = [r for r in rows if r[1] == "Nguyễn Văn An"]
    assert ["Hoàn thành xuất sắc nhiệm vụ", "7", "63,64%", "50%"] in [r[2:] for r in an]
    assert ["Hoàn thành tốt nhiệm vụ", "3", "27,27%", "21,43%"] in [r[2:] for r in an]
    cuong = [r[2:] for r in rows if r[1] == "Lê Văn Cường"]
    assert ["Không đánh dấu hoặc đánh dấu sai", "5", "45,45%", "35,71%"] in cuong


def test_conclusion_names_each_level_and_the_revote() -> None:
    """7 of 11 is below 70 % (000 §1.4.3), so An is HTTNV (10 of 11 at HTTNV or above);
    Cường reaches no level and is voted on again."""
    text = paragraphs(open_docx(minutes_docx(_minutes(_result()))))
    assert "1. Đồng chí Nguyễn Văn An: đạt mức Hoàn thành tốt nhiệm vụ (HTTNV)." in text
    assert "2. Đồng chí Trần Thị Bình: đạt mức Hoàn thành tốt nhiệm vụ (HTTNV)." in text
    assert (
        "3. Đồng chí Lê Văn Cường: chưa mức nào đạt tỷ lệ quy định, chi bộ biểu quyết lại." in text
    )
    assert "Đề nghị chi bộ biểu quyết lại đối với các đồng chí: Lê Văn Cường." in text


def test_two_rounds_each_with_its_papers_and_only_the_revoted_in_the_second() -> None:
    doc = open_docx(minutes_docx(_minutes(_result(rounds=2))))
    text = paragraphs(doc)
    assert "II. BỎ PHIẾU LẦN 1" in text and "III. BỎ PHIẾU LẦN 2" in text
    assert "IV. KẾT LUẬN" in text
    second = table_rows(doc.tables[2])
    assert {r[1] for r in second[1:]} == {"Lê Văn Cường"}
    assert ["Hoàn thành tốt nhiệm vụ", "9", "75%", "64,29%"] in [r[2:] for r in second]
    assert "3. Đồng chí Lê Văn Cường: đạt mức Hoàn thành tốt nhiệm vụ (HTTNV)." in text
    assert not any(t.startswith("Đề nghị chi bộ biểu quyết lại") for t in text)


def test_online_minutes_carry_the_hash_chain_head_and_the_signature_lines() -> None:
    head = "9f2c" * 16
    doc = open_docx(
        minutes_docx(_minutes(_result(), online=True, chain_heads=[head], ballots_in_box=[11]))
    )
    text = all_text(doc)
    assert f"hòm phiếu có 11 phiếu; mã kiểm tra (đầu chuỗi băm): {head}." in text
    signs = table_rows(doc.tables[-1])[0]
    assert "CÁC THÀNH VIÊN" in signs[0] and "Võ Văn Khánh" in signs[0]
    assert "Đỗ Thị Lan" in signs[0]
    assert "TRƯỞNG BAN KIỂM PHIẾU" in signs[1] and "Phạm Thị Hà" in signs[1]


PLAN_23 = "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của Đảng ủy xã Thanh Liên, mục 2.3"


def test_quota_over_is_named_in_the_conclusion() -> None:
    """000 §2.3: HTXSNV at most 20 % of HTTNV, 1 when fewer than 5: two reaching HTXSNV
    by the vote, one keeps it, the other is named for the committee."""
    people = _people()[:2]
    counts = Counts(
        "choose_level",
        Papers(10, 10),
        {"m1": {"HTXSNV": 9, "HTTNV": 1}, "m2": {"HTXSNV": 8, "HTTNV": 2}},
    )
    roll = Roll(10, 10, 10, 10)
    result = count([counts], people, roll, load_profile("thanhlien-2023"), as_of=AS_OF)
    text = paragraphs(open_docx(minutes_docx(_minutes(result))))
    assert any(
        t.startswith(f"Hạn mức HTXSNV: 1 đồng chí ({PLAN_23})") and t.endswith("Trần Thị Bình.")
        for t in text
    )  # issue 11 §3: the source in its readable form, not the seed key "000 §2.3"
    assert any(
        t.startswith(
            "2. Đồng chí Trần Thị Bình: đạt mức Hoàn thành xuất sắc nhiệm vụ (HTXSNV); "
            "đối chiếu điều kiện và hạn mức, đề xuất Hoàn thành tốt nhiệm vụ"
        )
        for t in text
    )
