"""'Decide all' on a superior's board of 1,000 grassroots committees (issue 16 §6), beside
the straightforward way on an identical board built in the same run: one decide_unit call
per unit (each reading the year's decisions for the order rules and inserting its row),
retried until the order rules let every unit through. Prints the time and queries of each
and their ratio; never fails.

    .venv/bin/python bench/bench_units_bulk.py [COMMITTEES]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    committees = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    sys.path.insert(0, str(ROOT))
    from bench import _django

    _django.setup()
    from django.core.exceptions import ValidationError
    from django.db import connection

    from kiemdiem.grading.models import Decision, Step
    from kiemdiem.grading.units import decide_unit, subjects_for
    from kiemdiem.grading.units_bulk import decide_all_units
    from tests.grading.big_board import build

    print(f"{connection.vendor}, {committees:,} committees on the board")
    start = time.perf_counter()
    province, cycle, officer = build(committees, tag="bulk")
    other, cycle2, officer2 = build(committees, tag="loop")
    print(f"built two boards in {time.perf_counter() - start:.1f} s")

    seen = [0]

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        seen[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        result = decide_all_units(officer, cycle, province)
        bulk_s = time.perf_counter() - start
    bulk_q, seen[0] = seen[0], 0

    proposed = dict(
        Decision.objects.current()
        .filter(cycle=cycle2, step=Step.PROPOSE)
        .values_list("subject_key", "level")
    )
    with connection.execute_wrapper(count):
        start = time.perf_counter()
        left, done = list(subjects_for(other)), 0
        while left:
            for s in list(left):
                try:
                    decide_unit(officer2, cycle2, other, s, proposed[s.key])
                except ValidationError:
                    continue
                left.remove(s)
                done += 1
        loop_s = time.perf_counter() - start
    loop_q = seen[0]
    print(f"kiemdiem (bulk): {result.decided:,} decided in {bulk_s:.2f} s, {bulk_q:,} queries")
    print(f"one by one (ORM way): {done:,} decided in {loop_s:.2f} s, {loop_q:,} queries")
    print(f"ratio: {loop_s / bulk_s:.1f}× faster, {loop_q / bulk_q:.0f}× fewer queries")


if __name__ == "__main__":
    main()
