"""The contexts of the single papers (Mẫu 01, 02, 03, the agenda, the minutes, Mẫu 11):
plain dicts for the templates of `templates_docx/`, built from rows already loaded. No
query here is made per member: the callers load what a whole cell needs at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kiemdiem.documents.common import Issuer, level_label
from kiemdiem.feedback.models import FeedbackRequest, Status
from kiemdiem.feedback.requirements import form_spec, kind_label
from kiemdiem.meetings import headcount
from kiemdiem.meetings.models import Meeting
from kiemdiem.reviews import formdefs
from kiemdiem.reviews.models import REPORT_SECTIONS, CollectiveReport, SelfReview
from kiemdiem.reviews.scoring import fmt, total
from kiemdiem.rules.sources import readable
from kiemdiem.vn import long_date, short_date


def _text(value: Any) -> str:
    return str(value or "").strip() or "(Chưa ghi nội dung)"


def mau01(report: CollectiveReport, issuer: Issuer) -> dict[str, Any]:
    ctx = issuer.header("BC", report.meeting_on)
    sent = (
        f"Báo cáo gửi đến các thành viên ngày {short_date(report.sent_on)}, trước hội nghị "
        f"{report.working_days_before} ngày làm việc."
        if report.sent_on
        else "Báo cáo chưa ghi ngày gửi đến các thành viên."
    )
    ctx.update(
        year=report.cycle.year,
        collective=report.collective.name,
        sections=[
            {"title": title, "text": _text(report.sections.get(key))}
            for key, title in REPORT_SECTIONS
        ],
        opinions=[
            f"{o.get('from', '')}: {o.get('text', '')}".strip(": ") if isinstance(o, dict) else o
            for o in report.opinions or []
        ],
        sent_line=sent,
        sign_for=f"T/M {report.collective.name.upper()}",
        sign_title="NGƯỜI ĐỨNG ĐẦU",
        signer=report.head.full_name,
        recipients=[issuer.superior, "Các thành viên tập thể", "Lưu."],
    )
    return ctx


# The document each form is printed from, by its real name (never a seed file).
_FORM_SOURCES = {
    v: f"Hướng dẫn số 43-HD/BTCTW ngày 31/10/2025 của Ban Tổ chức Trung ương, Mẫu {v}"
    for v in ("2A", "2B", "2C")
}


_PART_B = {"common": "Tiêu chí chung", "tasks": "Kết quả thực hiện nhiệm vụ"}


def _part_b(review: SelfReview) -> list[dict[str, str]]:
    """HD 43's part B: "tiêu chí chung …/30, kết quả thực hiện nhiệm vụ …/70", each group's
    self-score and the chi ủy's vetted score (blank until vetted)."""
    form = formdefs.variant(review.variant)
    if form.framework is None:
        return []
    out = []
    for code, title, items in form.framework.groups:
        ids = [c.id for c in items]
        own = total({k: review.self_scores[k] for k in ids if k in review.self_scores})
        vetted = {k: review.committee_scores[k] for k in ids if k in review.committee_scores}
        out.append({
            "title": _PART_B.get(code, title), "max": fmt(sum((c.max for c in items), Decimal(0))),
            "own": fmt(own), "committee": fmt(total(vetted)) if vetted else "chưa thẩm định",
        })  # fmt: skip
    return out


def mau02(
    review: SelfReview, issuer: Issuer, *, posts: str = "", proposed: str = "", decided: str = ""
) -> dict[str, Any]:
    """A member's self-review with the 27 manifestations, the criteria and, under QĐ 366,
    the points. The chi ủy's proposal and the decision are printed at the foot."""
    form = formdefs.variant(review.variant)
    member = review.member
    on = (review.submitted_at or review.saved_at or timezone.now()).date()
    ctx = issuer.header(
        "",
        timezone.localtime(review.submitted_at).date() if review.submitted_at else on,
        numbered=False,
    )
    levels = {c.value: c.label for c in formdefs.manifestation_levels()}
    degrees = {c.value: c.label for c in formdefs.degrees()}
    manifestations, n = [], 0
    for group in formdefs.manifestation_groups():
        for m in group.items:
            n += 1
            value = review.manifestations.get(str(m.id), "")
            manifestations.append(
                {
                    "no": f"{group.code}.{n}",
                    "text": m.text,
                    "level": f"{value}. {levels[value]}" if value in levels else "Chưa tự đánh giá",
                }
            )
    high = sorted(k for k, v in review.manifestations.items() if v in ("4", "5"))
    note = (
        f"Có biểu hiện ở mức 4–5 (số {', '.join(high)}): chi bộ xem xét kỷ luật "
        f"({readable('000 §1.3.2a')})."
        if high
        else "Không có biểu hiện ở mức 4–5."
    )
    scores = []
    if form.framework is not None:
        for c in form.framework.criteria:
            scores.append(
                {
                    "title": c.title,
                    "max": str(c.max),
                    "own": review.self_scores.get(c.id, ""),
                    "committee": review.committee_scores.get(c.id, ""),
                }
            )
    ctx.update(
        year=review.cycle.year,
        variant_title=form.title,
        form_source=_FORM_SOURCES.get(review.variant, ""),
        part_b=_part_b(review),
        member_name=member.full_name,
        birth_date=short_date(member.birth_date),
        posts=posts or "Đảng viên",
        work_unit=member.get_category_display(),
        cell=member.cell.name,
        sections=[
            {"title": s.title, "text": _text(review.answers.get(s.key))}
            for s in form.sections_for(review.leader)
        ],
        criteria=[
            {"no": i, "title": c.title, "degree": degrees.get(review.criteria.get(c.key, ""), "")}
            for i, c in enumerate(form.criteria_for(review.leader), start=1)
        ],
        manifestations=manifestations,
        manifestation_note=note,
        scores=scores,
        framework_title=form.framework.title if form.framework is not None else "",
        self_total=str(review.self_total) if scores else "",
        committee_total=str(review.committee_total or "") if scores else "",
        self_level=level_label(review.self_level) or "Chưa tự nhận mức",
        proposed_level=level_label(proposed) or "Chưa có",
        decided_level=level_label(decided) or "Chưa quyết định",
        sign_for="",
        sign_title="NGƯỜI TỰ KIỂM ĐIỂM",
        signer=member.full_name,
        recipients=[],
    )
    return ctx


