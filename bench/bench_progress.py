"""The progress dashboard of a committee with 1,000 cells and 50,000 members (issue 4), on a
throw-away SQLite database (or DATABASE_URL if set — use an empty database): builds the
tree, then times the page over several requests. Prints figures; never fails.

Beside it (issue 16 §1), the counts behind the page the straightforward way: cell by cell,
each member's paper looked up with its own query, the comments and meetings counted per
cell — timed on the first 50 cells and scaled to all, after checking that both ways count
the same.

    .venv/bin/python bench/bench_progress.py [CELLS] [MEMBERS]
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def cells_of(root: Any) -> Any:
    from kiemdiem.org.choices import CELL_KINDS
    from kiemdiem.org.models import Organization

    return Organization.objects.filter(path__startswith=root.path, kind__in=CELL_KINDS).order_by(
        "path"
    )


def straightforward_counts(
    cycle_ids: list[int], cells: list[Any], today: dt.date
) -> dict[int, Any]:
    """What `per_cell` counts, as a typical view would: per cell, per member."""
    from kiemdiem.cycles.models import Subject
    from kiemdiem.cycles.progress import HELD, REVIEWED_HERE, Tally
    from kiemdiem.feedback.models import DONE, FeedbackRequest, Status, overdue_q
    from kiemdiem.meetings.models import Meeting, MeetingKind
    from kiemdiem.reviews.models import CollectiveReport, ReportStatus, ReviewStatus, SelfReview

    out = {}
    for cell in cells:
        t = Tally()
        members = {
            s.member_id
            for s in Subject.objects.filter(
                cycle_id__in=cycle_ids, kind__in=REVIEWED_HERE, place=cell
            )
        }
        t.reviews_expected = len(members)
        for mid in members:
            if SelfReview.objects.filter(
                cycle_id__in=cycle_ids, member_id=mid, status=ReviewStatus.SUBMITTED
            ).exists():
                t.reviews_done += 1
        live = FeedbackRequest.objects.filter(cycle_id__in=cycle_ids).exclude(
            status=Status.CANCELLED
        )
        asked = live.filter(from_organization=cell)
        t.feedback_total = asked.count()
        t.feedback_done = asked.filter(status__in=DONE).count()
        t.feedback_overdue = asked.filter(overdue_q(today)).count()
        t.feedback_owed = live.filter(overdue_q(today), to_organization=cell).count()
        here = {"cycle_id__in": cycle_ids, "collective__organization": cell}
        t.reports_expected = len(
            {s.collective_id for s in Subject.objects.filter(collective__isnull=False, **here)}
        )
        t.reports_done = len(
            {r.collective_id for r in CollectiveReport.objects.filter(
                status=ReportStatus.SENT, **here)}
        )  # fmt: skip
        meetings = list(
            Meeting.objects.filter(cycle_id__in=cycle_ids, kind=MeetingKind.CELL, organization=cell)
        )
        t.meetings_planned = len(meetings)
        t.meetings_done = min(sum(1 for m in meetings if m.status in HELD), 1)
        out[cell.pk] = t
    return out


def _same(a: Any, b: Any) -> bool:
    keys = [k for k in a.__dataclass_fields__ if k != "meetings_expected"]
    return all(getattr(a, k) == getattr(b, k) for k in keys)


def main() -> None:
    cells = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    members = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    sys.path.insert(0, str(ROOT))
    from bench import _django

    _django.setup()
    import time_machine
    from django.core import signals
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.urls import reverse

    from kiemdiem.cycles.progress import per_cell, year_cycles
    from tests.cycles.big_progress import build

    start = time.perf_counter()
    _committee, cycle, clerk = build(cells, members)
    print(f"built {cells:,} cells / {members:,} members in {time.perf_counter() - start:.1f} s")
    # Keep one connection across requests, as a test does, so the queries can be counted.
    signals.request_finished.disconnect(close_old_connections)
    client = Client()
    client.force_login(clerk)
    url = reverse("progress", args=[cycle.pk])
    with time_machine.travel("2026-11-20 09:00 +07:00"):
        client.get(url, HTTP_HOST="127.0.0.1")
        times = []
        count: list[str] = []

        def counted(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            count.append(sql)
            return execute(sql, params, many, context)

        for _ in range(5):
            count.clear()
            with connection.execute_wrapper(counted):
                t = time.perf_counter()
                client.get(url, HTTP_HOST="127.0.0.1")
                times.append(time.perf_counter() - t)
        xlsx = time.perf_counter()
        client.get(reverse("progress_xlsx", args=[cycle.pk]), HTTP_HOST="127.0.0.1")
        xlsx = time.perf_counter() - xlsx
    from bench import _compare

    today = dt.date(2026, 11, 20)
    ids = year_cycles(cycle)
    ours = _compare.timed(lambda: per_cell(ids, _committee, today))
    sample = list(cells_of(_committee)[:50])
    base = _compare.timed(lambda: straightforward_counts(ids, sample, today))
    for cell in sample:
        assert _same(ours.value[cell.pk], base.value[cell.pk]), cell
    _compare.report(
        f"counts per cell, {cells:,} cells", ours, base,
        scale=cells / len(sample), sample=f"{len(sample)} cells",
    )  # fmt: skip
    print(
        f"progress dashboard ({connection.vendor}): "
        f"median {statistics.median(times) * 1000:.0f} ms, "
        f"best {min(times) * 1000:.0f} ms, {len(count)} queries; "
        f".xlsx with the late list {xlsx:.2f} s"
    )


if __name__ == "__main__":
    main()
