"""Member counts for a part of the tree, in a fixed number of queries however large it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from kiemdiem.org.choices import Category, Suspension
from kiemdiem.org.models import PATH_STEP, Member, Organization, add_months

# (key, Vietnamese label) of the status counts shown on the overview, in display order.
STATUS_LABELS: list[tuple[str, str]] = [
    ("total", "Tổng số đảng viên"),
    ("official", "Chính thức"),
    ("probationary", "Dự bị"),
    ("new", "Mới kết nạp dưới 6 tháng"),
    ("exempt", "Miễn công tác và sinh hoạt"),
    ("suspended", "Đình chỉ sinh hoạt đảng"),
    ("temporary", "Sinh hoạt tạm thời nơi khác"),
    ("transferred", "Chuyển đến trong 12 tháng"),
    ("female", "Nữ"),
]


def _status_aggregates(today: dt.date) -> dict[str, Count]:
    return {
        "total": Count("pk"),
        "official": Count("pk", filter=Q(official_on__isnull=False)),
        "probationary": Count("pk", filter=Q(official_on__isnull=True)),
        "new": Count("pk", filter=Q(admitted_on__gt=add_months(today, -6))),
        "exempt": Count("pk", filter=Q(exempt_since__isnull=False)),
        "suspended": Count("pk", filter=Q(suspension=Suspension.PARTY)),
        "temporary": Count("pk", filter=Q(temporary_cell__isnull=False)),
        "transferred": Count("pk", filter=Q(transferred_on__gt=add_months(today, -12))),
        "female": Count("pk", filter=Q(gender="nu")),
    }


@dataclass
class Counts:
    status: dict[str, int] = field(default_factory=lambda: {k: 0 for k, _ in STATUS_LABELS})
    category: dict[str, int] = field(default_factory=lambda: {c.value: 0 for c in Category})

    def add(self, row: dict[str, int]) -> None:
        for key in self.status:
            self.status[key] += row[key]

    @property
    def total(self) -> int:
        return self.status["total"]

    def status_rows(self) -> list[tuple[str, str, int]]:
        return [(k, label, self.status[k]) for k, label in STATUS_LABELS]

    def category_rows(self) -> list[tuple[str, str, int]]:
        return [(c.value, c.label, self.category[c.value]) for c in Category]


@dataclass
class Overview:
    organization: Organization
    counts: Counts
    children: list[tuple[Organization, Counts]]


def overview(
    org: Organization, members: QuerySet[Member], today: dt.date | None = None
) -> Overview:
    """Counts for `org` and for each of its children's subtrees.

    Three queries: the children, the status counts grouped by cell, the category counts
    grouped by cell. Per-cell rows are rolled up to the children by path prefix in Python:
    there are at most a few thousand cells even in a province.
    """
    today = today or dt.date.today()
    children = list(org.children.order_by("path"))
    scoped = members.filter(cell__path__startswith=org.path)
    by_cell = scoped.values("cell__path").annotate(**_status_aggregates(today))
    by_category = scoped.values("cell__path", "category").annotate(n=Count("pk"))

    total = Counts()
    child_counts = {c.path: Counts() for c in children}

    def owner(path: str) -> Counts | None:
        return child_counts.get(path[: len(org.path) + PATH_STEP + 1])

    for row in by_cell:
        total.add(row)
        target = owner(row["cell__path"])
        if target is not None:
            target.add(row)
    for row in by_category:
        total.category[row["category"]] = total.category.get(row["category"], 0) + row["n"]
        target = owner(row["cell__path"])
        if target is not None:
            target.category[row["category"]] = target.category.get(row["category"], 0) + row["n"]
    return Overview(org, total, [(c, child_counts[c.path]) for c in children])
