"""Making up demo members: names, birth and admission dates that fit a category or a post.

Everything comes from one `random.Random` and a fixed reference date, so a seed gives the
same people, codes and dates on every machine and every day.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from kiemdiem.org.choices import Category, Gender
from kiemdiem.org.demo_names import (
    FAMILY_WEIGHTED,
    GIVEN_FEMALE,
    GIVEN_MALE,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
)
from kiemdiem.org.models import Member, Organization, add_months

# The 2026 cycle; fixed (never today) so the demo is reproducible and "new" stays new.
REFERENCE_DATE = dt.date(2026, 11, 20)

# Ages by category; members of other categories are of working age.
YOUNGEST: dict[str, int] = {Category.STUDENT: 19, Category.RETIRED: 62}
OLDEST: dict[str, int] = {Category.STUDENT: 23, Category.RETIRED: 85, Category.ARMED_FORCES: 50}


class People:
    """Draws members and their posts; names are unique within a cell so lists stay readable
    (a real cell tells two namesakes apart by a nickname the demo does not have)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.serial = 0
        self.members: list[Member] = []
        self.positions: list[tuple[Member, dict[str, object]]] = []
        self.taken: dict[str, set[str]] = defaultdict(set)
        families, weights = zip(*FAMILY_WEIGHTED, strict=True)
        self.families, self.weights = list(families), list(weights)

    def name(self, cell_code: str, gender: str) -> str:
        rng, taken = self.rng, self.taken[cell_code]
        male = gender == Gender.MALE
        middles, givens = (MIDDLE_MALE, GIVEN_MALE) if male else (MIDDLE_FEMALE, GIVEN_FEMALE)
        name = ""
        for _ in range(50):
            family = rng.choices(self.families, self.weights)[0]
            name = f"{family} {rng.choice(middles)} {rng.choice(givens)}"
            if name not in taken:
                break
        taken.add(name)
        return name

    def dates(self, youngest: int, oldest: int, party_months: int) -> tuple[dt.date, dt.date]:
        """A birth date, and an admission at 18 or later and at least `party_months` ago."""
        rng = self.rng
        age = rng.randint(youngest, oldest)
        birth = dt.date(REFERENCE_DATE.year - age, rng.randint(1, 12), rng.randint(1, 28))
        earliest = add_months(birth, 18 * 12 + 1)
        latest = add_months(REFERENCE_DATE, -party_months)
        span = max((latest - earliest).days, 0)
        return birth, earliest + dt.timedelta(days=rng.randint(0, span))

    def member(self, cell: Organization, category: str, female_share: float) -> Member:
        self.serial += 1
        gender = Gender.FEMALE if self.rng.random() < female_share else Gender.MALE
        # Official 12 months after admission, so everyone drawn here is already official.
        birth, admitted = self.dates(YOUNGEST.get(category, 24), OLDEST.get(category, 60), 13)
        m = Member(
            # Card numbers: 42… for the commune, 43… for the other grassroots organization.
            code=f"{42 if cell.code.startswith('TL') else 43}{self.serial:06d}",
            full_name=self.name(cell.code, gender),
            gender=gender,
            birth_date=birth,
            cell=cell,
            admitted_on=admitted,
            official_on=add_months(admitted, 12),
            category=category,
        )
        self.members.append(m)
        return m

    def fit(
        self,
        m: Member,
        youngest: int,
        oldest: int,
        *,
        party_years: int = 8,
        gender: str | None = None,
        category: str | None = None,
    ) -> Member:
        """Redraw a member to suit a post: a village secretary is not a 20-year-old student,
        a veterans' chair is not 25, a commune police chief is rarely a woman."""
        if gender is not None and gender != m.gender:
            self.taken[m.cell.code].discard(m.full_name)
            m.gender, m.full_name = gender, self.name(m.cell.code, gender)
        if category is not None:
            m.category = category
        m.birth_date, m.admitted_on = self.dates(youngest, oldest, party_years * 12)
        m.official_on = add_months(m.admitted_on, 12)
        return m

    def position(self, member: Member, title: str, start_on: dt.date, **where: object) -> None:
        self.positions.append((member, {"title": title, "start_on": start_on, **where}))
