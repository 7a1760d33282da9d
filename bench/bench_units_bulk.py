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
    from bench import _compare, _django

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

    bulk = _compare.timed(lambda: decide_all_units(officer, cycle, province))
    proposed = dict(
        Decision.objects.current()
        .filter(cycle=cycle2, step=Step.PROPOSE)
        .values_list("subject_key", "level")
    )

    def one_by_one() -> int:
        left, done = list(subjects_for(other)), 0
        while left:
            for s in list(left):
                try:
                    decide_unit(officer2, cycle2, other, s, proposed[s.key])
                except ValidationError:
                    continue
                left.remove(s)
                done += 1
        return done

    loop = _compare.timed(one_by_one)
    assert loop.value == bulk.value.decided, (loop.value, bulk.value.decided)
    _compare.report(f"decide all, {bulk.value.decided:,} units", bulk, loop)


if __name__ == "__main__":
    main()
