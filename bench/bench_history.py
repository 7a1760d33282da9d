"""Reports and reward lists over a committee of 1,000 cells and 50,000 members (issue 6 §4,
§6) with five imported years (250,000 rows) and this year's decisions, on a throw-away SQLite
database (or DATABASE_URL if set — use an empty database). Prints figures; never fails.

Beside them (issue 16 §1), the history every report and reward list reads — each member's
level for each year, the system's decision where there is one, else the imported row — read
the straightforward way: per member and per year, a query for the decision and one for
the imported row. Timed on 1,000 members and scaled, after checking both ways agree.

    .venv/bin/python bench/bench_history.py [CELLS] [MEMBERS]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    cells = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    members = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    sys.path.insert(0, str(ROOT))
    from bench import _django

    _django.setup()
    from django.core import signals
    from django.db import close_old_connections, connection
    from django.test import Client

    from kiemdiem.grading.models import Decision
    from kiemdiem.history.models import PastResult
    from kiemdiem.history.rewards import rewards_page
    from kiemdiem.org.models import Member
    from kiemdiem.rules import load_profile
    from tests.cycles.big_progress import build

    start = time.perf_counter()
    committee, cycle, clerk = build(cells, members)
    people = list(Member.objects.in_subtree(committee.path).values_list("pk", "cell_id"))
    levels = ("HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTNV")
    past = [
        PastResult(subject_type="m", member_id=pk, subject_key=f"m:{pk}", year=y,
                   level="HTXSNV" if pk % 9 == 0 else levels[(pk + y) % 5])
        for pk, _ in people
        for y in range(cycle.year - 5, cycle.year)
    ]  # fmt: skip
    PastResult.objects.bulk_create(past, batch_size=5000)
    decided = [
        Decision(cycle=cycle, step="decide", level="HTXSNV" if pk % 9 == 0 else "HTTNV",
                 subject_type="m", member_id=pk, subject_key=f"m:{pk}", place_id=cell,
                 grassroots=committee, body=committee, tier="grassroots")
        for pk, cell in people
    ]  # fmt: skip
    Decision.objects.bulk_create(decided, batch_size=5000)
    print(f"built {cells:,} cells / {members:,} members / {len(past):,} imported results "
          f"in {time.perf_counter() - start:.1f} s")  # fmt: skip
    signals.request_finished.disconnect(close_old_connections)
    client = Client()
    client.force_login(clerk)

    def timed(url: str) -> tuple[float, int]:
        count: list[str] = []

        def counted(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            count.append(sql)
            return execute(sql, params, many, context)

        times = []
        for _ in range(3):
            count.clear()
            with connection.execute_wrapper(counted):
                t = time.perf_counter()
                client.get(url, HTTP_HOST="127.0.0.1")
                times.append(time.perf_counter() - t)
        return statistics.median(times), len(count)

    base = f"/to-chuc/{committee.pk}"
    page, q = timed(f"{base}/bao-cao/?nam={cycle.year}")
    xlsx, _ = timed(f"{base}/bao-cao.xlsx?nam={cycle.year}")
    print(f"report ({connection.vendor}): page median {page * 1000:.0f} ms, {q} queries; "
          f".xlsx {xlsx * 1000:.0f} ms")  # fmt: skip
    _history_baseline(committee, cycle.year, people)
    t = time.perf_counter()
    lists = rewards_page(committee, cycle.year, load_profile("dhktna-2016")).lists
    print(f"reward lists under dhktna-2016: {len(lists)} lists in "
          f"{(time.perf_counter() - t) * 1000:.0f} ms")  # fmt: skip


def straightforward_history(people: list[int], years: range) -> dict[str, dict[int, str]]:
    from kiemdiem.grading.models import Decision, Step
    from kiemdiem.history.models import PastResult

    out: dict[str, dict[int, str]] = {}
    for pk in people:
        found: dict[int, str] = {}
        for year in years:
            decided = (
                Decision.objects.current()
                .filter(member_id=pk, subject_type="m", step=Step.DECIDE, cycle__year=year)
                .order_by("-made_at", "-pk")
                .first()
            )
            if decided is not None:
                found[year] = decided.level
                continue
            past = PastResult.objects.filter(member_id=pk, subject_type="m", year=year).first()
            if past is not None:
                found[year] = past.level
        out[f"m:{pk}"] = found
    return out


def _history_baseline(committee: Any, year: int, people: list[tuple[int, int]]) -> None:
    from bench import _compare
    from kiemdiem.history.levels import results_by_year

    years = range(year - 5, year + 1)
    ours = _compare.timed(lambda: results_by_year(committee, "m", list(years)))
    sample = [pk for pk, _ in people[:1000]]
    base = _compare.timed(lambda: straightforward_history(sample, years))
    for key, found in base.value.items():
        assert {y: r.level for y, r in ours.value.get(key, {}).items()} == found, key
    _compare.report(
        f"six years' results of {len(people):,} members", ours, base,
        scale=len(people) / len(sample), sample=f"{len(sample):,} members",
    )  # fmt: skip


if __name__ == "__main__":
    main()
