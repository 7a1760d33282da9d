"""The cell's dossier of 000 §III as one .zip: every paper the system can make from its
data, and an index (00_MUC_LUC.txt) that lists each file and, honestly, what is missing and
why — the system never fills a paper it has no data for.

000 §III: 1 tờ trình đăng ký thi đua; 2 báo cáo tổng kết công tác xây dựng Đảng; 3 bảng
điểm chi bộ; 4 Mẫu 04; 5 danh sách HTXSNV và HTXSNV "tiêu biểu"; 6 biên bản hội nghị;
7 bản tự kiểm điểm của chi ủy và của đảng viên là CCVC; 8 sổ ghi biên bản sinh hoạt."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.ballots.minutes_docx import minutes_docx
from kiemdiem.cycles.models import Cycle
from kiemdiem.documents import cell as c
from kiemdiem.documents import hd43, papers
from kiemdiem.documents.count_minutes import ballot_minutes
from kiemdiem.documents.draft import Paper, lacking, mark_draft
from kiemdiem.documents.mau11 import mau11
from kiemdiem.documents.pdf import soffice, to_pdf
from kiemdiem.documents.render import render_docx, render_listing
from kiemdiem.documents.sheets import listing_xlsx, mau04_xlsx
from kiemdiem.org.models import Organization
from kiemdiem.rules.sources import readable
from kiemdiem.vn import long_date

DENIED = "Đồng chí không có quyền lập hồ sơ của chi bộ này."


def slug(text: str) -> str:
    """An ASCII file name part: every unzip tool and office PC reads it."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "_".join("".join(ch if ch.isalnum() else " " for ch in plain).split())


@dataclass
class Dossier:
    cell: Organization
    files: dict[str, bytes] = field(default_factory=dict)
    index: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def add(self, name: str, data: bytes, what: str) -> None:
        self.files[name] = data
        self.index.append(f"{name}: {what}")

    def lack(self, item: str, why: str) -> None:
        self.missing.append(f"{item}: {why}")


def allowed(user: Any, cell: Organization) -> bool:
    return can_at(user, Action.EXPORT, Kind.DECISION, cell)


def build(user: Any, cycle: Cycle, cell: Organization, *, pdf: bool = True) -> Dossier:
    """Every paper of the cell's dossier. Raises PermissionDenied for a user who may not
    export the cell's results; self-reviews go in only for those who may see them."""
    if not allowed(user, cell):
        raise PermissionDenied(DENIED)
    data = c.load(user, cycle, cell)
    out = Dossier(cell)
    year = cycle.year
    out.add(
        f"01_To_trinh_dang_ky_thi_dua_{year + 1}.docx",
        render_docx("to_trinh.docx", c.to_trinh(data)),
        f"Tờ trình đăng ký danh hiệu thi đua năm {year + 1} (danh hiệu để trống: "
        "hội nghị chi bộ ghi vào khi thông qua, mục 10 chương trình)",
    )
    out.lack(
        f"2. Báo cáo tổng kết công tác xây dựng Đảng năm {year}",
        "hệ thống không lưu báo cáo tổng kết năm; chi bộ nộp bản của mình",
    )
    sheet = c.score_sheet(data)
    if sheet is not None:
        out.add(
            "03_Bang_diem_chi_bo.docx",
            render_listing(sheet),
            "Bảng điểm đánh giá, xếp loại chi bộ",
        )
        out.add("03_Bang_diem_chi_bo.xlsx", listing_xlsx(sheet), "Bảng điểm (Excel)")
    else:
        out.lack("3. Bảng điểm đánh giá, xếp loại chi bộ", "chi bộ chưa chấm bảng điểm")
    ctx04 = c.mau04(data)
    out.add(
        "04_Mau_04_Bieu_tong_hop_xep_loai.docx",
        render_docx("mau04.docx", ctx04),
        "Biểu tổng hợp xếp loại đảng viên (Mẫu 04)",
    )
    out.add("04_Mau_04_Bieu_tong_hop_xep_loai.xlsx", mau04_xlsx(ctx04), "Mẫu 04 (Excel)")
    excellent = c.excellent_list(data)
    out.add(
        "05_Danh_sach_HTXSNV.docx",
        render_listing(excellent),
        f"Danh sách đảng viên HTXSNV đề nghị khen thưởng ({len(excellent['rows'])} người)",
    )
    out.add("05_Danh_sach_HTXSNV.xlsx", listing_xlsx(excellent), "Danh sách HTXSNV (Excel)")
    _meeting(data, out)
    _reviews(user, data, out)
    for line in c.leaders(data):
        name = f"09_Mau_11/{slug(line.row.name)}_{line.row.code}.docx"
        out.add(
            name,
            render_docx("mau11.docx", mau11(data, line)),
            f"Mẫu 11: tổng hợp thông tin về cán bộ lãnh đạo {line.row.name}",
        )
    out.lack("8. Sổ ghi biên bản sinh hoạt của chi bộ", "sổ giấy, chi bộ nộp bản gốc")
    if hd43.applies(data):  # listed before the PDFs: they are copies of what it lists
        # Only the lines naming a file: the index also carries notes in brackets.
        listed = [x for x in out.index if x.partition(": ")[0] in out.files]
        ctx = hd43.document_list(data, listed, list(out.missing))
        out.add(hd43.NAME, render_listing(ctx), "Mẫu 04 (HD 43): danh mục tài liệu của hồ sơ")
    if pdf:
        _pdfs(out)
    out.files["00_MUC_LUC.txt"] = _index(data, out).encode("utf-8")
    return out


