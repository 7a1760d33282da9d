"""Papers of HD 43-HD/BTCTW that the older guidance had not: Mẫu 04, the list of the
documents of a dossier (QĐ 366-QĐ/TW Điều 17: "hồ sơ ... bằng giấy hoặc điện tử"), built from
the very files and gaps the dossier holds, so the list can never disagree with the archive."""

from __future__ import annotations

from typing import Any

from kiemdiem.documents.cell import CellData, listing_context, proposal_day

SOURCE = "Hướng dẫn số 43-HD/BTCTW ngày 31/10/2025 của Ban Tổ chức Trung ương, Mẫu 04"
NAME = "00_Mau_04_HD43_Danh_muc_tai_lieu.docx"


def applies(data: CellData) -> bool:
    """A plan under QĐ 366 (a scored profile) files HD 43's list with its dossier."""
    sc = data.page.status.units.profile.caps.scoring
    return sc is not None and sc.enabled


def document_list(data: CellData, files: list[str], missing: list[str]) -> dict[str, Any]:
    """`files`: the dossier's "name: what" lines; `missing`: its "item: why" lines."""
    rows: list[list[str]] = []
    for line in files:
        name, _, what = line.partition(": ")
        rows.append([str(len(rows) + 1), what, "Điện tử", name])
    for line in missing:
        item, _, why = line.partition(": ")
        rows.append([str(len(rows) + 1), item, "Còn thiếu", why])
    ctx = listing_context(
        data.issuer, "DM", proposal_day(data), "DANH MỤC TÀI LIỆU",
        f"Hồ sơ kiểm điểm, đánh giá, xếp loại chất lượng năm {data.cycle.year} — "
        f"{data.cell.name}",
        ["STT", "Tên tài liệu", "Hình thức", "Tệp hoặc lý do"], rows,
        note=f"Theo {SOURCE}; hồ sơ bằng giấy hoặc điện tử (Quy định 366-QĐ/TW Điều 17).",
    )  # fmt: skip
    ctx["widths"] = (8, 46, 14, 32)
    return ctx


def quarterly(review: Any, issuer: Any, ratings: list[Any]) -> dict[str, Any]:
    """Mẫu 05: a member's quarterly self-ratings of the year, with the yearly score beside."""
    from kiemdiem.reviews.scoring import fmt

    rows = [[f"Quý {r.quarter}", fmt(r.score), r.level, r.products] for r in ratings]
    yearly = fmt(review.self_total) if review.self_scores else "chưa tự chấm"
    ctx = listing_context(
        issuer, "", review.cycle.reference_date, "PHIẾU TỰ ĐÁNH GIÁ HẰNG QUÝ",
        f"Năm {review.cycle.year} — đồng chí {review.member.full_name}, {review.member.cell.name}",
        ["Kỳ", "Điểm tự chấm", "Tự xếp loại", "Sản phẩm, kết quả cụ thể"], rows,
        note=f"Điểm tự chấm cả năm (Mẫu {review.variant}): {yearly}. Theo Hướng dẫn số "
        "43-HD/BTCTW ngày 31/10/2025 của Ban Tổ chức Trung ương, Mẫu 05.",
    )  # fmt: skip
    ctx["widths"] = (12, 16, 16, 56)
    return ctx


RE_RATING_BASES = (
    "Căn cứ Quy định số 366-QĐ/TW ngày 30/8/2025 về kiểm điểm và đánh giá, xếp loại chất "
    "lượng đối với tập thể, cá nhân trong hệ thống chính trị",
    "Căn cứ Hướng dẫn số 43-HD/BTCTW ngày 31/10/2025 của Ban Tổ chức Trung ương",
)


def re_rating(decision: Any) -> dict[str, Any]:
    """Mẫu 03: the body's decision that replaces an earlier decision on the same subject,
    read from the two append-only rows (the old one is never changed)."""
    from django.utils import timezone

    from kiemdiem.documents.common import issuer_for, level_label
    from kiemdiem.vn import short_date

    old = decision.supersedes
    day = timezone.localdate(decision.made_at)
    ctx = issuer_for(decision.body, day).header("QĐ", day)
    if decision.member_id is not None:
        m = decision.member
        subject, place = f"đồng chí {m.full_name}, đảng viên {m.cell.name}", m.cell.name
    else:
        unit = decision.collective or decision.organization
        subject, place = str(unit), str(unit)
    ctx.update(
        year=decision.cycle.year,
        form_source="Hướng dẫn số 43-HD/BTCTW ngày 31/10/2025 của Ban Tổ chức Trung ương, Mẫu 03",
        bases=[*RE_RATING_BASES, f"Xét {decision.get_grounds_display().lower()}"],
        old_level=level_label(old.level),
        old_day=short_date(timezone.localdate(old.made_at)),
        new_level=level_label(decision.level),
        subject=subject,
        place_name=place,
        reason=decision.reason or "(không ghi)",
        recipients=[subject[:1].upper() + subject[1:], "Lưu."],
    )
    return ctx
