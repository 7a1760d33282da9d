"""The columns of the member and organization spreadsheets: one definition used by the
import, the export and the downloadable template, so they can never disagree."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from kiemdiem.org.choices import Category, Gender, OrgKind, Suspension
from kiemdiem.org.models import fold


class CellError(ValueError):
    """A value that cannot be read; the message says why, in Vietnamese."""


def parse_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # codes typed as numbers come back from Excel as 42000123.0
    # Some Vietnamese keyboards type decomposed letters (NFD): store one form, so re-importing
    # the same name is "unchanged" and search finds it.
    return unicodedata.normalize("NFC", " ".join(str(value).split()))


_DATE_PATTERNS = [
    re.compile(r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
]


FIRST_YEAR, LAST_YEAR = 1900, 2100  # outside: a typing slip (0198, 20233), not a real date


def parse_date(value: Any) -> dt.date | None:
    """Dates as offices write them: a real Excel date, 20/11/2023, 20-11-2023, 2023-11-20."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise CellError(f"Năm {value.year} không hợp lệ.")
        return value
    text = parse_text(value)
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2} 00:00:00", text):
        text = text.split()[0]
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                break
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise CellError(f"Năm {day.year} không hợp lệ (ngày “{text}”).")
            return day
    raise CellError(f"“{text}” không phải là ngày hợp lệ (viết theo dạng ngày/tháng/năm).")


def choice_key(text: str) -> str:
    """Case, diacritics and punctuation do not matter: "Học sinh - sinh viên",
    "hoc sinh, sinh vien" and "Học sinh/sinh viên" are the same choice."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())


def choice_parser(
    choices: type[models.TextChoices], aliases: dict[str, str] | None = None
) -> Callable[[Any], str]:
    """Accept a choice by its code or its Vietnamese label, in any case, with or without
    diacritics, plus a few common abbreviations."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[choice_key(str(value))] = value
        lookup[choice_key(str(label))] = value
    for alias, value in (aliases or {}).items():
        lookup[choice_key(alias)] = value

    def parse(raw: Any) -> str:
        text = parse_text(raw)
        if not text:
            return ""
        try:
            return lookup[choice_key(text)]
        except KeyError:
            allowed = "; ".join(str(label) for _, label in choices.choices if label)
            raise CellError(f"“{text}” không thuộc các giá trị: {allowed}.") from None

    return parse


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    parse: Callable[[Any], Any]
    required: bool = False
    help: str = ""
    example: Any = ""
    aliases: tuple[str, ...] = field(default_factory=tuple)


GENDER = choice_parser(Gender, {"F": Gender.FEMALE, "M": Gender.MALE, "nu": Gender.FEMALE})
CATEGORY = choice_parser(
    Category,
    {"CCVC": Category.CCVC, "cán bộ": Category.CCVC, "công chức": Category.CCVC,
     "viên chức": Category.CCVC, "sinh viên": Category.STUDENT, "học sinh": Category.STUDENT,
     "LLVT": Category.ARMED_FORCES, "công an": Category.ARMED_FORCES,
     "quân đội": Category.ARMED_FORCES, "kinh doanh": Category.BUSINESS},
)  # fmt: skip
SUSPENSION = choice_parser(Suspension, {"đảng": Suspension.PARTY, "cấp ủy": Suspension.COMMITTEE})
ORG_KIND = choice_parser(OrgKind, {"chi bộ": OrgKind.CELL, "tổ": OrgKind.GROUP})

MEMBER_COLUMNS = [
    Column(
        "code",
        "Mã đảng viên",
        parse_text,
        True,
        "Số thẻ đảng viên hoặc mã riêng; không trùng.",
        "42000123",
        ("Số thẻ", "Số thẻ đảng viên"),
    ),
    Column(
        "full_name",
        "Họ và tên",
        parse_text,
        True,
        "Viết đủ họ, đệm, tên, có dấu.",
        "Nguyễn Thị Ánh",
    ),
    Column("gender", "Giới tính", GENDER, True, "Nam hoặc Nữ.", "Nữ"),
    Column(
        "birth_date",
        "Ngày sinh",
        parse_date,
        True,
        "ngày/tháng/năm, ví dụ 05/09/1980.",
        dt.date(1980, 9, 5),
    ),
    Column(
        "cell",
        "Mã chi bộ",
        parse_text,
        True,
        "Mã của chi bộ sinh hoạt chính thức (cột Mã tổ chức).",
        "TL-X1",
    ),
    Column("party_group", "Mã tổ đảng", parse_text, False, "Mã tổ đảng trong chi bộ, nếu có.", ""),
    Column(
        "admitted_on",
        "Ngày vào Đảng",
        parse_date,
        True,
        "ngày/tháng/năm; đủ 18 tuổi tại ngày kết nạp.",
        dt.date(2005, 5, 19),
    ),
    Column(
        "official_on",
        "Ngày chính thức",
        parse_date,
        False,
        "Để trống nếu là đảng viên dự bị; sau ngày vào Đảng ít nhất 12 tháng.",
        dt.date(2006, 5, 19),
    ),
    Column(
        "category",
        "Đối tượng",
        CATEGORY,
        True,
        "; ".join(str(c.label) for c in Category) + " (viết tắt: CCVC, LLVT).",
        "Nông dân",
    ),
    Column(
        "exempt_since",
        "Miễn sinh hoạt từ ngày",
        parse_date,
        False,
        "Miễn công tác và sinh hoạt đảng.",
        "",
    ),
    Column(
        "suspension",
        "Đình chỉ",
        SUSPENSION,
        False,
        "Đình chỉ sinh hoạt đảng; Đình chỉ sinh hoạt cấp ủy; để trống nếu không.",
        "",
    ),
    Column(
        "suspended_since", "Đình chỉ từ ngày", parse_date, False, "Bắt buộc khi có Đình chỉ.", ""
    ),
    Column(
        "temporary_cell",
        "Mã chi bộ sinh hoạt tạm thời",
        parse_text,
        False,
        "Nếu sinh hoạt tạm thời ở chi bộ khác.",
        "",
    ),
    Column(
        "temporary_since",
        "Tạm thời từ ngày",
        parse_date,
        False,
        "Bắt buộc khi có chi bộ sinh hoạt tạm thời.",
        "",
    ),
    Column(
        "transferred_on",
        "Ngày chuyển đến",
        parse_date,
        False,
        "Ngày chuyển sinh hoạt đến chi bộ hiện tại; đi cùng chi bộ cũ.",
        "",
    ),
    Column(
        "former_cell",
        "Mã chi bộ cũ",
        parse_text,
        False,
        "Mã chi bộ trước khi chuyển, nếu trong hệ thống.",
        "",
    ),
    Column(
        "former_cell_name",
        "Chi bộ cũ (ngoài hệ thống)",
        parse_text,
        False,
        "Tên chi bộ cũ nếu ngoài hệ thống.",
        "",
    ),
    Column(
        "residence_cell",
        "Mã chi bộ nơi cư trú",
        parse_text,
        False,
        "Chi bộ nơi cư trú (để lấy nhận xét, Mẫu 03).",
        "",
    ),
    Column(
        "residence",
        "Nơi cư trú",
        parse_text,
        False,
        "Thôn, xóm, tổ dân phố.",
        "Xóm 1, xã Thanh Liên",
    ),
]

