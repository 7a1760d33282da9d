"""The whole Party on PostgreSQL (issue 16 §3): a synthetic country of 34 provinces, ~50,000
grassroots organizations directly under them (no districts since 1/7/2025), ~250,000 cells
and 5.6 million members, each with counted votes and a decided level, built with COPY.

Timed, through the functions the pages use:
- the superior's national overview: decided levels and quota breaches per province, from
  one GROUP BY over the decisions (`superior_counts`), summed per province;
- the recompute and quota check (`check_tree`, both cores) of one province, and with
  `--full` of the whole country; peak memory of the run is printed (ru_maxrss);
- EXPLAIN ANALYZE of the two hot queries (the overview's GROUP BY, a chunk's member read).

Prints figures; never fails. Uses a database of its own, rebuilt unless --reuse:

    DATABASE_URL=postgres://kiemdiem@127.0.0.1:54346/country \\
        .venv/bin/python bench/bench_country.py [MEMBERS] [--reuse] [--full]
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MEMBERS = 5_600_000
PROVINCES = 34
GRASSROOTS = 50_000
CELLS_PER_GRASSROOTS = 5


def _peak_mb() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(me, children) / 1024  # Linux gives kilobytes


def build(members: int) -> dict[str, Any]:
    from bench.bench_quotas import _insert, _level, _reset_sequences
    from kiemdiem.cycles.models import Cycle
    from kiemdiem.cycles.profiles import profile_snapshot
    from kiemdiem.grading.models import Decision, TallyRow, TallySheet
    from kiemdiem.org.models import Member, Organization
    from kiemdiem.vn import name_sort_key

    start = time.perf_counter()
    scale = members / MEMBERS
    n_grassroots = max(PROVINCES, round(GRASSROOTS * scale))
    orgs: list[tuple[Any, ...]] = []
    cells: list[tuple[Any, ...]] = []  # (id, grassroots id)

    def org(pk: int, name: str, kind: str, parent: tuple[Any, ...] | None) -> tuple[Any, ...]:
        path = (parent[5] if parent else "") + f"{pk:010d}/"
        row = (pk, f"N{pk}", name, kind, parent[0] if parent else None, path, path.count("/") - 1)
        orgs.append(row)
        return row

    centre = org(1, "Trung ương (mô phỏng)", "cap_tren", None)
    next_id = 2
    provinces = []
    for p in range(PROVINCES):
        provinces.append(org(next_id, f"Đảng bộ tỉnh {p + 1}", "tinh", centre))
        next_id += 1
    for g in range(n_grassroots):
        province = provinces[g % PROVINCES]
        grassroots = org(next_id, f"Đảng bộ xã {g + 1}", "dang_bo_co_so", province)
        next_id += 1
        for k in range(CELLS_PER_GRASSROOTS):
            cells.append((org(next_id, f"Chi bộ {g + 1}.{k + 1}", "chi_bo", grassroots)[0],
                          grassroots[0]))  # fmt: skip
            next_id += 1
    _insert(Organization, ["id", "code", "name", "kind", "parent_id", "path", "depth"], orgs)
    names = [f"{f} Văn {g}" for f in ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ")
             for g in ("An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Minh")]  # fmt: skip
    keys = {n: name_sort_key(n) for n in names}
    categories = ["farmer", "ccvc", "retired", "worker", "laborer", "student"]
    per_cell = members / len(cells)

    def cell_of(i: int) -> tuple[int, int]:  # the i-th member (0-based): its cell, and rank
        c = int(i / per_cell)
        return c, i - int(c * per_cell + 0.999999)

    def member_rows() -> Iterable[tuple[Any, ...]]:
        for i in range(members):
            name = names[i % len(names)]
            yield (i + 1, f"M{i + 1:08d}", name, keys[name], name.lower(), "nam",
                   dt.date(1970, 1, 1), cells[cell_of(i)[0]][0], dt.date(2000, 5, 19),
                   dt.date(2001, 5, 19), categories[i % len(categories)])  # fmt: skip

    _insert(Member, ["id", "code", "full_name", "sort_key", "search_text", "gender",
                     "birth_date", "cell_id", "admitted_on", "official_on", "category"],
            member_rows())  # fmt: skip
    cycle = Cycle.objects.create(
        organization_id=centre[0], year=2026, title="Kiểm điểm năm 2026 (mô phỏng toàn quốc)",
        number_symbol="1-KH/TW-MP", issued_on=dt.date(2026, 11, 1),
        profile_id="thanhlien-2023", profile_snapshot=profile_snapshot("thanhlien-2023"),
        reference_date=dt.date(2026, 11, 20),
    )  # fmt: skip
    sizes: dict[int, int] = defaultdict(int)
    for i in range(members):
        sizes[cell_of(i)[0]] += 1
    entered = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    _insert(TallySheet, ["id", "cycle_id", "cell_id", "method", "voters_present", "spoiled",
                         "counted_on", "entered_at"],
            ((n + 1, cycle.pk, c[0], "choose_level", sizes[n], 0, dt.date(2026, 11, 22),
              entered) for n, c in enumerate(cells)))  # fmt: skip

    def marks(i: int) -> tuple[str, tuple[int, ...]]:
        c, rank = cell_of(i)
        return _level(rank, c // CELLS_PER_GRASSROOTS)

    _insert(TallyRow, ["id", "sheet_id", "member_id", "present", "voted", "htxsnv", "httnv",
                       "htnv", "khtnv"],
            ((i + 1, cell_of(i)[0] + 1, i + 1, True, True, *marks(i)[1])
             for i in range(members)))  # fmt: skip
    made = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)

    def decisions() -> Iterable[tuple[Any, ...]]:
        for i in range(members):
            cell, grassroots = cells[cell_of(i)[0]]
            yield (i + 1, cycle.pk, "decide", "quality4", marks(i)[0], "regular", grassroots,
                   "grassroots", "m", f"m:{i + 1}", i + 1, cell, grassroots, made)  # fmt: skip

    _insert(Decision, ["id", "cycle_id", "step", "scale", "level", "grounds", "body_id", "tier",
                       "subject_type", "subject_key", "member_id", "place_id", "grassroots_id",
                       "made_at"], decisions())  # fmt: skip
    _reset_sequences()
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"built: {members:,} members, {len(cells):,} cells, {n_grassroots:,} grassroots "
          f"organizations, {PROVINCES} provinces in {time.perf_counter() - start:.0f} s "
          f"(COPY); peak memory {_peak_mb():,.0f} MB")  # fmt: skip
    return {"cycle": cycle}


def overview(cycle: Any) -> list[tuple[str, dict[str, int], int]]:
    """The national overview: per province, decided levels and committees in breach."""
    from kiemdiem.grading.context import profile_of
    from kiemdiem.grading.models import Decision
    from kiemdiem.grading.quotas import superior_counts
    from kiemdiem.org.models import Organization

    grassroots = Organization.objects.filter(kind="dang_bo_co_so")
    names = dict(grassroots.values_list("pk", "name"))
    province_of = dict(grassroots.values_list("pk", "parent__name"))
    counts = superior_counts(profile_of(cycle), Decision.objects.filter(cycle=cycle), {}, names)
    levels: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    breaches: dict[str, int] = defaultdict(int)
    for unit in counts:
        province = province_of[unit.organization_id]
        for level, n in unit.counts.items():
            levels[province][level.name] += n
        breaches[province] += any(v.breach for v in unit.views)
    return [(p, dict(levels[p]), breaches[p]) for p in sorted(levels)]


def straightforward_overview(cycle: Any, grassroots: list[Any]) -> dict[int, dict[str, int]]:
    """The way a typical Django app would count: per committee, per level, one query each."""
    from kiemdiem.grading.models import Decision
    from kiemdiem.rules import Level

    counts: dict[int, dict[str, int]] = {}
    for g in grassroots:
        mine = Decision.objects.current().filter(cycle=cycle, step="decide", grassroots=g)
        counts[g.pk] = {lv.name: mine.filter(level=lv.name).count() for lv in Level}
    return counts


def _overview_baseline(cycle: Any, began: float, seconds: float) -> None:
    """The straightforward overview on a sample of 200 committees, scaled to the country,
    after checking that it counts what `superior_counts` counts there."""
    from bench import _compare
    from kiemdiem.grading.models import Decision
    from kiemdiem.grading.quotas import superior_counts
    from kiemdiem.org.models import Organization

    grassroots = Organization.objects.filter(kind="dang_bo_co_so")
    total = grassroots.count()
    sample = list(grassroots.order_by("path")[:200])
    base = _compare.timed(lambda: straightforward_overview(cycle, sample))
    from kiemdiem.grading.context import profile_of

    mine = Decision.objects.filter(cycle=cycle, grassroots__in=sample)
    ours = superior_counts(profile_of(cycle), mine,
                           {}, {g.pk: g.name for g in sample})  # fmt: skip
    for unit in ours:
        got = {lv.name: n for lv, n in unit.counts.items() if n}
        assert got == {k: v for k, v in base.value[unit.organization_id].items() if v}
    whole = _compare.Timed(seconds, 0, None)
    _compare.report(f"national overview, {total:,} committees", whole, base,
                    scale=total / len(sample), sample=f"{len(sample)} committees")  # fmt: skip


def _explain(sql: str, params: list[Any]) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        for (line,) in cur.fetchall():
            print("    " + line)


def run(members: int, reuse: bool, full: bool) -> None:
    from bench.bench_quotas import _setup

    url = _setup(reuse)
    from kiemdiem.cycles.models import Cycle
    from kiemdiem.grading.models import Decision
    from kiemdiem.grading.recompute import check_tree
    from kiemdiem.org.models import Member, Organization

    found = Cycle.objects.filter(number_symbol="1-KH/TW-MP").first() if reuse else None
    cycle = found or build(members)["cycle"]
    total = Member.objects.count()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {total:,} members")
    began = time.perf_counter()
    rows = overview(cycle)
    seconds = time.perf_counter() - began
    in_breach = sum(b for _, _, b in rows)
    print(f"national overview (levels and breaches per province, one GROUP BY): {seconds:.2f} s "
          f"— {len(rows)} provinces, {in_breach:,} committees in breach; e.g. {rows[0][0]}: "
          f"{rows[0][1]}")  # fmt: skip
    _overview_baseline(cycle, began, seconds)
    workers = os.cpu_count() or 1
    province = Organization.objects.filter(kind="tinh").order_by("path").first()
    assert province is not None
    part = time.perf_counter()
    one = check_tree(cycle, province, workers=workers)
    part = time.perf_counter() - part
    print(f"recompute and quotas, one province ({one.members:,} members, {workers} processes): "
          f"{part:.1f} s = {one.members / part:,.0f} members/s; the country at that rate: "
          f"{total / (one.members / part) / 60:.1f} min (estimate from one province); "
          f"peak memory {_peak_mb():,.0f} MB")  # fmt: skip
    if full:
        centre = Organization.objects.get(pk=cycle.organization_id)
        began = time.perf_counter()
        whole = check_tree(cycle, centre, workers=workers)
        seconds = time.perf_counter() - began
        print(f"recompute and quotas, the whole country: {seconds / 60:.1f} min — "
              f"{whole.members:,} members, {whole.chunks} chunks, {len(whole.breaches):,} "
              f"breaches; peak memory {_peak_mb():,.0f} MB")  # fmt: skip
    print("EXPLAIN, the overview's GROUP BY:")
    query = (Decision.objects.filter(cycle=cycle, step="decide", subject_type="m",
                                     grassroots__isnull=False)
             .values_list("grassroots_id", "member__category", "level"))  # fmt: skip
    from django.db.models import Count

    sql, params = query.annotate(n=Count("pk")).order_by().query.sql_with_params()
    _explain(sql, list(params))
    print("EXPLAIN, a chunk's member read (one grassroots organization):")
    grassroots = Organization.objects.filter(kind="dang_bo_co_so").order_by("path").first()
    assert grassroots is not None
    sql, params = (Member.objects.filter(cell__path__startswith=grassroots.path)
                   .values_list("pk", "cell_id", "category").query.sql_with_params())  # fmt: skip
    _explain(sql, list(params))
    print(f"database: {url.split('@')[-1]}")


if __name__ == "__main__":
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("bench_country needs DATABASE_URL=postgres://… (a database of its own)")
    else:
        args = [a for a in sys.argv[1:] if not a.startswith("--")]
        run(int(args[0]) if args else MEMBERS, "--reuse" in sys.argv, "--full" in sys.argv)
