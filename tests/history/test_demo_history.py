"""The demo's earlier years (issue 6 §4): deterministic, and enough for the report and the
reward lists to show something on `make run`."""

from __future__ import annotations

import datetime as dt

import pytest

from kiemdiem.history import reports
from kiemdiem.history.demo import earlier_years
from kiemdiem.history.models import PastResult
from kiemdiem.history.rewards import rewards_page
from kiemdiem.org.demo import build_demo
from kiemdiem.org.models import Member, Organization
from kiemdiem.rules import load_profile

pytestmark = pytest.mark.django_db


def _rows() -> list[tuple[str, int, str, bool]]:
    return sorted(
        # Subject keys hold ids: stable within one database, which is what is compared.
        PastResult.objects.values_list("subject_key", "year", "level", "exemplary")
    )


def test_demo_earlier_years_are_deterministic_and_feed_reports_and_rewards() -> None:
    build_demo()
    first = _rows()
    assert {y for _, y, _, _ in first} == {2021, 2022, 2023, 2024, 2025}
    commune = Organization.objects.get(code="TL")
    cells = Organization.objects.filter(parent=commune, kind="chi_bo")
    members = Member.objects.in_subtree(commune.path)
    PastResult.objects.all().delete()
    earlier_years(2023, list(members), list(cells), "Giấy khen của Đảng ủy xã")
    assert _rows() == first
    assert not PastResult.objects.filter(member__cell__code="THPT-TC3").exists()
    report = reports.build(commune, 2025, dt.date(2026, 1, 1))
    assert report.total.counts["HTXSNV"] > 0 and len(report.units) == 12
    page = rewards_page(commune, 2025, load_profile("dhktna-2016"))
    by_title = {lst.title.split(" — ")[0]: lst for lst in page.lists}
    cells_list = by_title["Chi bộ “Trong sạch vững mạnh” tiêu biểu 5 năm liền"]
    assert sorted(cells_list.named("tied")) == [
        "Chi bộ Cơ quan xã",
        "Chi bộ Trường THCS Thanh Liên",
    ]
    assert by_title["Đảng viên HTXSNV 5 năm liền"].lines
