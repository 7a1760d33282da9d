"""The demo commune (issue 2 §7): deterministic, realistic, every special case of domain.md §1."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from kiemdiem.accounts.models import OfficeRole, Role
from kiemdiem.org.choices import Category, OrgKind, Suspension
from kiemdiem.org.demo import REFERENCE_DATE, build_demo
from kiemdiem.org.models import (
    Collective,
    Member,
    Organization,
    Position,
    add_months,
    member_errors,
)

pytestmark = pytest.mark.django_db


def _fingerprint() -> str:
    rows = Member.objects.order_by("code").values_list(
        "code", "full_name", "birth_date", "admitted_on", "official_on", "cell__code", "category"
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_demo_is_deterministic() -> None:
    """Same seed, same data: codes, names and dates do not depend on the day it runs."""
    build_demo(2023)
    first = _fingerprint()
    for model in (Position, Member, Collective, OfficeRole, get_user_model()):
        model.objects.all().delete()
    for depth in sorted(set(Organization.objects.values_list("depth", flat=True)), reverse=True):
        Organization.objects.filter(depth=depth).delete()  # parents are protected: leaves first
    build_demo(2023)
    assert _fingerprint() == first


def test_a_commune_of_twelve_cells_and_about_350_members() -> None:
    summary = build_demo()
    commune = Organization.objects.get(kind=OrgKind.GRASSROOTS_COMMITTEE)
    assert commune.name == "Đảng bộ xã Thanh Liên"
    assert commune.children.filter(kind=OrgKind.CELL).count() == 12
    assert 330 <= summary.members <= 380
    assert Organization.objects.filter(kind=OrgKind.GROUP).count() == 2


def test_every_special_case_of_domain_section_1_is_present() -> None:
    """domain.md §1: probationary, exempt, suspended (party and committee only), temporary,
    transferred (from inside and outside the tree), new < 6 months, CCVC, retired, students."""
    build_demo()
    members = Member.objects
    six_months_ago = add_months(REFERENCE_DATE, -6)
    cases = {
        "probationary": members.filter(official_on__isnull=True),
        "exempt": members.filter(exempt_since__isnull=False),
        "suspended": members.filter(suspension=Suspension.PARTY),
        "suspended_from_committee": members.filter(suspension=Suspension.COMMITTEE),
        "temporary": members.filter(temporary_cell__isnull=False),
        "temporary_elsewhere": members.filter(temporary_cell__kind=OrgKind.GRASSROOTS_CELL),
        "transferred_in_tree": members.filter(former_cell__isnull=False),
        "transferred_from_outside": members.exclude(former_cell_name=""),
        "new": members.filter(admitted_on__gt=six_months_ago),
        "ccvc_with_residence_cell": members.filter(
            category=Category.CCVC, residence_cell__isnull=False
        ),
        "retired": members.filter(category=Category.RETIRED),
        "student": members.filter(category=Category.STUDENT),
        "armed_forces": members.filter(category=Category.ARMED_FORCES),
        "business": members.filter(category=Category.BUSINESS),
        "in_party_group": members.filter(party_group__isnull=False),
    }
    missing = [name for name, qs in cases.items() if not qs.exists()]
    assert missing == []


def test_every_member_passes_the_invariants() -> None:
    build_demo()
    bad = {
        m.code: errors
        for m in Member.objects.select_related("cell", "party_group", "temporary_cell")
        if (errors := member_errors(m, today=REFERENCE_DATE))
    }
    assert bad == {}


def test_collectives_and_positions() -> None:
    """domain.md §1: the collectives of a commune, heads and deputies, more than three posts."""
    build_demo()
    kinds = set(Collective.objects.values_list("kind", flat=True))
    assert {"bch", "btv", "ubnd", "mttq", "doan_tn", "hoi_phu_nu", "hoi_nong_dan", "hoi_ccb",
            "bgh", "tram_y_te", "chi_uy"} <= kinds  # fmt: skip
    assert Position.objects.filter(rank="head", collective__kind="ubnd").count() == 1
    assert (
        Position.objects.filter(rank="deputy", collective__kind="ubnd", end_on__isnull=True).count()
        == 2
    )
    assert Position.objects.filter(end_on__isnull=False).exists()
    busiest = max(Member.objects.all(), key=lambda m: m.positions.count())
    assert busiest.positions.count() > 3


def test_demo_logins_have_their_roles() -> None:
    build_demo()
    roles = dict(OfficeRole.objects.values_list("user__username", "role"))
    assert roles == {
        "vanphong": Role.COMMITTEE_OFFICE,
        "bithu.xom1": Role.CELL_SECRETARY,
        "bantochuc": Role.SUPERIOR_REVIEWER,
        "bithu.thpt": Role.CELL_SECRETARY,
    }
    assert Member.objects.get(user__username="dangvien").cell.name == "Chi bộ xóm 1"
    secretary = Member.objects.get(user__username="bithu.xom1")
    assert secretary.positions.filter(title="Bí thư chi bộ").exists()


def test_build_uses_a_bounded_number_of_queries(django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(150):
        build_demo()


def test_command_if_empty_is_idempotent_and_refuses_duplicates() -> None:
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    count = Member.objects.count()
    call_command("demo", "--if-empty", stdout=out)
    assert Member.objects.count() == count
    assert "không tạo dữ liệu mẫu" in out.getvalue()
    with pytest.raises(CommandError) as info:
        call_command("demo", stdout=out)
    assert info.value.returncode == 2
    assert Member.objects.count() == count


def test_command_exit_code_through_the_cli(tmp_path: Any) -> None:
    """The CLI exits 2 with a Vietnamese message, no traceback."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "kiemdiem"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True)
    first = subprocess.run([*run, "demo"], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    again = subprocess.run([*run, "demo"], env=env, capture_output=True, text=True)
    assert again.returncode == 2
    assert "Cơ sở dữ liệu đã có dữ liệu" in again.stderr
    assert "Traceback" not in again.stderr
