"""Which comments a member needs (issue 4 §6), one test per kind with the seed section it
checks; the rules come from requirements.yaml and a cycle's profile may override them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kiemdiem.feedback.models import FeedbackKind
from kiemdiem.feedback.requirements import Need, required_feedback
from kiemdiem.org.choices import Category, CollectiveKind, PositionRank
from kiemdiem.org.models import Collective, Member, Position
from tests.builders import make_cycle, make_member

pytestmark = pytest.mark.django_db
D = dt.date


def needs_of(cycle: Any, member: Member) -> dict[str, Need]:
    return {n.kind: n for n in required_feedback(cycle) if n.member_id == member.pk}


def post(member: Member, collective: Collective, **kw: Any) -> Position:
    values = {"title": "Chủ tịch", "rank": PositionRank.HEAD, "start_on": D(2024, 1, 1)}
    values.update(kw)
    return Position.objects.create(member=member, collective=collective, **values)


def test_residence_comment_for_a_workplace_member(world: Any) -> None:
    """000 §1.4.1b, QĐ 213-QĐ/TW: the workplace committee asks the residence cell (Mẫu 03)
    about a member attending at their workplace cell."""
    w = world
    w.members["binh"].category = Category.CCVC
    w.members["binh"].residence_cell = w.orgs["cell2"]
    w.members["binh"].save()
    cycle = make_cycle(w.orgs["commune"])
    need = needs_of(cycle, w.members["binh"])[FeedbackKind.RESIDENCE]
    assert need.from_organization_id == w.orgs["cell1"].pk
    assert need.to_organization_id == w.orgs["cell2"].pk
    assert "KH 44-KH/ĐU, mục 1.4.1b" in need.reason
    # A member who lives where their cell is needs no residence comment.
    assert FeedbackKind.RESIDENCE not in needs_of(cycle, w.members["an"])


def test_residence_can_be_limited_to_categories_by_the_profile(world: Any) -> None:
    """000 §1.4.1b names CCVC members; a plan may limit Mẫu 03 to them (profile override)."""
    w = world
    w.members["binh"].residence_cell = w.orgs["cell2"]
    w.members["binh"].save()  # a farmer
    snapshot = make_cycle(w.orgs["province"], year=2020).profile_snapshot
    snapshot["feedback"] = {"kinds": {"residence": {"categories": ["ccvc"]}}}
    cycle = make_cycle(w.orgs["commune"], snapshot=snapshot)
    assert needs_of(cycle, w.members["binh"]) == {}


def test_workplace_comment_for_a_leader(world: Any) -> None:
    """000 §1.4.1b "Lấy ý kiến nơi công tác đối với cán bộ lãnh đạo, quản lý": a leader's
    workplace comments; not where the workplace is the member's own cell (the "Lưu ý")."""
    w = world
    ubnd = Collective.objects.create(
        organization=w.orgs["commune"], kind=CollectiveKind.PEOPLES_COMMITTEE, name="UBND xã A"
    )
    post(w.members["an"], ubnd, is_leader=True)
    post(w.members["binh"], ubnd, is_leader=False, rank=PositionRank.MEMBER)
    Position.objects.create(
        member=w.members["cuong"], organization=w.orgs["cell2"], title="Bí thư chi bộ",
        rank=PositionRank.HEAD, is_leader=True, start_on=D(2024, 1, 1),
    )  # fmt: skip
    cycle = make_cycle(w.orgs["commune"])
    need = needs_of(cycle, w.members["an"])[FeedbackKind.WORKPLACE]
    assert need.to_organization_id == w.orgs["commune"].pk and need.to_name == "UBND xã A"
    assert FeedbackKind.WORKPLACE not in needs_of(cycle, w.members["binh"])  # not a leader
    assert FeedbackKind.WORKPLACE not in needs_of(cycle, w.members["cuong"])  # own cell


