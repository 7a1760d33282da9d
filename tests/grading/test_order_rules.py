"""The rules a decision keeps whatever level is chosen (issue 6 §1): a collective before its
members and a lower unit before its superior (000 §2.3, §1.4.3), the party committee after
the other collectives, and the head never above the collective (the profile's
`caps.head`: 003 §III; 004 §2(5) adds the deputy)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kiemdiem.grading import deciding, services, units
from kiemdiem.grading.facts import outcomes_for
from kiemdiem.grading.models import Decision, Step, Tier
from kiemdiem.grading.services import Choice
from kiemdiem.org.choices import CollectiveKind, PositionRank
from tests.builders import make_collective, make_position
from tests.grading.helpers import enter, fill_cell, grading_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def chi_uy(world: Any) -> Any:
    """Cell 1 under 003's rules (bvphoi-2021: head ≤ collective); An heads its chi ủy, Bình
    sits on it; everybody voted excellent (≥ 2/3 of ten)."""
    w = world
    w.extra = fill_cell(w.orgs["cell1"], 8, "Trần Văn")
    w.cycle = grading_cycle(w.orgs["commune"], "bvphoi-2021")
    w.collective = make_collective(w.orgs["cell1"])
    make_position(w.members["an"], collective=w.collective, rank=PositionRank.HEAD,
                  title="Bí thư chi bộ")  # fmt: skip
    make_position(w.members["binh"], collective=w.collective, title="Chi ủy viên")
    everyone = [w.members["an"], w.members["binh"], *w.extra]
    lines: dict[Any, dict[str, int]] = {m: {"httnv": 10} for m in everyone}
    lines[w.members["an"]] = {"htxsnv": 10}
    enter(w.users["secretary"], w.cycle, w.orgs["cell1"], 10, lines)
    services.propose_cell(w.users["secretary"], w.cycle, w.orgs["cell1"])
    return w


def _rate_collective(w: Any, level: str) -> None:
    subject = units.find_subject(w.orgs["commune"], f"c:{w.collective.pk}")
    units.propose_unit(w.users["secretary"], w.cycle, subject, level)
    units.decide_unit(w.users["clerk"], w.cycle, w.orgs["commune"], subject, level)


def test_collective_before_its_members_000_2_3(chi_uy: Any) -> None:
    """000 §2.3: "tập thể lãnh đạo, quản lý trước, cá nhân thành viên sau" — the chi ủy's
    members wait for the chi ủy's own rating; the others are decided. "Decide all" names
    those who wait; choosing one of them alone is refused."""
    w = chi_uy
    an, binh = w.members["an"], w.members["binh"]
    with pytest.raises(ValidationError) as err:
        deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"], [Choice(an.pk)])
    assert (
        "Nguyễn Văn An: tập thể “Chi ủy Chi bộ xóm 1” chưa được xếp loại" in err.value.messages[0]
    )
    assert not Decision.objects.filter(step=Step.DECIDE).exists()
    result = deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"])
    text = " ".join(result.skipped)
    assert "Nguyễn Văn An: tập thể “Chi ủy Chi bộ xóm 1” chưa được xếp loại" in text
    assert (
        "Trần Thị Bình" in text
        and "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của Đảng ủy xã Thanh Liên, mục 2.3" in text
    )
    decided = set(Decision.objects.filter(step=Step.DECIDE).values_list("member_id", flat=True))
    assert result.decided == 8 and not decided & {an.pk, binh.pk}
    _rate_collective(w, "HTXSNV")
    assert deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"]).decided == 2


def test_head_is_not_decided_above_the_collective_003(chi_uy: Any) -> None:
    """003 §III ("Mức xếp loại chất lượng của người đứng đầu cấp ủy không cao hơn mức xếp loại
    của tập thể"): with the chi ủy rated HTTNV, An's proposal is capped by the rules and a
    decision of HTXSNV is refused in Vietnamese, naming the source."""
    w = chi_uy
    _rate_collective(w, "HTTNV")
    an = next(r for r in outcomes_for(w.cycle, w.orgs["cell1"]).rows
              if r.member_id == w.members["an"].pk)  # fmt: skip
    assert an.level == "HTTNV" and "cap_head" in [r["code"] for r in an.reasons]
    with pytest.raises(ValidationError, match=r"người đứng đầu .* không được cao hơn mức"):
        deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"],
                        [Choice(w.members["an"].pk, "HTXSNV", "Thành tích nổi bật")])  # fmt: skip
    # A member of the chi ủy who is not its head may be decided above it.
    services.propose_cell(w.users["secretary"], w.cycle, w.orgs["cell1"])
    deciding.decide(w.users["clerk"], w.cycle, w.orgs["cell1"],
                    [Choice(w.members["binh"].pk, "HTXSNV", "Đề nghị của chi ủy")])  # fmt: skip
    assert Decision.objects.get(member=w.members["binh"], step=Step.DECIDE).level == "HTXSNV"


def test_deputy_is_capped_where_the_profile_says_004(world: Any) -> None:
    """004 §2(5): "người đứng đầu và cấp phó ... không được cao hơn" — tuyenquang-2021 turns
    the deputy on; bvphoi-2021 does not."""
    w = world
    cycle = grading_cycle(w.orgs["commune"], "tuyenquang-2021")
    collective = make_collective(w.orgs["cell1"])
    make_position(w.members["binh"], collective=collective, rank=PositionRank.DEPUTY,
                  title="Phó Bí thư")  # fmt: skip
    subject = units.find_subject(w.orgs["commune"], f"c:{collective.pk}")
    units.propose_unit(w.users["secretary"], cycle, subject, "HTNV")
    units.decide_unit(w.users["clerk"], cycle, w.orgs["commune"], subject, "HTNV")
    enter(w.users["secretary"], cycle, w.orgs["cell1"], 2,
          {w.members["an"]: {"httnv": 2}, w.members["binh"]: {"httnv": 2}})  # fmt: skip
    services.propose_cell(w.users["secretary"], cycle, w.orgs["cell1"])
    with pytest.raises(ValidationError, match=r"cấp phó .* không được cao hơn mức"):
        deciding.decide(w.users["clerk"], cycle, w.orgs["cell1"],
                        [Choice(w.members["binh"].pk, "HTTNV", "Giữ mức biểu quyết")])  # fmt: skip


def test_lower_unit_before_its_superior_000_2_3(world: Any) -> None:
    """000 §2.3: "tập thể cấp dưới trước, cấp trên sau" — the commune's own rating waits for
    its cells; its party committee (BCH) waits for the government and mass-organization
    collectives of the commune (000 §1.4.3) and for the cells' chi ủy."""
    w = world
    cycle = grading_cycle(w.orgs["commune"], "thanhlien-2023")
    commune = w.orgs["commune"]
    bch = make_collective(commune, "Ban Chấp hành Đảng bộ xã A", CollectiveKind.PARTY_EXECUTIVE)
    ubnd = make_collective(commune, "Lãnh đạo UBND xã A", CollectiveKind.PEOPLES_COMMITTEE)
    office = w.users["clerk"]
    org_subject = units.find_subject(w.orgs["province"], f"o:{commune.pk}")
    units.propose_unit(office, cycle, org_subject, "HTTNV")
    with pytest.raises(ValidationError, match=r"Chi bộ xóm 1, Chi bộ xóm 2\): cấp dưới trước"):
        units.decide_unit(w.users["superior"], cycle, w.orgs["province"], org_subject, "HTTNV")
    bch_subject = units.find_subject(w.orgs["province"], f"c:{bch.pk}")
    units.propose_unit(office, cycle, bch_subject, "HTTNV")
    with pytest.raises(ValidationError, match="Lãnh đạo UBND xã A"):
        units.decide_unit(w.users["superior"], cycle, w.orgs["province"], bch_subject, "HTTNV")
    ubnd_subject = units.find_subject(commune, f"c:{ubnd.pk}")
    units.propose_unit(office, cycle, ubnd_subject, "HTTNV")
    units.decide_unit(office, cycle, commune, ubnd_subject, "HTTNV")
    units.decide_unit(w.users["superior"], cycle, w.orgs["province"], bch_subject, "HTTNV")
    for cell in (w.orgs["cell1"], w.orgs["cell2"]):
        subject = units.find_subject(commune, f"o:{cell.pk}")
        units.propose_unit(w.users["clerk"], cycle, subject, "HTTNV")
        units.decide_unit(office, cycle, commune, subject, "HTTNV")
    d = units.decide_unit(w.users["superior"], cycle, w.orgs["province"], org_subject, "HTTNV")
    assert (d.body, d.tier, d.level) == (w.orgs["province"], Tier.SUPERIOR, "HTTNV")
