"""Issue 11 §6 (fact check, levels and citations): each member's level in Mẫu 04 (Word and
Excel) and the HTXSNV list, and the per-level totals of Mẫu 04, against the database's
standing acts, read straight from the Decision table; and every citation of a plan in the
form the registry gives (kiemdiem.rules.sources: "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của
Đảng ủy xã Thanh Liên, mục 2.3", or the short "KH 44-KH/ĐU, mục 2.3")."""

from __future__ import annotations

import io
import re
from collections import Counter

from docx import Document
from openpyxl import load_workbook

from kiemdiem.cycles.models import Cycle
from kiemdiem.documents.common import level_label
from kiemdiem.grading.models import Decision, Step
from kiemdiem.org.models import Member, Organization
from kiemdiem.rules import Level
from kiemdiem.rules.sources import DOCUMENTS
from tests.ballots.docx_text import table_rows

Acts = dict[int, tuple[str, str]]  # member id -> (proposed, decided)


def db_acts(cell: Organization, cycle: Cycle) -> tuple[dict[int, str], Acts]:
    names = dict(Member.objects.filter(cell=cell).values_list("pk", "full_name"))
    acts: dict[int, dict[str, str]] = {pk: {} for pk in names}
    for key, step, level in (
        Decision.objects.current()
        .filter(cycle=cycle, subject_key__in=[f"m:{pk}" for pk in names])
        .values_list("subject_key", "step", "level")
    ):
        acts[int(key.split(":")[1])][step] = level
    return names, {pk: (a.get(Step.PROPOSE, ""), a.get(Step.DECIDE, "")) for pk, a in acts.items()}


def _rows_with(header: str, tables: list[list[list[str]]]) -> list[list[str]]:
    for rows in tables:
        if rows and header in rows[0]:
            return rows[1:]
    raise AssertionError(f"không thấy bảng có cột “{header}”")


def assert_levels(files: dict[str, bytes], cell: Organization, cycle: Cycle) -> None:
    names, acts = db_acts(cell, cycle)
    expected = Counter((names[pk], p, d) for pk, (p, d) in acts.items())
    doc = Document(io.BytesIO(files["04_Mau_04_Bieu_tong_hop_xep_loai.docx"]))
    tables = [table_rows(t) for t in doc.tables]
    rows = _rows_with("Chi ủy đề xuất", tables)
    assert Counter((r[1], r[3], r[6]) for r in rows) == expected, cell.name
    book = load_workbook(io.BytesIO(files["04_Mau_04_Bieu_tong_hop_xep_loai.xlsx"]))
    sheet = [
        [("" if c is None else str(c)) for c in r]
        for r in book["Mẫu 04"].iter_rows(values_only=True)
    ]
    head = next(i for i, r in enumerate(sheet) if "Chi ủy đề xuất" in r)
    got = Counter((r[1], r[3], r[6]) for r in sheet[head + 1 :] if r[0])
    assert got == expected, cell.name
    decided = Counter(d for _, d in acts.values() if d)
    totals = {r[0]: r[1] for r in _rows_with("Số lượng", tables)}
    for level in Level:
        assert totals[level_label(level.name)] == str(decided.get(level.name, 0)), cell.name
    # The HTXSNV list: decided HTXSNV, else proposed HTXSNV with no decision yet.
    best = Counter(names[pk] for pk, (p, d) in acts.items() if (d or p) == Level.HTXSNV.name)
    listing = Document(io.BytesIO(files["05_Danh_sach_HTXSNV.docx"]))
    listed = _rows_with("Họ và tên", [table_rows(t) for t in listing.tables])
    assert Counter(r[1] for r in listed) == best, cell.name


def citation_faults(text: str) -> list[str]:
    """Each mention of a registry document not in its full or its short form."""
    faults = []
    for doc in DOCUMENTS.values():
        mark = doc.number or doc.title
        for m in re.finditer(re.escape(mark), text):
            around = text[max(0, m.start() - 80) : m.end() + 120]
            if doc.full() not in around and doc.short() not in around:
                faults.append(around)
    return faults
