"""The columns of the earlier-years spreadsheet: one definition for the import and the
downloadable template (org.columns' machinery: headers by name or alias, Vietnamese
choices without regard to case or diacritics)."""

from __future__ import annotations

from typing import Any

from kiemdiem.history.models import ResultLevel, SubjectKind
from kiemdiem.org.columns import (
    CellError,
    Column,
    choice_key,
    choice_parser,
    guide_rows,
    parse_text,
)

FIRST_YEAR, LAST_YEAR = 1950, 2100

SUBJECT = choice_parser(
    SubjectKind,
    {"đv": SubjectKind.MEMBER, "chi bộ": SubjectKind.ORGANIZATION,
     "tổ chức": SubjectKind.ORGANIZATION, "đảng bộ": SubjectKind.ORGANIZATION,
     "tập thể": SubjectKind.COLLECTIVE},
)  # fmt: skip
LEVEL = choice_parser(
    ResultLevel,
    {"HTXSNV": ResultLevel.HTXSNV, "HTTNV": ResultLevel.HTTNV, "HTNV": ResultLevel.HTNV,
     "KHTNV": ResultLevel.KHTNV, "TSVM": ResultLevel.TSVM,
     "TSVM tiêu biểu": ResultLevel.TSVM_TB, "TSVMTB": ResultLevel.TSVM_TB,
     "chưa TSVM": ResultLevel.NOT_TSVM, "chưa đạt TSVM": ResultLevel.NOT_TSVM},
)  # fmt: skip
_YES = {"co", "x", "1", "tieu bieu", "yes"}
_NO = {"", "khong", "0", "no"}


def parse_year(value: Any) -> int | None:
    text = parse_text(value)
    if not text:
        return None
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise CellError(f"“{text}” không phải năm hợp lệ (ví dụ 2022).")
    return int(text)


def parse_flag(value: Any) -> bool:
    key = choice_key(parse_text(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(f"“{parse_text(value)}” không hợp lệ: ghi “có” hoặc để trống.")


HISTORY_COLUMNS = [
    Column("year", "Năm", parse_year, True, "Năm đánh giá, xếp loại (4 chữ số).", 2022),
    Column(
        "subject_type", "Đối tượng", SUBJECT, True,
        "Đảng viên; Tổ chức đảng (chi bộ, đảng bộ); Tập thể lãnh đạo, quản lý.", "Đảng viên",
    ),
    Column(
        "code", "Mã", parse_text, True,
        "Mã đảng viên, hoặc mã tổ chức (với tập thể: mã tổ chức có tập thể đó).", "42000123",
        ("Mã đảng viên", "Mã tổ chức", "Số thẻ"),
    ),
    Column(
        "collective", "Tên tập thể", parse_text, False,
        "Chỉ với tập thể: tên như trong hệ thống (ví dụ Chi ủy Chi bộ xóm 1).", "",
    ),
    Column(
        "name", "Họ tên / tên", parse_text, False,
        "Không bắt buộc; nếu ghi thì phải khớp tên trong hệ thống (để phát hiện nhầm mã).",
        "Nguyễn Thị Ánh", ("Họ và tên", "Tên tổ chức", "Tên"),
    ),
    Column(
        "level", "Xếp loại", LEVEL, True,
        "Đảng viên, tập thể: HTXSNV, HTTNV, HTNV, KHTNV (hoặc tên đầy đủ). Tổ chức đảng: "
        "như trên, hoặc TSVM tiêu biểu, TSVM, Chưa đạt TSVM.", "HTXSNV",
        ("Mức xếp loại", "Kết quả xếp loại", "Danh hiệu"),
    ),
    Column(
        "exemplary", "Tiêu biểu", parse_flag, False,
        "“có” nếu đảng viên HTXSNV được công nhận tiêu biểu; để trống nếu không.", "có",
    ),
    Column(
        "reward", "Khen thưởng", parse_text, False,
        "Hình thức khen thưởng đã nhận trong năm, nếu có.", "Giấy khen của Đảng ủy",
    ),
]  # fmt: skip

HEADER_OF = {c.key: c.header for c in HISTORY_COLUMNS}


def history_guide() -> list[list[str]]:
    rows = guide_rows(HISTORY_COLUMNS)
    rows += [
        ["Mỗi đối tượng mỗi năm một dòng; nhập lại tệp đã sửa thì dòng cùng đối tượng, cùng "
         "năm được cập nhật."],
        ["Năm nào hệ thống đã có quyết định xếp loại thì kết quả trong hệ thống được dùng, "
         "dòng nhập cho năm đó chỉ để tham khảo."],
        ["Chỉ nhập được đảng viên, tổ chức, tập thể thuộc phạm vi của đơn vị mình."],
    ]  # fmt: skip
    return rows
