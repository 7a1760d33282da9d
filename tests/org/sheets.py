"""Spreadsheets built in the tests: one member row as an office would type it, and the same
rows as .xlsx or .csv bytes."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

from kiemdiem.org.columns import MEMBER_COLUMNS, ORG_COLUMNS

HEADERS = [c.header for c in MEMBER_COLUMNS]
ORG_HEADERS = [c.header for c in ORG_COLUMNS]


def row(**values: Any) -> list[Any]:
    """A valid member of cell XA-1 of `small_tree()`; keyword names are headers, e.g.
    row(**{"Ngày sinh": "31/02/1980"})."""
    base = {
        "Mã đảng viên": "N001",
        "Họ và tên": "Hồ Thị Ánh",
        "Giới tính": "Nữ",
        "Ngày sinh": "05/09/1980",
        "Mã chi bộ": "XA-1",
        "Ngày vào Đảng": "19/05/2005",
        "Ngày chính thức": "19/05/2006",
        "Đối tượng": "Nông dân",
    }
    base.update(values)
    return [base.get(h, "") for h in HEADERS]


def xlsx(rows: list[list[Any]], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(
    rows: list[list[Any]], delimiter: str = ",", bom: bool = True, headers: list[str] = HEADERS
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode()
