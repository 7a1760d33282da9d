"""The progress dashboard of a committee with 1,000 cells and 50,000 members (issue 4), on a
throw-away SQLite database (or DATABASE_URL if set — use an empty database): builds the
tree, then times the page over several requests. Prints figures; never fails.

    .venv/bin/python bench/bench_progress.py [CELLS] [MEMBERS]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
    print(
        f"progress dashboard ({connection.vendor}): "
        f"median {statistics.median(times) * 1000:.0f} ms, "
        f"best {min(times) * 1000:.0f} ms, {len(count)} queries; "
        f".xlsx with the late list {xlsx:.2f} s"
    )


if __name__ == "__main__":
    main()
