"""Recompute and check quotas for a synthetic province (issue 6, Done when): a province of
20 districts, 1,000 grassroots committees, 10 cells each, every member with counted votes
and a decided level; the rules run again over every member and every cell's, committee's
and group's quota is checked. Prints seconds; never fails for being slow.

    # the issue's figure: 500,000 members on PostgreSQL (a database of its own, rebuilt)
    DATABASE_URL=postgres://kiemdiem@127.0.0.1:54330/grading_bench \\
        .venv/bin/python bench/bench_quotas.py 500000
    # make bench: 20,000 members on a throw-away SQLite database
    .venv/bin/python bench/bench_quotas.py [MEMBERS] [--reuse]

Bulk data goes in with COPY on PostgreSQL (executemany on SQLite); the timed part reads
it back through the same functions the pages use.

Beside it (issue 16 §1), the straightforward way on the first committee (500 members): each
member's conditions, self-review, tally row and decision read with their own queries, the
member classified, then each cell's and the committee's quota checked — scaled to the
province, after checking that both ways find the same breaches there.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

PER_CELL = 50
CELLS_PER_COMMITTEE = 10
COMMITTEES_PER_DISTRICT = 50
PG_DEFAULT = 500_000
SQLITE_DEFAULT = 20_000


def _setup(reuse: bool) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        url = os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    elif url.startswith(("postgres://", "postgresql://")) and not reuse:
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemdiem.config.settings")
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return url


def _columns(model: Any, values: dict[str, Any]) -> tuple[list[str], list[Any]]:
    """Every concrete column of `model` with its value: given, or the field's empty value."""
    cols, defaults = [], []
    for f in model._meta.concrete_fields:
        cols.append(f.column)
        if f.attname in values:
            defaults.append(values[f.attname])
        elif f.null:
            defaults.append(None)
        elif f.has_default():
            defaults.append(f.get_default())
        else:
            defaults.append("")
    return cols, defaults


