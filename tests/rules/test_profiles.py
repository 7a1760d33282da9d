"""Rule profiles are data (design.md principle 1): every built-in one loads, cites its
sources, inherits, round-trips through a snapshot, and a broken file fails clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiemdiem.rules import (
    ProfileLoadError,
    list_profiles,
    load_profile,
    profile_from_dict,
    profile_to_dict,
)

HEAD = "id: x\ninherits: qd132-2018\n"
BUILT_IN = {"qd132-2018", "qd124-2023", "qd366-2025", "thanhlien-2023", "dhktna-2016",
            "dukdntw-2018", "bvphoi-2021", "tuyenquang-2021"}  # fmt: skip


def test_every_seed_and_central_rule_has_a_profile() -> None:
    assert {p.id for p in list_profiles()} == BUILT_IN


def test_every_setting_cites_its_source() -> None:
    for p in list_profiles():
        data = profile_to_dict(p)
        for section in ("eligibility", "voters", "ballot"):
            assert data[section]["source"], (p.id, section)
        for t in data["ballot"]["thresholds"].values():
            assert t["source"], p.id
        for cap in data["caps"].values():
            assert cap is None or cap["source"], p.id
        assert all(q["source"] for q in data["quotas"]), p.id


def test_inheritance_states_only_what_changes() -> None:
    """thanhlien-2023 inherits qd124-2023 (which inherits qd132-2018) and replaces the vote."""
    p = load_profile("thanhlien-2023")
    assert p.inherits == "qd124-2023"
    assert p.ballot.denominator == "voters_present"
    assert p.caps.criteria is not None  # from qd124-2023
    assert p.caps.sick_leave is not None and p.caps.sick_leave.days == 90  # from qd132-2018
    assert load_profile("qd124-2023").eligibility.new_members_reviewed is False


def test_snapshot_round_trip() -> None:
    for p in list_profiles():
        assert profile_from_dict(profile_to_dict(p)) == p


@pytest.mark.parametrize(
    ("text", "path", "problem"),
    [
        ("id: x\nname: x\nsource: x\n", "eligibility", "thiếu mục bắt buộc"),
        (HEAD + "ballot:\n  metod: choose_level\n", "ballot.metod", "viết sai tên"),
        (HEAD + "ballot:\n  thresholds:\n    HTXSNV: {op: '>=', share: 0.7, source: s}\n",
         "ballot.thresholds.HTXSNV.share", "phân số"),
        ("id: x\ninherits: qd132-2018\nballot:\n  method: vote\n", "ballot.method", "một trong"),
        ("id: x\ninherits: khong-co\n", "", "không có bộ quy tắc"),
        ("id: [x\n", "", "không đọc được YAML"),
        (HEAD + "caps:\n  sick_leave: {source: s, days: ba}\n", "caps.sick_leave.days", "nguyên"),
        (HEAD + "quotas:\n  - {source: s, share: 6/5}\n", "quotas.0.share", "từ 0 đến 1"),
        (HEAD + "ballot:\n  thresholds:\n    GIOI: {op: '>', share: 1/2, source: s}\n",
         "ballot.thresholds.GIOI.[key]", "không phải mức xếp loại"),
        (HEAD + "caps:\n  head: {source: s, deputy: có}\n", "caps.head.deputy", "true hoặc false"),
    ],
)  # fmt: skip
def test_broken_profiles_fail_with_file_path_and_problem(
    tmp_path: Path, text: str, path: str, problem: str
) -> None:
    file = tmp_path / "hong.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileLoadError) as info:
        load_profile(str(file))
    if path:
        assert info.value.path == path
    assert problem in str(info.value)


def test_an_inherited_section_keeps_its_parents_source() -> None:
    """A child that changes part of a section cites what it changed and keeps the parent's
    source for the rest (003 §III changes only the days' wording of HD 21's sick leave)."""
    sick = load_profile("bvphoi-2021").caps.sick_leave
    assert sick is not None
    assert (
        sick.source.startswith(
            "Kế hoạch kiểm điểm tự phê bình và phê bình, đánh giá chất lượng chi bộ và đảng viên năm 2021 của Chi bộ Bệnh viện Phổi, mục III"  # noqa: E501 (the readable citation)
        )
        and "HD 21-HD/BTCTW" in sick.source
    )
    # The plan's own source is not merged.
    assert load_profile("bvphoi-2021").source.endswith("của Chi bộ Bệnh viện Phổi")


def test_every_built_in_setting_quotes_its_source() -> None:
    """Issue 3 §2: the YAML quotes the source text for every section it states."""
    for p in list_profiles():
        data = profile_to_dict(p)
        for section in ("eligibility", "voters", "ballot"):
            assert data[section]["quote"], (p.id, section)
        for name, cap in data["caps"].items():
            assert cap is None or cap["quote"], (p.id, name)
        assert all(q["quote"] for q in data["quotas"]), p.id
        assert data["meeting"] is None or data["meeting"]["quote"], p.id


def test_a_broken_setting_in_a_parent_file_names_the_parent(tmp_path: Path) -> None:
    """The file named is the one that states the broken value, not the child loading it."""
    parent = tmp_path / "cha.yaml"
    parent.write_text(HEAD + "caps:\n  sick_leave: {source: s, days: ba}\n", encoding="utf-8")
    child = tmp_path / "con.yaml"
    child.write_text(f"id: y\ninherits: {parent}\n", encoding="utf-8")
    with pytest.raises(ProfileLoadError) as info:
        load_profile(str(child))
    assert info.value.file == "cha.yaml" and info.value.path == "caps.sick_leave.days"
