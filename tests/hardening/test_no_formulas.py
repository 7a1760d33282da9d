"""Issue 13 §1 "Exports never carry formulas or commands": names typed as =HYPERLINK(...) or
=cmd|... are imported as text and every spreadsheet writer gives them back as text — a string
cell in .xlsx, an apostrophe in front in .csv (the OWASP rule)."""

from __future__ import annotations

import ast
import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from kiemdiem.batch import _xlsx as classify_xlsx
from kiemdiem.documents import dossier as builder
from kiemdiem.documents.sheets import table_xlsx
from kiemdiem.org.exporting import export_members_xlsx
from kiemdiem.org.importing import import_members
from kiemdiem.org.models import Member
from kiemdiem.org.tabular import write_csv, write_xlsx
from kiemdiem.safe_cells import LIVE_PREFIXES, csv_value
from tests.conftest import World
from tests.documents.conftest import dossier  # noqa: F401  (the fixture)
from tests.org.sheets import HEADERS, row

pytestmark = pytest.mark.django_db

EVIL = [
    '=HYPERLINK("http://evil.example/x","bam vao")',
    "=cmd|' /C calc'!A0",
    "+Lê Văn Cộng",
    "-Trần Thị Trừ",
    "@Nguyễn Văn A",
    "\tHồ Thị Tab",
]


def _csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADERS, *rows])
    return out.getvalue().encode("utf-8")


def _import_evil() -> None:
    rows = [row(**{"Mã đảng viên": f"E{i}", "Họ và tên": name}) for i, name in enumerate(EVIL)]
    result = import_members(_csv(rows), "ds.csv")
    assert result.ok, result.errors


def _cells(data: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(data))  # not read-only: data_type is the cell's own
    return [c for ws in book.worksheets for r in ws.iter_rows() for c in r]


def _no_formula(data: bytes) -> list[str]:
    cells = _cells(data)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    return [c.value for c in cells if isinstance(c.value, str)]


def test_imported_names_stay_text_and_the_members_export_has_no_formula(world: World) -> None:
    """§1: the import keeps =HYPERLINK(...) as the name; the member export (/to-chuc/N/xuat.xlsx)
    writes it as a string cell, and the export imports back unchanged."""
    _import_evil()
    stored = set(Member.objects.filter(code__startswith="E").values_list("full_name", flat=True))
    assert stored == {n.strip() for n in EVIL}
    data = export_members_xlsx(Member.objects.all())
    texts = _no_formula(data)
    assert stored <= set(texts)
    again = import_members(data, "xuat.xlsx")
    assert again.ok and again.updated == 0 and again.created == 0, again.errors


def test_csv_writer_neutralises_every_live_prefix_and_the_reader_gives_the_text_back(
    world: World,
) -> None:
    """§1 (OWASP rule): no CSV field starts with = + - @ tab or CR; read back, the text is
    the one typed. Numbers pass untouched."""
    data = write_csv(["Họ và tên", "Số"], [[name, -3] for name in EVIL])
    fields = [f for r in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for f in r]
    assert not [f for f in fields if f.startswith(LIVE_PREFIXES) and f != "-3"]
    assert csv_value(-3) == -3 and csv_value(2.5) == 2.5
    rows = [row(**{"Mã đảng viên": f"E{i}", "Họ và tên": n}) for i, n in enumerate(EVIL)]
    result = import_members(write_csv(HEADERS, rows), "ds.csv")
    assert result.ok, result.errors
    names = set(Member.objects.filter(code__startswith="E").values_list("full_name", flat=True))
    assert names == {n.strip() for n in EVIL}


def test_every_writer_stores_text_not_formulas() -> None:
    """§1: the streaming writer (members, history), the document tables (Mẫu 04, lists, score
    sheets) and the classify CLI's workbook keep the text, with no formula cell."""
    stream = write_xlsx(["Tên"], [[n] for n in EVIL], sheet_title="T", notes=[[EVIL[0]]])
    table = table_xlsx({"subtitle": EVIL[1]}, EVIL[0], ["Tên"], [[n] for n in EVIL])
    out = {
        "results": [
            {"id": n, "classified": True, "vote_level": n, "level": n, "shares": {}, "reasons": []}
            for n in EVIL
        ],
        "quotas": [
            {"level": EVIL[0], "limit": 1, "qualified": EVIL, "kept": [], "over_quota": [],
             "needs_decision": []}
        ],
    }  # fmt: skip
    for data in (stream, table, classify_xlsx(out)):
        assert set(EVIL) <= set(_no_formula(data))


def test_mau_04_in_the_dossier_has_no_formula(dossier: Any) -> None:  # noqa: F811
    """§1: Mẫu 04 (and every .xlsx of the cell's dossier zip) with a member named as a formula."""
    an = dossier.members["an"]
    Member.objects.filter(pk=an.pk).update(full_name=EVIL[0])
    data = builder.cell_zip(dossier.users["clerk"], dossier.cycle, dossier.orgs["cell1"], pdf=False)
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheets = [n for n in archive.namelist() if n.endswith(".xlsx")]
    assert "04_Mau_04_Bieu_tong_hop_xep_loai.xlsx" in sheets
    for name in sheets:
        _no_formula(archive.read(name))
    assert EVIL[0] in _no_formula(archive.read("04_Mau_04_Bieu_tong_hop_xep_loai.xlsx"))


def test_every_workbook_in_the_code_is_saved_through_safe_cells() -> None:
    """§1 "one shared neutraliser": a module that builds an openpyxl Workbook also uses
    kiemdiem.safe_cells, so a new writer cannot skip it unnoticed."""
    root = Path(__file__).resolve().parents[2] / "kiemdiem"
    missing = []
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "Workbook(" not in text or path.name == "safe_cells.py":
            continue
        names = {
            a.name
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.ImportFrom) and node.module == "kiemdiem.safe_cells"
            for a in node.names
        }
        if not names & {"save_book", "write_only_value"}:
            missing.append(str(path.relative_to(root)))
    assert missing == []


def test_save_book_turns_a_formula_into_its_text() -> None:
    from kiemdiem.safe_cells import save_book

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([EVIL[1], 5])
    cells = _cells(save_book(book))
    assert [(c.value, c.data_type) for c in cells] == [(EVIL[1], "s"), (5, "n")]
