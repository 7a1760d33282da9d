"""Earlier years for the demo commune (2021–2025), as an office would import them, so the
reports and reward lists show something on `make run`. Deterministic: its own
`random.Random(seed)`, never today's date; one bulk insert."""

from __future__ import annotations

import random
from collections.abc import Iterable

from kiemdiem.history.models import PastResult
from kiemdiem.org.models import Collective, Member, Organization

FIRST, LAST = 2021, 2025
# A member's usual standing and the chance of each level in a year, highest first.
DISPOSITIONS = [
    (0.08, (0.92, 0.08, 0.0, 0.0)),  # an excellent member: HTXSNV most years
    (0.74, (0.06, 0.90, 0.04, 0.0)),
    (0.15, (0.0, 0.35, 0.62, 0.03)),
    (0.03, (0.0, 0.10, 0.50, 0.40)),
]
LEVELS = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
EXEMPLARY_CELLS = ("TL-CQ", "TL-THCS")  # TSVM tiêu biểu every year: the reward list's cells


def earlier_years(
    seed: int, members: Iterable[Member], cells: Iterable[Organization], reward_to: str
) -> int:
    rng = random.Random(seed * 7919 + 1)
    rows: list[PastResult] = []
    for m in sorted(members, key=lambda m: m.code):
        weights = rng.choices([d[1] for d in DISPOSITIONS], [d[0] for d in DISPOSITIONS])[0]
        official = m.official_on.year if m.official_on else LAST + 1
        for year in range(max(FIRST, official), LAST + 1):
            level = rng.choices(LEVELS, weights)[0]
            exemplary = level == "HTXSNV" and rng.random() < 0.3
            reward = reward_to if exemplary and rng.random() < 0.5 else ""
            rows.append(PastResult(subject_type="m", member=m, year=year, level=level,
                                   exemplary=exemplary, reward=reward))  # fmt: skip
    for cell in sorted(cells, key=lambda c: c.code):
        for year in range(FIRST, LAST + 1):
            if cell.code in EXEMPLARY_CELLS:
                level = "tsvm_tieu_bieu"
            else:
                level = rng.choices(["tsvm_tieu_bieu", "tsvm", "chua_tsvm"], [0.1, 0.6, 0.3])[0]
            rows.append(PastResult(subject_type="o", organization=cell, year=year, level=level))
    for c in Collective.objects.filter(organization__in=list(cells)).order_by("pk"):
        for year in range(FIRST, LAST + 1):
            level = rng.choices(LEVELS[:3], [0.15, 0.75, 0.10])[0]
            rows.append(PastResult(subject_type="c", collective=c, year=year, level=level))
    for r in rows:
        r.fill_key()
    PastResult.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
