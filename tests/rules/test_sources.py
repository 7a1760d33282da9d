"""Issue #11 "citations people can read": a profile's source is rendered from the registry
of the real documents (number and symbol, issuer, date, section), never as the maintainers'
seed key ("000 §2.3"). Numbers and dates per each plan's header (shared seeds 000–004)."""

from __future__ import annotations

import json

import pytest

from kiemdiem.rules import load_profile
from kiemdiem.rules.sources import DOCUMENTS, has_internal_reference, parse, readable

PROFILES = ["bvphoi-2021", "dhktna-2016", "dukdntw-2018", "qd124-2023", "qd132-2018",
            "qd366-2025", "thanhlien-2023", "tuyenquang-2021"]  # fmt: skip


def test_a_key_and_section_read_as_the_document_and_its_section() -> None:
    full = "Kế hoạch số 44-KH/ĐU ngày 01/11/2023 của Đảng ủy xã Thanh Liên, mục 2.3"
    assert readable("000 §2.3") == full
    assert readable("000 §2.3", short=True) == "KH 44-KH/ĐU, mục 2.3"
    assert readable(full) == full  # idempotent: a frozen snapshot is read again
    assert readable("theo 001 §II.2.3 (ghi chú)") == (
        "theo Kế hoạch số 348/KH-Đ.ủy-ĐHKT ngày 03/11/2016 của Đảng ủy Trường Đại học Kinh tế "
        "Nghệ An, mục II.2.3 (ghi chú)"
    )
    assert readable("(004 §2(5))") == (
        "(Công văn số 854-CV/TU ngày 09/11/2021 của Ban Thường vụ Tỉnh ủy Tuyên Quang, mục 2(5))"
    )
    assert readable("000, Chương trình hội nghị, mục 3").startswith("Kế hoạch số 44-KH/ĐU")
    assert [c.section for c in parse("000 §1.4.3; 002 §4.2")] == ["1.4.3", "4.2"]
    # Other numbers are left alone.
    assert readable("QĐ 366-QĐ/TW Điều 11; 1.000 đồng; năm 2003") == (
        "QĐ 366-QĐ/TW Điều 11; 1.000 đồng; năm 2003"
    )


def test_the_registry_keeps_the_seed_file_only_as_a_note() -> None:
    for doc in DOCUMENTS.values():
        assert doc.seed.startswith(doc.key + "_")
        assert doc.seed not in doc.full() and doc.seed not in doc.short()
        assert not has_internal_reference(doc.full())


@pytest.mark.parametrize("profile_id", PROFILES)
def test_no_profile_shows_a_seed_key_path_or_drafting_tag(profile_id: str) -> None:
    profile = load_profile(profile_id)
    text = json.dumps(profile.model_dump(mode="json"), ensure_ascii=False)
    assert "Kế hoạch" in text or "QĐ" in text
    assert not has_internal_reference(text), profile_id


def test_the_leak_check_can_fail() -> None:
    for bad in ("theo 000 §1.4.3", "research/regulations.md §3.8", "(tóm tắt)",
                "000_bcdb8f614989b2ac.txt", "kiemdiem/documents/cell.py", "xem cell.py",
                "TODO: sửa", "(unconfirmed)"):  # fmt: skip
        assert has_internal_reference(bad)