def mau03(req: FeedbackRequest, issuer: Issuer) -> dict[str, Any]:
    """The comment as the answering organization returned it (Mẫu 03 for the residence)."""
    spec = form_spec(req.cycle, req.kind)
    marks = {m["code"]: m["label"] for m in spec["marks"]}
    answer = req.answer or {}
    items = answer.get("items") or {}
    on = (req.answered_at.date() if req.answered_at else req.received_on) or req.due_on
    ctx = issuer.header("NX", on)
    if req.status == Status.RECORDED_PAPER:
        received = f"Phiếu giấy đã nhận ngày {short_date(req.received_on)}, nhập vào hệ thống."
    elif req.status == Status.ANSWERED:
        received = f"Trả lời trong hệ thống {long_date(on)}."
    else:
        received = f"Chưa có nhận xét (hạn trả lời {short_date(req.due_on)})."
    ctx.update(
        year=req.cycle.year,
        form_title=spec.get("title") or kind_label(req.cycle, req.kind),
        from_org=req.from_organization.name,
        addressee=req.addressee,
        member_name=req.member.full_name,
        birth_date=short_date(req.member.birth_date),
        cell=req.member.cell.name,
        items=[
            {"no": i, "text": item["text"], "mark": marks.get(items.get(item["code"], ""), "—")}
            for i, item in enumerate(spec["items"], start=1)
        ],
        comment=_text(answer.get("comment")),
        received_line=received,
        signer=answer.get("signer_name", ""),
        sign_title=(answer.get("signer_title") or "BÍ THƯ").upper(),
        recipients=[req.from_organization.name, "Lưu."],
    )
    return ctx


def agenda(meeting: Meeting, issuer: Issuer, items: Sequence[Any]) -> dict[str, Any]:
    at = timezone.localtime(meeting.scheduled_at)
    ctx = issuer.header("CTr", at.date(), numbered=False)
    ctx.update(
        title=meeting.title,
        when=f"{at:%H} giờ {at:%M}, {long_date(at.date())}",
        place=meeting.place or "(chưa ghi địa điểm)",
        items=[
            {"no": i, "title": item.title, "chair": item.chair.full_name if item.chair_id else ""}
            for i, item in enumerate(items, start=1)
        ],
        recipients=["Các đồng chí đảng viên", "Lưu."],
    )
    return ctx


def _minutes_text(item: Any) -> str:
    m = getattr(item, "minutes", None)
    if m is None:
        return "(Chưa ghi biên bản mục này.)"
    parts = [
        (label, value)
        for label, value in (
            ("Ý kiến thảo luận", m.discussion),
            ("Ưu điểm", m.strengths),
            ("Hạn chế, khuyết điểm", m.shortcomings),
            ("Kết luận của chủ trì", m.conclusion),
        )
        if value
    ]
    return "\n".join(f"{label}: {value}" for label, value in parts) or "(Không ghi ý kiến.)"


def minutes(
    meeting: Meeting,
    issuer: Issuer,
    items: Sequence[Any],
    attendance: Iterable[Any],
    totals: list[dict[str, Any]],
    results_line: str,
) -> dict[str, Any]:
    """The biên bản hội nghị: time, place, chair and secretary, attendance with the absent
    and their reasons, each agenda item with what was recorded, the levels decided."""
    at = timezone.localtime(meeting.scheduled_at)
    listed = list(attendance)
    hc = headcount.count_rows(listed, at.date())
    absent = headcount.absent_rows(listed)
    absent_line = "; ".join(
        f"{a.member.full_name}: {a.reason or a.get_status_display().lower()}" for a in absent
    )
    ctx = issuer.header("BB", at.date())
    ctx.update(
        title=meeting.title,
        title_lower=meeting.title[:1].lower() + meeting.title[1:],
        time=f"{at:%H} giờ {at:%M} phút",
        day=long_date(at.date()),
        place=meeting.place or "(chưa ghi địa điểm)",
        organization=meeting.organization.name,
        chair=meeting.chair.full_name if meeting.chair else "",
        secretary=meeting.secretary.full_name if meeting.secretary else "",
        members=hc.members,
        official=hc.official,
        probationary=hc.probationary,
        exempt=hc.exempt,
        total=hc.summoned,
        present=hc.present,
        absent_n=hc.absent_total,
        absent_line=absent_line or "không có",
        items=[
            {"no": i, "title": item.title, "text": _minutes_text(item)}
            for i, item in enumerate(items, start=1)
        ],
        totals=totals,
        results_line=results_line,
        end_time="… giờ …",
    )
    return ctx


def when(value: dt.datetime | None) -> str:
    return long_date(timezone.localtime(value).date()) if value else ""
