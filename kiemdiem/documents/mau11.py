"""Mẫu 11: what every information channel says about a leader (domain.md §6: the
grassroots committee sends it to the superior's organization department with the
leaders' dossiers)."""

from __future__ import annotations

from typing import Any

from kiemdiem.documents.cell import STATUS, CellData, decision_day, note, votes_of
from kiemdiem.documents.common import level_label
from kiemdiem.feedback.models import DONE
from kiemdiem.grading.pages import Line


def mau11(data: CellData, line: Line) -> dict[str, Any]:
    """Mẫu 11: what every channel says about a leader — the self-review, the comments
    received, the vote and the proposals and decision."""
    mid = line.row.member_id
    ctx = data.issuer.header("TH", decision_day(data, line))
    review = data.reviews.get(mid)
    if review is not None:
        own = (
            f"Tự nhận mức {level_label(review.self_level) or 'chưa chọn'}; trạng thái: "
            f"{review.get_status_display().lower()}"
        )
        if review.self_scores:
            own += f"; tự chấm {review.self_total} điểm"
        if review.committee_scores:
            own += f"; chi ủy chấm {review.committee_total} điểm"
    else:
        own = "Chưa có bản tự kiểm điểm trong hệ thống"
    comments = []
    for req in data.feedback.get(mid, []):
        said = (req.answer or {}).get("comment", "") if req.status in DONE else ""
        comments.append(f"{req.get_kind_display()}: {said or req.get_status_display().lower()}")
    votes, shares = votes_of(line)
    channels = [
        {"title": "Bản tự kiểm điểm (Mẫu 02)", "text": own},
        {
            "title": "Nhận xét của nơi cư trú, nơi công tác, đoàn thể",
            "text": "\n".join(comments) or "Không có đề nghị nhận xét nào",
        },
        {"title": "Kết quả biểu quyết", "text": shares or votes or "Chưa có kết quả biểu quyết"},
        {
            "title": "Đề xuất theo quy định",
            "text": level_label(line.row.level) or STATUS.get(line.row.status, ""),
        },
        {"title": "Chi ủy đề xuất", "text": level_label(line.proposed) or "Chưa có"},
        {"title": "Cấp ủy quyết định", "text": level_label(line.decided) or "Chưa quyết định"},
    ]
    ctx.update(
        year=data.cycle.year,
        member_name=line.row.name,
        posts=data.posts_of(mid),
        cell=data.cell.name,
        channels=channels,
        missing_note=note(line),
        recipients=["Ban Tổ chức cấp ủy cấp trên", "Lưu."],
    )
    return ctx
