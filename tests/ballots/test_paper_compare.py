"""Double entry of paper counts (issue 5 §2): two independent entries are compared cell by
cell — the papers, then every candidate's every column — and agree only when all match."""

from __future__ import annotations

from kiemdiem.ballots.counting import BLANK, Counts, Papers
from kiemdiem.ballots.double_entry import compare

NAMES = {"m1": "Nguyễn Văn An", "m2": "Trần Thị Bình"}


def counts(issued: int = 10, returned: int = 10, **rows: dict[str, int]) -> Counts:
    base = {"m1": {"HTXSNV": 2, "HTTNV": 8}, "m2": {"HTTNV": 9, BLANK: 1}}
    base.update(rows)
    return Counts("choose_level", Papers(issued, returned), base)


def test_identical_entries_agree() -> None:
    assert compare(counts(), counts(), NAMES) == []


def test_zeros_written_or_left_out_are_the_same_cell() -> None:
    padded = counts(m1={"HTXSNV": 2, "HTTNV": 8, "HTNV": 0, "KHTNV": 0, BLANK: 0})
    assert compare(counts(), padded, NAMES) == []


def test_each_differing_cell_is_named_with_both_values() -> None:
    second = counts(returned=9, m2={"HTTNV": 8, "HTNV": 1, BLANK: 1})
    found = compare(counts(), second, NAMES)
    assert [m.key for m in found] == ["returned", "m2:HTTNV", "m2:HTNV"]
    assert found[0].message == (
        "Số phiếu thu về: lần nhập thứ nhất ghi 10, lần nhập thứ hai ghi 9."
    )
    assert found[1].message == (
        "Đồng chí Trần Thị Bình, cột “Hoàn thành tốt nhiệm vụ”: lần nhập thứ nhất ghi 9, "
        "lần nhập thứ hai ghi 8."
    )


def test_a_row_missing_from_one_entry_differs_in_every_column() -> None:
    second = Counts("choose_level", Papers(10, 10), {"m1": {"HTXSNV": 2, "HTTNV": 8}})
    found = compare(counts(), second, NAMES)
    assert {m.key.split(":")[0] for m in found} == {"m2"}
    assert len(found) == 5 and found[0].second is None
    assert "lần nhập thứ hai ghi —" in found[0].message


def test_approval_ballots_compare_agree_and_disagree_columns() -> None:
    a = Counts("approve_proposal", Papers(5, 5), {"m1": {"approve": 4, "disapprove": 1}})
    b = Counts("approve_proposal", Papers(5, 5), {"m1": {"approve": 3, "disapprove": 2}})
    found = compare(a, b, {"m1": "An"})
    assert [m.where for m in found] == [
        "Đồng chí An, cột “Đồng ý”",
        "Đồng chí An, cột “Không đồng ý”",
    ]
