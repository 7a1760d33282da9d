"""Speed is designed (issue 4, Done when): the progress dashboard of a committee with 1,000
cells and 50,000 members renders with a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.cycles.big_progress import build

# Session, user, grants, the plan, the unit, its steps, the year's plans, the six counts,
# the subtree: the same for 10 cells or 1,000.
MAX_QUERIES = 16
# Issue #11: the dashboard's "đơn vị chậm" badge counts the reminder list itself (its six
# set-based queries), so the badge and the reminder page give one number.
MAX_DASHBOARD_QUERIES = MAX_QUERIES + 6


@pytest.mark.slow
@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC))
def test_dashboard_of_1000_cells_and_50000_members(django_assert_max_num_queries: Any) -> None:
    _committee, cycle, clerk = build()
    client = Client()
    client.force_login(clerk)
    url = reverse("progress", args=[cycle.pk])
    client.get(url)  # warm the template cache
    with django_assert_max_num_queries(MAX_DASHBOARD_QUERIES):
        start = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - start
    assert response.status_code == 200
    print(f"progress dashboard, 1,000 cells / 50,000 members: {seconds * 1000:.0f} ms")
    data = response.context["data"]
    reviews = next(m for m in data.total.measures if m.key == "reviews")
    assert (reviews.done, reviews.expected) == (18_750, 50_000) and reviews.late
    meetings = next(m for m in data.total.measures if m.key == "meetings")
    assert (meetings.done, meetings.expected) == (500, 1000) and not meetings.late
    assert len(data.units) == 1000 and len(response.context["units"]) == 50
    with django_assert_max_num_queries(MAX_DASHBOARD_QUERIES):
        page = client.get(url + "?trang=20")
    assert page.status_code == 200 and page.context["page"] == 20
