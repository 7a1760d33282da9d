"""Issue 13 §4 "Imports bounded by what they read": rows and cells are counted over every row
the reader touches (empty ones too), the .xlsx is streamed (read-only mode), and reading has a
time budget — each refused with a Vietnamese message, and nothing is imported."""

from __future__ import annotations

import time

import pytest

from kiemdiem.org import tabular
from kiemdiem.org.importing import import_members
from kiemdiem.org.models import Member
from tests.conftest import World
from tests.hardening.cheap_files import xlsx_with_rows
from tests.org.sheets import HEADERS, csv_bytes, row, xlsx

pytestmark = pytest.mark.django_db

TOO_MANY_ROWS = "Tệp có quá 200.000 dòng (kể cả dòng trống); "


def _message(data: bytes, name: str) -> str:
    result = import_members(data, name)
    assert not result.ok and result.created == result.updated == 0
    assert [(e.row, e.column) for e in result.errors] == [(0, "")]
    return result.errors[0].message


def test_twelve_million_empty_rows_are_refused_in_under_two_seconds(world: World) -> None:
    """The reproduction: a ~110 KB .xlsx with a header and 12 million empty <row/> took 27 s to
    import "0 rows"; empty rows now count against the row budget."""
    data = xlsx_with_rows(HEADERS, 12_000_000)
    assert len(data) < 200_000
    before = Member.objects.count()
    start = time.perf_counter()
    message = _message(data, "rong.xlsx")
    elapsed = time.perf_counter() - start
    assert message.startswith(TOO_MANY_ROWS)
    assert elapsed < 2.0, elapsed
    assert Member.objects.count() == before


def test_empty_csv_lines_count_too(world: World) -> None:
    data = csv_bytes([row()]) + b"\r\n" * 250_000
    assert _message(data, "rong.csv").startswith(TOO_MANY_ROWS)


def test_cell_budget_counts_empty_cells(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A row that reaches far to the right (a cell in column XFD) is 16,384 cells to read."""
    monkeypatch.setattr(tabular, "MAX_CELLS", 100_000)
    far = b'<row><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'
    message = _message(xlsx_with_rows(HEADERS, 10, far), "rong.xlsx")
    assert message.startswith("Tệp có quá 100.000 ô (kể cả ô trống); ")
    monkeypatch.setattr(tabular, "MAX_CELLS", 20)
    assert _message(xlsx([row(), row()]), "ds.xlsx").startswith("Tệp có quá 20 ô")


def test_time_budget(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_SECONDS", 0.0)
    monkeypatch.setattr(tabular, "_CHECK_EVERY", 1)
    rows = [row(**{"Mã đảng viên": f"T{i}"}) for i in range(3)]
    for data, name in ((xlsx(rows), "ds.xlsx"), (csv_bytes(rows), "ds.csv")):
        assert _message(data, name) == (
            "Đọc tệp quá 0 giây, đã dừng; hãy chia thành nhiều tệp nhỏ hơn."
        )
    assert not Member.objects.filter(code__startswith="T").exists()


def test_the_row_budget_is_exact(world: World) -> None:
    """200,000 rows read (the header and empty rows included) are still read; one more is not."""
    at_limit = import_members(xlsx_with_rows(HEADERS, tabular.MAX_ROWS - 1), "rong.xlsx")
    assert at_limit.ok and at_limit.created == 0, at_limit.errors
    over = xlsx_with_rows(HEADERS, tabular.MAX_ROWS)
    assert _message(over, "rong.xlsx").startswith(TOO_MANY_ROWS)
    assert import_members(xlsx([row()]), "ds.xlsx").created == 1
