"""The biên bản kiểm phiếu (vote-count minutes) as a Word file, from plain data.

Content per research/regulations.md §3.7: time and place; the counting committee (head and
members, by name); the unit's official members, those summoned, present and absent with
their reasons; papers issued, returned, valid and spoiled; per candidate and choice the
votes with the percentage on the profile's base and on the official members; the
conclusion (the level reaching the threshold, those to vote again, quota notes); for an
online ballot the head of the box's hash chain; the ballots sealed; signature lines of the
whole committee. Written with python-docx (no template-file renderer is on main yet).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT

from kiemdiem.ballots import docx_parts as d
from kiemdiem.ballots.counting import (
    BLANK,
    CHOICE_NAMES,
    OFFICIAL_BASE_NAME,
    CandidateResult,
    CountResult,
    percent,
)
from kiemdiem.vn import long_date

SUBJECTS = {
    "members": "đánh giá, xếp loại chất lượng đảng viên",
    "organization": "đánh giá, xếp loại chất lượng tổ chức đảng",
    "collective": "đánh giá, xếp loại chất lượng tập thể lãnh đạo, quản lý",
    "leaders": "đánh giá, xếp loại cán bộ lãnh đạo, quản lý",
}


@dataclass(frozen=True, slots=True)
class Counter:
    """A member of the counting committee (ban kiểm phiếu)."""

    name: str
    role: str = "Thành viên"  # "Trưởng ban" for the head


@dataclass(frozen=True, slots=True)
class Absent:
    name: str
    reason: str = ""


@dataclass(frozen=True)
class MinutesData:
    superior: str
    issuer: str
    kind: str  # a key of SUBJECTS
    year: int
    place: str  # the place name of the date line, e.g. "Thanh Liên"
    venue: str  # where the meeting sat, e.g. "Nhà văn hóa xóm 1"
    at: dt.datetime
    meeting_title: str
    committee: Sequence[Counter]
    official_members: int
    summoned: int
    present: int
    absent: Sequence[Absent]
    result: CountResult
    online: bool = False
    chain_heads: Sequence[str] = field(default_factory=tuple)  # one per round, online only
    ballots_in_box: Sequence[int] = field(default_factory=tuple)
    # The voter roll's digest per round, fixed when voting opened (issue 12 §4: printed with
    # the head so the committee keeps both outside the database).
    roll_digests: Sequence[str] = field(default_factory=tuple)
    # Of the official members, those attending here temporarily (not in the cell's Mẫu 04).
    temporary_official: int = 0
    # The cell's own official members attending another cell temporarily (not on the list).
    elsewhere_official: int = 0


def _choice_rows(c: CandidateResult) -> list[tuple[str, int, str, str]]:
    base, official = c.shares_base, c.shares_official
    return [
        (
            CHOICE_NAMES[k],
            n,
            percent(base[k]) if k in base else "—",
            percent(official[k]) if k in official else "—",
        )
        for k, n in c.marks.items()
        if k != BLANK or n
    ]


def conclusion(c: CandidateResult) -> str:
    """One candidate's line of the conclusion, in the minutes' words."""
    if c.revote:
        return "chưa mức nào đạt tỷ lệ quy định, chi bộ biểu quyết lại"
    if c.vote_level is None:
        return "; ".join(r.message for r in c.reasons) or "không xếp loại"
    said = f"đạt mức {c.vote_level.label} ({c.vote_level.name})"
    if c.level is not None and c.level != c.vote_level:
        why = "; ".join(r.message for r in c.outcome.notes)
        said += f"; đối chiếu điều kiện và hạn mức, đề xuất {c.level.label} ({why})"
    return said


def _round_table(doc: DocumentObject, result: CountResult, number: int) -> None:
    table = doc.add_table(rows=1, cols=6)
    d.grid(table)
    head = [
        "STT",
        "Họ và tên",
        "Mức",
        "Số phiếu",
        f"Tỷ lệ trên {result.base_name}",
        f"Tỷ lệ trên {OFFICIAL_BASE_NAME}",
    ]
    for cell, h in zip(table.rows[0].cells, head, strict=True):
        d.cell_text(cell, h, bold=True, align="center", size=11)
    for i, c in enumerate(result.by_round[number - 1], start=1):
        first = len(table.rows)
        for label, n, on_base, on_official in _choice_rows(c):
            cells = table.add_row().cells
            d.cell_text(cells[2], label, size=12)
            d.cell_text(cells[3], str(n), align="center", size=12)
            d.cell_text(cells[4], on_base, align="center", size=12)
            d.cell_text(cells[5], on_official, align="center", size=12)
        last = len(table.rows) - 1
        # Row-local cells: table.cell() re-reads the whole grid each call (quadratic in
        # the candidates: 3 s for a cell of 50).
        top, bottom = table.rows[first].cells, table.rows[last].cells
        stt, name = top[0].merge(bottom[0]), top[1].merge(bottom[1])
        d.cell_text(stt, str(i), align="center", size=12)
        d.cell_text(name, c.name, bold=True, size=12)
    d.widths(table, (10, 42, 48, 16, 22, 22))
    d.keep_rows(table, header_rows=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER


def minutes_docx(m: MinutesData) -> bytes:
    doc = d.new_document()
    day = long_date(m.at.date())
    place_date = f"{m.place}, {day}" if m.place else day
    d.party_header(doc, m.superior, m.issuer, place_date=place_date[:1].upper() + place_date[1:])
    d.para(doc, "")
    d.para(doc, "BIÊN BẢN KIỂM PHIẾU", align="center", bold=True, size=16, after=0)
    d.para(doc, f"{SUBJECTS[m.kind].capitalize()} năm {m.year}", align="center", bold=True)
    venue = f", tại {m.venue}" if m.venue else ""
    d.para(
        doc,
        f"Hồi {m.at:%H} giờ {m.at:%M} phút, {day}{venue}, trong {m.meeting_title}, "
        "Ban kiểm phiếu gồm các đồng chí:",
        indent=True,
        align="justify",
    )
    for i, member in enumerate(m.committee, start=1):
        d.para(doc, f"{i}. Đồng chí {member.name} — {member.role};", indent=True)
    d.para(doc, f"đã tiến hành kiểm phiếu {SUBJECTS[m.kind]} năm {m.year}, kết quả như sau:")
    _attendance(doc, m)
    section = 1
    rounds = m.result.rounds
    for number in range(1, len(rounds) + 1):
        section += 1
        head = "SỐ PHIẾU" if len(rounds) == 1 else f"BỎ PHIẾU LẦN {number}"
        d.para(doc, f"{_roman(section)}. {head}", bold=True)
        _papers(doc, m, number)
        if len(rounds) == 1:
            section += 1
            d.para(doc, f"{_roman(section)}. KẾT QUẢ KIỂM PHIẾU", bold=True)
        d.para(
            doc,
            f"Tỷ lệ tính trên {m.result.base_name} (theo {m.result.base_source}) và trên "
            f"{OFFICIAL_BASE_NAME} ({m.official_members} đồng chí).",
            italic=True,
            size=13,
        )
        _round_table(doc, m.result, number)
    d.para(doc, f"{_roman(section + 1)}. KẾT LUẬN", bold=True)
    _conclusions(doc, m.result)
    _closing(doc, m)
    return d.to_bytes(doc)


def official_line(m: MinutesData) -> str:
    """ "51 đồng chí (trong đó 1 đồng chí sinh hoạt tạm thời)": the cell's own count (as in
    its Mẫu 04) plus those attending temporarily, said apart so the papers agree."""
    notes = []
    if m.temporary_official:
        notes.append(f"trong đó {m.temporary_official} đồng chí sinh hoạt tạm thời")
    if m.elsewhere_official:
        notes.append(
            f"không kể {m.elsewhere_official} đồng chí của chi bộ sinh hoạt tạm thời nơi khác"
        )
    return f"{m.official_members} đồng chí" + (f" ({'; '.join(notes)})" if notes else "")


def _attendance(doc: DocumentObject, m: MinutesData) -> None:
    d.para(doc, "I. ĐẢNG VIÊN DỰ HỘI NGHỊ", bold=True)
    d.para(doc, f"- Tổng số đảng viên chính thức: {official_line(m)}.", indent=True)
    d.para(doc, f"- Số đảng viên được triệu tập: {m.summoned} đồng chí.", indent=True)
    d.para(doc, f"- Có mặt: {m.present} đồng chí; vắng mặt: {len(m.absent)} đồng chí.", indent=True)
    for a in m.absent:
        d.para(doc, f"+ Đồng chí {a.name}: {a.reason or 'vắng không có lý do'}.", indent=True)


def _papers(doc: DocumentObject, m: MinutesData, number: int) -> None:
    p = m.result.rounds[number - 1].papers
    d.para(doc, f"- Số phiếu phát ra: {p.issued} phiếu.", indent=True)
    d.para(doc, f"- Số phiếu thu về: {p.returned} phiếu.", indent=True)
    d.para(doc, f"- Số phiếu hợp lệ: {p.valid} phiếu.", indent=True)
    d.para(doc, f"- Số phiếu không hợp lệ: {p.spoiled} phiếu.", indent=True)
    i = number - 1
    if m.online and i < len(m.chain_heads):
        box = m.ballots_in_box[i] if i < len(m.ballots_in_box) else p.returned
        d.para(
            doc,
            f"- Bỏ phiếu điện tử: hòm phiếu có {box} phiếu; mã kiểm tra (đầu chuỗi băm): "
            f"{m.chain_heads[i]}.",
            indent=True,
        )
        if i < len(m.roll_digests) and m.roll_digests[i]:
            d.para(
                doc,
                f"- Mã kiểm tra danh sách cử tri (băm khi mở bỏ phiếu): {m.roll_digests[i]}.",
                indent=True,
            )


def _conclusions(doc: DocumentObject, result: CountResult) -> None:
    names = {c.key: c.name for c in result.candidates}
    for i, c in enumerate(result.candidates, start=1):
        d.para(doc, f"{i}. Đồng chí {c.name}: {conclusion(c)}.", indent=True, align="justify")
    for q in result.quotas:
        if q.over_quota or q.needs_decision:
            over = ", ".join(names.get(k, k) for k in (*q.over_quota, *q.needs_decision))
            d.para(
                doc,
                f"Hạn mức {q.level.name}: {q.limit} đồng chí ({q.source}); vượt hạn mức hoặc "
                f"bằng phiếu tại ranh giới, đề nghị cấp ủy xem xét: {over}.",
                indent=True,
                align="justify",
            )
    if result.revote:
        again = ", ".join(c.name for c in result.revote)
        d.para(doc, f"Đề nghị chi bộ biểu quyết lại đối với các đồng chí: {again}.", indent=True)


def _closing(doc: DocumentObject, m: MinutesData) -> None:
    kept = (
        "Kết quả và mã kiểm tra chuỗi băm được công bố tại hội nghị để mỗi người đối chiếu "
        "biên nhận phiếu của mình."
        if m.online
        else "Phiếu bầu đã được Ban kiểm phiếu niêm phong và bàn giao cho chi ủy lưu giữ theo "
        "quy định."
    )
    d.para(
        doc,
        f"{kept} Biên bản đã được đọc lại trước hội nghị và lập thành 02 bản.",
        indent=True,
        align="justify",
    )
    heads = [c.name for c in m.committee if c.role.lower() == "trưởng ban"]
    others = [c.name for c in m.committee if c.role.lower() != "trưởng ban"]
    blocks: list[tuple[str, Sequence[str]]] = []
    if others:
        blocks.append(("Các thành viên", others))
    blocks.append(("Trưởng ban kiểm phiếu", heads or [""]))
    d.signatures(doc, blocks)


def _roman(n: int) -> str:
    return ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n]
