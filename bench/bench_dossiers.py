"""The dossiers of the demo committee (Đảng bộ xã Thanh Liên, 12 cells, 370 members) as
the background job makes them (issue 6 Done-when), on a throw-away SQLite database (or
DATABASE_URL if set — use an empty database): `kiemdiem demo-year` and every decision,
then the job run without and (where LibreOffice is installed) with PDF copies. Prints the
figures; never fails.

Beside the DOCX/XLSX run (issue 16 §1), the straightforward way on the same cells: every
paper reads the cell's facts itself (members, outcomes, meeting, ballots, reviews), as one
view per paper would, instead of the dossier reading them once and handing them to each.

    .venv/bin/python bench/bench_dossiers.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _baseline(year: Any) -> None:
    from unittest import mock

    from bench import _compare
    from kiemdiem.documents import dossier
    from kiemdiem.documents.dossier import committee_cells

    cells = committee_cells(year.commune)

    def all_cells() -> int:
        return sum(
            len(dossier.build(year.office, year.cycle, cell, pdf=False).files) for cell in cells
        )

    ours = _compare.timed(all_cells)
    load, render = dossier.c.load, dossier.render_docx
    current: list[Any] = []

    def load_and_keep(user: Any, cycle: Any, cell: Any) -> Any:
        current[:] = [user, cycle, cell]
        return load(user, cycle, cell)

    def render_own(name: str, ctx: Any) -> bytes:
        load(*current)  # the paper's own reading of the facts
        return render(name, ctx)

    with (
        mock.patch.object(dossier.c, "load", load_and_keep),
        mock.patch.object(dossier, "render_docx", render_own),
    ):
        base = _compare.timed(all_cells)
    assert base.value == ours.value
    _compare.report(f"{len(cells)} cells' dossiers ({ours.value} files, no PDF)", ours, base)


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DOCUMENTS_OUTPUT_DIR"] = str(tmp / "out")
    os.environ["DOCUMENTS_JOB_RUNNER"] = "worker"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemdiem.config.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from kiemdiem.documents import jobs
    from kiemdiem.documents.models import DocumentJob
    from kiemdiem.documents.pdf import soffice
    from tests.documents.demo_cycle import LOCAL_PLAN, demo_year

    start = time.perf_counter()
    year = demo_year(plan=LOCAL_PLAN)
    print(f"demo year run and decided in {time.perf_counter() - start:.1f} s")
    _baseline(year)
    for pdf in (False, True):
        if pdf and soffice() is None:
            print("no LibreOffice: PDF copies not measured")
            continue
        job = jobs.start(year.office, year.cycle, year.commune, pdf=pdf)
        t = time.perf_counter()
        jobs.run(job.pk)
        took = time.perf_counter() - t
        job = DocumentJob.objects.get(pk=job.pk)
        path = jobs.result_path(job)
        assert path is not None, job.error
        with zipfile.ZipFile(path) as z:
            n = len(z.namelist())
        size = path.stat().st_size / 1e6
        what = "with PDF copies" if pdf else "DOCX/XLSX only"
        print(f"{job.total} cells' dossiers, {what}: {took:.1f} s ({n} files, {size:.1f} MB)")


if __name__ == "__main__":
    main()
