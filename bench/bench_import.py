"""Import and export figures on a throw-away SQLite database (or DATABASE_URL if set):
a 5,000-row member file imported, re-imported and changed; 50,000 members exported and the
export imported back. Prints seconds; never fails for being slow.

Beside the first import (issue 16 §1), the straightforward way on the same file: each row
read, its cell and any existing member looked up with their own queries, the member
validated with full_clean() and saved on its own — timed on the first 1,000 rows and
scaled, inside a transaction that is rolled back.

    .venv/bin/python bench/bench_import.py [ROWS] [EXPORT_ROWS]
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path


def _setup() -> None:
    if "DATABASE_URL" not in os.environ:
        db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemdiem.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)


def _member_file(rows: int, cells: list[str], suffix: str = "") -> bytes:
    from openpyxl import Workbook

    from kiemdiem.org.columns import MEMBER_COLUMNS

    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
    givens = ["An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Minh", "Ánh", "Yến"]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Đảng viên")
    sheet.append([c.header for c in MEMBER_COLUMNS])
    for i in range(rows):
        name = f"{families[i % 8]} Văn{suffix} {givens[i % 9]}"
        values = {
            "code": f"B{i:06d}",
            "full_name": name,
            "gender": "Nam" if i % 2 else "Nữ",
            "birth_date": "05/09/1980",
            "cell": cells[i % len(cells)],
            "admitted_on": "19/05/2005",
            "official_on": "19/05/2006",
            "category": "Nông dân",
        }
        sheet.append([values.get(c.key, "") for c in MEMBER_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def straightforward_import(data: bytes, limit: int) -> int:
    """The member file imported row by row, as a typical Django view would."""
    from openpyxl import load_workbook

    from kiemdiem.org.choices import Category, Gender
    from kiemdiem.org.columns import MEMBER_COLUMNS, parse_date
    from kiemdiem.org.models import Member, Organization

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    headers = {c.header: c.key for c in MEMBER_COLUMNS}
    keys: list[str] = []
    genders = {str(label): value for value, label in Gender.choices}
    categories = {str(label): value for value, label in Category.choices}
    saved = 0
    for n, row in enumerate(sheet.iter_rows(values_only=True)):
        if n == 0:
            keys = [headers.get(str(h), "") for h in row]
            continue
        if saved >= limit:
            break
        v = dict(zip(keys, row, strict=False))
        member = Member.objects.filter(code=v["code"]).first() or Member(code=v["code"])
        member.full_name = v["full_name"]
        member.gender = genders[v["gender"]]
        member.birth_date = parse_date(v["birth_date"])
        member.cell = Organization.objects.get(code=v["cell"])
        member.admitted_on = parse_date(v["admitted_on"])
        member.official_on = parse_date(v["official_on"])
        member.category = categories[v["category"]]
        member.full_clean()
        member.save()
        saved += 1
    return saved


def _timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    print(f"{label}: {time.perf_counter() - start:.2f} s", flush=True)
    return value


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    export_rows = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    _setup()
    from kiemdiem.org.choices import OrgKind
    from kiemdiem.org.exporting import export_members_xlsx
    from kiemdiem.org.importing import import_members
    from kiemdiem.org.models import Member, Organization

    root, _ = Organization.objects.get_or_create(
        code="BENCH", defaults={"name": "Đảng bộ thử", "kind": OrgKind.GRASSROOTS_COMMITTEE}
    )
    cells = []
    for n in range(20):
        cell, _ = Organization.objects.get_or_create(
            code=f"BENCH-{n}",
            defaults={"name": f"Chi bộ {n}", "kind": OrgKind.CELL, "parent": root},
        )
        cells.append(cell.code)
    Member.objects.filter(code__startswith="B").delete()

    data = _member_file(rows, cells)
    from bench import _compare

    sample = min(rows, 1000)
    with _compare.atomic_rollback():
        base = _compare.timed(lambda: straightforward_import(data, sample))
    assert base.value == sample
    ours = _compare.timed(lambda: import_members(data, "b.xlsx"))
    r = ours.value
    assert r.ok and r.created == rows, r.errors[:5]
    _compare.report(f"import {rows:,} new members", ours, base, scale=rows / sample,
                    sample=f"{sample:,} rows")  # fmt: skip
    r = _timed(f"re-import {rows:,} unchanged", lambda: import_members(data, "b.xlsx"))
    assert r.unchanged == rows
    changed = _member_file(rows, cells, suffix=" Thị")
    r = _timed(f"import {rows:,} changed names", lambda: import_members(changed, "b.xlsx"))
    assert r.updated == rows

    if export_rows > rows:
        big = _member_file(export_rows, cells)
        r = _timed(f"import {export_rows:,} members", lambda: import_members(big, "big.xlsx"))
        assert r.ok, r.errors[:5]
    members = Member.objects.in_subtree(root.path)
    out = _timed(f"export {members.count():,} members", lambda: export_members_xlsx(members))
    print(f"export size: {len(out) / 1e6:.1f} MB")
    r = _timed("re-import the export", lambda: import_members(out, "x.xlsx"))
    assert r.ok and r.unchanged == members.count(), (r.errors[:5], r.summary())


if __name__ == "__main__":
    main()