def _insert(model: Any, attnames: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Bulk rows of `attnames` (other columns get their defaults): COPY on PostgreSQL."""
    from django.db import connection

    probe = dict.fromkeys(attnames, 0)
    cols, defaults = _columns(model, probe)
    index = [cols.index(model._meta.get_field(a).column) for a in attnames]
    table = model._meta.db_table
    n = 0

    def full(row: Sequence[Any]) -> list[Any]:
        out = list(defaults)
        for i, v in zip(index, row, strict=True):
            out[i] = v
        return out

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            raw = cur.cursor
            names = ", ".join(f'"{c}"' for c in cols)
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(full(row))
                    n += 1
        else:
            marks = ", ".join("?" for _ in cols)
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})"
            batch: list[list[Any]] = []
            for row in rows:
                batch.append(full(row))
                n += 1
                if len(batch) >= 5000:
                    cur.executemany(sql, batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
    return n


def _reset_sequences() -> None:
    from django.core.management.color import no_style
    from django.db import connection

    from kiemdiem.grading.models import Decision, TallyRow, TallySheet
    from kiemdiem.org.models import Member, Organization

    sql = connection.ops.sequence_reset_sql(
        no_style(), [Organization, Member, TallySheet, TallyRow, Decision]
    )
    with connection.cursor() as cur:
        for statement in sql:
            cur.execute(statement)


def _level(r: int, committee: int) -> tuple[str, tuple[int, int, int, int]]:
    """The marks (of 50 present) of a cell's r-th member and the level the committee
    decided: 6 % excellent by the vote (≥ 70 %, 000 §1.4.3); every 7th committee also
    decides ten members excellent whom the vote made good, and breaks the 20 % rule."""
    if r < 3:
        return "HTXSNV", (40, 10, 0, 0)
    if r < 13 and committee % 7 == 0:
        return "HTXSNV", (30, 20, 0, 0)
    if r < 44:
        return "HTTNV", (5, 40, 5, 0)
    if r < 49:
        return "HTNV", (0, 10, 40, 0)
    return "KHTNV", (0, 0, 10, 40)


def build(members: int) -> dict[str, Any]:
    """The synthetic province; returns what the timed part needs."""
    from kiemdiem.cycles.models import Cycle
    from kiemdiem.cycles.profiles import profile_snapshot
    from kiemdiem.grading.models import Decision, TallyRow, TallySheet
    from kiemdiem.org.models import Member, Organization
    from kiemdiem.vn import name_sort_key

    start = time.perf_counter()
    n_committees = max(1, -(-members // (PER_CELL * CELLS_PER_COMMITTEE)))
    n_districts = max(1, -(-n_committees // COMMITTEES_PER_DISTRICT))
    orgs: list[tuple[Any, ...]] = []
    next_id = 1

    def org(name: str, kind: str, parent: tuple[Any, ...] | None) -> tuple[Any, ...]:
        nonlocal next_id
        pk = next_id
        next_id += 1
        path = (parent[5] if parent else "") + f"{pk:010d}/"
        row = (pk, f"Q{pk}", name, kind, parent[0] if parent else None, path, path.count("/") - 1)
        orgs.append(row)
        return row

    province = org("Đảng bộ tỉnh Mẫu", "tinh", None)
    cells: list[tuple[Any, ...]] = []
    committees: list[tuple[Any, ...]] = []
    for d in range(n_districts):
        district = org(f"Đảng bộ huyện {d + 1}", "huyen", province)
        for c in range(min(COMMITTEES_PER_DISTRICT, n_committees - len(committees))):
            committee = org(f"Đảng bộ xã {d + 1}.{c + 1}", "dang_bo_co_so", district)
            committees.append(committee)
            for k in range(CELLS_PER_COMMITTEE):
                cells.append(org(f"Chi bộ {d + 1}.{c + 1}.{k + 1}", "chi_bo", committee))
    _insert(Organization, ["id", "code", "name", "kind", "parent_id", "path", "depth"], orgs)

    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
    givens = ["An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Minh", "Ánh", "Yến", "Sơn", "Thảo"]
    names = [f"{f} Văn {g}" for f in families for g in givens]
    keys = {n: name_sort_key(n) for n in names}
    categories = ["farmer", "ccvc", "retired", "worker", "laborer", "student"]
    per_cell = PER_CELL
    total = per_cell * len(cells)

    def owner(i: int) -> tuple[Any, ...]:
        return cells[(i - 1) // PER_CELL]

    def member_rows() -> Iterable[tuple[Any, ...]]:
        for i in range(total):
            cell = cells[i // per_cell]
            name = names[i % len(names)]
            yield (i + 1, f"M{i + 1:07d}", name, keys[name], name.lower(), "nam",
                   dt.date(1970, 1, 1), cell[0], dt.date(2000, 5, 19), dt.date(2001, 5, 19),
                   categories[i % len(categories)])  # fmt: skip

    _insert(Member, ["id", "code", "full_name", "sort_key", "search_text", "gender",
                     "birth_date", "cell_id", "admitted_on", "official_on", "category"],
            member_rows())  # fmt: skip
    cycle = Cycle.objects.create(
        organization_id=province[0], year=2026, title="Kế hoạch kiểm điểm năm 2026",
        number_symbol="1-KH/TU", issued_on=dt.date(2026, 11, 1), profile_id="thanhlien-2023",
        profile_snapshot=profile_snapshot("thanhlien-2023"),
        reference_date=dt.date(2026, 11, 20),
    )  # fmt: skip
    sheet_of = {cell[0]: n + 1 for n, cell in enumerate(cells)}
    _insert(
        TallySheet,
        [
            "id",
            "cycle_id",
            "cell_id",
            "method",
            "voters_present",
            "spoiled",
            "counted_on",
            "entered_at",
        ],
        (
            (
                sheet_of[c[0]],
                cycle.pk,
                c[0],
                "choose_level",
                per_cell,
                0,
                dt.date(2026, 11, 22),
                dt.datetime(2026, 11, 22, tzinfo=dt.UTC),
            )
            for c in cells
        ),
    )

    def marks(i: int) -> tuple[str, tuple[int, ...]]:
        return _level((i - 1) % PER_CELL, (i - 1) // (PER_CELL * CELLS_PER_COMMITTEE))

    _insert(
        TallyRow,
        ["id", "sheet_id", "member_id", "present", "voted", "htxsnv", "httnv", "htnv", "khtnv"],
        ((i, sheet_of[owner(i)[0]], i, True, True, *marks(i)[1]) for i in range(1, total + 1)),
    )
    grassroots = {cell[0]: cell[4] for cell in cells}
    made = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
    _insert(Decision, ["id", "cycle_id", "step", "scale", "level", "grounds", "body_id", "tier",
                       "subject_type", "subject_key", "member_id", "place_id", "grassroots_id",
                       "made_at"],
            ((i, cycle.pk, "decide", "quality4", marks(i)[0], "regular",
              grassroots[owner(i)[0]], "grassroots", "m", f"m:{i}", i, owner(i)[0],
              grassroots[owner(i)[0]], made) for i in range(1, total + 1)))  # fmt: skip
    _reset_sequences()
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    seconds = time.perf_counter() - start
    print(f"built: {total:,} members, {len(cells):,} cells, {len(committees):,} committees "
          f"in {seconds:.1f} s ({connection.vendor})")  # fmt: skip
    return {"cycle": cycle, "province": province[0], "members": total}


def straightforward_check(cycle: Any, committee: Any) -> int:
    """The breaches of one committee, found the way a typical Django app would."""
    from collections import defaultdict

    from kiemdiem.grading.context import profile_of
    from kiemdiem.grading.models import Decision, MemberConditions, Step, TallyRow
    from kiemdiem.grading.quotas import standing_outcome, views_for
    from kiemdiem.grading.readers import condition_facts
    from kiemdiem.org.models import Member, Organization
    from kiemdiem.reviews.models import SelfReview
    from kiemdiem.rules import Level, SubjectFacts, Votes
    from kiemdiem.rules.classify import classify
    from kiemdiem.rules.tally import unit_context

    profile = profile_of(cycle)
    by_cell: dict[int, list[Any]] = defaultdict(list)
    totals: dict[int, int] = defaultdict(int)
    for cell in Organization.objects.filter(parent=committee).order_by("path"):
        for m in Member.objects.filter(cell=cell).order_by("sort_key"):
            totals[cell.pk] += 1
            cond = MemberConditions.objects.filter(cycle=cycle, member=m).values().first()
            review = SelfReview.objects.filter(cycle__year=cycle.year, member=m).first()
            row = TallyRow.objects.filter(sheet__cycle=cycle, member=m).first()
            f = SubjectFacts(
                id=str(m.pk), name=m.full_name, official=m.official_on is not None,
                admitted_on=m.admitted_on, exempt=m.exempt_since is not None,
                category=m.category, present=row.present if row else True,
                **condition_facts(cond or {}),
                self_level=Level.parse(review.self_level) if review and review.self_level else None,
            )  # fmt: skip
            votes = None
            if row is not None:
                marks = (row.htxsnv, row.httnv, row.htnv, row.khtnv)
                levels = (Level.HTXSNV, Level.HTTNV, Level.HTNV, Level.KHTNV)
                votes = Votes(levels=dict(zip(levels, marks, strict=True)))
            sheet = row.sheet if row is not None else None
            ctx = unit_context([f], profile, cycle.reference_date, 0, totals[cell.pk])
            if sheet is not None and sheet.voters_present is not None:
                import dataclasses

                ctx = dataclasses.replace(ctx, voters_present=sheet.voters_present)
            o = classify(f, votes, profile, ctx)
            decided = (
                Decision.objects.current()
                .filter(cycle=cycle, member=m, step=Step.DECIDE)
                .order_by("-made_at")
                .first()
            )
            level = Level.parse(decided.level) if decided is not None else o.level
            if o.classified:
                by_cell[cell.pk].append(standing_outcome(o, level))
    breaches = 0
    everyone: list[Any] = []
    for cid, outs in by_cell.items():
        everyone += outs
        breaches += sum(v.breach for v in views_for(profile, outs, "cell", str(cid), totals[cid]))
    total = sum(totals.values())
    views = views_for(profile, everyone, "committee", committee.name, total)
    return breaches + sum(v.breach for v in views)


def _baseline(cycle: Any, province: Any, whole: Any) -> None:
    from bench import _compare
    from kiemdiem.grading.recompute import check_chunk
    from kiemdiem.org.models import Organization

    committees = Organization.objects.filter(path__startswith=province.path, kind="dang_bo_co_so")
    first = committees.order_by("path").first()
    ours = _compare.timed(lambda: check_chunk(cycle, first))
    base = _compare.timed(lambda: straightforward_check(cycle, first))
    assert base.value == len(ours.value.breaches), (base.value, len(ours.value.breaches))
    _compare.report(
        f"recompute and quotas, one committee of {ours.value.members:,} members", ours, base
    )
    _compare.report(
        f"recompute and quotas, the province ({whole.value.members:,} members)", whole, base,
        scale=committees.count(), sample="one committee",
    )  # fmt: skip


def run(members: int, reuse: bool) -> None:
    url = _setup(reuse)
    from kiemdiem.cycles.models import Cycle
    from kiemdiem.grading.models import Decision
    from kiemdiem.grading.quotas import superior_counts
    from kiemdiem.grading.recompute import check_tree
    from kiemdiem.org.models import Member, Organization

    if reuse and Cycle.objects.filter(number_symbol="1-KH/TU").exists():
        cycle = Cycle.objects.get(number_symbol="1-KH/TU")
        info = {"cycle": cycle, "province": cycle.organization_id,
                "members": Member.objects.count()}  # fmt: skip
    else:
        info = build(members)
    cycle, province = info["cycle"], Organization.objects.get(pk=info["province"])
    from bench import _compare

    one = _compare.timed(lambda: check_tree(cycle, province))
    workers = os.cpu_count() or 1
    whole = _compare.timed(lambda: check_tree(cycle, province, workers=workers))
    assert len(whole.value.breaches) == len(one.value.breaches)
    result, seconds = whole.value, whole.seconds
    print(f"recompute and check quotas, one process: {one.seconds:.1f} s; "
          f"{workers} processes: {seconds:.1f} s")  # fmt: skip
    print(f"recompute and check quotas, whole province: {seconds:.1f} s — "
          f"{result.members:,} members ({result.members / seconds:,.0f}/s), "
          f"{result.cells:,} cells, {result.grassroots:,} committees, {result.chunks} chunks, "
          f"{len(result.breaches):,} breaches")  # fmt: skip
    start = time.perf_counter()
    from kiemdiem.grading.context import profile_of

    grassroots = dict(Organization.objects.filter(kind="dang_bo_co_so").values_list("pk", "name"))
    counts = superior_counts(profile_of(cycle), Decision.objects.filter(cycle=cycle), {},
                             grassroots)  # fmt: skip
    seconds = time.perf_counter() - start
    flagged = sum(1 for c in counts if c.breach)
    print(f"superior overview from decisions (one GROUP BY): {seconds:.2f} s — "
          f"{len(counts):,} committees, {flagged:,} in breach")  # fmt: skip
    _baseline(cycle, province, whole)
    print(f"database: {url.split('@')[-1] if '@' in url else url}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    pg = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    size = int(args[0]) if args else (PG_DEFAULT if pg else SQLITE_DEFAULT)
    run(size, "--reuse" in sys.argv)
