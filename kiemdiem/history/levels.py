"""A subject's level per year: imported results of earlier years merged with the levels
decided in the system (grading's current "decide" decisions). For a year in which the system
decided a subject, the decision wins and the imported row is only kept for reference; the
imported rows fill the other years. Set-based over a whole subtree: two queries whatever its
size (`results_by_year`), or GROUP BYs for counts (`level_counts`): a few queries, one more
for each year the system ran, whatever the subtree's size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from kiemdiem.cycles.models import Cycle
from kiemdiem.grading.models import Decision, Step
from kiemdiem.history.models import PastResult
from kiemdiem.org.models import Organization

IMPORTED, SYSTEM = "import", "system"
SOURCE_NAMES = {IMPORTED: "Nhập từ tệp", SYSTEM: "Quyết định trong hệ thống"}
# Where each kind of subject sits in the tree, as a path and as an organization id.
_PATH = {
    "m": "member__cell__path",
    "o": "organization__path",
    "c": "collective__organization__path",
}
PLACE = {"m": "member__cell_id", "o": "organization_id", "c": "collective__organization_id"}


@dataclass(frozen=True, slots=True)
class YearResult:
    level: str
    source: str  # IMPORTED or SYSTEM
    exemplary: bool = False
    reward: str = ""
    file: str = ""  # the imported file's name

    @property
    def source_name(self) -> str:
        return SOURCE_NAMES[self.source]


def _in_tree(kind: str, root: Organization) -> Q:
    return Q(subject_type=kind, **{f"{_PATH[kind]}__startswith": root.path})


def decisions(kind: str, root: Organization, years: Iterable[int] | None) -> QuerySet[Decision]:
    qs = Decision.objects.current().filter(_in_tree(kind, root), step=Step.DECIDE)
    return qs.filter(cycle__year__in=list(years)) if years is not None else qs


def _years_run(years: list[int] | None) -> dict[int, list[int]]:
    """The years the system ran (a plan exists), with their plans' ids."""
    plans = Cycle.objects.all() if years is None else Cycle.objects.filter(year__in=years)
    run: dict[int, list[int]] = defaultdict(list)
    for pk, year in plans.values_list("pk", "year"):
        run[year].append(pk)
    return dict(run)


def imported(
    kind: str, root: Organization, years: Iterable[int] | None
) -> list[QuerySet[PastResult]]:
    """Imported rows of years the system did not decide for their subject, as a few
    querysets: one for the years without any plan (nothing to compare), one per year with
    plans, whose check for a decision of that subject is an index lookup on the decision's
    (cycle, subject key) rather than a scan per row."""
    wanted = list(years) if years is not None else None
    base = PastResult.objects.filter(_in_tree(kind, root))
    if wanted is not None:
        base = base.filter(year__in=wanted)
    run = _years_run(wanted)
    parts = [base.exclude(year__in=list(run))]
    for year, plans in sorted(run.items()):
        same = Decision.objects.current().filter(
            cycle_id__in=plans, subject_key=OuterRef("subject_key"), step=Step.DECIDE
        )
        parts.append(base.filter(year=year).filter(~Exists(same)))
    return parts


def results_by_year(
    root: Organization,
    kind: str = "m",
    years: Iterable[int] | None = None,
    levels: Collection[str] | None = None,
) -> dict[str, dict[int, YearResult]]:
    """{subject key: {year: result}} for every subject of `kind` in `root`'s subtree. With
    `levels`, only the years at one of them: a streak needs no other (the merge is applied
    first, so a year the system decided at another level stays out)."""
    wanted = list(years) if years is not None else None
    only = Q(level__in=list(levels)) if levels is not None else Q()
    out: dict[str, dict[int, YearResult]] = defaultdict(dict)
    for part in imported(kind, root, wanted):
        rows = part.filter(only).values_list(
            "subject_key", "year", "level", "exemplary", "reward", "source_file"
        )
        for key, year, level, exemplary, reward, file in rows.iterator(5000):
            out[key][year] = YearResult(level, IMPORTED, exemplary, reward, file)
    decided = decisions(kind, root, wanted).filter(only).order_by("made_at", "pk")
    for key, year, level in decided.values_list("subject_key", "cycle__year", "level").iterator(
        5000
    ):
        out[key][year] = YearResult(level, SYSTEM)
    return dict(out)


Counts = dict[tuple[int, int, str], int]  # (organization id, year, level) -> how many


def level_counts(root: Organization, kind: str, years: Iterable[int]) -> Counts:
    """How many subjects of `kind` held each level each year, per organization where they
    sit (a member's current cell; an organization itself; a collective's organization)."""
    wanted = list(years)
    counts: Counts = defaultdict(int)
    place = PLACE[kind]
    for part in imported(kind, root, wanted):
        grouped = part.values_list(place, "year", "level").annotate(n=Count("pk")).order_by()
        for org_id, year, level, n in grouped:
            counts[(org_id, year, level)] += n
    decided = (
        decisions(kind, root, wanted)
        .values_list(place, "cycle__year", "level")
        .annotate(n=Count("pk"))
    )
    for org_id, year, level, n in decided.order_by():
        counts[(org_id, year, level)] += n
    return dict(counts)