def test_mass_organizations_answer_once(world: Any) -> None:
    """001 §2.2.2a: the executive boards of the mass organizations a member works in comment;
    with several, they meet and answer once: one request naming them all. A post that
    ended before the reference date does not count."""
    w = world
    youth = Collective.objects.create(
        organization=w.orgs["cell2"], kind=CollectiveKind.YOUTH_UNION, name="BCH Đoàn xã A"
    )
    women = Collective.objects.create(
        organization=w.orgs["cell2"], kind=CollectiveKind.WOMEN_UNION, name="BCH Hội Phụ nữ xã A"
    )
    post(w.members["binh"], youth, rank=PositionRank.DEPUTY, is_leader=True)
    post(w.members["binh"], women, rank=PositionRank.MEMBER)
    post(w.members["an"], youth, end_on=D(2025, 12, 31))
    cycle = make_cycle(w.orgs["commune"])
    needs = needs_of(cycle, w.members["binh"])
    assert set(needs) == {FeedbackKind.MASS_ORG}  # a mass-organization post is not "workplace"
    assert needs[FeedbackKind.MASS_ORG].to_organization_id == w.orgs["cell2"].pk
    assert needs[FeedbackKind.MASS_ORG].to_name == "BCH Đoàn xã A, BCH Hội Phụ nữ xã A"
    assert needs_of(cycle, w.members["an"]) == {}


def test_temporary_cell_comments(world: Any) -> None:
    """000 §2.3 and 003 §III: a temporarily attached member is classified at the official
    cell on the temporary cell's written comment."""
    w = world
    m = make_member(w.orgs["cell1"], "Đỗ Thị Hoa", temporary_cell=w.orgs["cell2"],
                    temporary_since=D(2026, 3, 1))  # fmt: skip
    cycle = make_cycle(w.orgs["commune"])
    need = needs_of(cycle, m)[FeedbackKind.TEMPORARY_CELL]
    assert (need.from_organization_id, need.to_organization_id) == (
        w.orgs["cell1"].pk, w.orgs["cell2"].pk,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("moved", "needed"),
    [
        (D(2026, 7, 1), True),  # 6 months at the old cell this year
        (D(2026, 6, 30), False),  # one day short of 6 months
        (D(2025, 12, 1), False),  # moved before the year: all year at the new cell
    ],
)
def test_former_cell_after_six_months(world: Any, moved: dt.date, needed: bool) -> None:
    """000 §2.3 (003 §III): "có thời gian công tác ở chi bộ cũ từ 6 tháng trở lên thì phải
    lấy ý kiến nhận xét của chi bộ nơi chuyển đi"."""
    w = world
    m = make_member(
        w.orgs["cell1"], "Vũ Văn Khoa", transferred_on=moved, former_cell=w.orgs["other"]
    )
    cycle = make_cycle(w.orgs["commune"])
    need = needs_of(cycle, m).get(FeedbackKind.FORMER_CELL)
    assert (need is not None) is needed
    if need:
        assert need.to_organization_id == w.orgs["other"].pk


def test_former_cell_outside_the_system_is_paper_only(world: Any) -> None:
    """000 §2.3: the old cell is outside the system: the request names it; paper only."""
    w = world
    m = make_member(w.orgs["cell1"], "Vũ Văn Khoa", transferred_on=D(2026, 8, 1),
                    former_cell_name="Chi bộ Công ty X, tỉnh Y")  # fmt: skip
    need = needs_of(make_cycle(w.orgs["commune"]), m)[FeedbackKind.FORMER_CELL]
    assert need.to_organization_id is None and need.to_name == "Chi bộ Công ty X, tỉnh Y"
    assert "phiếu giấy" in need.reason


def test_members_not_classified_need_nothing(world: Any) -> None:
    """domain.md §1 (000 §2.2.3.1): exempt, suspended and new members are not classified,
    so nothing waits for their comments."""
    w = world
    members = [
        make_member(w.orgs["cell1"], "Hồ Văn Lâm", residence_cell=w.orgs["cell2"], **fields)
        for fields in (
            {"exempt_since": D(2020, 1, 1)},
            {"suspension": "dang", "suspended_since": D(2026, 2, 1)},
            {"admitted_on": D(2026, 8, 1), "official_on": None},
        )
    ]
    cycle = make_cycle(w.orgs["commune"])
    assert all(needs_of(cycle, m) == {} for m in members)


