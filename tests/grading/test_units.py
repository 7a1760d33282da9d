"""Cell, collective and unit ratings (issue 6 §3): the self-scoring sheet as a template
(YAML data with criteria, points and sources), the unit's proposed level, the deciding body's
decision, and the caps of the scheme the profile picks: 4 levels with 20 % of the units rated
(000 §3 Bước 3), 5 levels with 50 % (001 §C.2), TSVM ≤ 50 % and TSVM tiêu biểu ≤ 20 % of TSVM
(001 §3.1) — data settings, not code constants (design.md principle 1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kiemdiem.grading import scales, units
from kiemdiem.grading.models import Decision, Proposal, RatedUnit, Step, UnitKind
from kiemdiem.rules import list_profiles, profile_from_dict, profile_to_dict
from tests.grading.helpers import grading_cycle

pytestmark = pytest.mark.django_db


def _scores(sheet: scales.Sheet, **given: str) -> dict[str, str]:
    """Full marks unless given."""
    return {c.code: given.get(c.code, str(c.max)) for c in sheet.criteria}


def test_every_profile_names_schemes_and_sheets_that_exist_with_sources() -> None:
    """Every built-in profile resolves a scheme for each kind of unit and a sheet for cells
    and collectives; every scale, cap, sheet section and band cites its source."""
    for p in list_profiles():
        for kind in scales.KINDS:
            scheme, scale = scales.scheme_for(p, kind)
            assert scheme.source and scale.source and all(c.source for c in scheme.caps), p.id
        for kind in scales.SHEET_KINDS:
            sheet = scales.sheet_for(p, kind)
            assert sheet is not None and sheet.source and sheet.bands.source, p.id
            assert sheet.maximum == 100 and all(s.source for s in sheet.sections), sheet.id


def test_the_plan_chooses_its_schemes_as_data() -> None:
    """000 picks 20 % of the units rated for villages and branches (000 §3 Bước 3); 001 the
    TSVM titles (001 §3.1) and the 5 levels (001 §C.2); a profile naming an unknown scheme
    fails in Vietnamese."""
    from kiemdiem.rules import load_profile

    tl, dh = load_profile("thanhlien-2023"), load_profile("dhktna-2016")
    assert (
        scales.scheme_for(tl, "mass_unit")[0].caps[0].source
        == "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của Đảng ủy xã Thanh Liên, mục 3 Bước 3"
    )
    assert scales.scheme_for(dh, "organization")[1].codes == ["tsvm_tieu_bieu", "tsvm", "chua_tsvm"]
    assert (
        scales.scheme_for(dh, "government_unit")[0].caps[0].source
        == "Kế hoạch số 348/KH-Đ.ủy-ĐHKT ngày 03/11/2016 của Đảng ủy Trường Đại học Kinh tế Nghệ An, mục C.2"  # noqa: E501 (the readable citation)
    )
    assert scales.sheet_for(tl, "organization").id == "chi-bo-000"  # type: ignore[union-attr]
    data = profile_to_dict(tl)
    data["unit_ratings"]["schemes"]["mass_unit"] = "five_50"
    assert scales.scheme_for(profile_from_dict(data), "mass_unit")[1].name.startswith("5 mức")
    data["unit_ratings"]["schemes"]["mass_unit"] = "khong_co"
    with pytest.raises(scales.DataError, match="phương án xếp loại “khong_co” không có"):
        scales.scheme_for(profile_from_dict(data), "mass_unit")


@pytest.fixture
def cells(world: Any) -> Any:
    w = world
    w.cycle = grading_cycle(w.orgs["commune"], "thanhlien-2023")
    w.sheet = scales.sheet("chi-bo-000")
    return w


def test_cell_scores_its_sheet_proposes_and_the_committee_decides_000_III(cells: Any) -> None:
    """000 §III mục 3 and the agenda's item 7: the cell scores its sheet (92.5 → HTXSNV by
    the bands), proposes that level, and the committee decides; another level needs a
    reason."""
    w = cells
    subject = units.find_subject(w.orgs["commune"], f"o:{w.orgs['cell1'].pk}")
    sheet = units.save_sheet(w.users["secretary"], w.cycle, subject,
                             _scores(w.sheet, chi_tieu_kinh_te="17,5"))  # fmt: skip
    assert (sheet.total, sheet.level) == (Decimal("92.5"), "HTXSNV")
    p = Proposal.objects.get(subject_key=subject.key)
    assert p.level == "HTXSNV" and "92,5/100 điểm" in p.reasons[0]["message"]
    assert p.sources[0].startswith(
        "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của Đảng ủy xã Thanh Liên, mục III mục 3"
    )
    units.propose_unit(w.users["secretary"], w.cycle, subject)
    with pytest.raises(ValidationError, match="khác mức đề xuất HTXSNV: cần ghi lý do"):
        units.decide_unit(w.users["clerk"], w.cycle, w.orgs["commune"], subject, "HTTNV")
    with pytest.raises(PermissionDenied):
        units.decide_unit(w.users["secretary"], w.cycle, w.orgs["commune"], subject, "HTXSNV")
    d = units.decide_unit(w.users["clerk"], w.cycle, w.orgs["commune"], subject, "HTXSNV")
    assert (d.step, d.level, d.scale, d.body) == (
        Step.DECIDE,
        "HTXSNV",
        "quality4",
        w.orgs["commune"],
    )


def test_sheet_errors_are_in_vietnamese_and_nothing_is_saved(cells: Any) -> None:
    w = cells
    subject = units.find_subject(w.orgs["commune"], f"o:{w.orgs['cell1'].pk}")
    bad = _scores(w.sheet, chi_tieu_kinh_te="26", phong_trao="mười", du_sinh_hoat="")
    with pytest.raises(ValidationError) as err:
        units.save_sheet(w.users["secretary"], w.cycle, subject, bad)
    assert err.value.messages == [
        "“Lãnh đạo thực hiện các chỉ tiêu kinh tế - xã hội, nhiệm vụ chuyên môn được giao”: "
        "điểm phải từ 0 đến 25.",
        "“Lãnh đạo các phong trào thi đua, xây dựng nông thôn mới, gia đình văn hóa”: điểm phải "
        "là một số (ví dụ 7,5).",
        "“Tỷ lệ đảng viên dự sinh hoạt chi bộ”: chưa chấm điểm.",
    ]
    assert not units.UnitSheet.objects.exists() and not Proposal.objects.exists()


def _units(org: Any, kind: str, n: int) -> list[RatedUnit]:
    return [RatedUnit.objects.create(organization=org, kind=kind, name=f"Đơn vị {i + 1}",
                                     rated_by="UBND xã") for i in range(n)]  # fmt: skip


def test_villages_and_branches_20_percent_of_units_rated_000_3(cells: Any) -> None:
    """000 §3 Bước 3: "Xếp loại xuất sắc không quá 20% trong tổng số các đơn vị được xếp
    loại": of six units rated, one may be excellent; a second is a breach."""
    w = cells
    rated = _units(w.orgs["commune"], UnitKind.MASS_UNIT, 6)
    for i, u in enumerate(rated):
        subject = units.find_subject(w.orgs["commune"], f"u:{u.pk}")
        units.decide_unit(w.users["clerk"], w.cycle, w.orgs["commune"], subject,
                          "HTXSNV" if i < 2 else "HTTNV")  # fmt: skip
    [board] = [b for b in units.board(w.cycle, w.orgs["commune"]) if b.kind == "mass_unit"]
    [cap] = board.caps
    assert (cap.used, cap.allowed, cap.base, cap.breach) == (2, 1, 6, True)
    assert (
        cap.source == "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của Đảng ủy xã Thanh Liên, mục 3 Bước 3"
    )
    subject = units.find_subject(w.orgs["commune"], f"u:{rated[1].pk}")
    units.decide_unit(w.users["clerk"], w.cycle, w.orgs["commune"], subject, "HTTNV",
                      "Xếp loại lại cho đúng tỷ lệ")  # fmt: skip
    [board] = [b for b in units.board(w.cycle, w.orgs["commune"]) if b.kind == "mass_unit"]
    assert not board.breaches
    history = Decision.objects.filter(subject_key=subject.key).order_by("pk")
    assert [d.level for d in history] == ["HTXSNV", "HTTNV"]