def _meeting(data: c.CellData, out: Dossier) -> None:
    if data.meeting is None:
        out.lack("6. Biên bản hội nghị chi bộ", "chưa lập hội nghị kiểm điểm của chi bộ")
    else:
        rows, _, line = c.totals(data)
        ctx = papers.minutes(data.meeting, data.issuer, data.items, data.attendance, rows, line)
        out.add(
            "06_Bien_ban_hoi_nghi.docx",
            mark_draft(render_docx("minutes.docx", ctx), lacking(data.meeting, Paper.MINUTES)),
            f"Biên bản {data.meeting.title}",
        )
        out.add(
            "06_Chuong_trinh_hoi_nghi.docx",
            render_docx("agenda.docx", papers.agenda(data.meeting, data.issuer, data.items)),
            "Chương trình hội nghị",
        )
    counted = ballot_minutes(data)
    if counted is None and data.page.no_vote:
        out.index.append(
            "(Không có biên bản kiểm phiếu: kế hoạch không biểu quyết xếp loại, "
            "Quy định 366-QĐ/TW Điều 12.)"
        )
    elif counted is None:
        out.lack(
            "6. Biên bản kiểm phiếu",
            "chưa có kết quả biểu quyết tính được mức (chưa nhập, hoặc còn chờ nhận xét)",
        )
    else:
        out.add(
            "06_Bien_ban_kiem_phieu.docx",
            mark_draft(minutes_docx(counted), lacking(data.meeting, Paper.COUNT)),
            f"Biên bản kiểm phiếu ({data.page.tally.label if data.page.tally else ''})",
        )


def _reviews(user: Any, data: c.CellData, out: Dossier) -> None:
    people = c.dossier_members(data)
    if not can_at(user, Action.VIEW, Kind.SELF_REVIEW, data.cell):
        out.lack("7. Bản tự kiểm điểm", "người lập hồ sơ không có quyền xem bản tự kiểm điểm")
        return
    for line in people:
        review = data.reviews.get(line.row.member_id)
        who = f"{line.row.name} ({data.posts_of(line.row.member_id)})"
        if review is None:
            out.lack(f"7. Bản tự kiểm điểm của {who}", "chưa viết trong hệ thống")
            continue
        ctx = papers.mau02(
            review,
            data.issuer,
            posts=data.posts_of(line.row.member_id),
            proposed=line.proposed,
            decided=line.decided,
        )
        name = f"07_Tu_kiem_diem/{slug(line.row.name)}_{line.row.code}.docx"
        state = review.get_status_display().lower()
        out.add(name, render_docx("mau02.docx", ctx), f"Bản tự kiểm điểm của {who} — {state}")


def _pdfs(out: Dossier) -> None:
    if soffice() is None:
        out.index.append("(Không có bản PDF: máy chủ chưa cài LibreOffice.)")
        return
    docx = {n: b for n, b in out.files.items() if n.endswith(".docx")}
    made = to_pdf({n.replace("/", "__"): b for n, b in docx.items()})
    for name in docx:
        pdf_name = name.replace("/", "__")[: -len(".docx")] + ".pdf"
        if pdf_name in made:
            target = name[: -len(".docx")] + ".pdf"
            out.files[target] = made[pdf_name]
            out.index.append(f"{target}: bản PDF của {name}")
    if len(made) < len(docx):
        out.index.append(f"(LibreOffice chỉ chuyển được {len(made)}/{len(docx)} tệp sang PDF.)")


def _index(data: c.CellData, out: Dossier) -> str:
    now = timezone.localtime()
    lines = [
        f"HỒ SƠ KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI NĂM {data.cycle.year}",
        f"{data.cell.name} — {data.issuer.superior}",
        f"Lập {long_date(now.date())}, lúc {now:%H:%M}, theo danh mục hồ sơ của kế hoạch "
        f"({readable('000 §III')}).",
        "",
        "CÁC TỆP TRONG HỒ SƠ",
        *[f"- {x}" for x in out.index],
        "",
        "CÒN THIẾU (chi bộ bổ sung bản giấy)",
        *([f"- {x}" for x in out.missing] or ["- Không."]),
        "",
    ]
    return "\n".join(lines)


def to_zip(files: dict[str, bytes], prefix: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        write_into(z, files, prefix)
    return buf.getvalue()


def write_into(z: zipfile.ZipFile, files: dict[str, bytes], prefix: str = "") -> None:
    for name in sorted(files):
        z.writestr(prefix + name, files[name])


def cell_zip(user: Any, cycle: Cycle, cell: Organization, *, pdf: bool = True) -> bytes:
    return to_zip(build(user, cycle, cell, pdf=pdf).files)


def committee_cells(org: Organization) -> list[Organization]:
    from kiemdiem.org.choices import CELL_KINDS

    return list(
        Organization.objects.filter(path__startswith=org.path, kind__in=CELL_KINDS).order_by("path")
    )


Progress = Callable[[int, int, str], None]


def committee_zip(
    user: Any,
    cycle: Cycle,
    org: Organization,
    target: Any,
    progress: Progress | None = None,
    *,
    pdf: bool = True,
) -> int:
    """Every cell's dossier into one .zip written to `target` (a path or a file), a folder
    per cell; `progress(done, total, current cell)` after each. Returns the cells done."""
    cells = committee_cells(org)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for i, cell in enumerate(cells):
            if progress is not None:
                progress(i, len(cells), cell.name)
            dossier = build(user, cycle, cell, pdf=pdf)
            write_into(z, dossier.files, f"{i + 1:02d}_{slug(cell.name)}/")
        if progress is not None:
            progress(len(cells), len(cells), "")
    return len(cells)
