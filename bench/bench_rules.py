"""Classify 1,000,000 synthetic members (cells of 5–60, full profiles with caps and quotas)
on one core and print members per second. A figure, never a failure.

BENCH_MEMBERS (default 1,000,000) and BENCH_PROFILES (default "thanhlien-2023,bvphoi-2021":
000's vote over those present with criteria degrees and the floor; 003's absences, head and
cell quota) change the run. The same cells are classified under each profile.

Beside it (issue 16 §1), the straightforward way on the first 20,000 of the same members: each
member classified on its own, as a model method would — the profile's settings looked up
again for the member (no compiled engine) and the cell's context (voters present, members)
counted again for the member — then the same quotas. Both ways must give the same levels.
The engine reads no database; the database side is in bench_quotas.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import sys
import time
from pathlib import Path

from kiemdiem.rules import Level, SubjectFacts, Votes, classify_unit, load_profile

TOTAL = int(os.environ.get("BENCH_MEMBERS", "1000000"))
PROFILES = os.environ.get("BENCH_PROFILES", "thanhlien-2023,bvphoi-2021").split(",")
AS_OF = dt.date(2023, 11, 20)
LEVELS = (Level.HTXSNV, Level.HTTNV, Level.HTNV, Level.KHTNV)
Cell = tuple[list[SubjectFacts], dict[str, Votes]]


def make_cells(rng: random.Random) -> list[Cell]:
    """Cells of 5–60 members: a quarter civil servants with a CCVC rating, some on sick or
    maternity leave, disciplined, absent or silent, heads of a collective, criteria rated."""
    cells, made = [], 0
    admitted, recent = dt.date(2010, 5, 19), dt.date(2023, 9, 1)
    good = {"chinh_tri": "TOT", "dao_duc": "TOT", "ket_qua": "XUAT_SAC"}
    fair = {"chinh_tri": "TRUNG_BINH", "dao_duc": "TOT", "ket_qua": "TOT"}
    randint = rng.randint
    while made < TOTAL:
        size = min(randint(5, 60), TOTAL - made)
        voters = size - (size + 28) // 29  # every 29th member is probationary: no vote
        members, votes = [], {}
        for i in range(size):
            sid = str(made + i)
            members.append(
                SubjectFacts(
                    id=sid,
                    admitted_on=recent if i % 53 == 0 else admitted,
                    official=i % 29 != 0,
                    category="ccvc" if i % 4 == 0 else "farmer",
                    ccvc_level=("HTXSNV", "HTTNV")[i % 8 == 0] if i % 4 == 0 else None,
                    sick_leave_days=120 if i % 37 == 0 else 0,
                    maternity_leave_days=150 if i % 41 == 0 else 0,
                    disciplined_in_year=i % 101 == 0,
                    meetings_absent=randint(0, 4),
                    meetings_silent=randint(0, 7),
                    heads_collective_level=Level.HTTNV if i == 1 else None,
                    criteria=fair if i % 7 == 0 else good,
                )
            )
            a = randint(0, voters)
            b = randint(0, voters - a)
            c = randint(0, voters - a - b)
            marks = (a, b, c, voters - a - b - c)
            votes[sid] = Votes(levels=dict(zip(LEVELS, marks, strict=True)))
        cells.append((members, votes))
        made += size
    return cells


def run(cells: list[Cell], profile_id: str) -> None:
    profile = load_profile(profile_id)
    start = time.perf_counter()
    classified = quotas = 0
    for members, votes in cells:
        result = classify_unit(members, votes, profile, as_of=AS_OF)
        classified += len(result.outcomes)
        quotas += len(result.quotas)
    seconds = time.perf_counter() - start
    print(
        f"rules: {classified:,} members in {len(cells):,} cells ({quotas:,} quota checks), "
        f"profile {profile_id}: {seconds:.2f} s, {classified / seconds:,.0f} members/s "
        f"(one core, Python {sys.version.split()[0]})",
        flush=True,
    )


def straightforward(cells: list[Cell], profile_id: str) -> list[Level | None]:
    from kiemdiem.rules.classify import Engine
    from kiemdiem.rules.quotas import apply_quotas
    from kiemdiem.rules.tally import unit_context

    profile = load_profile(profile_id)
    levels: list[Level | None] = []
    for members, votes in cells:
        outcomes = []
        for m in members:
            ctx = unit_context(members, profile, AS_OF, 0, 0)
            outcomes.append(Engine(profile).classify(m, votes.get(m.id), ctx))
        levels += [o.level for o in apply_quotas(outcomes, profile, "cell", 0).outcomes]
    return levels


def compare(cells: list[Cell], profile_id: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench._compare import Timed, report

    sample, n = [], 0
    for cell in cells:
        if n >= 20_000:
            break
        sample.append(cell)
        n += len(cell[0])
    profile = load_profile(profile_id)
    start = time.perf_counter()
    ours = [o.level for m, v in sample for o in classify_unit(m, v, profile, as_of=AS_OF).outcomes]
    fast = Timed(time.perf_counter() - start, 0, ours)
    start = time.perf_counter()
    base = straightforward(sample, profile_id)
    slow = Timed(time.perf_counter() - start, 0, base)
    assert base == ours, "the two ways disagree"
    report(f"rules, {n:,} members under {profile_id}", fast, slow, label="one member at a time")


def main() -> None:
    start = time.perf_counter()
    cells = make_cells(random.Random(2023))
    print(f"rules: {TOTAL:,} synthetic members made in {time.perf_counter() - start:.1f} s")
    # The input is long-lived: keep the cyclic GC from walking a million objects again and
    # again while outcomes are made (what a server does after loading a unit's facts).
    gc.collect()
    gc.freeze()
    for profile_id in PROFILES:
        run(cells, profile_id)
        compare(cells, profile_id)


if __name__ == "__main__":
    main()
