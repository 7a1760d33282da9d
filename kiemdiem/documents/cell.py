"""Everything a cell's papers need, loaded once for the whole cell (a fixed number of
queries whatever its size: the grading page's set-based read plus one query per kind of
row), and the contexts of the cell-wide papers: Mẫu 04, the tờ trình, the score sheet, the
HTXSNV list, the biên bản kiểm phiếu and Mẫu 11."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from kiemdiem.ballots.counting import (
    percent,
)
from kiemdiem.cycles.models import Cycle
from kiemdiem.documents.common import Issuer, heads_of, issuer_for, level_label
from kiemdiem.feedback.models import FeedbackRequest
from kiemdiem.grading.models import Decision, SubjectType, UnitSheet
from kiemdiem.grading.pages import CellPage, Line, cell_page
from kiemdiem.grading.quotas import standing_for
from kiemdiem.grading.scales import Sheet, sheet_for
from kiemdiem.grading.unit_totals import cell_totals
from kiemdiem.meetings.models import AgendaItem, Attendance, Meeting, MeetingKind
from kiemdiem.org.choices import CELL_KINDS, Category, CollectiveKind
from kiemdiem.org.models import Organization, Position
from kiemdiem.reviews.models import SelfReview
from kiemdiem.reviews.scoring import fmt
from kiemdiem.rules import Level
from kiemdiem.rules.sources import readable

LEVELS = [lv.name for lv in sorted(Level, reverse=True)]


@dataclass
class CellData:
    cycle: Cycle
    cell: Organization
    page: CellPage
    issuer: Issuer
    reviews: dict[int, SelfReview]
    posts: dict[int, list[str]]
    chi_uy: set[int]
    meeting: Meeting | None
    items: list[AgendaItem]
    attendance: list[Attendance]
    sheet: UnitSheet | None
    sheet_def: Sheet | None
    cell_level: str  # decided, else proposed; "" if none
    feedback: dict[int, list[FeedbackRequest]] = field(default_factory=dict)

    @property
    def lines(self) -> list[Line]:
        return self.page.lines

    def posts_of(self, member_id: int) -> str:
        return "; ".join(self.posts.get(member_id, [])) or "Đảng viên"


def load(user: Any, cycle: Cycle, cell: Organization) -> CellData:
    page = cell_page(user, cycle, cell)
    on = cycle.reference_date
    issuer = issuer_for(cell, on, heads_of([cell.pk], on))
    ids = [line.row.member_id for line in page.lines]
    reviews = {
        r.member_id: r
        for r in SelfReview.objects.filter(
            cycle__year=cycle.year, member_id__in=ids
        ).select_related("cycle", "member__cell")
    }
    posts: dict[int, list[str]] = defaultdict(list)
    chi_uy: set[int] = set()
    for mid, title, kind in (
        Position.objects.filter(member_id__in=ids, start_on__lte=on)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
        .order_by("start_on", "pk")
        .values_list("member_id", "title", "collective__kind")
    ):
        if title not in posts[mid]:
            posts[mid].append(title)
        if kind == CollectiveKind.CELL_COMMITTEE:
            chi_uy.add(mid)
    meeting = (
        Meeting.objects.filter(cycle__year=cycle.year, organization=cell, kind=MeetingKind.CELL)
        .select_related("organization", "chair", "secretary")
        .order_by("-scheduled_at")
        .first()
    )
    items: list[AgendaItem] = []
    attendance: list[Attendance] = []
    if meeting is not None:
        items = list(meeting.items.select_related("chair", "minutes").order_by("order"))
        attendance = list(meeting.attendance.select_related("member"))
    key = f"{SubjectType.ORGANIZATION}:{cell.pk}"
    sheet = UnitSheet.objects.filter(cycle=cycle, subject_key=key).first()
    acts = standing_for(Decision.objects.filter(cycle=cycle, subject_key=key)).get(key)
    level = ""
    if acts is not None:
        act = acts.decide or acts.propose
        level = act.level if act is not None else ""
    if not level and sheet is not None:
        level = sheet.level
    feedback: dict[int, list[FeedbackRequest]] = defaultdict(list)
    for req in FeedbackRequest.objects.filter(cycle__year=cycle.year, member_id__in=ids):
        feedback[req.member_id].append(req)
    return CellData(
        cycle,
        cell,
        page,
        issuer,
        reviews,
        dict(posts),
        chi_uy,
        meeting,
        items,
        attendance,
        sheet,
        sheet_for(page.status.units.profile, "organization"),
        level,
        dict(feedback),
    )


def votes_of(line: Line) -> tuple[str, str]:
    o = line.row.outcome
    if o is None or o.votes is None:
        return "", ""
    counts = {k: n for k, n in o.counts.items() if n}
    votes = "; ".join(f"{k}: {n}" for k, n in counts.items())
    shares = "; ".join(
        f"{k}: {n}/{o.denominator} = {percent(Fraction(n, o.denominator))}"
        for k, n in counts.items()
        if o.denominator
    )
    return votes, shares


def note(line: Line) -> str:
    notes = list(line.flags)
    o = line.row.outcome
    if o is not None:
        notes += [r.message for r in o.notes]
    if not line.row.level and line.row.status == "not_classified":
        # Issue 11 §5: "not classified here" always with its reason (the subjects list's
        # reason is not among the rules' notes).
        why = line.row.not_classified_reason
        notes = [n for n in notes if n != why]
        notes.append(STATUS["not_classified"] + (f": {why}" if why else ""))
    elif not line.row.level and line.row.status:
        notes.append(STATUS.get(line.row.status, ""))
    if line.stale:
        notes.append("Dữ liệu đã thay đổi sau khi quyết định")
    return "; ".join(n for n in notes if n)


STATUS = {
    "waiting": "Chờ nhận xét",
    "no_tally": "Chưa có kết quả biểu quyết",
    "undecided": "Biểu quyết chưa đạt mức nào",
    "deferred": "Xếp loại ở hội nghị sau",
    "not_classified": "Không xếp loại tại đây",
}


def standing_level(line: Line) -> str:
    """The level a paper states for the member: the decision, else the chi ủy's proposal."""
    return line.decided or line.proposed


