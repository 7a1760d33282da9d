"""Who is reviewed where (issue 4 §3; domain.md §1, §3), on the demo commune."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from kiemdiem.cycles.models import Subject, SubjectKind
from kiemdiem.cycles.services import open_cycle
from kiemdiem.cycles.subjects import correct, rebuild
from kiemdiem.org.choices import Suspension
from kiemdiem.org.demo import build_demo
from kiemdiem.org.models import Member, Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(db: None) -> Any:
    build_demo()
    office = get_user_model().objects.get(username="vanphong")
    c = open_cycle(
        office,
        Organization.objects.get(code="TL"),
        year=2026,
        title="Kế hoạch kiểm điểm năm 2026",
        number_symbol="52-KH/ĐU",
        issued_on=dt.date(2026, 11, 2),
        reference_date=dt.date(2026, 11, 20),
        profile_id="qd366-2025",
        template_id="thanhlien-2023",
    )
    rebuild(office, c)
    return c


def _kinds(cycle: Any, member: Member) -> dict[str, str]:
    rows = Subject.objects.filter(cycle=cycle, member=member).select_related("place", "collective")
    return {(r.place or r.collective).name: r.kind for r in rows}  # type: ignore[union-attr]


def test_every_member_of_the_subtree_has_a_row(cycle: Any) -> None:
    in_tree = Member.objects.filter(cell__path__startswith=cycle.organization.path).count()
    at_cells = Subject.objects.filter(cycle=cycle, place__isnull=False)
    assert at_cells.values("member").distinct().count() >= in_tree


def test_exempt_new_and_suspended_are_not_reviewed_under_qd124_and_later(cycle: Any) -> None:
    """domain.md §1 and QĐ 124 (inherited by QĐ 366): exempt, new (< 6 months) and suspended
    members are not reviewed."""
    for member in (
        Member.objects.filter(exempt_since__isnull=False).first(),
        Member.objects.filter(suspension=Suspension.PARTY).first(),
        Member.objects.filter(admitted_on__gt=dt.date(2026, 5, 20)).first(),
    ):
        assert member is not None
        assert set(_kinds(cycle, member).values()) == {SubjectKind.EXCLUDED}


def test_temporary_member_reviewed_there_classified_at_home(cycle: Any) -> None:
    """domain.md §1: reviewed at the temporary cell, classified at the official cell."""
    teacher = Member.objects.get(temporary_cell__code="TL-X1")
    kinds = _kinds(cycle, teacher)
    assert kinds["Chi bộ xóm 1"] == SubjectKind.REVIEW_ONLY
    assert kinds["Chi bộ Trường Tiểu học Thanh Liên"] == SubjectKind.CLASSIFY_ONLY


def test_leaders_at_most_three_places_and_report_elsewhere(cycle: Any) -> None:
    """000 §2.2: more than three posts → review at the cell, the highest post and the post
    they chair; report elsewhere."""
    secretary = Member.objects.get(
        positions__title="Bí thư Đảng ủy", positions__collective__kind="bch"
    )
    kinds = _kinds(cycle, secretary)
    reviewed = [k for k in kinds.values() if k != SubjectKind.REPORT_ONLY]
    assert len(reviewed) <= 3
    assert kinds["Ban Thường vụ Đảng ủy xã"] == SubjectKind.REVIEW_ONLY
    assert SubjectKind.REPORT_ONLY in kinds.values()


def test_corrections_need_a_reason_and_survive_a_rebuild(cycle: Any) -> None:
    office = get_user_model().objects.get(username="vanphong")
    row = Subject.objects.filter(cycle=cycle, kind=SubjectKind.REVIEW_AND_CLASSIFY).first()
    assert row is not None
    with pytest.raises(ValidationError):
        correct(office, row, SubjectKind.EXCLUDED, " ")
    correct(office, row, SubjectKind.EXCLUDED, "Đi lao động nước ngoài cả năm")
    rebuild(office, cycle)
    row.refresh_from_db()
    assert row.kind == SubjectKind.EXCLUDED and row.correction
    outsider = get_user_model().objects.get(username="bithu.thpt")
    with pytest.raises(PermissionDenied):
        rebuild(outsider, cycle)


def test_page_is_scoped_and_bounded(cycle: Any, django_assert_max_num_queries: Any) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username="bithu.xom1"))
    client.get(reverse("cycle_list"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("subject_list", args=[cycle.pk]))
    names = {s.member.cell.code for s in response.context["page"]}
    assert names <= {"TL-X1", "TL-TH"}  # their cell, and the teacher attending it
    assert response.context["can_edit"] is False
