"""Classify 1,000,000 synthetic members (cells of 5–60, a full profile with caps and quotas)
on one core and print members per second. A figure, never a failure."""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import sys
import time

from kiemdiem.rules import Level, SubjectFacts, Votes, classify_unit, load_profile

TOTAL = int(os.environ.get("BENCH_MEMBERS", "1000000"))
PROFILE = os.environ.get("BENCH_PROFILE", "thanhlien-2023")
AS_OF = dt.date(2023, 11, 20)
LEVELS = (Level.HTXSNV, Level.HTTNV, Level.HTNV, Level.KHTNV)


def make_cells(rng: random.Random) -> list[tuple[list[SubjectFacts], dict[str, Votes]]]:
    cells, made = [], 0
    admitted = dt.date(2010, 5, 19)
    while made < TOTAL:
        size = min(rng.randint(5, 60), TOTAL - made)
        members, votes = [], {}
        for i in range(size):
            sid = f"{made + i}"
            members.append(
                SubjectFacts(
                    id=sid,
                    admitted_on=admitted,
                    category="ccvc" if i % 4 == 0 else "farmer",
                    ccvc_level="HTTNV" if i % 4 == 0 else None,
                    sick_leave_days=120 if i % 37 == 0 else 0,
                    disciplined_in_year=i % 101 == 0,
                    meetings_absent=rng.randint(0, 4),
                )
            )
            a = rng.randint(0, size)
            b = rng.randint(0, size - a)
            c = rng.randint(0, size - a - b)
            votes[sid] = Votes(levels=dict(zip(LEVELS, (a, b, c, size - a - b - c), strict=True)))
        cells.append((members, votes))
        made += size
    return cells


def main() -> None:
    profile = load_profile(PROFILE)
    cells = make_cells(random.Random(2023))
    # The input is long-lived: keep the cyclic GC from walking a million objects again and
    # again while outcomes are made (what a server does after loading a unit's facts).
    gc.collect()
    gc.freeze()
    start = time.perf_counter()
    classified = 0
    for members, votes in cells:
        result = classify_unit(members, votes, profile, as_of=AS_OF)
        classified += len(result.outcomes)
    seconds = time.perf_counter() - start
    print(
        f"rules: {classified:,} members in {len(cells):,} cells, profile {PROFILE}: "
        f"{seconds:.2f} s, {classified / seconds:,.0f} members/s (one core, Python "
        f"{sys.version.split()[0]})"
    )


if __name__ == "__main__":
    main()
