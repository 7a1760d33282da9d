"""The demo commune (issue 2 §7): deterministic, realistic, every special case of domain.md §1."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F

from kiemdiem.accounts.access import grants
from kiemdiem.accounts.models import OfficeRole, Role
from kiemdiem.org.choices import Category, Gender, OrgKind, Suspension
from kiemdiem.org.demo import DEMO_PASSWORD, REFERENCE_DATE, build_demo
from kiemdiem.org.demo_names import FAMILY_WEIGHTED
from kiemdiem.org.models import (
    Collective,
    Member,
    Organization,
    Position,
    add_months,
    member_errors,
)
from tests.conftest import TEST_SECRET_KEY

pytestmark = pytest.mark.django_db

LINKS = ("cell", "temporary_cell", "former_cell", "residence_cell", "party_group", "user")


def _fingerprint() -> str:
    """Everything the demo writes, in a stable order, with codes in place of database ids."""
    member_fields = [f.attname for f in Member._meta.concrete_fields]
    members = [
        {k: v for k, v in row.items() if k != "id" and k.removesuffix("_id") not in LINKS}
        for row in Member.objects.order_by("code").values(
            *member_fields, *(f"{link}__code" for link in LINKS[:-1]), "user__username"
        )
    ]
    data = [
        list(Organization.objects.order_by("code").values_list(
            "code", "name", "kind", "parent__code", "depth")),
        list(Collective.objects.order_by("organization__code", "name").values_list(
            "organization__code", "kind", "name")),
        members,
        list(Position.objects.order_by("member__code", "title", "start_on", "pk").values_list(
            "member__code", "title", "collective__name", "organization__code", "rank",
            "is_leader", "start_on", "end_on")),
        list(get_user_model().objects.order_by("username").values_list(
            "username", "first_name", "last_name", "is_superuser")),
        sorted(OfficeRole.objects.values_list("user__username", "role", "organization__code")),
    ]  # fmt: skip
    return hashlib.sha256(repr(data).encode()).hexdigest()


def _wipe() -> None:
    for model in (Position, Member, Collective, OfficeRole, get_user_model()):
        model.objects.all().delete()
    for depth in sorted(set(Organization.objects.values_list("depth", flat=True)), reverse=True):
        Organization.objects.filter(depth=depth).delete()  # parents are protected: leaves first


def test_demo_is_deterministic() -> None:
    """Same seed, same data — organizations, collectives, every member field (codes, names,
    dates), positions, users and roles — whatever the day it runs; another seed differs."""
    build_demo(2023)
    first = _fingerprint()
    _wipe()
    build_demo(2023)
    assert _fingerprint() == first
    _wipe()
    build_demo(7)
    assert _fingerprint() != first


def test_a_commune_of_twelve_cells_and_about_350_members() -> None:
    """Issue 2 §7: a đảng ủy with ~12 cells and ~350 members under the province (no district
    level since 01/7/2025), and a second grassroots organization for scope tests."""
    summary = build_demo()
    commune = Organization.objects.get(kind=OrgKind.GRASSROOTS_COMMITTEE)
    assert commune.name == "Đảng bộ xã Thanh Liên"
    assert commune.parent is not None and commune.parent.kind == OrgKind.PROVINCE
    assert commune.parent.parent is None
    assert commune.children.filter(kind=OrgKind.CELL).count() == 12
    in_commune = Member.objects.in_subtree(commune.path).count()
    assert 330 <= in_commune <= 380
    assert summary.members == Member.objects.count()
    assert Organization.objects.filter(kind=OrgKind.GROUP, parent__name="Chi bộ xóm 1").count() == 2
    other = Organization.objects.get(kind=OrgKind.GRASSROOTS_CELL)
    assert not other.path.startswith(commune.path)
    assert 15 <= other.members.count() <= 25


def test_every_special_case_of_domain_section_1_is_present() -> None:
    """domain.md §1: probationary, exempt, suspended (party and committee only), temporary
    (also in another grassroots organization), transferred (from inside and outside the tree,
    less and more than 6 months ago), new < 6 months, every category, residence cells."""
    build_demo()
    members = Member.objects
    six_months_ago = add_months(REFERENCE_DATE, -6)
    cases = {
        "probationary": members.filter(official_on__isnull=True),
        "probationary_not_new": members.filter(
            official_on__isnull=True, admitted_on__lte=six_months_ago
        ),
        "exempt": members.filter(exempt_since__isnull=False),
        "suspended": members.filter(suspension=Suspension.PARTY),
        "suspended_from_committee_holding_a_committee_post": members.filter(
            suspension=Suspension.COMMITTEE, positions__collective__kind="chi_uy"
        ),
        "temporary": members.filter(temporary_cell__isnull=False),
        "temporary_in_tree": members.filter(temporary_cell__kind=OrgKind.CELL),
        "temporary_elsewhere": members.filter(temporary_cell__kind=OrgKind.GRASSROOTS_CELL),
        "transferred_in_tree": members.filter(former_cell__isnull=False),
        "transferred_from_outside": members.exclude(former_cell_name=""),
        "transferred_recently": members.filter(transferred_on__gt=six_months_ago),
        "transferred_6_months_ago_or_more": members.filter(transferred_on__lte=six_months_ago),
        "new": members.filter(admitted_on__gt=six_months_ago),
        "ccvc_with_residence_cell": members.filter(
            category=Category.CCVC, residence_cell__isnull=False
        ),
        "in_party_group": members.filter(party_group__isnull=False),
        **{f"category_{c}": members.filter(category=c) for c in Category.values},
    }
    missing = [name for name, qs in cases.items() if not qs.exists()]
    assert missing == []


def test_categories_fit_the_cells() -> None:
    """domain.md §1: villages hold farmers, retired, business people and workers; schools,
    health and offices CCVC; police and military cells armed forces."""
    build_demo()
    by_cell = Counter(Member.objects.values_list("cell__code", "category"))
    for (cell, category), _ in by_cell.items():
        if cell in ("TL-THCS", "TL-TH", "TL-MN", "TL-YT", "TL-CQ", "THPT-TC3"):
            assert category == Category.CCVC, cell
        elif cell in ("TL-CA", "TL-QS"):
            assert category == Category.ARMED_FORCES, cell
        else:
            assert category not in (Category.CCVC, Category.ARMED_FORCES), cell


@pytest.mark.parametrize("seed", [2023, 1, 99])
def test_every_member_passes_the_invariants(seed: int) -> None:
    """The model invariants (member_errors: 18 at admission, official 12 months later, one
    official cell, temporary ≠ official, …) hold for every member, whatever the seed."""
    build_demo(seed)
    bad = {
        m.code: errors
        for m in Member.objects.select_related("cell", "party_group", "temporary_cell")
        if (errors := member_errors(m, today=REFERENCE_DATE))
    }
    assert bad == {}
    assert not Member.objects.filter(official_on__lt=F("admitted_on")).exists()


def test_names_are_realistic_vietnamese_names() -> None:
    """Family names by frequency (Nguyễn first), gendered middle names (Thị only for women),
    full diacritics, no two namesakes in one cell, sort keys filled for Vietnamese order."""
    build_demo()
    families = {family for family, _ in FAMILY_WEIGHTED}
    rows = list(Member.objects.values_list("full_name", "gender", "cell_id", "sort_key"))
    counts = Counter(name.split()[0] for name, *_ in rows)
    assert counts.most_common(1)[0][0] == "Nguyễn"
    for name, gender, _, sort_key in rows:
        words = name.split()
        assert len(words) >= 3 and words[0] in families, name
        assert sort_key
        if "Thị" in words[1:-1]:
            assert gender == Gender.FEMALE, name
    assert len({(cell, name) for name, _, cell, _ in rows}) == len(rows)
    assert any(ch in "ăâđêôơư" for name, *_ in rows for ch in name.lower())


def test_collectives_and_positions() -> None:
    """domain.md §1: the collectives of a commune, heads and deputies, one ended post, and
    leaders with more than three posts (000 §2.2: review in at most three places)."""
    build_demo()
    kinds = set(Collective.objects.values_list("kind", flat=True))
    assert {"bch", "btv", "ubnd", "hdnd", "mttq", "doan_tn", "hoi_phu_nu", "hoi_nong_dan",
            "hoi_ccb", "cong_doan", "bgh", "tram_y_te", "chi_uy"} <= kinds  # fmt: skip
    assert Position.objects.filter(rank="head", collective__kind="ubnd").count() == 1
    current_deputies = Position.objects.filter(
        rank="deputy", collective__kind="ubnd", end_on__isnull=True
    )
    assert current_deputies.count() == 2
    assert Position.objects.filter(end_on__isnull=False, end_on__lte=REFERENCE_DATE).exists()
    busy = Member.objects.annotate(n=Count("positions")).filter(n__gt=3)
    assert busy.count() >= 3
    for collective in Collective.objects.all():
        heads = collective.positions.filter(rank="head", end_on__isnull=True)
        assert heads.count() == 1, collective.name
    head_and_deputy = Position.objects.filter(rank="head").filter(
        member__positions__rank="deputy", member__positions__collective=F("collective")
    )
    assert not head_and_deputy.exists()


def test_leaders_fit_their_posts() -> None:
    """Realism: heads of collectives and cell secretaries are adults of some standing, with
    years in the Party; the veterans' chair is not a young man; the Youth Union's secretary
    is young."""
    build_demo()
    for p in Position.objects.filter(rank="head").select_related("member"):
        age = (REFERENCE_DATE - p.member.birth_date).days // 365
        party_years = (REFERENCE_DATE - p.member.admitted_on).days // 365
        assert age >= 26 and party_years >= 3, (p.title, p.member.full_name, age)
        assert p.member.official_on is not None
    veterans = Member.objects.get(positions__title="Chủ tịch Hội Cựu chiến binh xã")
    assert veterans.birth_date <= dt.date(REFERENCE_DATE.year - 50, 12, 31)
    youth = Member.objects.get(positions__title="Bí thư Đoàn xã")
    assert youth.birth_date >= dt.date(REFERENCE_DATE.year - 31, 1, 1)


def test_demo_logins_have_their_roles() -> None:
    """Issue 2 §5: one login per role; the secretary and the member are members of xóm 1."""
    build_demo()
    roles = dict(OfficeRole.objects.values_list("user__username", "role"))
    assert roles == {
        "vanphong": Role.COMMITTEE_OFFICE,
        "bithu.xom1": Role.CELL_SECRETARY,
        "bantochuc": Role.SUPERIOR_REVIEWER,
        "bithu.thpt": Role.CELL_SECRETARY,
    }
    users = get_user_model().objects
    admin = users.get(username="admin")
    assert admin.is_superuser and Role.ADMINISTRATOR in {g.role for g in grants(admin)}
    assert OfficeRole.objects.get(user__username="bantochuc").organization.parent is None
    assert OfficeRole.objects.get(user__username="vanphong").organization.code == "TL"
    plain = Member.objects.get(user__username="dangvien")
    assert plain.cell.name == "Chi bộ xóm 1" and not plain.positions.exists()
    secretary = Member.objects.get(user__username="bithu.xom1")
    assert secretary.positions.filter(title="Bí thư chi bộ", organization__code="TL-X1").exists()
    outsider = Member.objects.get(user__username="bithu.thpt")
    assert outsider.cell.kind == OrgKind.GRASSROOTS_CELL
    for user in users.all():
        assert user.check_password(DEMO_PASSWORD), user.username
        assert len(user.get_full_name().split()) >= 2, user.username


def test_build_uses_a_bounded_number_of_queries(django_assert_max_num_queries: Any) -> None:
    """Design (scale): set-based writes; the build never issues a query per member."""
    with django_assert_max_num_queries(100):
        build_demo()


def test_command_if_empty_is_idempotent_and_refuses_duplicates() -> None:
    """`kiemdiem demo --if-empty` builds once and then skips; plain `demo` on a non-empty
    database refuses with exit code 2 and writes nothing."""
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "đảng viên" in out.getvalue() and "đình chỉ sinh hoạt đảng: 1" in out.getvalue()
    count = Member.objects.count()
    call_command("demo", "--if-empty", stdout=out)
    assert Member.objects.count() == count
    assert "không tạo dữ liệu mẫu" in out.getvalue()
    with pytest.raises(CommandError) as info:
        call_command("demo", stdout=out)
    assert info.value.returncode == 2
    assert Member.objects.count() == count


def test_logins_only_prints_the_table() -> None:
    out = StringIO()
    call_command("demo", "--logins", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for username in ("admin", "vanphong", "bithu.xom1", "bantochuc", "dangvien", "bithu.thpt"):
        assert username in text
    assert not Organization.objects.exists()


def test_command_exit_code_through_the_cli(tmp_path: Any) -> None:
    """The CLI exits 2 with a Vietnamese message, no traceback."""
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": TEST_SECRET_KEY,
    }  # without DEBUG the demo key refuses (issue 13 §3)
    run = [sys.executable, "-m", "kiemdiem"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True)
    first = subprocess.run([*run, "demo"], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    again = subprocess.run([*run, "demo"], env=env, capture_output=True, text=True)
    assert again.returncode == 2
    assert "Cơ sở dữ liệu đã có dữ liệu" in again.stderr
    assert "Traceback" not in again.stderr