def totals(data: CellData) -> tuple[list[dict[str, Any]], int, str]:
    """Counts per decided level with their shares of those classified, and a summary line,
    from kiemdiem.grading.unit_totals (the figures the grading page shows)."""
    t = cell_totals(data.page)
    n = t.classified
    rows = [
        {
            "label": level_label(code),
            "count": t.decided_of(code),
            "share": percent(Fraction(t.decided_of(code), n)) if n else "—",
        }
        for code in LEVELS
    ]
    if t.undecided:
        rows.append(
            {
                "label": "Chưa quyết định",
                "count": t.undecided,
                "share": percent(Fraction(t.undecided, n)),
            }
        )
    line = "; ".join(f"{r['label']}: {r['count']} ({r['share']})" for r in rows) or "chưa có"
    return rows, n, line


def header_figures(data: CellData) -> dict[str, int]:
    """The header totals Mẫu 04 and the tờ trình state (issue 11 §1: the page's function)."""
    t = cell_totals(data.page)
    return {
        "members_total": t.members,
        "official": t.official,
        "probationary": t.probationary,
        "exempt": t.exempt,
        "classified": t.classified,
        "not_classified": t.not_classified,
    }


def proposal_day(data: CellData) -> dt.date:
    """The day of the chi ủy's standing proposal for this cell's members (the latest one):
    Mẫu 04 and the tờ trình state that act, so they carry its date, not the plan's
    reference date. Before any proposal, the meeting's day; failing that, today."""
    made = (
        Decision.objects.current()
        .filter(cycle=data.cycle, step="propose", place=data.cell)
        .aggregate(last=Max("made_at"))["last"]
    )
    if made is not None:
        return timezone.localdate(made)
    if data.meeting is not None:
        return timezone.localdate(data.meeting.scheduled_at)
    return timezone.localdate()


def score_day(data: CellData) -> dt.date:
    """The bảng điểm states the cell's scoring: the day the sheet was last scored."""
    if data.sheet is not None:
        return timezone.localdate(data.sheet.updated_at)
    return proposal_day(data)


def decision_day(data: CellData, line: Line) -> dt.date:
    """Mẫu 11 states the member's decision: its day, else the chi ủy's proposal's."""
    act = line.standing.decide or line.standing.propose
    if act is not None:
        return timezone.localdate(act.made_at)
    return proposal_day(data)


def mau04(data: CellData) -> dict[str, Any]:
    """Biểu tổng hợp xếp loại đảng viên (Mẫu 04): every member in name order with the
    self-level, the chi ủy's proposal, the votes and shares, the decided level and notes;
    totals per level (research/regulations.md §3.5)."""
    ctx = data.issuer.header("BTH", proposal_day(data))
    rows = []
    for i, line in enumerate(data.lines, start=1):
        facts = line.row.facts
        own = facts.self_level.name if facts is not None and facts.self_level else ""
        votes, shares = votes_of(line)
        rows.append(
            {
                "no": i,
                "name": line.row.name,
                "self_level": own,
                "proposed": line.proposed,
                "votes": votes,
                "shares": shares,
                "decided": line.decided,
                "note": note(line),
            }
        )
    level_rows, _, _ = totals(data)
    quota = "; ".join(
        f"Hạn mức {v.level} ({v.label}): được {v.allowed}, đã xếp {v.decided}"
        + (f", đang đề xuất {v.proposed}" if v.proposed else "")
        + (" — VƯỢT HẠN MỨC" if v.breach else "")
        for v in data.page.quotas
    )
    ctx.update(
        year=data.cycle.year,
        cell=data.cell.name,
        **header_figures(data),
        rows=rows,
        totals=level_rows,
        quota_note=quota,
        recipients=[data.issuer.superior, "Lưu chi bộ."],
    )
    return ctx