def test_five_levels_and_50_percent_001_C_2(world: Any) -> None:
    """001 §C.2: units rated by government departments on 5 levels, "tỷ lệ xuất sắc không
    vượt quá 50% tổng số đơn vị được phân loại"; a 4-level code is refused."""
    w = world
    cycle = grading_cycle(w.orgs["commune"], "dhktna-2016")
    rated = _units(w.orgs["commune"], UnitKind.GOVERNMENT_UNIT, 4)
    levels = ["xuat_sac", "xuat_sac", "xuat_sac", "kha"]
    for u, level in zip(rated, levels, strict=True):
        subject = units.find_subject(w.orgs["commune"], f"u:{u.pk}")
        units.decide_unit(w.users["clerk"], cycle, w.orgs["commune"], subject, level)
    with pytest.raises(ValidationError, match="Mức “HTXSNV” không có trong thang 5 mức"):
        units.decide_unit(w.users["clerk"], cycle, w.orgs["commune"], subject, "HTXSNV")
    [board] = [b for b in units.board(cycle, w.orgs["commune"]) if b.kind == "government_unit"]
    assert board.scale.codes == ["xuat_sac", "tot", "kha", "trung_binh", "yeu_kem"]
    [cap] = board.caps
    assert (cap.used, cap.allowed, cap.breach, cap.share) == (3, 2, True, "50%")


def test_tsvm_and_tsvm_tieu_bieu_quotas_001_3_1(world: Any) -> None:
    """001 §3.1 (3.3.2): TSVM ≤ 50 % of the grassroots organizations rated and TSVM tiêu
    biểu ≤ 20 % of the TSVM ones, checked at the superior over its grassroots
    organizations."""
    w = world
    cycle = grading_cycle(w.orgs["commune"], "dhktna-2016")
    province = w.orgs["province"]
    for org, office in (
        (w.orgs["commune"], w.users["clerk"]),
        (w.orgs["other"], w.users["outsider"]),
    ):
        subject = units.find_subject(province, f"o:{org.pk}")
        units.propose_unit(office, cycle, subject, "tsvm_tieu_bieu")
    for cell in (w.orgs["cell1"], w.orgs["cell2"]):
        s = units.find_subject(w.orgs["commune"], f"o:{cell.pk}")
        units.propose_unit(w.users["clerk"], cycle, s, "tsvm")
        units.decide_unit(w.users["clerk"], cycle, w.orgs["commune"], s, "tsvm")
    for org in (w.orgs["commune"], w.orgs["other"]):
        subject = units.find_subject(province, f"o:{org.pk}")
        units.decide_unit(w.users["superior"], cycle, province, subject, "tsvm_tieu_bieu")
    [board] = [b for b in units.board(cycle, province) if b.kind == "organization"]
    assert [r.subject.name for r in board.rows] == ["Đảng bộ xã A", "Chi bộ cơ sở Trường B"]
    by_level = {c.level: (c.used, c.allowed, c.breach) for c in board.caps}
    assert by_level == {"tsvm": (2, 1, True), "tsvm_tieu_bieu": (2, 0, True)}
