"""The API over a committee of 50,000 members in 250 cells, with a personal token, on a
throw-away SQLite database (or DATABASE_URL if set — use an empty database): median time and
queries per call, as a phone app or another system would make them. Prints figures; never
fails.

Beside two of the calls (issue 16 §1), the same answer the straightforward way, called
directly (no HTTP, which favours it): the member page serialized by the same schema without
select_related (each member's cell and group read on first use), and the subtree counts as
one COUNT per child and status.

    .venv/bin/python bench/bench_api.py [MEMBERS]
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def main() -> None:
    members = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    sys.path.insert(0, str(ROOT))
    from bench import _compare, _django

    _django.setup()
    from django.core import signals
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kiemdiem.api.tokens import create_token
    from kiemdiem.org.choices import Category, Gender, OrgKind
    from kiemdiem.org.models import Member
    from tests.builders import Role, grant, make_org, make_user

    start = time.perf_counter()
    root = make_org("Đảng bộ tỉnh Lớn", OrgKind.PROVINCE, code="BIG")
    committee = make_org("Đảng bộ Khối Lớn", OrgKind.GRASSROOTS_COMMITTEE, root, code="BIG-K")
    cells = [make_org(f"Chi bộ {i}", OrgKind.CELL, committee, code=f"BIG-{i}") for i in range(250)]
    family, middle = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"], ["Văn", "Thị", "Hữu", "Minh"]
    given = ["An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Nam"]
    categories = list(Category)
    rows = []
    for i in range(members):
        admitted = dt.date(1990 + i % 34, 1 + i % 12, 1 + i % 28)
        rows.append(Member(
            code=f"B{i:07d}", full_name=f"{family[i % 5]} {middle[i % 4]} {given[i % 7]}",
            gender=Gender.FEMALE if i % 3 else Gender.MALE,
            birth_date=dt.date(1950 + i % 40, 1 + i % 12, 1 + i % 28), cell=cells[i % 250],
            admitted_on=admitted,
            official_on=None if i % 17 == 0 else admitted.replace(year=admitted.year + 1),
            category=categories[i % len(categories)],
        ))  # fmt: skip
    Member.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    clerk = make_user("big-clerk")
    grant(clerk, Role.COMMITTEE_OFFICE, committee)
    _, token = create_token(None, clerk, "bench")
    print(f"built 250 cells / {members:,} members in {time.perf_counter() - start:.1f} s "
          f"({connection.vendor})")  # fmt: skip
    signals.request_finished.disconnect(close_old_connections)
    client = Client(HTTP_HOST="127.0.0.1", headers={"Authorization": f"Bearer {token}"})
    calls = {
        "organization with subtree counts": f"/api/v1/organizations/{committee.pk}",
        "organizations, 200 a page": "/api/v1/organizations?limit=200",
        "members, first 200": "/api/v1/members?limit=200",
        "members, 200 at offset 49,800": f"/api/v1/members?limit=200&offset={members - 200}",
        "members, search 'nguyen van an'": "/api/v1/members?q=nguyen%20van%20an&limit=200",
        "members, filter probationary": "/api/v1/members?status=du_bi&limit=200",
        "openapi.json": "/api/v1/openapi.json",
    }
    medians: dict[str, Any] = {}
    for name, url in calls.items():
        client.get(url)  # warm
        times = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - t)
            assert response.status_code == 200, (url, response.content[:200])
        print(f"{name:34s} median {statistics.median(times) * 1000:7.1f} ms, "
              f"{len(queries)} queries, {len(response.content) / 1024:6.1f} KiB")  # fmt: skip
        medians[name] = _compare.Timed(statistics.median(times), len(queries), None)
    _baselines(committee, members, medians)


def _baselines(committee: Any, members: int, medians: dict[str, Any]) -> None:
    from bench import _compare
    from kiemdiem.api.routers.members import MemberOut
    from kiemdiem.org.models import Member
    from kiemdiem.web.views import STATUS_FILTERS, _filter_status

    def member_page(offset: int) -> list[dict[str, Any]]:
        qs = Member.objects.filter(cell__path__startswith=committee.path).vietnamese_order()
        qs.count()
        return [MemberOut.from_orm(m).dict() for m in qs[offset : offset + 200]]

    def subtree_counts() -> dict[int, list[int]]:
        out = {}
        for child in committee.children.order_by("path"):
            qs = Member.objects.filter(cell__path__startswith=child.path)
            out[child.pk] = [qs.count()] + [
                _filter_status(qs, k).count() for k, _ in STATUS_FILTERS
            ]
        return out

    runs = {
        "organization with subtree counts": subtree_counts,
        "members, first 200": lambda: member_page(0),
        "members, 200 at offset 49,800": lambda: member_page(members - 200),
    }
    for name, fn in runs.items():
        fn()  # warm, as the API's calls were
        best = min((_compare.timed(fn) for _ in range(3)), key=lambda t: t.seconds)
        _compare.report(f"API {name}", medians[name], best)


if __name__ == "__main__":
    main()