def to_trinh(data: CellData) -> dict[str, Any]:
    ctx = data.issuer.header("TTr", proposal_day(data))
    _, _, line = totals(data)
    ctx.update(
        year=data.cycle.year,
        next_year=data.cycle.year + 1,
        cell=data.cell.name,
        to=data.issuer.superior or "cấp ủy cấp trên",
        **header_figures(data),
        results_line=line,
        cell_level=level_label(data.cell_level) or "chưa xếp loại",
        # The system records no registered title: the meeting writes it in (agenda item 10).
        target="………………………………………………………………",
        recipients=[data.issuer.superior, "Lưu chi bộ."],
    )
    return ctx


def score_sheet(data: CellData) -> dict[str, Any] | None:
    """The cell's bảng điểm as a list document, or None where no sheet was scored."""
    if data.sheet is None or data.sheet_def is None:
        return None
    scores = data.sheet.scores or {}
    values: list[list[Any]] = []
    for section in data.sheet_def.sections:
        values.append([section.title, "", ""])
        values += [
            [f"  {c.title}", Decimal(c.max), Decimal(scores[c.code]) if c.code in scores else ""]
            for c in section.criteria
        ]
    values.append(["Tổng điểm", Decimal(data.sheet_def.maximum), Decimal(data.sheet.total)])
    values.append(["Mức theo bảng điểm", "", level_label(data.sheet.level)])
    # The Word paper prints the scores as text with the decimal comma; the workbook keeps
    # `values` as numbers (issue 11 §4).
    rows = [[fmt(v) if isinstance(v, Decimal) else v for v in r] for r in values]
    ctx = listing_context(
        data.issuer,
        "BĐ",
        score_day(data),
        "BẢNG ĐIỂM",
        f"Đánh giá, xếp loại {data.cell.name} năm {data.cycle.year} ({data.sheet_def.name})",
        ["Tiêu chí", "Điểm tối đa", "Điểm chấm"],
        rows,
        note=data.sheet_def.source,
    )
    ctx["values"] = values
    ctx["widths"] = (58, 16, 26)  # long criteria; short scores, but the level in words
    return ctx


def excellent_list(data: CellData) -> dict[str, Any]:
    """Members decided HTXSNV (else proposed by the chi ủy), for the reward proposal."""
    rows = [
        [
            str(i),
            ln.row.name,
            data.posts_of(ln.row.member_id),
            level_label(standing_level(ln)),
            "Đã quyết định" if ln.decided else "Chi ủy đề xuất",
        ]
        for i, ln in enumerate(
            (ln for ln in data.lines if standing_level(ln) == Level.HTXSNV.name), start=1
        )
    ]
    ctx = listing_context(
        data.issuer,
        "DS",
        proposal_day(data),
        "DANH SÁCH",
        f"Đảng viên hoàn thành xuất sắc nhiệm vụ năm {data.cycle.year} đề nghị khen thưởng",
        ["STT", "Họ và tên", "Chức vụ", "Mức xếp loại", "Tình trạng"],
        rows,
        # An empty table alone reads as a paper left unfinished: say there is nobody.
        note=(
            ""
            if rows
            else f"{data.cell.name} không có đảng viên được xếp loại hoặc đề xuất "
            "hoàn thành xuất sắc nhiệm vụ. "
        )
        + "Đảng viên HTXSNV “tiêu biểu” do cấp ủy chọn trong danh sách này theo hạn mức "
        f"khen thưởng ({readable('001 §3.2')}).",
    )
    ctx["widths"] = (8, 26, 30, 22, 16)  # the posts are the long column
    return ctx


def listing_context(
    issuer: Issuer,
    kind: str,
    on: Any,
    title: str,
    subtitle: str,
    columns: list[str],
    rows: list[list[Any]],
    *,
    note: str = "",
    recipients: list[str] | None = None,
) -> dict[str, Any]:
    ctx = issuer.header(kind, on)
    ctx.update(
        title=title,
        subtitle=subtitle,
        columns=columns,
        rows=[[str(v) for v in r] for r in rows],
        note=note,
        recipients=recipients if recipients is not None else [issuer.superior, "Lưu."],
    )
    return ctx


def is_cell_meeting(meeting: Meeting) -> bool:
    return meeting.kind == MeetingKind.CELL and meeting.organization.kind in CELL_KINDS


def leaders(data: CellData) -> list[Line]:
    return [ln for ln in data.lines if ln.row.facts is not None and ln.row.facts.is_leader]


def dossier_members(data: CellData) -> list[Line]:
    """Whose self-reviews the dossier holds (000 §III.7): the chi ủy and the CCVC members."""
    return [
        ln
        for ln in data.lines
        if ln.row.member_id in data.chi_uy or ln.row.category == Category.CCVC
    ]