def test_committee_may_send_and_kinds_may_be_switched_off(world: Any) -> None:
    """000 §1.4.1b: "Cấp ủy cơ quan nơi công tác gửi": a plan may have the committee send;
    another may switch a kind off. Both are profile data, not code."""
    w = world
    w.members["binh"].residence_cell = w.orgs["cell2"]
    w.members["binh"].save()
    snapshot = make_cycle(w.orgs["province"], year=2020).profile_snapshot
    snapshot["feedback"] = {"kinds": {"residence": {"requested_by": "committee"}}}
    need = needs_of(make_cycle(w.orgs["commune"], snapshot=snapshot), w.members["binh"])
    assert need[FeedbackKind.RESIDENCE].from_organization_id == w.orgs["commune"].pk
    snapshot["feedback"] = {"kinds": {"residence": {"enabled": False}}}
    assert needs_of(make_cycle(w.orgs["cell1"], snapshot=snapshot), w.members["binh"]) == {}


def test_derivation_queries_do_not_grow_with_members(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    """Set-based: members (1), posts (1), committees (1) for a whole committee."""
    w = world
    ubnd = Collective.objects.create(
        organization=w.orgs["commune"], kind=CollectiveKind.PEOPLES_COMMITTEE, name="UBND"
    )
    for i in range(60):
        m = make_member(w.orgs["cell1"], f"Người Số {i}", residence_cell=w.orgs["cell2"])
        post(m, ubnd, is_leader=True)
    snapshot = make_cycle(w.orgs["province"], year=2020).profile_snapshot
    snapshot["feedback"] = {"kinds": {"residence": {"requested_by": "committee"}}}
    cycle = make_cycle(w.orgs["commune"], snapshot=snapshot)
    with django_assert_max_num_queries(4):
        needs = required_feedback(cycle)
    assert len(needs) == 120


PLAN_WITHOUT_RESIDENCE = """\
id: test-no-residence
name: "Kế hoạch thử: không lấy nhận xét nơi cư trú"
source: "thử nghiệm"
inherits: qd366-2025
feedback:
  source: "kế hoạch thử §2"
  kinds:
    residence:
      enabled: false
"""


def test_a_plan_yaml_states_which_comments_it_requires(world: Any, tmp_path: Any) -> None:
    """Rules are data (design principle 1): a plan's profile file carries its `feedback`
    section, frozen into the cycle's snapshot; the derivation follows it."""
    from kiemdiem.rules import load_profile, profile_from_dict, profile_to_dict

    w = world
    w.members["binh"].category = Category.CCVC
    w.members["binh"].residence_cell = w.orgs["cell2"]
    w.members["binh"].save()
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN_WITHOUT_RESIDENCE, encoding="utf-8")
    snapshot = profile_to_dict(load_profile(str(path)))
    assert profile_from_dict(snapshot).feedback is not None
    cycle = make_cycle(w.orgs["commune"], snapshot=snapshot)
    assert FeedbackKind.RESIDENCE not in needs_of(cycle, w.members["binh"])
    # Keys the plan leaves unset keep the defaults: the same member under the central rules.
    central = make_cycle(w.orgs["province"], year=2025)
    assert FeedbackKind.RESIDENCE in needs_of(central, w.members["binh"])


def test_an_unknown_kind_of_comment_in_a_plan_is_refused(tmp_path: Any) -> None:
    """A typo in a plan's feedback section must fail loudly, naming the file."""
    from kiemdiem.rules import load_profile
    from kiemdiem.rules.loading import ProfileLoadError

    path = tmp_path / "plan.yaml"
    path.write_text(PLAN_WITHOUT_RESIDENCE.replace("residence:", "residense:"), "utf-8")
    with pytest.raises(ProfileLoadError) as exc:
        load_profile(str(path))
    assert "plan.yaml" in str(exc.value)