ORG_COLUMNS = [
    Column("code", "Mã tổ chức", parse_text, True, "Mã riêng của tổ chức; không trùng.", "TL-X1"),
    Column("name", "Tên tổ chức", parse_text, True, "Tên đầy đủ.", "Chi bộ xóm 1"),
    Column(
        "kind",
        "Loại",
        ORG_KIND,
        True,
        "; ".join(str(k.label) for k in OrgKind),
        "Chi bộ trực thuộc",
    ),
    Column(
        "parent", "Mã tổ chức cấp trên", parse_text, False, "Để trống nếu là cấp cao nhất.", "TL"
    ),
]

IGNORED_HEADERS = {"stt", "tt", "so tt", "so thu tu", "ghi chu"}


def match_headers(
    headers: list[str], columns: list[Column]
) -> tuple[dict[int, Column], list[tuple[str, str]]]:
    """Map each header to its column (by name or alias; case, diacritics and punctuation
    ignored, so "Mã đảng viên (*)" is "Mã đảng viên"). Returns the mapping and the errors
    as (header, Vietnamese message) for unknown, repeated and missing columns."""
    by_name = {choice_key(c.header): c for c in columns}
    for c in columns:
        by_name.update({choice_key(a): c for a in c.aliases})
    mapping: dict[int, Column] = {}
    errors: list[tuple[str, str]] = []
    seen: set[str] = set()
    for index, header in enumerate(headers):
        key = choice_key(header)
        if not key or key in IGNORED_HEADERS:
            continue
        column = by_name.get(key)
        if column is None:
            # An unknown column is refused rather than skipped: it is most often a typo in
            # a real column's name, whose values would otherwise be silently lost.
            errors.append((header, "Cột này không có trong mẫu nhập (xem trang “Hướng dẫn”)."))
        elif column.key in seen:
            errors.append((header, "Cột xuất hiện hai lần."))
        else:
            seen.add(column.key)
            mapping[index] = column
    errors += [
        (c.header, "Thiếu cột bắt buộc này.") for c in columns if c.required and c.key not in seen
    ]
    return mapping, errors


def _example(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)


def guide_rows(columns: list[Column]) -> list[list[str]]:
    """The "Hướng dẫn" sheet of the templates and exports: each column, whether it is
    required, how to write it (allowed values, formats) and an example."""
    rows = [["Cột", "Bắt buộc", "Cách ghi", "Ví dụ"]]
    rows += [[c.header, "có" if c.required else "", c.help, _example(c.example)] for c in columns]
    rows += [
        [],
        ["Ngày ghi theo dạng ngày/tháng/năm (20/11/2023), năm-tháng-ngày (2023-11-20) "
         "hoặc dùng ô kiểu ngày của Excel."],
        ["Giá trị lựa chọn (giới tính, đối tượng, loại...) ghi đúng tên trong cột “Cách ghi”; "
         "không phân biệt chữ hoa, chữ thường, có dấu hay không dấu."],
        ["Mã chi bộ, mã tổ đảng... là mã trong cột “Mã tổ chức” của cây tổ chức."],
        ["Cột “STT”, “Ghi chú” được bỏ qua; cột khác không có trong mẫu bị báo lỗi."],
        ["Tệp có bất kỳ lỗi nào thì không dòng nào được lưu; sửa hết lỗi rồi nhập lại."],
        ["Nhập lại cùng một tệp không làm thay đổi dữ liệu (nhận ra đảng viên theo mã "
         "đảng viên, tổ chức theo mã tổ chức); cột không có trong tệp giữ nguyên giá trị cũ."],
        ["Tệp CSV: lưu với mã UTF-8 (“CSV UTF-8” trong Excel), phân cách bằng dấu phẩy "
         "hoặc dấu chấm phẩy."],
    ]  # fmt: skip
    return rows
